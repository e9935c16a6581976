import Foundation

/// One action's recorded participation, placed in its campus, région and school year.
public struct ParticipationRecord: Hashable, Sendable {
    public var campusID: UUID
    public var regionCode: String
    public var schoolYear: SchoolYear
    public var type: ActionType
    public var counts: [ActionAudience: Int]

    public init(campusID: UUID, regionCode: String, schoolYear: SchoolYear, type: ActionType, counts: [ActionAudience: Int]) {
        self.campusID = campusID
        self.regionCode = regionCode
        self.schoolYear = schoolYear
        self.type = type
        self.counts = counts
    }
}

/// The level at which counts are added up.
public enum CountLevel: String, Sendable, CaseIterable {
    case campus, region, national
}

/// The counts of one scope (a campus id, a région code, or "national"), school year and type of action.
public struct ActionCountRow: Hashable, Sendable {
    public var scope: String
    public var schoolYear: SchoolYear
    public var type: ActionType
    /// Actions with participation recorded.
    public var actions: Int
    public var participants: [ActionAudience: Int]

    public var total: Int { participants.values.reduce(0, +) }

    public func participants(_ audience: ActionAudience) -> Int { participants[audience] ?? 0 }
}

/// The roll-up the annual activity report uses: participants by school year × type × audience, per campus,
/// région and nation.
public enum ActionCounts {
    public static func rollup(_ records: [ParticipationRecord], level: CountLevel) -> [ActionCountRow] {
        struct Key: Hashable { var scope: String; var year: SchoolYear; var type: ActionType }
        var rows: [Key: ActionCountRow] = [:]
        for record in records {
            let scope = switch level {
            case .campus: record.campusID.uuidString.lowercased()
            case .region: record.regionCode
            case .national: "national"
            }
            let key = Key(scope: scope, year: record.schoolYear, type: record.type)
            var row = rows[key] ?? ActionCountRow(scope: scope, schoolYear: record.schoolYear, type: record.type, actions: 0, participants: [:])
            row.actions += 1
            for (audience, count) in record.counts { row.participants[audience, default: 0] += count }
            rows[key] = row
        }
        let typeOrder = Dictionary(uniqueKeysWithValues: ActionType.allCases.enumerated().map { ($1, $0) })
        return rows.values.sorted {
            ($0.scope, $1.schoolYear.startYear, typeOrder[$0.type]!) < ($1.scope, $0.schoolYear.startYear, typeOrder[$1.type]!)
        }
    }
}
