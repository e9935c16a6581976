import CMQDomain
import Foundation

struct CountRow: Encodable {
    var key: String
    var label: String
    var count: Int
    var url: String
    /// Width of the bar in a 0–100 scale, relative to the largest count.
    var share: Int
}

/// A map ready for a template (`map.leaf`): the inline SVG (a picture hidden from assistive technologies), its
/// legend, and the list of its areas and places beside it (the way in for keyboards and screen readers).
struct MapBlock: Encodable {
    var svg: String
    var legend: [ColourScale.Step]
    var caption: String
    var title: String
    var description: String
    /// What the areas are ("Régions académiques", "Académies") and their list, in alphabetical order.
    var areasLabel: String
    var areas: [MapLink]
    /// What the places are ("Campus", "Établissement") and their list.
    var placesLabel: String
    var places: [MapLink]
    /// A long list of places folds behind a summary.
    var foldPlaces: Bool
    /// A small map beside a page's facts (campus, establishment): its list goes under it.
    var compact: Bool
    /// What the points of the map are, in the legend.
    var markerLegend: String

    init(_ renderer: MapRenderer, caption: String, legend: Bool = true, areasLabel: String, placesLabel: String,
         markerLegend: String = "Établissement support d'un campus") {
        svg = renderer.svg()
        self.legend = legend ? renderer.legend() : []
        self.caption = caption
        title = renderer.title
        description = renderer.description
        self.areasLabel = areasLabel
        areas = renderer.areaLinks()
        self.placesLabel = placesLabel
        places = renderer.placeLinks()
        foldPlaces = places.count > 12
        compact = renderer.compact
        self.markerLegend = markerLegend
    }
}

struct HomeContext: Encodable {
    var page: PageMeta
    /// The next published actions nationally (set by the controller; see `ActionSummary.next`).
    var nextActions: [ActionSummary] = []
    var totalCampus: Int
    var totalOrganisations: Int
    var byFiliere: [CountRow]
    var byRegion: [CountRow]
    var map: MapBlock
    var filieres: [OptionItem]
    var filiere: String?
    var filiereSlug: String?
    var latestLabels: [LatestLabel]
    var labelledCount: Int
}

struct RegionPageContext: Encodable {
    var page: PageMeta
    var nom: String
    var slug: String
    var total: Int
    var map: MapBlock?
    var filieres: [OptionItem]
    var filiere: String?
    var byAcademie: [CountRow]
    var campus: [CampusRow]
    var listURL: String
}

struct CampusRow: Encodable {
    var url: String
    var nom: String
    var filiere: String
    var academie: String
    var region: String
    /// "labellisé jusqu'au 14 juin 2027", "label expiré le …", "en projet"…
    var label: String?
    var labelKind: String?
}

/// A formation in a list (search results, a campus's offer).
struct FormationRow: Encodable {
    var url: String
    var intitule: String
    var type: String?
    var niveau: Int
    var statuts: String
    var organisation: String
    var organisationURL: String
    var commune: String?
    var distance: String? = nil

    /// The formation's organisation and statuses must be loaded.
    init(_ formation: Formation) {
        url = CatalogueURL.formation(formation.id).path
        intitule = formation.intitule
        type = formation.typeDiplome.flatMap(DiplomaType.init(rawValue:))?.label
        niveau = formation.niveauSortie
        statuts = formation.learnerStatuses.map(\.label).joined(separator: ", ")
        organisation = formation.organisation.nom
        organisationURL = RegistryURL.organisation(formation.organisation.id!).path
        commune = formation.organisation.commune
    }
}

/// What the signed-in person may do with what a page shows (links to the back-office appear accordingly).
struct Rights: Encodable {
    var update: Bool
    var delete: Bool

    init(_ caller: Caller, _ resource: Resource) {
        update = caller.may(.update, resource)
        delete = caller.may(.delete, resource)
    }
}

struct CampusListContext: Encodable {
    var canCreate: Bool
    var page: PageMeta
    var q: String
    var filieres: [OptionItem]
    var regions: [OptionItem]
    var academies: [OptionItem]
    var labels: [OptionItem]
    var results: [CampusRow]
    var pager: Pager
    var activeFilters: [String]
}

