import CMQDomain
import Foundation

/// The action form of the back-office, read into an `ActionDraft`: the timings one per line ("2027-02-13 09:00 17:00",
/// or two date-times "2027-02-13T20:00 2027-02-14T02:00"), the audiences, levels, accessibility and organisations
/// as checkboxes. Every fault is reported against its field, with the line it is on.
enum ActionForm {
    /// The organisations of the campus's network the form offers (organisers, partners, place).
    struct Member: Sendable { var id: UUID; var nom: String }

    static func audienceField(_ audience: ActionAudience) -> String { "public-\(audience.rawValue)" }
    static func levelField(_ level: Level) -> String { "niveau-\(level.number)" }
    static func disabilityField(_ disability: Disability) -> String { "accessibilite-\(disability.rawValue)" }
    static func organiserField(_ id: UUID) -> String { "organisateur-\(id.uuidString.lowercased())" }
    static func partnerField(_ id: UUID) -> String { "partenaire-\(id.uuidString.lowercased())" }

    /// The form filled with a stored action.
    static func values(of draft: ActionDraft) -> FormValues {
        var fields = [
            "titre": draft.titre, "resume": draft.resume, "description": draft.description, "type": draft.type.rawValue,
            "filiere": draft.filiere ?? "", "horaires": draft.horaires.map(line).joined(separator: "\n"),
            "lieuType": draft.lieu.kind.rawValue, "inscription": draft.inscription.mode.rawValue,
            "imageURL": draft.imageURL ?? "", "imageAlt": draft.imageAlt ?? "", "statut": draft.statut.rawValue, "motifStatut": draft.motifStatut ?? "",
        ]
        switch draft.lieu {
        case .organisation(let id): fields["organisationLieu"] = id.uuidString.lowercased()
        case .adresse(let address):
            fields["nomLieu"] = address.label; fields["adresse"] = address.street; fields["codePostal"] = address.postcode
            fields["commune"] = address.commune; fields["codeInsee"] = address.inseeCode
            fields["latitude"] = String(address.latitude); fields["longitude"] = String(address.longitude)
        case .enLigne(let url): fields["lienEnLigne"] = url
        }
        switch draft.inscription {
        case .aucune: break
        case .lien(let url): fields["inscriptionLien"] = url
        case .courriel(let email): fields["inscriptionCourriel"] = email
        case .cmq(let capacity): fields["capacite"] = String(capacity)
        }
        for audience in draft.audiences { fields[audienceField(audience)] = "on" }
        for level in draft.niveaux { fields[levelField(level)] = "on" }
        for disability in draft.accessibilite { fields[disabilityField(disability)] = "on" }
        for id in draft.organisateurs { fields[organiserField(id)] = "on" }
        for id in draft.partenaires { fields[partnerField(id)] = "on" }
        return FormValues(fields: fields)
    }

    static func line(_ timing: TimeRange) -> String {
        timing.start.day == timing.end.day || (timing.end.time == .midnight && timing.start.day.nextDay == timing.end.day)
            ? "\(timing.start.day.iso) \(timing.start.time.text) \(timing.end.time == .midnight ? "24:00" : timing.end.time.text)"
            : "\(timing.start.iso) \(timing.end.iso)"
    }

    /// The draft, or every fault of the form.
    static func read(_ values: FormValues, members: [Member]) throws(AppError) -> ActionDraft {
        var reader = InputReader(form: values.fields, mode: .create)
        let horaires = timings(values.fields["horaires"] ?? "", into: &reader)
        func checked(_ name: String) -> Bool { FormState.checkedValues.contains((values.fields[name] ?? "").lowercased()) }
        let lists = Lists(audiences: Set(ActionAudience.allCases.filter { checked(audienceField($0)) }),
                          niveaux: Set(Level.allCases.filter { checked(levelField($0)) }),
                          accessibilite: Set(Disability.allCases.filter { checked(disabilityField($0)) }),
                          organisateurs: members.filter { checked(organiserField($0.id)) }.map(\.id),
                          partenaires: members.filter { checked(partnerField($0.id)) }.map(\.id))
        let draft = fields(&reader, horaires: horaires, lists: lists)
        try reader.finish(ignoring: Set(values.fields.keys))
        guard let draft else { throw AppError.validation([]) }
        return draft
    }

    /// What the form gives as checkboxes and the API as arrays.
    struct Lists {
        var audiences: Set<ActionAudience> = []
        var niveaux: Set<Level> = []
        var accessibilite: Set<Disability> = []
        var organisateurs: [UUID] = []
        var partenaires: [UUID] = []
        var formations: [UUID] = []
        var plateaux: [UUID] = []
    }

