/// The twelve filières of the national classification of the Campus des métiers et des qualifications.
///
/// The raw value is the stable slug used in URLs and in the API.
public enum Filiere: String, CaseIterable, Codable, Sendable, Hashable {
    case mobiliteAeronautiqueTransports = "mobilite-aeronautique-transports"
    case tourismeGastronomie = "tourisme-gastronomie"
    case creationDesignAudiovisuel = "creation-design-audiovisuel"
    case chimieBiotechnologies = "chimie-biotechnologies"
    case materiauxInnovants = "materiaux-innovants"
    case batimentEcoConstruction = "batiment-eco-construction"
    case transitionEnergetique = "transition-energetique"
    case systemesInnovantsMecatronique = "systemes-innovants-mecatronique"
    case servicesPersonneBienEtre = "services-personne-bien-etre"
    case servicesEntreprisesLogistique = "services-entreprises-logistique"
    case alimentaireAgroalimentaire = "alimentaire-agroalimentaire"
    case numeriqueTelecommunications = "numerique-telecommunications"

    public var slug: String { rawValue }

    /// The exact label of the national classification.
    public var label: String {
        switch self {
        case .mobiliteAeronautiqueTransports: "Mobilité, aéronautique, transports terrestres et maritimes"
        case .tourismeGastronomie: "Tourisme, gastronomie"
        case .creationDesignAudiovisuel: "Création, design, audiovisuel"
        case .chimieBiotechnologies: "Chimie et biotechnologies"
        case .materiauxInnovants: "Matériaux, matériaux innovants"
        case .batimentEcoConstruction: "Infrastructures, bâtiment, éco-construction"
        case .transitionEnergetique: "Transition énergétique, éco-industrie"
        case .systemesInnovantsMecatronique: "Systèmes innovants, mécatronique"
        case .servicesPersonneBienEtre: "Services à la personne, bien-être"
        case .servicesEntreprisesLogistique: "Services aux entreprises, logistique"
        case .alimentaireAgroalimentaire: "Alimentaire, agroalimentaire"
        case .numeriqueTelecommunications: "Numérique, télécommunications"
        }
    }

    public init?(slug: String) { self.init(rawValue: slug) }
}
