import Foundation

/// Which part of the labelling procedure each role plays. The access policy says whose dossier an account may
/// write on (its territory, the bodies the dossier is assigned to); these rules say which steps it takes there.
///
/// | step | who |
/// |---|---|
/// | edition, attachments, deposit, abandon | the région académique (and the national administrator) |
/// | an opinion of a body | that body's instance accounts (and the national administrator, recording it) |
/// | scores of the expertise | the expert body's accounts, each in its own name |
/// | closing the expertise | the expert body's accounts (and the national administrator) |
/// | the decision | the national administrator (the access policy's `labelDecision`) |
extension AccessPolicy {
    public static func decide(_ actor: Actor, _ step: ProcedureAction, in referentiel: Referentiel) -> AccessDecision {
        let expertBody: Instance? = if case .expertise(let body)? = referentiel.expertise?.kind { body } else { nil }
        let isAdmin = actor.role == .administrateurNational
        switch step {
        case .edition:
            return isAdmin || actor.role == .regionAcademique ? .allowed : .denied("Le dossier est rédigé par la région académique.")
        case .depot:
            return isAdmin || actor.role == .regionAcademique ? .allowed : .denied("Le dossier est déposé par la région académique.")
        case .abandon:
            return isAdmin || actor.role == .regionAcademique ? .allowed : .denied("L'abandon d'un dossier revient à la région académique.")
        case .avis(let body):
            return isAdmin || (actor.role == .instance && actor.instance == body) ? .allowed
                : .denied("Vous ne pouvez donner que l'avis de votre propre instance.")
        case .clotureExpertise:
            return isAdmin || (actor.role == .instance && actor.instance != nil && actor.instance == expertBody) ? .allowed
                : .denied("Vous ne pouvez donner que l'avis de votre propre instance.")
        case .notation:
            return actor.role == .instance && actor.instance != nil && actor.instance == expertBody ? .allowed
                : .denied("Seuls les experts du groupe d'expertise notent un dossier, chacun en son nom.")
        case .decision:
            return decide(actor, .update, .labelDecision)
        }
    }
}

extension LabelDossier {
    /// The steps `actor` may take on this dossier now: the state of the dossier allows them, the account may write
    /// on it (`dossier`, its resource for the access policy) and its role plays that part of the procedure.
    public func steps(for actor: Actor?, dossier resource: Resource) -> Set<ProcedureAction> {
        guard let actor, AccessPolicy.decide(actor, .update, resource).isAllowed else { return [] }
        let candidates: [ProcedureAction] = [.edition, .depot, .abandon, .notation, .clotureExpertise, .decision]
            + referentiel.etapes.compactMap(\.kind.instance).map { .avis($0) }
        return Set(candidates.filter { allows($0) && AccessPolicy.decide(actor, $0, in: referentiel).isAllowed })
    }
}
