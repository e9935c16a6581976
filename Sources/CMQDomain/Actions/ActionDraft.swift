import Foundation

/// Where an action takes place, as given by its organiser.
public enum ActionPlace: Hashable, Sendable {
    /// At a member organisation of the campus's network (its address is the organisation's).
    case organisation(UUID)
    /// At another address, with the commune's INSEE code and the coordinates of the place.
    case adresse(ActionAddress)
    /// Online.
    case enLigne(url: String)

    public var kind: ActionPlaceKind {
        switch self {
        case .organisation: .organisation
        case .adresse: .adresse
        case .enLigne: .enLigne
        }
    }
}

public struct ActionAddress: Hashable, Sendable {
    public var label: String
    public var street: String
    public var postcode: String
    public var commune: String
    public var inseeCode: String
    public var latitude: Double
    public var longitude: Double

    public init(label: String, street: String, postcode: String, commune: String, inseeCode: String, latitude: Double, longitude: Double) {
        self.label = label
        self.street = street
        self.postcode = postcode
        self.commune = commune
        self.inseeCode = inseeCode
        self.latitude = latitude
        self.longitude = longitude
    }

    /// The département of the commune: "80" for 80021, "2A" for 2A004, "971" for 97105.
    public var departementCode: String {
        inseeCode.hasPrefix("97") || inseeCode.hasPrefix("98") ? String(inseeCode.prefix(3)) : String(inseeCode.prefix(2))
    }
}

/// How one registers.
public enum ActionRegistration: Hashable, Sendable {
    case aucune
    case lien(String)
    case courriel(String)
    /// In cmq, for at most `capacity` people (a waiting list beyond).
    case cmq(capacity: Int)

    public var mode: RegistrationMode {
        switch self {
        case .aucune: .aucune
        case .lien: .lien
        case .courriel: .courriel
        case .cmq: .cmq
        }
    }

    public var capacity: Int? {
        if case .cmq(let capacity) = self { return capacity }
        return nil
    }
}

/// An action as its organiser writes it (the moderation state is changed by its own steps, not here).
public struct ActionDraft: Hashable, Sendable {
    public var titre: String
    public var resume: String
    /// The long description, in the safe Markdown subset of `SafeMarkdown`.
    public var description: String
    public var type: ActionType
    public var audiences: Set<ActionAudience>
    public var niveaux: Set<Level>
    /// The filière's code; the campus's by default.
    public var filiere: String?
    public var horaires: [TimeRange]
    public var lieu: ActionPlace
    public var organisateurs: [UUID]
    public var partenaires: [UUID]
    public var formations: [UUID]
    public var plateaux: [UUID]
    public var inscription: ActionRegistration
    public var accessibilite: Set<Disability>
    public var imageURL: String?
    public var imageAlt: String?
    public var statut: ActionStatus
    public var motifStatut: String?

    public init(titre: String, resume: String, description: String = "", type: ActionType, audiences: Set<ActionAudience>,
                niveaux: Set<Level> = [], filiere: String? = nil, horaires: [TimeRange], lieu: ActionPlace,
                organisateurs: [UUID] = [], partenaires: [UUID] = [], formations: [UUID] = [], plateaux: [UUID] = [],
                inscription: ActionRegistration = .aucune, accessibilite: Set<Disability> = [], imageURL: String? = nil,
                imageAlt: String? = nil, statut: ActionStatus = .programme, motifStatut: String? = nil) {
        self.titre = titre
        self.resume = resume
        self.description = description
        self.type = type
        self.audiences = audiences
        self.niveaux = niveaux
        self.filiere = filiere
        self.horaires = horaires
        self.lieu = lieu
        self.organisateurs = organisateurs
        self.partenaires = partenaires
        self.formations = formations
        self.plateaux = plateaux
        self.inscription = inscription
        self.accessibilite = accessibilite
        self.imageURL = imageURL
        self.imageAlt = imageAlt
        self.statut = statut
        self.motifStatut = motifStatut
    }

    /// The first timing's start, which gives the action its school year.
    public var firstStart: LocalDateTime? { horaires.map(\.start).min() }
    public var lastEnd: LocalDateTime? { horaires.map(\.end).max() }
    public var schoolYear: SchoolYear? { firstStart.map { SchoolYear(containing: $0.day) } }