struct MemberRow: Encodable {
    var url: String
    var nom: String
    var type: String
    var role: String
    var isSupport: Bool
    var uai: String?
    var siret: String?
    var statut: String
    var commune: String?
    var depuis: String?
    var jusquA: String?
}

struct MemberGroup: Encodable {
    var label: String
    var members: [MemberRow]
}

struct CheckRow: Encodable {
    var label: String
    var passed: Bool
    var explanation: String
}

struct TeamRow: Encodable {
    var nom: String
    var role: String
    var email: String?
}

struct CampusPageContext: Encodable {
    var page: PageMeta
    /// The campus's published testimonies of "Ma réussite pro" (set by the controller).
    var temoignages: [TemoignageGallery.Card] = []
    /// The campus's next published actions (set by the controller; see `ActionSummary.next`).
    var nextActions: [ActionSummary] = []
    var labelStatus: String
    var labelKind: String
    var labels: [LabelRow]
    var id: String
    var nom: String
    var filiere: String
    var filiereURL: String
    var academie: String
    var academieURL: String
    var region: String
    var regionURL: String
    var description: String?
    var siteWeb: String?
    var formeJuridique: String
    var dateCreation: String?
    var groups: [MemberGroup]
    var memberCount: Int
    var team: [TeamRow]
    var compliant: Bool
    var checks: [CheckRow]
    var failedCount: Int
    var apiURL: String
    /// The campus's indicators (`/campus/{id}/indicateurs`).
    var indicatorsURL: String
    var map: MapBlock?
    var history: [AuditRow]?
    var rights: Rights
    var offer: OfferBlock
    var plateaux: CampusPlateauxBlock
    /// The pathways page, for whoever may see something there (`ParcoursURL.link`).
    var parcoursURL: String?
    /// « Insertion et poursuite d'études » (nil while no InserJeunes figure is loaded).
    var insertion: CampusInsertionBlock?
}

/// A campus's training offer on its page: the coverage table levels × statuses, the gaps, the formations.
struct OfferBlock: Encodable {
    struct Row: Encodable {
        var niveau: Int
        var libelle: String
        var cells: [Int]
    }

    var statuses: [String]
    var rows: [Row]
    var gaps: [String]
    var count: Int
    var formations: [FormationRow]

    init(coverage: CoverageMatrix, formations: [Formation]) {
        statuses = LearnerStatus.allCases.map(\.label)
        rows = Level.allCases.map { level in
            Row(niveau: level.number, libelle: level.label, cells: LearnerStatus.allCases.map { coverage.count(level, $0) })
        }
        gaps = formations.isEmpty ? [] : coverage.gaps
        count = formations.count
        self.formations = formations.map(FormationRow.init)
    }
}

struct CampusLink: Encodable {
    var url: String
    var nom: String
    var role: String
    var filiere: String
}

struct OrganisationPageContext: Encodable {
    var page: PageMeta
    var id: String
    var nom: String
    var type: String
    var statut: String
    var lyceeDesMetiers: Bool
    var uai: String?
    var siret: String?
    var adresse: String?
    var codePostal: String?
    var commune: String?
    var departement: String?
    var academie: String?
    var region: String?
    var latitude: Double?
    var longitude: Double?
    var siteWeb: String?
    var telephone: String?
    var telephoneURI: String?
    /// The formations it gives, by level (highest first).
    var formations: [FormationRow]
    /// Its place on the map of its région académique.
    var map: MapBlock?
    var campus: [CampusLink]
    var plateaux: [OrganisationPlateauRow]
    var apiURL: String
    var history: [AuditRow]?
    var rights: Rights
    /// Its lines of the DEPP InserJeunes files (nil without any).
    var insertion: EstablishmentInsertionBlock?
}


/// A label of a campus, on its page.
struct LabelRow: Encodable {
    var periode: String
    var excellence: Bool
    var referentiel: String
    var retrait: String?
    /// For the national administrator, on a label in force: where its withdrawal form posts.
    var withdrawURL: String?
}

/// A recent label, on the home page.
struct LatestLabel: Encodable {
    var campus: String
    var url: String
    var date: String
    var excellence: Bool
    var region: String
}

extension String {
    /// "labellisé jusqu'au …" → "Labellisé jusqu'au …", "groupe d'experts" → "Groupe d'experts": for a heading or a badge.
    var capitalizingFirstLetter: String { prefix(1).uppercased() + dropFirst() }
}
