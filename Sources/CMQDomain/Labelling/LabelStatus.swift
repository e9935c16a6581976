/// The label status a campus shows, on a given day.
public enum LabelStatus: Sendable, Hashable {
    /// No label yet (a dossier may be in preparation).
    case enProjet
    /// A dossier has been submitted and no label is running.
    case enInstruction
    /// Labelled through `until`; `renewalInProgress` when a new dossier is open meanwhile.
    case labellise(until: CalendarDay, excellence: Bool, renewalInProgress: Bool)
    /// The last label ended on `on` (its last valid day).
    case expire(on: CalendarDay)
    /// The last label was withdrawn from `on`.
    case retire(on: CalendarDay, motif: String)

    /// The kinds of status, for filters and the API.
    public enum Kind: String, CaseIterable, Codable, Sendable, Hashable {
        case enProjet = "en-projet"
        case enInstruction = "en-instruction"
        case labellise
        case excellence
        case expire
        case retire

        public var label: String {
            switch self {
            case .enProjet: "En projet"
            case .enInstruction: "Dossier en instruction"
            case .labellise: "Labellisé"
            case .excellence: "Excellence"
            case .expire: "Label expiré"
            case .retire: "Label retiré"
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .enProjet: .enProjet
        case .enInstruction: .enInstruction
        case .labellise(_, let excellence, _): excellence ? .excellence : .labellise
        case .expire: .expire
        case .retire: .retire
        }
    }

    /// "en-projet", "en-instruction", "labellise", "excellence", "expire", "retire".
    public var slug: String { kind.rawValue }

    /// "labellisé jusqu'au 9 juillet 2017", "labellisé Excellence jusqu'au …", "label expiré le …".
    public var label: String {
        switch self {
        case .enProjet: "en projet"
        case .enInstruction: "dossier en instruction"
        case .labellise(let until, let excellence, _): "labellisé\(excellence ? " Excellence" : "") jusqu'au \(until.frenchLong)"
        case .expire(let day): "label expiré le \(day.frenchLong)"
        case .retire(let day, _): "label retiré le \(day.frenchLong)"
        }
    }

    /// The status of a campus on `today` from its labels and its open dossier, if any.
    ///
    /// 1. A label valid today makes the campus labelled (through the latest end among the valid ones; with
    ///    Excellence if that label has it), with a renewal in progress when a dossier is open.
    /// 2. Otherwise a dossier in instruction shows "dossier en instruction".
    /// 3. Otherwise the latest label already started tells whether it was withdrawn or expired.
    /// 4. Otherwise the campus is "en projet".
    /// Labels starting after `today` are not counted yet.
    public static func of(labels: [LabelPeriod], openDossier: DossierStatus?, on today: CalendarDay) -> LabelStatus {
        let open = openDossier?.isOpen == true ? openDossier : nil
        let valid = labels.filter { $0.isValid(on: today) }
        if let current = valid.max(by: { $0.end < $1.end }) {
            return .labellise(until: current.end, excellence: current.excellence, renewalInProgress: open != nil)
        }
        if case .enInstruction = open { return .enInstruction }
        if let last = labels.filter({ $0.start <= today }).max(by: { $0.start < $1.start }) {
            if let withdrawal = last.withdrawal, withdrawal.date <= today {
                return .retire(on: withdrawal.date, motif: withdrawal.motif)
            }
            return .expire(on: last.end)
        }
        return .enProjet
    }
}
