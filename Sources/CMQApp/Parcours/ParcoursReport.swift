import CMQDomain
import Fluent
import Foundation
import SQLKit

/// Who reads a campus's flows, as the access policy decides: the campus team, the région and the national level
/// see the network's flows (internal threshold), a member establishment the flows of its own learners (internal
/// threshold), everybody else the network's flows with the public threshold.
enum ParcoursAudience: Sendable, Equatable {
    case interne
    case membre(organisationID: UUID, uai: String)
    case public_

    var threshold: Int {
        switch self {
        case .interne, .membre: DisclosureAudience.interne.threshold
        case .public_: DisclosureAudience.public_.threshold
        }
    }

    var label: String {
        switch self {
        case .interne: "vue interne du réseau (effectifs de moins de \(threshold) masqués)"
        case .membre: "les apprenants de votre établissement (effectifs de moins de \(threshold) masqués)"
        case .public_: "vue publique (effectifs de moins de \(threshold) masqués)"
        }
    }

    /// The whole network's flows (not one member's).
    var isNetwork: Bool { if case .membre = self { false } else { true } }

    /// The audience of the caller for a campus.
    static func of(_ caller: Caller, campus: Campus, on db: any Database) async throws -> ParcoursAudience {
        let campusID = try campus.requireID()
        if caller.may(.read, .parcours(campusID: campusID, regionCode: campus.regionCode)) { return .interne }
        if let actor = caller.actor, actor.role == .membre, let organisationID = actor.organisationID,
           let organisation = try await Organisation.find(organisationID, on: db), let uai = organisation.uai,
           try await Membership.query(on: db).filter(\.$campus.$id == campusID).filter(\.$organisation.$id == organisationID).first() != nil {
            return .membre(organisationID: organisationID, uai: uai)
        }
        return .public_
    }
}

/// A count as shown: its number, or the masked text (« < 5 », « secret »), never the number.
struct ShownCount: Codable, Sendable, Equatable {
    var valeur: Int?
    var texte: String
    var masque: Bool

    init(_ published: PublishedCount) {
        valeur = published.value
        texte = published.text
        masque = published.state.isMasked
    }

    init(valeur: Int?, texte: String, masque: Bool) {
        self.valeur = valeur
        self.texte = texte
        self.masque = masque
    }

    static let secret = ShownCount(valeur: nil, texte: "secret", masque: true)
}

/// A campus's flows for one audience: for each pair of consecutive school years, the table of flows (places of
/// the year → places of the next year or exits) masked as a whole, and the figures derived from it.
struct ParcoursReport: Sendable {
    struct Place: Sendable, Equatable {
        var key: String
        var label: String
        var uai: String
    }

    struct Row: Sendable {
        var place: Place
        var cells: [ShownCount]
        var total: ShownCount
    }

    struct Table: Sendable {
        var from: SchoolYear
        var to: SchoolYear
        var columns: [Place]
        /// Exit columns are the last ones, after the places of the network.
        var exitColumns: Int
        var rows: [Row]
        var columnTotals: [ShownCount]
        var grandTotal: ShownCount
        /// Figures derived only from published numbers (masked when one of them is masked).
        var learners: ShownCount
        var continuingInNetwork: ShownCount
        var exits: [(label: String, count: ShownCount)]
        var statusChanges: [(label: String, count: ShownCount)]
        var lossesByEstablishment: [(label: String, count: ShownCount)]
        /// The counts behind the table (for the diagram), each with its published form.
        var links: [(row: Int, column: Int, count: ShownCount)]
        /// The places whose learners' total this table masks (`totalKey`).
        var maskedPlaceTotals: Set<String>
    }

    var campusID: UUID
    var campusName: String
    var audience: ParcoursAudience
    var years: [SchoolYear]
    var tables: [Table]
    /// Learners per school year in the view (the whole network, or the member's).
    var stepsCount: Int

    static let entrantsKey = "entrants"