    /// Every problem of the draft, field by field; empty when it may be saved.
    public var problems: [ActionFieldError] {
        var problems: [ActionFieldError] = []
        ActionRules.text(titre, field: "titre", name: "Le titre", maximum: ActionRules.titleMaximum, required: true, into: &problems)
        ActionRules.text(resume, field: "resume", name: "La description courte", maximum: ActionRules.summaryMaximum, required: true, into: &problems)
        ActionRules.text(description, field: "description", name: "La description", maximum: ActionRules.descriptionMaximum, required: false, into: &problems)
        if audiences.isEmpty { problems.append(.init("audiences", "Choisissez au moins un public.")) }
        problems += ActionTimings.problems(horaires)
        switch lieu {
        case .organisation:
            break
        case .adresse(let address):
            problems += ActionRules.problems(address)
        case .enLigne(let url):
            if let problem = ActionRules.urlProblem(url) { problems.append(.init("lienEnLigne", "Le lien de l'action en ligne : \(problem)")) }
        }
        for (field, ids) in [("organisateurs", organisateurs), ("partenaires", partenaires), ("formations", formations), ("plateaux", plateaux)]
        where ids.count > ActionRules.maximumLinks {
            problems.append(.init(field, "Au plus \(ActionRules.maximumLinks) éléments : vous en avez indiqué \(ids.count)."))
        }
        switch inscription {
        case .aucune:
            break
        case .lien(let url):
            if let problem = ActionRules.urlProblem(url) { problems.append(.init("inscriptionLien", "Le lien d'inscription : \(problem)")) }
        case .courriel(let email):
            if !ActionRules.isEmail(email) { problems.append(.init("inscriptionCourriel", "L'adresse électronique d'inscription n'est pas valide.")) }
        case .cmq(let capacity):
            if !(1...ActionRules.maximumCapacity).contains(capacity) {
                problems.append(.init("capacite", "La capacité doit être comprise entre 1 et \(ActionRules.maximumCapacity) personnes."))
            }
        }
        if let imageURL = imageURL?.trimmed.nilIfEmpty {
            if let problem = ActionRules.urlProblem(imageURL) { problems.append(.init("imageURL", "L'adresse de l'image : \(problem)")) }
            let alt = imageAlt?.trimmed ?? ""
            if alt.isEmpty { problems.append(.init("imageAlt", "Décrivez l'image (texte alternatif) pour les personnes qui ne la voient pas.")) }
            if alt.count > ActionRules.summaryMaximum {
                problems.append(.init("imageAlt", "Le texte alternatif de l'image a au plus \(ActionRules.summaryMaximum) caractères."))
            }
        } else if imageAlt?.trimmed.nilIfEmpty != nil {
            problems.append(.init("imageAlt", "Un texte alternatif sans image : indiquez l'adresse de l'image ou videz ce champ."))
        }
        let reason = motifStatut?.trimmed ?? ""
        if statut.needsReason, reason.isEmpty {
            problems.append(.init("motifStatut", "Indiquez la raison du statut « \(statut.label.lowercased()) »."))
        }
        if reason.count > ActionRules.reasonMaximum {
            problems.append(.init("motifStatut", "La raison du statut a au plus \(ActionRules.reasonMaximum) caractères."))
        }
        if statut == .deplaceEnLigne, lieu.kind != .enLigne {
            problems.append(.init("lieu", "Une action déplacée en ligne a pour lieu « en ligne », avec son lien."))
        }
        if statut == .complet, inscription.mode == .aucune {
            problems.append(.init("statut", "Une action sans inscription ne peut pas être complète."))
        }
        return problems
    }
}

/// The limits shared by the API, the forms and the domain.
public enum ActionRules {
    public static let titleMaximum = 140
    public static let summaryMaximum = 200
    public static let descriptionMaximum = 10_000
    public static let reasonMaximum = 500
    public static let reviewMaximum = 2_000
    public static let maximumLinks = 50
    public static let maximumCapacity = 100_000
    public static let maximumParticipants = 100_000
    public static let urlMaximum = 2_000

    static func text(_ text: String, field: String, name: String, maximum: Int, required: Bool, into problems: inout [ActionFieldError]) {
        let trimmed = text.trimmed
        if required, trimmed.isEmpty {
            problems.append(.init(field, "\(name) est obligatoire."))
        } else if trimmed.count > maximum {
            problems.append(.init(field, "\(name) a au plus \(maximum) caractères (\(trimmed.count) donnés)."))
        }
    }

    /// Nil for an http(s) address; otherwise what is wrong with it.
    public static func urlProblem(_ text: String) -> String? {
        let trimmed = text.trimmed
        guard !trimmed.isEmpty else { return "il est obligatoire." }
        guard trimmed.count <= urlMaximum else { return "il a au plus \(urlMaximum) caractères." }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = url.host, !host.isEmpty, !trimmed.contains(where: \.isWhitespace) else {
            return "une adresse web commençant par https:// est attendue."
        }
        return nil
    }

    /// A plausible e-mail address: one @, a dotted domain, no space, at most 254 characters.
    public static func isEmail(_ text: String) -> Bool {
        let trimmed = text.trimmed
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard trimmed.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !trimmed.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
        else { return false }
        return true
    }

    /// A commune's INSEE code: five characters, digits, or 2A/2B followed by three digits (Corsica).
    public static func isInseeCode(_ code: String) -> Bool {
        guard code.count == 5 else { return false }
        let rest = code.dropFirst(2)
        let head = code.prefix(2)
        return rest.allSatisfy(CharacterSetLite.isASCIIDigit) && (head.allSatisfy(CharacterSetLite.isASCIIDigit) || head == "2A" || head == "2B")
    }

    static func problems(_ address: ActionAddress) -> [ActionFieldError] {
        var problems: [ActionFieldError] = []
        text(address.street, field: "adresse", name: "L'adresse", maximum: summaryMaximum, required: true, into: &problems)
        text(address.label, field: "nomLieu", name: "Le nom du lieu", maximum: titleMaximum, required: false, into: &problems)
        text(address.commune, field: "commune", name: "La commune", maximum: titleMaximum, required: true, into: &problems)
        let postcode = address.postcode.trimmed
        if postcode.count != 5 || !postcode.allSatisfy(CharacterSetLite.isASCIIDigit) {
            problems.append(.init("codePostal", "Le code postal a cinq chiffres."))
        }
        if !isInseeCode(address.inseeCode.trimmed) {
            problems.append(.init("codeInsee", "Le code INSEE de la commune a cinq caractères (chiffres, ou 2A/2B en Corse)."))
        }
        if !(address.latitude.isFinite && (-90...90).contains(address.latitude)) {
            problems.append(.init("latitude", "La latitude est comprise entre -90 et 90."))
        }
        if !(address.longitude.isFinite && (-180...180).contains(address.longitude)) {
            problems.append(.init("longitude", "La longitude est comprise entre -180 et 180."))
        }
        return problems
    }
}