    /// The fields the form and the API name alike (`titre`, `lieuType`, `capacite`…), read from `reader`; nil when a
    /// required choice is missing (the reader holds the faults).
    static func fields(_ reader: inout InputReader, horaires: [TimeRange], lists: Lists) -> ActionDraft? {
        let titre = reader.text("titre", maxLength: ActionRules.titleMaximum * 2).value ?? ""
        let resume = reader.text("resume", maxLength: ActionRules.summaryMaximum * 2).value ?? ""
        let description = reader.text("description", maxLength: ActionRules.descriptionMaximum).value ?? ""
        let type = reader.choice("type", ActionType.self, required: true).value
        let filiere = reader.choice("filiere", Filiere.self).value
        let lieuType = reader.choice("lieuType", ActionPlaceKind.self, required: true).value
        let organisationLieu = reader.uuid("organisationLieu").value
        let nomLieu = reader.text("nomLieu", maxLength: 300).value ?? ""
        let adresse = reader.text("adresse", maxLength: 400).value ?? ""
        let codePostal = reader.text("codePostal", maxLength: 10).value ?? ""
        let commune = reader.text("commune", maxLength: 300).value ?? ""
        let codeInsee = reader.text("codeInsee", maxLength: 10).value ?? ""
        let latitude = reader.number("latitude", range: -90...90).value
        let longitude = reader.number("longitude", range: -180...180).value
        let lienEnLigne = reader.text("lienEnLigne", maxLength: ActionRules.urlMaximum).value ?? ""
        let inscription = reader.choice("inscription", RegistrationMode.self, required: true).value
        let inscriptionLien = reader.text("inscriptionLien", maxLength: ActionRules.urlMaximum).value ?? ""
        let inscriptionCourriel = reader.text("inscriptionCourriel", maxLength: 254).value ?? ""
        let capacite = reader.integer("capacite", range: 1...ActionRules.maximumCapacity).value
        let imageURL = reader.text("imageURL", maxLength: ActionRules.urlMaximum).value
        let imageAlt = reader.text("imageAlt", maxLength: 400).value
        let statut = reader.choice("statut", ActionStatus.self).value ?? .programme
        let motif = reader.text("motifStatut", maxLength: 1_000).value
        if lieuType == .organisation, organisationLieu == nil { reader.fail("organisationLieu", "Choisissez l'organisation où a lieu l'action.") }
        if lieuType == .adresse, latitude == nil || longitude == nil {
            reader.fail(latitude == nil ? "latitude" : "longitude", "Indiquez la latitude et la longitude du lieu (par exemple 49.894 et 2.302).")
        }
        if inscription == .cmq, capacite == nil { reader.fail("capacite", "Indiquez la capacité (nombre de places) pour une inscription sur cmq.") }
        guard let type, let lieuType, let inscription else { return nil }
        let lieu: ActionPlace = switch lieuType {
        case .organisation: .organisation(organisationLieu ?? UUID())
        case .adresse: .adresse(ActionAddress(label: nomLieu, street: adresse, postcode: codePostal, commune: commune, inseeCode: codeInsee,
                                               latitude: latitude ?? 0, longitude: longitude ?? 0))
        case .enLigne: .enLigne(url: lienEnLigne)
        }
        let registration: ActionRegistration = switch inscription {
        case .aucune: .aucune
        case .lien: .lien(inscriptionLien)
        case .courriel: .courriel(inscriptionCourriel)
        case .cmq: .cmq(capacity: capacite ?? 0)
        }
        return ActionDraft(titre: titre, resume: resume, description: description, type: type, audiences: lists.audiences, niveaux: lists.niveaux,
                           filiere: filiere?.rawValue, horaires: horaires, lieu: lieu, organisateurs: lists.organisateurs, partenaires: lists.partenaires,
                           formations: lists.formations, plateaux: lists.plateaux, inscription: registration, accessibilite: lists.accessibilite,
                           imageURL: imageURL, imageAlt: imageAlt, statut: statut, motifStatut: motif)
    }

    /// The timings, one per line; a line that cannot be read is reported with its number.
    static func timings(_ text: String, into reader: inout InputReader) -> [TimeRange] {
        var result: [TimeRange] = []
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if lines.count > ActionTimings.maximumCount {
            reader.fail("horaires", "Une action a au plus \(ActionTimings.maximumCount) horaires : vous en avez indiqué \(lines.count).")
            return []
        }
        for (index, line) in lines.enumerated() {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            do {
                switch parts.count {
                case 3:
                    guard let day = CalendarDay(iso: parts[0]) else { throw PlateauError.invalidLocalDateTime(parts[0]) }
                    result.append(try TimeRange(day: day, from: parts[1], to: parts[2]))
                case 2:
                    result.append(try TimeRange(iso: parts[0], parts[1]))
                default:
                    throw PlateauError.invalidLocalDateTime(line)
                }
            } catch {
                reader.fail("horaires", "Ligne \(index + 1) : « \(line) » n'est pas un horaire ; écrivez « 2027-02-13 09:00 17:00 » (jour, début, fin) ou « 2027-02-13T20:00 2027-02-14T02:00 ».")
            }
        }
        return result
    }
}