    /// Builds the report of a campus for an audience from every member's steps.
    static func load(campus: Campus, audience: ParcoursAudience, on db: any Database) async throws -> ParcoursReport {
        let campusID = try campus.requireID()
        let members = try await Membership.query(on: db).filter(\.$campus.$id == campusID).with(\.$organisation).all()
        var names: [String: String] = [:]
        for member in members { if let uai = member.organisation.uai { names[uai] = member.organisation.nom } }
        let uais = Array(names.keys)
        let records = uais.isEmpty ? [] : try await ParcoursEtape.query(on: db).filter(\.$uai ~~ uais).all()
        let flows = ParcoursFlows(steps: records.map(\.step))
        let formations = try await formationLabels(Set(records.map(\.codeFormation)), on: db)
        func place(_ node: ParcoursNode) -> Place {
            let establishment = names[node.uai] ?? node.uai
            let formation = formations[node.formation] ?? node.formation
            return Place(key: "\(node.uai)|\(node.formation)|\(node.statut.rawValue)", label: "\(establishment) — \(formation) (\(node.statut.label))", uai: node.uai)
        }
        // A place's learners of one school year are a column total of the year before's table and a row total of its
        // own: masked in one, masked in both, until no table masks a total the other shows.
        var forced: Set<String> = []
        var tables: [Table] = []
        while true {
            tables = flows.transitions.map { table($0, audience: audience, place: place, names: names, forced: forced) }
            let masked = Set(tables.flatMap(\.maskedPlaceTotals))
            if masked.isSubset(of: forced) { break }
            forced.formUnion(masked)
        }
        return ParcoursReport(campusID: campusID, campusName: campus.nom, audience: audience, years: flows.years, tables: tables,
                              stepsCount: records.count)
    }

    /// The labels of formation codes: the national diploma table (CFD), else the code itself.
    static func formationLabels(_ codes: Set<String>, on db: any Database) async throws -> [String: String] {
        guard !codes.isEmpty, let sql = db as? any SQLDatabase else { return [:] }
        struct Line: Decodable { var cfd: String; var sigle: String; var intitule: String }
        let lines = try await sql.select().columns("cfd", "sigle", "intitule").from(ReferenceTable.diplomes)
            .where(SQLIdentifier("cfd"), .in, SQLBind.group(Array(codes))).all(decoding: Line.self)
        return Dictionary(lines.map { ($0.cfd, "\($0.sigle) \($0.intitule)") }, uniquingKeysWith: { first, _ in first })
    }

    /// The key of a place's learners in a school year, shared by the tables that publish that count.
    static func totalKey(_ year: SchoolYear, _ place: Place) -> String { "\(year.start)|\(place.key)" }

