@testable import CMQApp
import CMQDomain
import Fluent
import Foundation
import Testing
import VaporTesting

/// The journal reads as French: field names, names instead of identifiers, labels instead of codes; each entry
/// links to its item; it filters by dates and exports as CSV with the same filters; only the national
/// administrator reads it.
@Suite("Readable audit trail")
struct AuditJournalTests {
    @Test("an entry's changes are the JSON Foundation's encoder writes: keys sorted, slashes kept, absent values left out")
    func changesJSON() throws {
        let changes: [String: FieldChange] = [
            "niveauSortie": FieldChange(avant: "5", apres: "6"), "lien": FieldChange(avant: nil, apres: "https://www.onisep.fr/a/b"),
            "description": FieldChange(avant: "Ligne 1\nLigne 2\t« guillemets » \"cités\" \\ \u{1} \u{7F} \u{2028} œ", apres: nil),
            "Intitule": FieldChange(avant: "", apres: "é"), "a_b": FieldChange(avant: nil, apres: nil), "aB": FieldChange(avant: "x", apres: "y"),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for subset in [changes, [:], ["lien": changes["lien"]!]] {
            #expect(AuditLog.json(subset) == String(decoding: try encoder.encode(subset), as: UTF8.self))
        }
    }

    @Test("field labels, names and value labels; a link to the item", arguments: TestDatabase.all)
    func readable(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let f = try await PlateauFixture.make(app)
            let made = try await app.send(.POST, "/api/v1/reservations", json: f.booking("08:00", "12:00", equipement: f.presseID), as: f.booker)
            let id = try made.decoded(ReservationDTO.self).id
            #expect(try await app.send(.POST, "/api/v1/reservations/\(id.lower)/acceptation", as: f.owner).status == .ok)
            let html = try await app.send(.GET, "/gestion/journal?entite=reservation").body.string
            #expect(html.contains("<strong>Statut</strong> : Demandée → Acceptée"))
            #expect(html.contains("<strong>Organisation</strong> : — → CFA de l&#39;industrie"))
            #expect(html.contains("<strong>Plateau technique</strong> : — → Atelier plasturgie"))
            #expect(!html.contains(f.cfa.id!.lower) || html.contains("#reservation-"))
            #expect(html.contains(#"<a href="/gestion/reservations#reservation-\#(id.lower)">"#))
            #expect(html.contains("Réservation « "))
            let joined = try await app.send(.POST, "/api/v1/campus/\(f.campus.id!.lower)/membres", json: #"{"organisationId": "\#(f.entreprise.id!.lower)", "role": "partenaire"}"#)
            #expect(joined.status == .created)
            let campusEntries = try await app.send(.GET, "/gestion/journal?entite=membre").body.string
            #expect(campusEntries.contains("<strong>Rôle</strong> : — → \(MembershipRole.partenaire.label)"))
            #expect(campusEntries.contains("<strong>Campus</strong> : — → Métallurgie et plasturgie"))
            #expect(campusEntries.contains(#"href="/campus/\#(f.campus.id!.lower)""#))
        }
    }

    @Test("dates filter, CSV export with the same filters, refusals", arguments: TestDatabase.all)
    func filtersAndExport(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            #expect(try await app.send(.PATCH, "/api/v1/campus/\(campus.id!.lower)", json: #"{"description": "Une ligne; avec \"guillemets\""}"#).status == .ok)
            let today = CalendarDay.today
            let inRange = try await app.send(.GET, "/gestion/journal?du=\(today.adding(days: -1).iso)&au=\(today.iso)").body.string
            #expect(inRange.contains("1 entrée(s)") && inRange.contains("journal.csv?au=\(today.iso)&amp;du="))
            let before = try await app.send(.GET, "/gestion/journal?au=\(today.adding(days: -2).iso)").body.string
            #expect(before.contains("0 entrée(s)"))
            #expect(try await app.send(.GET, "/gestion/journal?du=hier").status == .unprocessableEntity)
            #expect(try await app.send(.GET, "/gestion/journal?entite=inconnu").status == .unprocessableEntity)

            let csv = try await app.send(.GET, "/gestion/journal.csv?entite=campus")
            #expect(csv.status == .ok && csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            let lines = csv.body.string.split(whereSeparator: \.isNewline)
            #expect(lines.first == "\u{FEFF}date;auteur;action;element;libelle;champ;avant;apres")
            #expect(lines.contains { $0.contains(#";Description;—;"Une ligne; avec ""guillemets"""#) })
            #expect(try await app.send(.GET, "/gestion/journal.csv?entite=plateau").body.string.split(whereSeparator: \.isNewline).count == 1)

            let region = try await TestAccounts.identity(app, .regionAcademique, region: "32")
            #expect(try await app.send(.GET, "/gestion/journal.csv", as: region).status == .forbidden)
            #expect(try await app.send(.GET, "/gestion/journal.csv", as: .anonymous).status == .seeOther)
        }
    }
}
