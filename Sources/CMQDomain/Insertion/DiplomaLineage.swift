/// The renewals of diplomas as the BCN records them (`ANCIEN_DIPLOME_n`, `NOUVEAU_DIPLOME_n` of
/// N_FORMATION_DIPLOME): when a diploma is renewed under a new CFD, the figures of one carry over to the other,
/// but only along a one-to-one link (a diploma split in two or merged from two has no single heir).
public struct DiplomaLineage: Sendable, Equatable {
    /// Former diploma → its new diplomas; new diploma → its former ones. Both sides are filled from both columns.
    public private(set) var nouveaux: [String: Set<String>] = [:]
    public private(set) var anciens: [String: Set<String>] = [:]

    public init() {}

    public init(links: [(ancien: String, nouveau: String)]) {
        for link in links { add(ancien: link.ancien, nouveau: link.nouveau) }
    }

    public mutating func add(ancien: String, nouveau: String) {
        guard ancien != nouveau else { return }
        nouveaux[ancien, default: []].insert(nouveau)
        anciens[nouveau, default: []].insert(ancien)
    }

    /// The former diploma of `cfd` when the link is one-to-one both ways.
    public func formerDiploma(of cfd: String) -> String? {
        guard let former = anciens[cfd], former.count == 1, let only = former.first,
              nouveaux[only] == [cfd] else { return nil }
        return only
    }

    /// The new diploma of `cfd` when the link is one-to-one both ways.
    public func newDiploma(of cfd: String) -> String? {
        guard let next = nouveaux[cfd], next.count == 1, let only = next.first,
              anciens[only] == [cfd] else { return nil }
        return only
    }

    /// Where a diploma's figures come from.
    public enum Origin: Sendable, Hashable, Codable {
        case propre
        case ancienDiplome(cfd: String)
        case nouveauDiplome(cfd: String)

        public var carriedFrom: String? {
            switch self {
            case .propre: nil
            case .ancienDiplome(let cfd), .nouveauDiplome(let cfd): cfd
            }
        }

        public var label: String? {
            switch self {
            case .propre: nil
            case .ancienDiplome(let cfd): "chiffres du diplôme précédent (CFD \(cfd))"
            case .nouveauDiplome(let cfd): "chiffres du diplôme qui le remplace (CFD \(cfd))"
            }
        }
    }

    /// The figures of `cfd`: its own when it has some; else those of its one-to-one former diploma, else those of
    /// its one-to-one new diploma, tagged with their origin. A diploma's own figures are never replaced.
    public func figures<T>(of cfd: String, own lookup: (String) -> T?) -> (value: T, origin: Origin)? {
        if let own = lookup(cfd) { return (own, .propre) }
        if let former = formerDiploma(of: cfd), let value = lookup(former) { return (value, .ancienDiplome(cfd: former)) }
        if let next = newDiploma(of: cfd), let value = lookup(next) { return (value, .nouveauDiplome(cfd: next)) }
        return nil
    }
}
