@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// The back-office list of bookings scales: a page at a time, filtered by period, status, platform,
/// organisation and dates, sorted, exported as CSV with the same filters; each account sees only its views.
@Suite("Back-office list of bookings")
struct BookingListTests {
    static func make30(_ app: Application, _ f: PlateauFixture) async throws -> [UUID] {
        var ids: [UUID] = []
        for day in 0..<5 {
            for hour in [8, 9, 13, 14, 15, 16] {
                let from = String(format: "%02d:00", hour), to = String(format: "%02d:00", hour + 1)
                let made = try await app.send(.POST, "/api/v1/reservations", json: f.booking(from, to, day: day, equipement: f.presseID), as: f.booker)
                #expect(made.status == .created, "\(made.body.string)")
                ids.append(try made.decoded(ReservationDTO.self).id)
            }
        }
        return ids
    }

    static func count(_ html: String) -> Int? {
        html.firstMatch(of: #/(\d+) réservation\(s\)/#).flatMap { Int($0.output.1) }
    }

    @Test("pages, filters, order and CSV", arguments: TestDatabase.all)
    func pagesAndFilters(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app)
            let ids = try await Self.make30(app, f)
            #expect(try await app.send(.POST, "/api/v1/reservations/\(ids[0].lower)/acceptation", as: f.owner).status == .ok)

            let first = try await app.send(.GET, "/gestion/reservations", as: f.owner).body.string
            #expect(Self.count(first) == 30 && first.contains("page 1 sur 2"))
            #expect(first.components(separatedBy: "<tr id=\"liste-reservation-").count - 1 == 25)
            let second = try await app.send(.GET, "/gestion/reservations?page=2", as: f.owner).body.string
            #expect(second.components(separatedBy: "<tr id=\"liste-reservation-").count - 1 == 5)
            // The accepted one can be cancelled from the list (folded), the requests are decided above.
            #expect(first.contains(#"<details class="cancel-details"><summary>Annuler…</summary>"#))
            #expect(first.contains(##"href="#reservation-\##(ids[1].lower)">Décider</a>"##))

            let accepted = try await app.send(.GET, "/gestion/reservations?statut=acceptee", as: f.owner).body.string
            #expect(Self.count(accepted) == 1)
            #expect(Self.count(try await app.send(.GET, "/gestion/reservations?organisation=industrie", as: f.owner).body.string) == 30)
            #expect(Self.count(try await app.send(.GET, "/gestion/reservations?organisation=zzz", as: f.owner).body.string) == 0)
            #expect(Self.count(try await app.send(.GET, "/gestion/reservations?periode=passees", as: f.owner).body.string) == 0)
            let oneDay = f.monday.adding(days: 2).iso
            #expect(Self.count(try await app.send(.GET, "/gestion/reservations?du=\(oneDay)&au=\(oneDay)", as: f.owner).body.string) == 6)
            // Latest first: the last day's last slot heads the list.
            let latest = try await app.send(.GET, "/gestion/reservations?ordre=-date", as: f.owner).body.string
            let firstRow = try #require(latest.range(of: "<tr id=\"liste-reservation-"))
            #expect(latest[firstRow.upperBound...].hasPrefix(ids[29].lower))

            let csv = try await app.send(.GET, "/gestion/reservations.csv?statut=demandee", as: f.owner)
            #expect(csv.status == .ok)
            let lines = csv.body.string.split(whereSeparator: \.isNewline)
            #expect(lines.count == 30 && lines[0].hasPrefix("\u{FEFF}debut;fin;plateau;equipement;organisation;personne"))
            #expect(lines[1].contains(";Atelier plasturgie;Presse à injecter 80 t;CFA de l'industrie;"))

            // The agenda: the same page grouped by day (five days of six bookings, 25 on the first page).
            let agenda = try await app.send(.GET, "/gestion/reservations?affichage=agenda", as: f.owner).body.string
            #expect(agenda.components(separatedBy: #"<h3 class="agenda-day">"#).count - 1 == 5)
            #expect(agenda.contains(f.monday.frenchWithWeekday.capitalizingFirstLetter) && agenda.contains("Afficher en tableau"))
            #expect(agenda.contains("affichage=agenda&amp;") || agenda.contains("&amp;affichage=agenda"))
            #expect(try await app.send(.GET, "/gestion/reservations?affichage=mur", as: f.owner).status == .unprocessableEntity)
            #expect(try await app.send(.GET, "/gestion/reservations?statut=perdue", as: f.owner).status == .unprocessableEntity)
            #expect(try await app.send(.GET, "/gestion/reservations?du=demain", as: f.owner).status == .unprocessableEntity)
        }
    }

    @Test("each account sees only its views", arguments: TestDatabase.all)
    func views(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app)
            _ = try await Self.make30(app, f)
            // The booker sees its organisation's bookings and its calendar; it manages no platform.
            let mine = try await app.send(.GET, "/gestion/reservations", as: f.booker).body.string
            #expect(mine.contains("Les réservations de CFA de l&#39;industrie") && Self.count(mine) == 30)
            #expect(mine.contains("/api/v1/organisations/\(f.cfa.id!.lower)/calendrier.ics"))
            #expect(try await app.send(.GET, "/gestion/reservations?vue=plateaux", as: f.booker).status == .forbidden)
            #expect(try await app.send(.GET, "/gestion/reservations.csv?vue=plateaux", as: f.booker).status == .forbidden)
            // The company sees nothing of the others' bookings.
            #expect(Self.count(try await app.send(.GET, "/gestion/reservations", as: f.companyAccount).body.string) == 0)
            // The owner has both views; its platforms' calendar is linked.
            let owner = try await app.send(.GET, "/gestion/reservations", as: f.owner).body.string
            #expect(owner.contains("Les réservations de vos plateaux") && owner.contains("Faites par Lycée Jean Moulin"))
            #expect(owner.contains("/api/v1/plateaux/\(f.plateauID.lower)/calendrier.ics"))
            #expect(Self.count(try await app.send(.GET, "/gestion/reservations?vue=organisation", as: f.owner).body.string) == 0)
            // An instance has no booking view at all.
            let caen = try await TestAccounts.identity(app, .instance, instance: .caen)
            #expect(try await app.send(.GET, "/gestion/reservations", as: caen).status == .forbidden)
        }
    }
}
