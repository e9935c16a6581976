@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// `/gestion` shows each role what waits for it: booking requests on the platforms it looks after, its own
/// requests, the dossiers at its step, the labels of its campuses expiring within twelve months; and only the
/// links it may use.
@Suite("Back-office home per role")
struct BackOfficeHomeTests {
    static func blocks(_ html: String) -> [String: Int] {
        var found: [String: Int] = [:]
        let pattern = #/<span class="waiting-count">(\d+)</span> ([^<]+)</h3>/#
        for match in html.matches(of: pattern) { found[String(match.output.2)] = Int(match.output.1) }
        return found
    }

    @Test("the owner, the campus team and the booker each see the requests that concern them", arguments: TestDatabase.all)
    func bookings(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app)
            let made = try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "12:00", equipement: f.presseID), as: f.booker)
            #expect(made.status == .created)
            let id = try made.decoded(ReservationDTO.self).id

            let owner = try await app.send(.GET, "/gestion", as: f.owner).body.string
            #expect(Self.blocks(owner)["Demandes de réservation à traiter"] == 1)
            #expect(owner.contains("/gestion/reservations#reservation-\(id.lower)") && owner.contains("demandé par CFA de l&#39;industrie"))
            #expect(owner.contains("Mon organisation : Lycée Jean Moulin"))
            let team = try await app.send(.GET, "/gestion", as: f.team).body.string
            #expect(Self.blocks(team)["Demandes de réservation à traiter"] == 1)
            #expect(team.contains("Mon campus : Métallurgie et plasturgie") && team.contains("Gérer le réseau de mon campus"))
            // The booker does not decide: it sees its own request waiting, and no dossier block (members have none).
            let booker = try await app.send(.GET, "/gestion", as: f.booker).body.string
            #expect(Self.blocks(booker)["Demandes de réservation à traiter"] == nil)
            #expect(Self.blocks(booker)["Vos demandes de réservation en attente"] == 1)
            #expect(!booker.contains("Dossiers de labellisation qui attendent") && !booker.contains(#"href="/gestion/dossiers""#))
            #expect(!booker.contains("Journal des modifications"))

            // Once accepted, nothing waits any more.
            #expect(try await app.send(.POST, "/api/v1/reservations/\(id.lower)/acceptation", as: f.owner).status == .ok)
            #expect(Self.blocks(try await app.send(.GET, "/gestion", as: f.owner).body.string)["Demandes de réservation à traiter"] == 0)
            #expect(Self.blocks(try await app.send(.GET, "/gestion", as: f.booker).body.string)["Vos demandes de réservation en attente"] == 0)
        }
    }

    @Test("the national administrator waits for decisions, sees expiring labels and the journal; an instance for its opinions", arguments: TestDatabase.all)
    func dossiersAndLabels(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            // A dossier deposited for the 2019 referentiel: its first step is an opinion.
            let region = try await TestAccounts.identity(app, .regionAcademique, region: "32")
            let created = try await app.send(.POST, "/api/v1/dossiers", json: #"{"campusId": "\#(campus.id!.lower)", "referentiel": "2019", "nature": "creation"}"#, as: region)
            #expect(created.status == .created, "\(created.body.string)")
            let dossierID = try created.decoded(DossierDTO.self).id
            let regionHome = try await app.send(.GET, "/gestion", as: region).body.string
            #expect(Self.blocks(regionHome)["Dossiers de labellisation qui attendent votre action"] == 1)
            #expect(regionHome.contains("/gestion/dossiers/\(dossierID.lower)") && regionHome.contains("à déposer"))
            #expect(regionHome.contains("Ma région académique : Hauts-de-France"))

            // A label that ends in four months.
            let label = LabelRecord()
            label.$campus.id = try campus.requireID()
            label.$dossier.id = dossierID
            label.debut = CalendarDay.today.adding(months: -44).iso
            label.duree = 4
            label.fin = CalendarDay.today.adding(months: 4).iso
            label.excellence = false
            label.referentiel = "2019"
            try await label.create(on: app.db)
            let admin = try await app.send(.GET, "/gestion").body.string
            #expect(Self.blocks(admin)["Labels qui expirent dans les douze mois"] == 1)
            #expect(admin.contains("Journal des modifications"))
            #expect(Self.blocks(admin)["Demandes d&#39;accès à examiner"] == 0 || Self.blocks(admin)["Demandes d'accès à examiner"] == 0)
            // A draft waits for the région, not for the administrator.
            #expect(Self.blocks(admin)["Dossiers de labellisation qui attendent votre action"] == 0)
            // An instance has no campus, hence no label block; the CAEN waits for nothing on a draft.
            let caen = try await TestAccounts.identity(app, .instance, instance: .caen)
            let caenHome = try await app.send(.GET, "/gestion", as: caen).body.string
            #expect(Self.blocks(caenHome)["Labels qui expirent dans les douze mois"] == nil)
            #expect(Self.blocks(caenHome)["Dossiers de labellisation qui attendent votre action"] == 0)
            #expect(!caenHome.contains("Journal des modifications") && !caenHome.contains("Demandes d"))
        }
    }
}
