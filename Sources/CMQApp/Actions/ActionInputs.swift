import CMQDomain
import Foundation

/// The bodies of the actions' API, read field by field: an action (the form's field names, lists as arrays, timings
/// as `{"debut", "fin"}` in Paris time), a participation, a registration.
enum ActionInput {
    /// The draft of a create (or of a PATCH laid over the action's current fields), or nil with the reader's faults.
    static func read(_ reader: inout InputReader) -> ActionDraft? {
        let horaires = reader.objects("horaires") { (timing: inout InputReader) -> TimeRange? in
            let start = timing.text("debut", required: true, maxLength: 16).value
            let end = timing.text("fin", required: true, maxLength: 16).value
            guard let start, let end else { return nil }
            do {
                return try TimeRange(iso: start, end)
            } catch {
                timing.fail("debut", "« \(start) » – « \(end) » n'est pas un horaire : écrivez par exemple « 2027-02-13T09:00 » et « 2027-02-13T17:00 » (heure de Paris), la fin après le début.")
                return nil
            }
        }.newValue ?? []
        var lists = ActionForm.Lists()
        lists.audiences = Set(choices("audiences", ActionAudience.self, &reader))
        lists.accessibilite = Set(choices("accessibilite", Disability.self, &reader))
        if let numbers = reader.decoded("niveaux", [Int].self).value {
            for number in numbers {
                if let level = Level(number: number) { lists.niveaux.insert(level) } else {
                    reader.fail("niveaux", "Le niveau \(number) n'existe pas : les niveaux vont de 3 à 8.")
                }
            }
        }
        lists.organisateurs = ids("organisateurs", &reader)
        lists.partenaires = ids("partenaires", &reader)
        lists.formations = ids("formations", &reader)
        lists.plateaux = ids("plateaux", &reader)
        return ActionForm.fields(&reader, horaires: horaires, lists: lists)
    }

    /// The fields a PATCH changes, as the action has them now (`ActionWritableDTO`).
    static func object(of draft: ActionDraft) throws -> [String: JSONValue] {
        let value = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(ActionWritableDTO(draft)))
        guard case .object(let object) = value else { return [:] }
        return object
    }

    private static func choices<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, _ reader: inout InputReader) -> [E] where E.RawValue == String {
        var result: [E] = []
        for text in reader.texts(key, maxCount: E.allCases.count).newValue ?? [] {
            if let value = E(rawValue: text) { result.append(value) } else {
                reader.fail(key, "« \(text) » n'est pas permis dans « \(key) » : \(E.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }
        return result
    }

    private static func ids(_ key: String, _ reader: inout InputReader) -> [UUID] {
        var result: [UUID] = []
        for text in reader.texts(key, maxCount: ActionRules.maximumLinks).newValue ?? [] {
            if let id = UUID(uuidString: text) { result.append(id) } else { reader.fail(key, "« \(text) » n'est pas un identifiant.") }
        }
        return result
    }
}

/// The participation recorded after an action: `{"participants": {"collegiens": 120}, "etablissements": […],
/// "entreprises": […], "bilan": "…"}`.
enum ParticipationInput {
    static func read(_ reader: inout InputReader) -> Participation? {
        var counts: [ActionAudience: Int] = [:]
        if let given = reader.decoded("participants", [String: Int].self, required: true).value {
            for (key, count) in given {
                guard let audience = ActionAudience(rawValue: key) else {
                    reader.fail("participants.\(key)", "« \(key) » n'est pas un public : \(ActionAudience.allCases.map(\.rawValue).joined(separator: ", ")).")
                    continue
                }
                counts[audience] = count
            }
        }
        let etablissements = reader.texts("etablissements", maxCount: Participation.maximumNames).newValue ?? []
        let entreprises = reader.texts("entreprises", maxCount: Participation.maximumNames).newValue ?? []
        let bilan = reader.text("bilan", maxLength: ActionRules.reviewMaximum * 2).value ?? ""
        guard !reader.hasErrors else { return nil }
        return Participation(counts: counts, etablissements: etablissements, entreprises: entreprises, bilan: bilan)
    }
}

/// A visitor's registration: name, e-mail, category and number of people (the form and the API alike).
struct RegistrationInput: Sendable {
    var name: String
    var email: String
    var category: RegistrantCategory
    var people: Int

    static func read(_ reader: inout InputReader) -> RegistrationInput? {
        let name = reader.text("nom", required: true, maxLength: RegistrationRules.nameMaximum).value
        let email = reader.text("courriel", required: true, maxLength: 254).value
        let category = reader.choice("categorie", RegistrantCategory.self, required: true).value
        let people = reader.integer("personnes", required: true, range: 1...RegistrationRules.maximumPeople).value
        guard let name, let email, let category, let people else { return nil }
        return RegistrationInput(name: name, email: email, category: category, people: people)
    }
}
