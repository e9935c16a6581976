@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

/// A campus with an owner (a lycée), a member that books (a CFA), a company outside the network, their
/// accounts, and one platform of the lycée open Monday to Friday 08:00–18:00.
struct PlateauFixture {
    let campus: Campus
    let lycee: Organisation
    let cfa: Organisation
    let entreprise: Organisation
    let owner: TestIdentity
    let booker: TestIdentity
    let companyAccount: TestIdentity
    let team: TestIdentity
    let plateauID: UUID
    let presseID: UUID
    let centreID: UUID
    /// A Monday at least two weeks ahead.
    let monday: CalendarDay

    static let hours = #"{"lundi": [["08:00", "12:00"], ["13:00", "18:00"]], "mardi": [["08:00", "18:00"]], "mercredi": [["08:00", "18:00"]], "jeudi": [["08:00", "18:00"]], "vendredi": [["08:00", "17:00"]]}"#

    static func make(_ app: Application, approval: Bool = true, extra: String = "") async throws -> PlateauFixture {
        let campus = try await Factory.campus(app.db)
        let lycee = try await Factory.organisation(app.db, nom: "Lycée Jean Moulin")
        let cfa = try await Factory.organisation(app.db, nom: "CFA de l'industrie", kind: "cfa")
        let entreprise = try await Factory.organisation(app.db, nom: "Plasturgie Durand", kind: "entreprise", isPublic: false)
        try await Factory.membership(app.db, campus: campus, organisation: lycee)
        try await Factory.membership(app.db, campus: campus, organisation: cfa)
        let owner = try await TestAccounts.identity(app, .membre, organisation: lycee.id)
        let response = try await app.send(.POST, "/api/v1/plateaux", json: """
            {"campusId": "\(campus.id!.lower)", "organisationId": "\(lycee.id!.lower)", "nom": "Atelier plasturgie",
             "description": "Presse et usinage", "adresse": "12 rue des Forges, 57100 Thionville", "horaires": \(hours),
             "regles": {"validation": \(approval), "preavisHeures": 24, "dureeMaximaleMinutes": 480}\(extra),
             "equipements": [{"nom": "Presse à injecter 80 t", "categorie": "Plasturgie", "quantite": 1, "formationSecurite": true},
                             {"nom": "Centre d'usinage 5 axes", "categorie": "Usinage", "quantite": 1}]}
            """, as: owner)
        #expect(response.status == .created, "\(response.body.string)")
        let plateau = try response.decoded(PlateauDTO.self)
        return PlateauFixture(
            campus: campus, lycee: lycee, cfa: cfa, entreprise: entreprise, owner: owner,
            booker: try await TestAccounts.identity(app, .membre, organisation: cfa.id),
            companyAccount: try await TestAccounts.identity(app, .membre, organisation: entreprise.id),
            team: try await TestAccounts.identity(app, .equipeCampus, campus: campus.id),
            plateauID: plateau.id, presseID: plateau.equipements[0].id, centreID: plateau.equipements[1].id,
            monday: CalendarDay.today.adding(days: 14).mondayOfWeek)
    }

    func at(_ offset: Int, _ time: String) -> String { "\(monday.adding(days: offset).iso)T\(time)" }

    func booking(_ from: String, _ to: String, day: Int = 0, equipement: UUID? = nil, objet: String = "formation", extra: String = "") -> String {
        """
        {"plateauId": "\(plateauID.lower)", \(equipement.map { #""equipementId": "\#($0.lower)", "# } ?? "")"debut": "\(at(day, from))", "fin": "\(at(day, to))",
         "objet": "\(objet)", "participants": 12, "formationSecuriteConfirmee": true\(extra)}
        """
    }

    static func count(_ app: Application, status: BookingStatus? = nil) async throws -> Int {
        let query = ReservationRecord.query(on: app.db)
        if let status { query.filter(\.$statut == status) }
        return try await query.count()
    }
}

