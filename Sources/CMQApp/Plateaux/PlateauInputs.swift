import CMQDomain
import Foundation

// The bodies of the platforms' requests, read and checked field by field (API bodies and page forms alike).

extension PlateauService.Input {
    /// Reads a platform's fields from a JSON body or a form (opening hours, closures and rules as JSON in the API).
    static func read(_ reader: inout InputReader, creating: Bool) -> PlateauService.Input {
        var input = PlateauService.Input()
        if creating {
            input.campusID = reader.uuid("campusId", required: true).value
            input.organisationID = reader.uuid("organisationId", required: true).value
        }
        let nom = reader.text("nom", required: creating, maxLength: 200)
        if case .set(let text) = nom, (text ?? "").isEmpty {
            // A platform always has a name: a change may not blank it (an absent "nom" leaves it as it is).
            reader.fail("nom", "Le nom du plateau ne peut pas être vide.")
        }
        input.nom = nom.value
        if case .set(let text) = reader.text("description", maxLength: 5_000) { input.description = text ?? "" }
        if case .set(let text) = reader.text("adresse", maxLength: 300) { input.adresse = text ?? "" }
        input.horaires = reader.decoded("horaires", OpeningHours.self, required: creating).value
        if case .set(let closures) = reader.decoded("fermetures", [Closure].self) { input.fermetures = closures ?? [] }
        input.regles = reader.decoded("regles", PlateauRules.self, knownKeys: ["validation", "preavisHeures", "dureeMaximaleMinutes", "ouvertA"]).value
        if case .set(let items) = reader.objects("equipements", nullEmpties: true, readElement: PlateauService.EquipementInput.read) { input.equipements = items }
        return input
    }
}

extension PlateauService.EquipementInput {
    /// An item of equipment: its name, category, quantity and whether it needs a safety training.
    static func read(_ reader: inout InputReader) -> PlateauService.EquipementInput? {
        let id = reader.uuid("id").value
        let nom = reader.text("nom", required: true, maxLength: 200).value
        let categorie = reader.text("categorie", maxLength: 100).value
        let quantite = reader.integer("quantite", range: 1...1_000).value
        let securite = reader.bool("formationSecurite").value
        guard let nom = nom else { return nil }
        return PlateauService.EquipementInput(id: id, nom: nom, categorie: categorie ?? "", quantite: quantite ?? 1,
                                              formationSecurite: securite ?? false)
    }
}

extension BookingService.Request {
    /// A booking from the API: the platform or one item, the start and end (local date-times), the purpose.
    static func read(_ reader: inout InputReader) -> BookingService.Request? {
        let plateau = reader.uuid("plateauId", required: true).value
        let equipement = reader.uuid("equipementId").value
        let organisation = reader.uuid("organisationId").value
        let debut = reader.text("debut", required: true, maxLength: 16).value
        let fin = reader.text("fin", required: true, maxLength: 16).value
        let objet = reader.choice("objet", BookingPurpose.self, required: true).value
        let participants = reader.integer("participants", required: true, range: 1...10_000).value
        let details = reader.text("details", maxLength: 2_000).value
        let securite = reader.bool("formationSecuriteConfirmee").value
        func moment(_ key: String, _ text: String?) -> LocalDateTime? {
            guard let text = text else { return nil }
            do { return try LocalDateTime(iso: text) } catch { reader.fail(key, error.message); return nil }
        }
        var creneau: TimeRange?
        if let start = moment("debut", debut), let end = moment("fin", fin) {
            do { creneau = try TimeRange(start: start, end: end) } catch { reader.fail("fin", error.message) }
        }
        guard let plateauID = plateau, let creneau, let purpose = objet, let count = participants else { return nil }
        return BookingService.Request(plateauID: plateauID, target: equipement.map(BookingTarget.equipement) ?? .plateau,
                                      creneau: creneau, purpose: purpose, participants: count, details: details,
                                      safetyTrainingConfirmed: securite ?? false, organisationID: organisation)
    }

    /// What the booking form of a platform's page asks: a day and two times (not date-times), and how many weeks.
    struct FormInput: Sendable {
        var request: BookingService.Request
        var weeks: Int?
        var policy: SeriesPolicy?
    }

    /// Reads the booking form of a platform's page; every fault beside its field.
    static func readForm(_ reader: inout InputReader, plateauID: UUID) throws(AppError) -> FormInput {
        let organisation = reader.uuid("organisationId").value
        let equipement = reader.uuid("equipement").value
        let day = reader.day("jour", required: true).value
        let start = reader.text("debut", required: true, maxLength: 8).value
        let end = reader.text("fin", required: true, maxLength: 8).value
        let purpose = reader.choice("objet", BookingPurpose.self, required: true).value
        let participants = reader.integer("participants", required: true, range: 1...10_000).value
        let details = reader.text("details", maxLength: 2_000).value
        let safety = reader.bool("formationSecuriteConfirmee").value
        let weeks = reader.integer("semaines", range: 1...PlateauError.maximumSeriesWeeks).value
        let policy = reader.choice("politique", SeriesPolicy.self).value
        var creneau: TimeRange?
        if let day = day, let start = start, let end = end {
            do throws(PlateauError) {
                creneau = try TimeRange(day: day, from: PlateauPagesController.minutes(start), to: PlateauPagesController.minutes(end))
            } catch {
                if case .invalidTime(let text) = error, text == PlateauPagesController.minutes(start) {
                    reader.fail("debut", error.message)
                } else {
                    reader.fail("fin", error.message)
                }
            }
        }
        try reader.finish()
        guard let creneau, let purpose = purpose, let participants = participants else { throw AppError.validation([]) }
        let request = BookingService.Request(
            plateauID: plateauID, target: equipement.map(BookingTarget.equipement) ?? .plateau, creneau: creneau, purpose: purpose,
            participants: participants, details: details, safetyTrainingConfirmed: safety ?? false, organisationID: organisation)
        return FormInput(request: request, weeks: weeks, policy: policy)
    }
}
