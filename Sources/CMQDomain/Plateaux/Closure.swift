/// A period when a platform is closed, whole days from `first` to `last` inclusive: maintenance, holidays…
public struct Closure: Hashable, Sendable {
    public enum Reason: String, CaseIterable, Codable, Sendable, Hashable {
        case maintenance
        case vacances
        /// Any other reason, told by the motif.
        case autre

        public var label: String {
            switch self {
            case .maintenance: "maintenance"
            case .vacances: "vacances"
            case .autre: "autre"
            }
        }
    }

    public let first: CalendarDay
    public let last: CalendarDay
    public let reason: Reason
    /// Free text; required for `.autre`, optional detail otherwise ("remplacement de la broche").
    public let motif: String?

    public init(from first: CalendarDay, to last: CalendarDay, reason: Reason, motif: String? = nil) throws(PlateauError) {
        guard first <= last else { throw .closureNotIncreasing(first: first, last: last) }
        let motif = motif?.trimmed
        if reason == .autre, motif?.isEmpty ?? true { throw .missingClosureMotif }
        self.first = first
        self.last = last
        self.reason = reason
        self.motif = motif?.isEmpty == true ? nil : motif
    }

    public func contains(_ day: CalendarDay) -> Bool {
        first <= day && day <= last
    }

    /// Whether the range touches a day of the closure.
    public func overlaps(_ range: TimeRange) -> Bool {
        range.days.contains(where: contains)
    }

    /// "vacances", "maintenance : remplacement de la broche", "jour férié" (the motif of `.autre`).
    public var explanation: String {
        switch (reason, motif) {
        case (.autre, let motif?): motif
        case (_, let motif?): "\(reason.label) : \(motif)"
        case (_, nil): reason.label
        }
    }

    /// "du 22 décembre 2026 au 2 janvier 2027", "le 11 novembre 2026".
    public var french: String {
        first == last ? "le \(first.frenchLong)" : "du \(first.frenchLong) au \(last.frenchLong)"
    }
}

extension Closure: Codable {
    private enum CodingKeys: String, CodingKey {
        case debut, fin, raison, motif
    }

    /// `{"debut": "2026-12-22", "fin": "2027-01-02", "raison": "vacances", "motif": "Noël"}` (motif optional).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(from: container.decode(CalendarDay.self, forKey: .debut), to: container.decode(CalendarDay.self, forKey: .fin),
                          reason: container.decode(Reason.self, forKey: .raison), motif: container.decodeIfPresent(String.self, forKey: .motif))
        } catch let error as PlateauError {
            throw DecodingError.dataCorruptedError(forKey: .fin, in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(first, forKey: .debut)
        try container.encode(last, forKey: .fin)
        try container.encode(reason, forKey: .raison)
        try container.encodeIfPresent(motif, forKey: .motif)
    }
}