@Suite("Shared platforms and bookings over HTTP")
struct PlateauxAPITests {
    @Test("a member creates its organisation's platform; others are refused and nothing is written", arguments: TestDatabase.all)
    func platformRights(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app)
            let body = """
                {"campusId": "\(f.campus.id!.lower)", "organisationId": "\(f.lycee.id!.lower)", "nom": "Salle de métrologie", "horaires": \(PlateauFixture.hours)}
                """
            #expect(try await app.send(.POST, "/api/v1/plateaux", json: body, as: .anonymous).status == .unauthorized)
            let refused = try await app.send(.POST, "/api/v1/plateaux", json: body, as: f.booker)
            #expect(refused.status == .forbidden)
            #expect(refused.messages.contains("votre organisation"))
            let instance = try await TestAccounts.identity(app, .instance, instance: .caen)
            #expect(try await app.send(.POST, "/api/v1/plateaux", json: body, as: instance).status == .forbidden)
            let otherRegion = try await TestAccounts.identity(app, .regionAcademique, region: "11")
            #expect(try await app.send(.POST, "/api/v1/plateaux", json: body, as: otherRegion).status == .forbidden)
            #expect(try await PlateauRecord.query(on: app.db).count() == 1)
            // The campus team and the région of the campus may.
            #expect(try await app.send(.POST, "/api/v1/plateaux", json: body, as: f.team).status == .created)
            let region = try await TestAccounts.identity(app, .regionAcademique, region: "32")
            let updated = try await app.send(.PATCH, "/api/v1/plateaux/\(f.plateauID.lower)", json: #"{"description": "Mise à jour"}"#, as: region)
            #expect(updated.status == .ok)
            // Audit trail.
            let entries = try await AuditEntry.query(on: app.db).filter(\.$entity == "plateau").all()
            #expect(entries.count == 3)
        }
    }

    @Test("invalid platforms are refused with every field at fault and nothing written", arguments: TestDatabase.all)
    func platformValidation(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app)
            let bad = try await app.send(.POST, "/api/v1/plateaux", json: """
                {"campusId": "\(f.campus.id!.lower)", "organisationId": "\(f.entreprise.id!.lower)", "nom": "  ",
                 "horaires": {"lundi": [["08:00", "25:00"]]}, "regles": {"preavisHeures": -2}, "fermetures": [{"debut": "2026-12-24", "fin": "2026-12-20", "raison": "vacances"}],
                 "equipements": [{"nom": "Tour", "quantite": 0}], "couleur": "bleu"}
                """)
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(bad.faultyFields).isSuperset(of: ["nom", "horaires", "regles", "fermetures", "equipements[0].quantite", "couleur"]), "\(bad.faultyFields)")
            #expect(bad.isProblemJSON)
            // A company outside the campus network does not own a platform of the campus.
            let outside = try await app.send(.POST, "/api/v1/plateaux", json: """
                {"campusId": "\(f.campus.id!.lower)", "organisationId": "\(f.entreprise.id!.lower)", "nom": "Atelier", "horaires": \(PlateauFixture.hours)}
                """)
            #expect(outside.status == .unprocessableEntity)
            #expect(outside.faultyFields == ["organisationId"])
            #expect(try await PlateauRecord.query(on: app.db).count() == 1)
            #expect(try await EquipementRecord.query(on: app.db).count() == 2)
            // A change may not blank the name (found by the fuzzer: it was accepted and ignored).
            for blank in [#""""#, #""   ""#, "null"] {
                let blanked = try await app.send(.PATCH, "/api/v1/plateaux/\(f.plateauID.lower)", json: #"{"nom": \#(blank)}"#, as: f.owner)
                #expect(blanked.status == .unprocessableEntity && blanked.faultyFields == ["nom"], "\(blank): \(blanked.body.string)")
            }
            #expect(try await PlateauRecord.find(f.plateauID, on: app.db)?.nom == "Atelier plasturgie")
        }
    }

    @Test("a member books, the owner accepts; overlapping requests collide only once accepted; reasons are given", arguments: TestDatabase.all)
    func bookingFlow(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app)
            let made = try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "12:00", equipement: f.presseID), as: f.booker)
            #expect(made.status == .created, "\(made.body.string)")
            let first = try made.decoded(ReservationDTO.self)
            #expect(first.statut == "demandee")
            #expect(first.organisation == "CFA de l'industrie")
            #expect(made.headers.first(name: .location) == "/api/v1/reservations/\(first.id.lower)")
            // Another request for the same slot may come in while the first is not accepted.
            let second = try await app.send(.POST, "/api/v1/reservations", json: f.booking("10:00", "11:00", equipement: f.presseID), as: f.booker)
            #expect(second.status == .created)
            // Only the owner's side accepts.
            #expect(try await app.send(.POST, "/api/v1/reservations/\(first.id.lower)/acceptation", as: f.booker).status == .forbidden)
            #expect(try await FixtureCount.status(app, first.id) == "demandee")
            let accepted = try await app.send(.POST, "/api/v1/reservations/\(first.id.lower)/acceptation", as: f.owner)
            #expect(try accepted.decoded(ReservationDTO.self).statut == "acceptee")
            // The second now collides: 409 naming the first.
            let secondID = try second.decoded(ReservationDTO.self).id
            let clash = try await app.send(.POST, "/api/v1/reservations/\(secondID.lower)/acceptation", as: f.team)
            #expect(clash.status == .conflict)
            #expect(clash.problem?.detail.contains(first.id.lower) == true)
            // A new request overlapping an accepted booking is refused at once; the whole platform too; another item is free.
            let taken = try await app.send(.POST, "/api/v1/reservations", json: f.booking("11:00", "12:00", equipement: f.presseID), as: f.booker)
            #expect(taken.status == .conflict)
            #expect(taken.problem?.detail.contains(first.id.lower) == true)
            #expect(taken.problem?.detail.contains("votre réservation (Presse à injecter 80 t,") == true)
            // Another organisation is told whose booking it is, not its number alone.
            let theirs = try await app.send(.POST, "/api/v1/reservations", json: f.booking("11:00", "12:00", equipement: f.presseID), as: f.owner)
            #expect(theirs.status == .conflict)
            #expect(theirs.problem?.detail.contains("une réservation de CFA de l'industrie (Presse à injecter 80 t,") == true, "\(theirs.body.string)")
            #expect(try await app.send(.POST, "/api/v1/reservations", json: f.booking("09:00", "10:00"), as: f.booker).status == .conflict)
            #expect(try await app.send(.POST, "/api/v1/reservations", json: f.booking("09:00", "10:00", equipement: f.centreID), as: f.booker).status == .created)
            // Refusal needs a motif; then it is refused and cannot be accepted.
            let noMotif = try await app.send(.POST, "/api/v1/reservations/\(secondID.lower)/refus", json: "{}", as: f.owner)
            #expect(noMotif.status == .unprocessableEntity)
            #expect(noMotif.faultyFields == ["motif"])
            let refused = try await app.send(.POST, "/api/v1/reservations/\(secondID.lower)/refus", json: #"{"motif": "Presse déjà réservée"}"#, as: f.owner)
            #expect(try refused.decoded(ReservationDTO.self).statut == "refusee")
            #expect(try await app.send(.POST, "/api/v1/reservations/\(secondID.lower)/acceptation", as: f.owner).status == .conflict)
            // The booker cancels; the slot is free again.
            let cancelled = try await app.send(.POST, "/api/v1/reservations/\(first.id.lower)/annulation", json: #"{"motif": "Classe en stage"}"#, as: f.booker)
            #expect(try cancelled.decoded(ReservationDTO.self).statut == "annulee")
            #expect(try await app.send(.POST, "/api/v1/reservations", json: f.booking("11:00", "12:00", equipement: f.presseID), as: f.booker).status == .created)
            // Audit entries for every booking write.
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == "reservation").count() == 7)
        }
    }

    @Test("the rules refuse with every reason, and nothing is written", arguments: TestDatabase.all)
    func bookingRules(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app, extra: #", "fermetures": [{"debut": "\#(CalendarDay.today.adding(days: 14).mondayOfWeek.adding(days: 2).iso)", "fin": "\#(CalendarDay.today.adding(days: 14).mondayOfWeek.adding(days: 2).iso)", "raison": "maintenance", "motif": "Révision de la presse"}]"#)
            let outside = try await app.send(.POST, "/api/v1/reservations", json: f.booking("12:00", "13:00"), as: f.booker)
            #expect(outside.status == .unprocessableEntity)
            #expect(outside.messages.contains("heures d'ouverture"))
            let closed = try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "10:00", day: 2), as: f.booker)
            #expect(closed.status == .unprocessableEntity)
            #expect(closed.messages.contains("Révision de la presse"))
            let tooLong = try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "17:00", day: 1), as: f.booker)
            #expect(tooLong.messages.contains("durée maximale"))
            let safety = try await app.send(.POST, "/api/v1/reservations", json: """
                {"plateauId": "\(f.plateauID.lower)", "equipementId": "\(f.presseID.lower)", "debut": "\(f.at(1, "08:00"))", "fin": "\(f.at(1, "10:00"))", "objet": "formation", "participants": 4}
                """, as: f.booker)
            #expect(safety.messages.contains("formation à la sécurité"))
            let past = try await app.send(.POST, "/api/v1/reservations", json: """
                {"plateauId": "\(f.plateauID.lower)", "debut": "2020-01-06T08:00", "fin": "2020-01-06T09:00", "objet": "formation", "participants": 4}
                """, as: f.booker)
            #expect(past.messages.contains("passée"))
            // A company outside the network may not book a platform closed to companies, nor book for another organisation.
            let company = try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "10:00", day: 1), as: f.companyAccount)
            #expect(company.status == .unprocessableEntity)
            #expect(company.messages.contains("réservé aux membres du campus"))
            let forOther = try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "10:00", day: 1, extra: #", "organisationId": "\#(f.lycee.id!.lower)""#), as: f.booker)
            #expect(forOther.status == .forbidden)
            // Wrong types and unknown fields.
            let wrong = try await app.send(.POST, "/api/v1/reservations", json: """
                {"plateauId": "x", "debut": "lundi", "fin": "2026-13-01T08:00", "objet": "fete", "participants": "douze", "couleur": 1}
                """, as: f.booker)
            #expect(wrong.status == .unprocessableEntity)
            #expect(Set(wrong.faultyFields).isSuperset(of: ["plateauId", "debut", "objet", "participants", "couleur"]), "\(wrong.faultyFields)")
            #expect(try await PlateauFixture.count(app) == 0)
        }
    }

    @Test("100 concurrent requests for one slot: exactly one wins, the others get 409 naming it", arguments: TestDatabase.all)
    func concurrentBookings(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app, approval: false)
            let statuses = try await withThrowingTaskGroup(of: (HTTPStatus, String).self) { group in
                for index in 0..<100 {
                    // Every request overlaps every other: the same item or the whole platform, 09:00–11:00 ± minutes.
                    let from = String(format: "09:%02d", index % 30), equipement: UUID? = index % 3 == 0 ? nil : f.presseID
                    let body = f.booking(from, "11:00", equipement: equipement)
                    group.addTask {
                        let response = try await app.send(.POST, "/api/v1/reservations", json: body, as: f.booker)
                        return (response.status, response.body.string)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let won = statuses.filter { $0.0 == .created }
            #expect(won.count == 1, "\(Dictionary(grouping: statuses, by: { $0.0.code }).mapValues(\.count))")
            #expect(statuses.filter { $0.0 == .conflict }.count == 99, "\(statuses.filter { $0.0 != .conflict && $0.0 != .created }.prefix(3))")
            let winner = try #require(try await ReservationRecord.query(on: app.db).first())
            #expect(statuses.filter { $0.0 == .conflict }.allSatisfy { $0.1.contains(winner.id!.lower) })
            #expect(try await PlateauFixture.count(app) == 1)
            #expect(try await PlateauFixture.count(app, status: .acceptee) == 1)
        }
    }

    @Test("100 concurrent acceptances of overlapping requests: exactly one is accepted", arguments: TestDatabase.all)
    func concurrentAcceptances(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app)
            var ids: [UUID] = []
            for index in 0..<100 {
                let response = try await app.send(.POST, "/api/v1/reservations", json: f.booking(String(format: "14:%02d", index % 40), "16:00", day: 1), as: f.booker)
                ids.append(try response.decoded(ReservationDTO.self).id)
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for id in ids {
                    group.addTask { try await app.send(.POST, "/api/v1/reservations/\(id.lower)/acceptation", as: f.owner).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 99, "\(Dictionary(grouping: statuses, by: \.code).mapValues(\.count))")
            #expect(try await PlateauFixture.count(app, status: .acceptee) == 1)
            #expect(try await PlateauFixture.count(app, status: .demandee) == 99)
        }
    }

    @Test("the database itself refuses overlapping accepted bookings (whole platform vs items), not different items", arguments: TestDatabase.all)
    func databaseConstraint(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app, approval: false)
            let sql = app.db as! any SQLDatabase
            let person = UUID()
            func insert(_ rank: Int?, _ equipement: UUID?, _ from: Int, _ to: Int, status: String = "acceptee") async throws {
                let base = LocalDateTime(day: f.monday, time: .midnight).wallClockMinutes
                try await sql.insert(into: "reservations")
                    .columns("id", "plateau_id", "equipement_id", "equipement_rang", "organisation_id", "personne_id", "personne", "debut", "fin",
                             "objet", "participants", "formation_securite_confirmee", "statut")
                    .values(SQLBind(UUID()), SQLBind(f.plateauID), SQLBind(equipement), SQLBind(rank), SQLBind(f.cfa.id!), SQLBind(person),
                            SQLBind("test"), SQLBind(base + from), SQLBind(base + to), SQLBind("formation"), SQLBind(3), SQLBind(true), SQLBind(status))
                    .run()
            }
            try await insert(1, f.presseID, 600, 660)
            try await insert(2, f.centreID, 600, 660)  // another item: fine
            try await insert(1, f.presseID, 660, 720)  // touching: fine
            try await insert(nil, nil, 600, 660, status: "demandee")  // a request does not hold the slot
            await #expect(throws: (any Error).self) { try await insert(1, f.presseID, 630, 640) }
            await #expect(throws: (any Error).self) { try await insert(nil, nil, 500, 601) }
            do { try await insert(nil, nil, 500, 601) } catch { #expect(BookingService.isOverlap(error), "\(String(reflecting: error))") }
            // Accepting the request by a raw update is refused too.
            await #expect(throws: (any Error).self) {
                try await sql.update("reservations").set("statut", to: "acceptee").where("statut", .equal, "demandee").run()
            }
            #expect(try await PlateauFixture.count(app, status: .acceptee) == 3)
        }
    }

    @Test("weekly series: all or nothing lists every failing week; skipping books the others", arguments: TestDatabase.all)
    func series(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app, approval: false)
            // Week 2 taken.
            #expect(try await app.send(.POST, "/api/v1/reservations", json: f.booking("09:00", "10:00", day: 7, equipement: f.presseID), as: f.booker).status == .created)
            let series = f.booking("08:00", "12:00", day: 0, equipement: f.presseID, extra: #", "semaines": 4"#)
            let rejected = try await app.send(.POST, "/api/v1/reservations/serie", json: series, as: f.booker)
            #expect(rejected.status == .conflict)
            #expect(rejected.faultyFields.isEmpty)
            #expect(rejected.messages.contains("Semaine 2"))
            #expect(try await PlateauFixture.count(app) == 1)
            let skipping = try await app.send(.POST, "/api/v1/reservations/serie",
                                              json: f.booking("08:00", "12:00", day: 0, equipement: f.presseID, extra: #", "semaines": 4, "politique": "sans-les-conflits""#), as: f.booker)
            #expect(skipping.status == .created, "\(skipping.body.string)")
            let result = try skipping.decoded(SerieDTO.self)
            #expect(result.reservations.count == 3)
            #expect(result.ignorees.map(\.semaine) == [2])
            #expect(Set(result.reservations.compactMap(\.serieId)) == [result.serieId])
            let tooMany = try await app.send(.POST, "/api/v1/reservations/serie", json: f.booking("08:00", "12:00", extra: #", "semaines": 60"#), as: f.booker)
            #expect(tooMany.faultyFields == ["semaines"])
            #expect(try await PlateauFixture.count(app) == 4)
        }
    }

    @Test("the public sees availability and the anonymous calendar, never who booked", arguments: TestDatabase.all)
    func publicReads(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app, approval: false)
            let made = try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "10:00", day: 1, equipement: f.presseID, extra: #", "details": "Bac pro plasturgie""#), as: f.booker)
            let booking = try made.decoded(ReservationDTO.self)
            let availability = try await app.send(.GET, "/api/v1/plateaux/\(f.plateauID.lower)/disponibilites?du=\(f.monday.iso)&au=\(f.monday.adding(days: 6).iso)", as: .anonymous)
            #expect(availability.status == .ok)
            let days = try availability.decoded(DisponibilitesDTO.self)
            #expect(days.jours.count == 7)
            #expect(days.jours[0].ouverture == [["08:00", "12:00"], ["13:00", "18:00"]])
            #expect(days.jours[1].occupe.map(\.debut) == [f.at(1, "08:00")])
            #expect(days.jours[1].libre == [["10:00", "18:00"]])
            #expect(days.jours[5].ferme)
            #expect(!availability.body.string.contains("CFA de l"))
            // The item's own view: only its bookings and the platform's.
            let centre = try await app.send(.GET, "/api/v1/plateaux/\(f.plateauID.lower)/disponibilites?du=\(f.monday.adding(days: 1).iso)&au=\(f.monday.adding(days: 1).iso)&equipement=\(f.centreID.lower)", as: .anonymous)
            #expect(try centre.decoded(DisponibilitesDTO.self).jours[0].occupe.isEmpty)
            // Calendar: anonymous for the public, full for the booker (by header or by ?jeton=).
            let publicFeed = try await app.send(.GET, "/api/v1/plateaux/\(f.plateauID.lower)/calendrier.ics", as: .anonymous)
            #expect(publicFeed.headers.contentType?.description.hasPrefix("text/calendar") == true)
            #expect(publicFeed.body.string.contains("SUMMARY:Réservé"))
            #expect(!publicFeed.body.string.contains("CFA de l"))
            #expect(!publicFeed.body.string.contains("Bac pro"))
            let full = try await app.send(.GET, "/api/v1/plateaux/\(f.plateauID.lower)/calendrier.ics", as: f.booker)
            #expect(ICalendar.unfold(full.body.string).contains("CFA de l'industrie"))
            guard case .token(let token) = f.booker else { return }
            let byQuery = try await app.send(.GET, "/api/v1/organisations/\(f.cfa.id!.lower)/calendrier.ics?jeton=\(token)", as: .anonymous)
            #expect(ICalendar.unfold(byQuery.body.string).contains("Bac pro plasturgie"))
            // Reading one booking needs rights.
            #expect(try await app.send(.GET, "/api/v1/reservations/\(booking.id.lower)", as: .anonymous).status == .unauthorized)
            #expect(try await app.send(.GET, "/api/v1/reservations/\(booking.id.lower)", as: f.companyAccount).status == .forbidden)
            #expect(try await app.send(.GET, "/api/v1/reservations/\(booking.id.lower)", as: f.owner).status == .ok)
            // Lists: each sees its own.
            let mine = try await app.send(.GET, "/api/v1/reservations", as: f.booker)
            #expect(try mine.decoded(PageDTO<ReservationDTO>.self).total == 1)
            let company = try await app.send(.GET, "/api/v1/reservations", as: f.companyAccount)
            #expect(try company.decoded(PageDTO<ReservationDTO>.self).total == 0)
        }
    }

    @Test("usage statistics: hours by organisation and purpose, occupancy by month, per platform and per campus", arguments: TestDatabase.all)
    func statistics(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app, approval: false)
            _ = try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "12:00", day: 1, equipement: f.presseID), as: f.booker)
            _ = try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "10:00", day: 1, equipement: f.centreID, objet: "prototype-entreprise"), as: f.owner)
            let month = CalendarMonth(containing: f.monday.adding(days: 1)).iso
            let response = try await app.send(.GET, "/api/v1/plateaux/\(f.plateauID.lower)/statistiques?du=\(month)&au=\(month)", as: .anonymous)
            #expect(response.status == .ok, "\(response.body.string)")
            let stats = try response.decoded(StatistiquesDTO.self)
            #expect(stats.mois.count == 1)
            #expect(stats.total.heuresReservees == 6)
            #expect(stats.total.heuresOccupees == 4)
            #expect(stats.total.parOrganisation.map(\.organisation) == ["CFA de l'industrie", "Lycée Jean Moulin"])
            #expect(stats.total.parOrganisation.map(\.heures) == [4, 2])
            let campus = try await app.send(.GET, "/api/v1/campus/\(f.campus.id!.lower)/plateaux/statistiques?du=\(month)", as: .anonymous)
            #expect(try campus.decoded(StatistiquesDTO.self).total.heuresReservees == 6)
            #expect(try campus.decoded(StatistiquesDTO.self).mois.count == 6)
            let bad = try await app.send(.GET, "/api/v1/plateaux/\(f.plateauID.lower)/statistiques?du=2026-13&au=2020-01", as: .anonymous)
            #expect(bad.status == .unprocessableEntity)
        }
    }
}

