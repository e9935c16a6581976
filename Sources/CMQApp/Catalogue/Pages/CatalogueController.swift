import CMQDomain
import Fluent
import Vapor

/// The public search of the training offer (facets as plain links, no JavaScript needed) and a formation's page.
struct CatalogueController {
    struct FacetLink: Encodable {
        var label: String
        var count: Int
        var url: String
        var selected: Bool
    }

    struct FacetGroup: Encodable {
        var title: String
        var links: [FacetLink]
    }

    struct ActiveFilter: Encodable {
        var label: String
        var removeURL: String
    }

    struct SearchContext: Encodable {
        var page: PageMeta
        var q: String
        var total: Int
        var results: [FormationRow]
        /// The facet groups as HTML, written by `facetsHTML(_:)` (every text escaped there).
        var facetsHTML: String
        var active: [ActiveFilter]
        var pager: Pager
        var apiURL: String
        var exports: [ExportLink]
        /// "Vouliez-vous dire …": the corrected query and its link, when a word matched nothing (`SearchPage`).
        var suggestion: SearchPage.Suggestion? = nil
        /// The place typed (the commune understood, or what was typed when it was not found) and the radii.
        var pres: String
        var radii: [OptionItem]
        var placeError: String?
        /// The other filters, kept when the words or the place change.
        var hidden: [HiddenField]
        /// Where to go from an empty result.
        var ways: [Way]
    }

    struct HiddenField: Encodable {
        var name: String
        var value: String
    }

    struct Way: Encodable {
        var label: String
        var url: String
    }

    struct ExportLink: Encodable {
        var label: String
        var url: String
    }

    struct ROMELink: Encodable {
        var code: String
        var libelle: String?
        var url: String?
    }

    /// The facet groups of the search page. Written here rather than by a Leaf loop: Leaf took most of the
    /// page's time for its ~150 links (measured with perf on `Benchmarks/catalogue-varied.sh`).
    static func facetsHTML(_ groups: [FacetGroup]) -> String {
        var html = ""
        html.reserveCapacity(groups.reduce(0) { $0 + 120 * $1.links.count } + 64 * groups.count)
        for group in groups {
            html += "<section>\n      <h2>"
            html += escaped(group.title)
            html += "</h2>\n      <ul>\n        "
            for link in group.links {
                html += "<li><a href=\""
                html += escaped(link.url)
                html += link.selected ? "\" aria-current=\"true\" class=\"selected\">" : "\">"
                html += escaped(link.label)
                html += "</a> <span class=\"count\">("
                html += String(link.count)
                html += ")</span></li>"
            }
            html += "\n      </ul>\n    </section>\n    "
        }
        return html
    }

    /// Text made safe in HTML, as Leaf escapes it.
    static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) else {
            return text
        }
        var result = ""
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    static let dimensions: [(CatalogueSearch.Dimension, String, String)] = [
        (.niveau, "niveau", "Niveau"), (.typeDiplome, "typeDiplome", "Diplôme"), (.statut, "statut", "Statut"),
        (.filiere, "filiere", "Filière"), (.region, "region", "Région académique"), (.academie, "academie", "Académie"),
        (.departement, "departement", "Département"), (.campus, "campus", "Campus"),
    ]

    @Sendable func search(req: Request) async throws -> View {
        let query = try SearchPage.read(req.queryParameters)
        let context = try await SearchPage.load(parameters: query.parameters, criteria: query.criteria, page: query.page, placeError: query.placeError, typedPlace: query.typedPlace,
                                                cache: req.application.searchCache, index: req.application.catalogueIndex,
                                                sqliteReads: req.application.sqliteFormationReads, on: req.db)
        return try await req.view.render("formations", context)
    }

    @Sendable func formation(req: Request) async throws -> View {
        let id = try req.uuidParameter("formationID", notFound: "Aucune formation")
        var context = try await FormationPage.load(id: id, caller: req.caller, base: OpenDataAPIController.base(req), on: req.db)
        context.temoignages = try await TemoignageGallery.cards(on: req.db, today: req.today, formationID: id)
        return try await req.view.render("formation", context)
    }
}
