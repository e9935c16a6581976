/// The InserJeunes figures of one millésime by région and formation, with what the BCN says of the codes: the
/// place where a diploma, a campus, a région or the nation gets its figures, always as sums of counts.
public struct InsertionTable: Sendable {
    public struct Key: Sendable, Hashable {
        public var regionCode: String
        public var voie: Voie
        /// The MEFSTAT11 for the voie scolaire, the CFD for apprenticeship.
        public var code: String

        public init(regionCode: String, voie: Voie, code: String) {
            self.regionCode = regionCode
            self.voie = voie
            self.code = code
        }
    }

    public let millesime: Millesime
    public private(set) var rows: [Key: InsertionCounts]
    /// MEFSTAT11 → CFD (BCN N_MEF).
    public let mefToCFD: [String: String]
    public let lineage: DiplomaLineage
    private var mefsByCFD: [String: [String]] = [:]

    public init(millesime: Millesime, rows: [Key: InsertionCounts], mefToCFD: [String: String], lineage: DiplomaLineage) {
        self.millesime = millesime
        self.rows = rows
        self.mefToCFD = mefToCFD
        self.lineage = lineage
        for (mef, cfd) in mefToCFD { mefsByCFD[cfd, default: []].append(mef) }
    }

    /// The diploma of a line: its CFD for apprenticeship, the CFD of its MEFSTAT11 for the voie scolaire.
    public func cfd(of key: Key) -> String? {
        key.voie == .apprentissage ? key.code : mefToCFD[key.code]
    }

    /// A diploma's kind ("500" CAP, "400" bac pro, "320" BTS): the first three characters of its CFD.
    public static func niveau(ofCFD cfd: String) -> String { String(cfd.prefix(3)) }

    /// A diploma's own counts in a région and a voie (several MEFSTAT11 of one CFD are added), `nil` without any.
    public func own(cfd: String, regionCode: String, voie: Voie) -> InsertionCounts? {
        let codes = voie == .apprentissage ? [cfd] : (mefsByCFD[cfd] ?? [])
        return InsertionCounts.sum(codes.compactMap { rows[Key(regionCode: regionCode, voie: voie, code: $0)] })
    }

    /// A diploma's counts, its own or carried over along a one-to-one renewal, with their origin.
    public func figures(cfd: String, regionCode: String, voie: Voie) -> (counts: InsertionCounts, origin: DiplomaLineage.Origin)? {
        guard let found = lineage.figures(of: cfd, own: { own(cfd: $0, regionCode: regionCode, voie: voie) }) else { return nil }
        return (found.value, found.origin)
    }

    /// The summed counts of a diploma kind in a région (or the nation when `regionCode` is nil), for a voie or both.
    public func total(niveau: String?, regionCode: String?, voie: Voie?) -> FigureTotals {
        FigureTotals(rows.lazy.filter { key, _ in
            (regionCode == nil || key.regionCode == regionCode) && (voie == nil || key.voie == voie)
                && (niveau == nil || cfd(of: key).map(InsertionTable.niveau(ofCFD:)) == niveau)
        }.map(\.value))
    }

    /// The quadrant of a diploma's counts against its région's average for the same kind, millésime and voie.
    public func quadrant(of counts: InsertionCounts, cfd: String, regionCode: String, voie: Voie) -> Quadrant {
        Quadrant.of(counts, regional: total(niveau: InsertionTable.niveau(ofCFD: cfd), regionCode: regionCode, voie: voie))
    }
}

/// A campus's figures: each diploma it prepares counted once per région and voie, then added; by kind of diploma
/// and voie; the statistical secret applies to each sum, never to the parts.
public struct CampusConsolidation: Sendable {
    /// A formation of the campus as the consolidation sees it.
    public struct Item: Sendable, Hashable {
        public var cfd: String?
        public var regionCode: String?
        public var voies: [Voie]

        public init(cfd: String?, regionCode: String?, voies: [Voie]) {
            self.cfd = cfd
            self.regionCode = regionCode
            self.voies = voies
        }
    }

    /// Why a formation has no figure.
    public enum Missing: String, Sendable, Hashable {
        case sansCFD = "la formation n'a pas de code diplôme (CFD)"
        case sansRegion = "l'organisme n'est rattaché à aucune région"
        case absente = "InserJeunes ne publie pas ce diplôme dans cette région pour ce millésime"
    }

    public struct Group: Sendable, Equatable {
        public var niveau: String
        public var voie: Voie
        public var totals: FigureTotals
    }

    public let groups: [Group]
    public let total: FigureTotals
    /// The diplomas counted, each once, with their origin.
    public let counted: [InsertionTable.Key: DiplomaLineage.Origin]
    /// For each formation given in (by its position in `items`), its figures per voie, or why it has none.
    public let outcomes: [(index: Int, voie: Voie?, result: Result<InsertionCounts, MissingReason>)]

    public struct MissingReason: Error, Sendable, Hashable { public let reason: Missing }

    public init(items: [Item], table: InsertionTable) {
        var counted: [InsertionTable.Key: (InsertionCounts, DiplomaLineage.Origin, String)] = [:]
        var outcomes: [(index: Int, voie: Voie?, result: Result<InsertionCounts, MissingReason>)] = []
        for (index, item) in items.enumerated() {
            guard let cfd = item.cfd else { outcomes.append((index, nil, .failure(MissingReason(reason: .sansCFD)))); continue }
            guard let region = item.regionCode else { outcomes.append((index, nil, .failure(MissingReason(reason: .sansRegion)))); continue }
            let voies = item.voies.isEmpty ? Voie.allCases : item.voies
            var any = false
            for voie in voies {
                if let found = table.figures(cfd: cfd, regionCode: region, voie: voie) {
                    any = true
                    counted[InsertionTable.Key(regionCode: region, voie: voie, code: cfd)] = (found.counts, found.origin, InsertionTable.niveau(ofCFD: cfd))
                    outcomes.append((index, voie, .success(found.counts)))
                }
            }
            if !any { outcomes.append((index, nil, .failure(MissingReason(reason: .absente)))) }
        }
        var byGroup: [Group.ID: FigureTotals] = [:]
        for (key, value) in counted {
            let id = Group.ID(niveau: value.2, voie: key.voie)
            byGroup[id] = (byGroup[id] ?? FigureTotals()) + FigureTotals(value.0)
        }
        groups = byGroup.map { Group(niveau: $0.key.niveau, voie: $0.key.voie, totals: $0.value) }
            .sorted { ($0.niveau, $0.voie.rawValue) < ($1.niveau, $1.voie.rawValue) }
        total = FigureTotals(counted.values.map(\.0))
        self.counted = counted.mapValues(\.1)
        self.outcomes = outcomes
    }
}

extension CampusConsolidation.Group {
    struct ID: Hashable { var niveau: String; var voie: Voie }
}