extension TestingHTTPResponse {
    /// The problem's detail and every field's detail, in one text.
    var messages: String {
        ([problem?.detail ?? ""] + (problem?.errors?.map(\.detail) ?? [])).joined(separator: "\n")
    }
}

@Suite("Bookings and personal data")
struct PlateauxPersonalDataTests {
    @Test("a person's export lists the bookings they made; deletion keeps the bookings and pseudonymises their name", arguments: TestDatabase.all)
    func personalData(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app)
            #expect(try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "10:00", equipement: f.presseID), as: f.booker).status == .created)
            let user = try #require(try await User.query(on: app.db).filter(\.$organisationID == f.cfa.id!).first())
            let export = try await PersonalData(db: app.db).export(email: user.email)
            #expect(export.reservations.map(\.plateau) == ["Atelier plasturgie"])
            #expect(export.reservations.first?.debut == f.at(0, "08:00"))
            let summary = try await PersonalData(db: app.db).delete(email: user.email, caller: .command("rgpd delete"))
            #expect(summary.pseudonymisedBookings == 1)
            let booking = try #require(try await ReservationRecord.query(on: app.db).first())
            #expect(booking.personne == PersonalData.pseudonym(for: user.email))
            #expect(try await ReservationRecord.query(on: app.db).count() == 1)
        }
    }
}

enum FixtureCount {
    static func status(_ app: Application, _ id: UUID) async throws -> String? {
        try await ReservationRecord.find(id, on: app.db)?.statut.rawValue
    }
}
