import Foundation

/// A shared technical platform (plateau technique) of a member organisation of a campus: its equipment,
/// its hours and closures, and the rules of its bookings.
public struct Plateau: Hashable, Sendable, Identifiable {
    public var id: UUID
    /// The campus whose network shares it.
    public var campusID: UUID
    /// The organisation that owns it.
    public var organisationID: UUID
    public var nom: String
    public var description: String
    public var adresse: String
    public var equipements: [Equipement]
    public var openingHours: OpeningHours
    public var closures: [Closure]
    public var rules: PlateauRules

    public init(id: UUID, campusID: UUID, organisationID: UUID, nom: String, description: String = "", adresse: String = "",
                equipements: [Equipement] = [], openingHours: OpeningHours, closures: [Closure] = [], rules: PlateauRules = PlateauRules()) {
        self.id = id
        self.campusID = campusID
        self.organisationID = organisationID
        self.nom = nom
        self.description = description
        self.adresse = adresse
        self.equipements = equipements
        self.openingHours = openingHours
        self.closures = closures
        self.rules = rules
    }

    /// A name, valid equipment, each item once.
    public func validate() throws(PlateauError) {
        guard !nom.trimmed.isEmpty else { throw .missingPlateauName }
        var seen: Set<UUID> = []
        for equipement in equipements {
            try equipement.validate()
            guard seen.insert(equipement.id).inserted else { throw .duplicateEquipment(equipement.nom) }
        }
    }

    public func equipement(id: UUID) -> Equipement? {
        equipements.first { $0.id == id }
    }

    /// "Presse à injecter" for an item, the platform's name for the whole platform.
    public func name(of target: BookingTarget) -> String {
        switch target {
        case .plateau: nom
        case .equipement(let id): equipement(id: id)?.nom ?? nom
        }
    }

    /// The closures that touch the range.
    public func closures(overlapping range: TimeRange) -> [Closure] {
        closures.filter { $0.overlaps(range) }
    }
}

/// An equipment item of a platform. The quantity is informative: an item is booked by one booking at a
/// time whatever its quantity (two presses of the same model are booked as one item, or entered as two).
public struct Equipement: Hashable, Sendable, Identifiable {
    public var id: UUID
    public var nom: String
    /// Free category ("Usinage", "Plasturgie", "Réalité virtuelle").
    public var categorie: String
    public var quantite: Int
    /// Whoever books it must confirm that the participants have had the safety training.
    public var requiresSafetyTraining: Bool

    public init(id: UUID, nom: String, categorie: String = "", quantite: Int = 1, requiresSafetyTraining: Bool = false) {
        self.id = id
        self.nom = nom
        self.categorie = categorie
        self.quantite = quantite
        self.requiresSafetyTraining = requiresSafetyTraining
    }

    public func validate() throws(PlateauError) {
        guard !nom.trimmed.isEmpty else { throw .missingEquipmentName }
        guard quantite >= 1 else { throw .equipmentQuantity(name: nom, quantity: quantite) }
    }
}

extension Equipement: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, nom, categorie, quantite, formationSecurite
    }

    /// `{"id": "…", "nom": "Presse à injecter", "categorie": "Plasturgie", "quantite": 1, "formationSecurite": true}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try container.decode(UUID.self, forKey: .id), nom: try container.decode(String.self, forKey: .nom),
                  categorie: try container.decodeIfPresent(String.self, forKey: .categorie) ?? "",
                  quantite: try container.decodeIfPresent(Int.self, forKey: .quantite) ?? 1,
                  requiresSafetyTraining: try container.decodeIfPresent(Bool.self, forKey: .formationSecurite) ?? false)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(nom, forKey: .nom)
        try container.encode(categorie, forKey: .categorie)
        try container.encode(quantite, forKey: .quantite)
        try container.encode(requiresSafetyTraining, forKey: .formationSecurite)
    }
}

extension Plateau: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, campus, organisation, nom, description, adresse, equipements, horaires, fermetures, regles
    }

    /// `{"id", "campus", "organisation", "nom", "description", "adresse", "equipements": […], "horaires": {…},
    /// "fermetures": […], "regles": {…}}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try container.decode(UUID.self, forKey: .id),
                  campusID: try container.decode(UUID.self, forKey: .campus),
                  organisationID: try container.decode(UUID.self, forKey: .organisation),
                  nom: try container.decode(String.self, forKey: .nom),
                  description: try container.decodeIfPresent(String.self, forKey: .description) ?? "",
                  adresse: try container.decodeIfPresent(String.self, forKey: .adresse) ?? "",
                  equipements: try container.decodeIfPresent([Equipement].self, forKey: .equipements) ?? [],
                  openingHours: try container.decode(OpeningHours.self, forKey: .horaires),
                  closures: try container.decodeIfPresent([Closure].self, forKey: .fermetures) ?? [],
                  rules: try container.decodeIfPresent(PlateauRules.self, forKey: .regles) ?? PlateauRules())
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(campusID, forKey: .campus)
        try container.encode(organisationID, forKey: .organisation)
        try container.encode(nom, forKey: .nom)
        try container.encode(description, forKey: .description)
        try container.encode(adresse, forKey: .adresse)
        try container.encode(equipements, forKey: .equipements)
        try container.encode(openingHours, forKey: .horaires)
        try container.encode(closures, forKey: .fermetures)
        try container.encode(rules, forKey: .regles)
    }
}