    static func table(_ transition: ParcoursFlows.Transition, audience: ParcoursAudience, place: (ParcoursNode) -> Place,
                      names: [String: String], forced: Set<String> = []) -> Table {
        // Rows: the places of the year (a member: its own), then the entrants of the next year (network views).
        var origins = transition.origins.keys.sorted()
        var destinations = transition.destinations.keys.sorted()
        var entrants = transition.entrants
        if case .membre(_, let uai) = audience {
            origins = origins.filter { $0.uai == uai }
            let reached = Set(transition.links.filter { $0.from.uai == uai }.compactMap { link -> ParcoursNode? in
                if case .node(let node) = link.to { node } else { nil }
            })
            destinations = destinations.filter { reached.contains($0) }
            entrants = [:]
        }
        let exits = ParcoursExit.allCases
        let columns = destinations.map(place) + exits.map { Place(key: $0.rawValue, label: $0.label, uai: "") }
        var counts = origins.map { _ in [Int](repeating: 0, count: columns.count) }
        let rowIndex = Dictionary(uniqueKeysWithValues: origins.enumerated().map { ($1, $0) })
        let columnIndex = Dictionary(uniqueKeysWithValues: destinations.enumerated().map { ($1, $0) })
        for link in transition.links {
            guard let r = rowIndex[link.from] else { continue }
            switch link.to {
            case .node(let node): if let c = columnIndex[node] { counts[r][c] += link.count }
            case .exit(let exit): counts[r][destinations.count + exits.firstIndex(of: exit)!] += link.count
            }
        }
        var rowPlaces = origins.map(place)
        if audience.isNetwork {
            counts.append(destinations.map { entrants[$0] ?? 0 } + exits.map { _ in 0 })
            rowPlaces.append(Place(key: entrantsKey, label: "Nouveaux dans le réseau en \(transition.year.next)", uai: ""))
        }
        let threshold = audience.threshold
        let maskedRows = Set(origins.indices.filter { forced.contains(totalKey(transition.year, rowPlaces[$0])) })
        let maskedColumns = Set(destinations.indices.filter { forced.contains(totalKey(transition.year.next, columns[$0])) })
        let masked = MaskedTable(counts, columnCount: columns.count, threshold: threshold, maskedRowTotals: maskedRows, maskedColumnTotals: maskedColumns)
        let maskedPlaceTotals = Set(origins.indices.filter { masked.rowTotals[$0].isMasked }.map { totalKey(transition.year, rowPlaces[$0]) })
            .union(destinations.indices.filter { masked.columnTotals[$0].isMasked }.map { totalKey(transition.year.next, columns[$0]) })
        func shown(_ count: Int, _ state: MaskState) -> ShownCount { ShownCount(PublishedCount(count, state: state, threshold: threshold)) }
        let rowSums = counts.map { $0.reduce(0, +) }
        let columnSums = columns.indices.map { c in counts.reduce(0) { $0 + $1[c] } }
        let rows = counts.indices.map { r in
            Row(place: rowPlaces[r], cells: counts[r].indices.map { shown(counts[r][$0], masked.cells[r][$0]) }, total: shown(rowSums[r], masked.rowTotals[r]))
        }
        let columnTotals = columns.indices.map { shown(columnSums[$0], masked.columnTotals[$0]) }
        let grand = shown(rowSums.reduce(0, +), masked.grandTotal)

        /// A sum of published numbers, masked when one of them is.
        func derived(_ parts: [(Int, MaskState)]) -> ShownCount {
            let value = parts.map(\.0).reduce(0, +)
            return parts.contains { $0.1.isMasked } ? ShownCount(valeur: nil, texte: "secret", masque: true) : ShownCount(valeur: value, texte: "\(value)", masque: false)
        }
        let originRows = Array(origins.indices)
        /// The first of several ways to compute a figure from published numbers that is not masked.
        func firstShown(_ ways: [ShownCount]) -> ShownCount { ways.first { !$0.masque } ?? ways[0] }
        func difference(_ plus: [(Int, MaskState)], minus: [(Int, MaskState)]) -> ShownCount {
            let sum = derived(plus), less = derived(minus)
            guard let a = sum.valeur, let b = less.valeur else { return ShownCount(valeur: nil, texte: "secret", masque: true) }
            return ShownCount(valeur: a - b, texte: "\(a - b)", masque: false)
        }
        let entrantsRow = audience.isNetwork ? [(rowSums[origins.count], masked.rowTotals[origins.count])] : []
        let learners = firstShown([derived(originRows.map { (rowSums[$0], masked.rowTotals[$0]) }),
                                   difference([(rowSums.reduce(0, +), masked.grandTotal)], minus: entrantsRow)])
        let exitTotals = exits.indices.map { (columnSums[destinations.count + $0], masked.columnTotals[destinations.count + $0]) }
        let nodeCells = originRows.flatMap { r in destinations.indices.map { (counts[r][$0], masked.cells[r][$0]) } }
        let continuing = firstShown([derived(nodeCells),
                                     difference(originRows.map { (rowSums[$0], masked.rowTotals[$0]) }, minus: exitTotals)])
        // The entrants row has no exits: an exit column's total is the exits of the year's learners.
        let exitFigures = exits.enumerated().map { index, exit in (label: exit.label, count: derived([exitTotals[index]])) }
        var changes: [ParcoursFlows.StatusChange: [(Int, MaskState)]] = [:]
        for r in originRows {
            for (c, node) in destinations.enumerated() where node.statut != origins[r].statut {
                changes[ParcoursFlows.StatusChange(from: origins[r].statut, to: node.statut), default: []].append((counts[r][c], masked.cells[r][c]))
            }
        }
        let statusChanges = changes.keys.sorted().compactMap { key -> (label: String, count: ShownCount)? in
            let parts = changes[key]!
            guard parts.contains(where: { $0.0 > 0 }) else { return nil }
            return (label: "De \(key.from.label) à \(key.to.label)", count: derived(parts))
        }
        var losses: [String: [(Int, MaskState)]] = [:]
        for r in originRows {
            for (index, exit) in exits.enumerated() where exit.isLoss {
                let c = destinations.count + index
                losses[origins[r].uai, default: []].append((counts[r][c], masked.cells[r][c]))
            }
        }
        let lossFigures = losses.keys.sorted().map { (label: names[$0] ?? $0, count: derived(losses[$0]!)) }
        var links: [(row: Int, column: Int, count: ShownCount)] = []
        for r in counts.indices { for c in columns.indices where counts[r][c] > 0 { links.append((r, c, shown(counts[r][c], masked.cells[r][c]))) } }
        return Table(from: transition.year, to: transition.year.next, columns: columns, exitColumns: exits.count, rows: rows,
                     columnTotals: columnTotals, grandTotal: grand, learners: learners, continuingInNetwork: continuing,
                     exits: exitFigures, statusChanges: statusChanges, lossesByEstablishment: lossFigures, links: links,
                     maskedPlaceTotals: maskedPlaceTotals)
    }
}
