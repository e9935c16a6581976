import Foundation

/// What an action touches, with what the rules need to know about it.
public enum Resource: Sendable, Equatable {
    /// A campus of a région académique (nil id for a campus being created).
    case campus(id: UUID?, regionCode: String)
    /// A campus's network (memberships) and team.
    case network(campusID: UUID, regionCode: String)
    /// An organisation, with the campuses whose networks it belongs to.
    case organisation(id: UUID?, campuses: [CampusScope])
    /// A formation of an organisation, with the campuses whose networks the organisation belongs to.
    case formation(organisationID: UUID, campuses: [CampusScope])
    /// A label dossier of a campus (its région and académie), with the bodies it is assigned to (those of its
    /// référentiel, once deposited).
    case dossier(campusID: UUID, regionCode: String, academieCode: String, bodies: Set<Instance>)
    /// The interministerial decision on a dossier, and the withdrawal of a label.
    case labelDecision
    /// A shared technical platform and its equipment, closures and rules.
    case plateau(PlateauScope)
    /// A booking of a platform by an organisation. Create: make it (the booking organisation); update: accept or
    /// refuse it (the owner's side); delete: cancel it (either side); read: see who booked and why.
    case booking(plateau: PlateauScope, bookerOrganisationID: UUID)
    /// A campus's annual activity report. Read: its team, its région, the national level; create and update (write
    /// it, transmit it): its team and the national level.
    case activityReport(campusID: UUID, regionCode: String)
    /// The région's acknowledgment of a transmitted activity report: its région and the national level.
    case activityReportReview(campusID: UUID, regionCode: String)
    /// The pseudonymised pathways of a campus network: read = the internal flows (counts from the internal threshold).
    case parcours(campusID: UUID, regionCode: String)
    /// A member establishment's pathway files: create = upload (replacing its school year), delete = erase a school
    /// year, read = the aggregates of its own learners.
    case parcoursEtablissement(organisationID: UUID, campuses: [CampusScope])
    /// An action or event of a campus (open day, company visit…). Read: see it (the public, once published).
    case campusAction(ActionScope)
    /// The registrants of an action (personal data): read and export them.
    case actionRegistrations(ActionScope)
    /// A testimony of "Ma réussite pro" (its content, media and consents). Create: submit it (the campus team, a
    /// member organisation of the campus's network); update: change its media and consents (the submitter, the
    /// campus team); read: see it before publication.
    case temoignage(TemoignageScope)
    /// The moderation of a testimony (publish, refuse, withdraw): the campus team and the national administrator.
    case temoignageModeration(TemoignageScope)
    /// The contest « Ma réussite pro »: its editions, their calendar and grid, their categories and juries. Read: the
    /// public; create, update, delete: the national administrator.
    case concours
    /// The entry of a testimony in a category of the contest. Create, delete: the campus team of the testimony's
    /// campus and the national administrator; read: the public once the testimony is published.
    case concoursCandidature(TemoignageScope)
    /// A juror's marks: update (give or replace one's own) by an account with a jury role for the edition
    /// (`isJuror`); the service then checks the level, académie and dates.
    case concoursNotes(isJuror: Bool)
    /// The public prize: create (vote) by any signed-in account; the service checks the dates and uniqueness.
    case concoursVote
    /// An edition's results: read by everyone once their date has come (`isPublished`), by the national
    /// administrator before.
    case concoursResultats(isPublished: Bool)
    /// The dashboards' figures that are not public (indicators not marked public, activity reports received and
    /// missing, dossiers in progress) of the campuses of a région académique, or of every campus (nil). Read: that
    /// région's staff (their own région only) and the national level.
    case dashboard(regionCode: String?)
    /// The audit trail.
    case auditTrail
    /// Accounts of other people.
    case accounts

    /// Where a platform stands: its campus (and the campus's région) and the organisation that owns it.
    public struct PlateauScope: Sendable, Equatable {
        public var campusID: UUID
        public var regionCode: String
        public var organisationID: UUID

        public init(campusID: UUID, regionCode: String, organisationID: UUID) {
            self.campusID = campusID
            self.regionCode = regionCode
            self.organisationID = organisationID
        }
    }

    /// Where an action stands: its campus (and région), the member organisations that organise it, whether it
    /// is published.
    public struct ActionScope: Sendable, Equatable {
        public var campusID: UUID
        public var regionCode: String
        public var organiserIDs: [UUID]
        public var isPublished: Bool

        public init(campusID: UUID, regionCode: String, organiserIDs: [UUID], isPublished: Bool) {
            self.campusID = campusID
            self.regionCode = regionCode
            self.organiserIDs = organiserIDs
            self.isPublished = isPublished
        }
    }

    /// Where a testimony stands: its campus (and région), the member organisations of the campus's network, who
    /// submitted it, whether it is published.
    public struct TemoignageScope: Sendable, Equatable {
        public var campusID: UUID
        public var regionCode: String
        public var memberOrganisationIDs: [UUID]
        public var submitterID: UUID?
        public var isPublished: Bool

        public init(campusID: UUID, regionCode: String, memberOrganisationIDs: [UUID], submitterID: UUID?, isPublished: Bool) {
            self.campusID = campusID
            self.regionCode = regionCode
            self.memberOrganisationIDs = memberOrganisationIDs
            self.submitterID = submitterID
            self.isPublished = isPublished
        }
    }

    public struct CampusScope: Sendable, Equatable {
        public var id: UUID
        public var regionCode: String

        public init(id: UUID, regionCode: String) {
            self.id = id
            self.regionCode = regionCode
        }
    }
}

public enum Action: String, Sendable, Equatable {
    case create, update, delete, read
}

/// The answer of the access rules, with the French reason of a refusal.
public enum AccessDecision: Sendable, Equatable {
    case allowed
    case denied(String)

    public var isAllowed: Bool { self == .allowed }
}

/// The rights of each role on each area, checked on the server for every write and every non-public read.
///
/// | role | may |
/// |---|---|
/// | administrateur national | everything, everywhere; the audit trail; the accounts |
/// | région académique | the campuses (create, change, delete) and networks of its académies; organisations of those networks, and new ones |
/// | équipe campus | its campus (not its deletion), its network and team, the formations of its members; new organisations |
/// | membre | its own organisation's identity and its formations |
/// | région académique (labelling) | the dossiers of its campuses: create, write, deposit, abandon |
/// | équipe campus (labelling) | reads its campus's dossiers |
/// | instance | the dossiers assigned to its body on its territory (CAEN: its académie; CREFOP: its région; expert group, CNEE: national): read, give its own opinion and scores; nothing in the registry |
/// | administrateur national (labelling) | the decision and the withdrawal of labels (nobody else) |
/// | région académique (platforms) | the platforms of its campuses; reads their bookings |
/// | équipe campus (platforms) | the platforms of its campus; accepts, refuses, cancels and reads their bookings |
/// | membre (platforms) | its organisation's platforms; books in its organisation's name, cancels its bookings; accepts, refuses and cancels those of its platforms |
/// | région académique (pathways) | reads the internal flows of its campuses and its establishments' aggregates; sends nothing |
/// | équipe campus (pathways) | reads its campus's internal flows; sends, replaces and erases the files of its members |
/// | membre (pathways) | sends, replaces and erases its establishment's files; reads its own learners' aggregates, not the network's flows |
/// | public | reads of public pages and of the public API (platforms and their availability, not who booked; pathways only above the public threshold, outside the policy) |
/// | région académique (actions) | reads the actions of its campuses (not their registrants) |
/// | équipe campus (actions) | the actions of its campus and their registrants |
/// | membre (actions) | the actions it organises (named among the organisers) and their registrants |
/// | public | reads of public pages and of the public API (platforms and their availability, not who booked; published actions) |
/// | région académique (testimonies) | reads the testimonies of its campuses before publication |
/// | équipe campus (testimonies) | submits, completes and moderates its campus's testimonies |
/// | membre (testimonies) | submits testimonies for the campuses its organisation belongs to; completes and reads its own submissions |
/// | public | published testimonies only |
/// | administrateur national (contest) | editions, calendar, grid, categories, juries; enters any testimony; reads results before their date |
/// | équipe campus (contest) | enters its campus's published testimonies in a category (while submissions are open: the service) |
/// | juror (any role, data of the edition) | marks the entries the service allows (level, académie, dates), in their own name |
/// | any account (contest) | votes for the public prize, once per category (the service) |
/// | public (contest) | editions, categories, published entries; results once their date has come |
/// | région académique (dashboards) | reads the whole dashboard of its région (indicators not public, reports, dossiers); the national one is the national level's |
public enum AccessPolicy {
    public static func decide(_ actor: Actor?, _ action: Action, _ resource: Resource) -> AccessDecision {
        guard let actor else {
            return action == .read && resource.isPublic ? .allowed : .denied("Vous devez vous connecter pour faire cela.")
        }
        if action == .read, resource.isPublic { return .allowed }
        if let problem = actor.scopeProblem { return .denied("Ce compte est incomplet : \(problem).") }
        if let decision = concours(actor, action, resource) { return decision }
        switch actor.role {
        case .administrateurNational:
            return .allowed
        case .regionAcademique:
            return regionAcademique(actor, action, resource)
        case .equipeCampus:
            return equipeCampus(actor, action, resource)
        case .membre:
            return membre(actor, action, resource)
        case .instance:
            return instance(actor, action, resource)
        }
    }

    static let concoursManagedBy = "Le concours « Ma réussite pro » (éditions, catégories, jurys) est géré par l'administrateur national."

    /// The contest's rights, the same for every role but the national administrator (who may everything): nil for
    /// the resources that are not the contest's.
    static func concours(_ actor: Actor, _ action: Action, _ resource: Resource) -> AccessDecision? {
        if actor.role == .administrateurNational {
            switch resource {
            case .concoursNotes(let isJuror):
                return isJuror ? .allowed : .denied("Seuls les jurés de l'édition notent ses candidatures.")
            case .concours, .concoursCandidature, .concoursVote, .concoursResultats: return .allowed
            default: return nil
            }
        }
        switch resource {
        case .concours:
            return action == .read ? .allowed : .denied(Self.concoursManagedBy)
        case .concoursCandidature(let scope):
            if action == .read { return scope.isPublished ? .allowed : .denied("Cette candidature n'est pas publique.") }
            guard actor.role == .equipeCampus else {
                return .denied("Une candidature au concours est déposée par l'équipe du campus du témoignage.")
            }
            return scope.campusID == actor.campusID ? .allowed : .denied("Vous n'inscrivez au concours que les témoignages de votre campus.")
        case .concoursNotes(let isJuror):
            guard action == .update || action == .read else { return .denied("Une note se donne ou se remplace ; elle ne se supprime pas.") }
            return isJuror ? .allowed : .denied("Seuls les jurés de l'édition notent ses candidatures.")
        case .concoursVote:
            return action == .create ? .allowed : .denied("Un vote ne se modifie ni ne se retire.")
        case .concoursResultats(let isPublished):
            return action == .read && isPublished ? .allowed : .denied("Les résultats de cette édition ne sont pas encore publiés.")
        default:
            return nil
        }
    }

    static let parcoursSentByMembers = AccessDecision.denied("Les parcours sont envoyés par l'établissement membre ou par l'équipe de son campus.")

    static func instance(_ actor: Actor, _ action: Action, _ resource: Resource) -> AccessDecision {
        switch resource {
        case .dossier(_, let region, let academie, let bodies):
            guard let body = actor.instance, bodies.contains(body) else { return .denied("Ce dossier n'est pas confié à votre instance.") }
            switch body.territory {
            case .academie:
                guard actor.academieCode == academie else { return .denied("Ce dossier concerne un campus d'une autre académie que celle de votre instance.") }
            case .region:
                guard actor.regionCode == region else { return .denied("Ce dossier concerne un campus d'une autre région académique que celle de votre instance.") }
            case .national:
                break
            }
            return action == .read || action == .update ? .allowed
                : .denied("Une instance donne son avis sur un dossier ; elle ne le crée ni ne le supprime.")
        case .labelDecision:
            return .denied("La décision de labellisation est interministérielle : elle revient à l'administrateur national.")
        case .plateau, .booking:
            return .denied("Les plateaux techniques et leurs réservations sont gérés par les organisations membres et l'équipe du campus.")
        case .campusAction, .actionRegistrations:
            return .denied("Les actions d'un campus sont gérées par son équipe et ses membres organisateurs.")
        case .temoignage, .temoignageModeration:
            return .denied(Self.temoignagesOfCampuses)
        default:
            return .denied("Les instances (CAEN, CREFOP, groupe d'experts, CNEE) donnent leurs avis sur les dossiers qui leur sont confiés ; elles ne modifient pas le registre.")
        }
    }

    static func regionAcademique(_ actor: Actor, _ action: Action, _ resource: Resource) -> AccessDecision {
        let outside = AccessDecision.denied("Ce campus n'appartient pas à votre région académique.")
        switch resource {
        case .campus(_, let region), .network(_, let region):
            return region == actor.regionCode ? .allowed : outside
        case .organisation(let id, let campuses):
            switch action {
            case .create, .read: return .allowed
            case .update:
                return id != nil && campuses.contains { $0.regionCode == actor.regionCode } ? .allowed
                    : .denied("Cette organisation ne fait partie d'aucun campus de votre région académique.")
            case .delete:
                return campuses.isEmpty ? .allowed : .denied("Seul l'administrateur national supprime une organisation qui a fait partie d'un réseau.")
            }
        case .formation(_, let campuses):
            return campuses.contains { $0.regionCode == actor.regionCode } ? .allowed
                : .denied("Cette organisation ne fait partie d'aucun campus de votre région académique.")
        case .dossier(_, let region, _, _):
            return region == actor.regionCode ? .allowed : .denied("Ce dossier concerne un campus d'une autre région académique.")
        case .labelDecision:
            return .denied("La décision de labellisation est interministérielle : elle revient à l'administrateur national.")
        case .plateau(let plateau):
            return plateau.regionCode == actor.regionCode ? .allowed : .denied("Ce plateau appartient à un campus d'une autre région académique.")
        case .booking(let plateau, _):
            guard plateau.regionCode == actor.regionCode else { return .denied("Ce plateau appartient à un campus d'une autre région académique.") }
            return action == .read ? .allowed
                : .denied("Les réservations sont faites par les organisations membres et acceptées par le propriétaire du plateau ou l'équipe du campus.")
        case .activityReport(_, let region):
            guard region == actor.regionCode else { return outside }
            return action == .read ? .allowed : .denied("Le rapport d'activité est écrit et transmis par l'équipe du campus ; la région académique le prend en compte.")
        case .activityReportReview(_, let region):
            return region == actor.regionCode ? .allowed : outside
        case .parcours(_, let region):
            guard region == actor.regionCode else { return .denied("Ce campus n'appartient pas à votre région académique.") }
            return action == .read ? .allowed : Self.parcoursSentByMembers
        case .parcoursEtablissement(_, let campuses):
            guard campuses.contains(where: { $0.regionCode == actor.regionCode }) else {
                return .denied("Cet établissement ne fait partie d'aucun campus de votre région académique.")
            }
            return action == .read ? .allowed : Self.parcoursSentByMembers
        case .campusAction(let scope):
            guard scope.regionCode == actor.regionCode else { return .denied("Cette action est celle d'un campus d'une autre région académique.") }
            return action == .read ? .allowed
                : .denied("Les actions d'un campus sont créées et modifiées par son équipe et ses membres organisateurs ; la région académique les consulte.")
        case .actionRegistrations:
            return .denied("La liste des inscrits est réservée à l'équipe du campus et aux organisateurs de l'action.")
        case .temoignage(let scope):
            guard scope.regionCode == actor.regionCode else { return .denied("Ce témoignage est celui d'un campus d'une autre région académique.") }
            return action == .read ? .allowed : .denied(Self.temoignagesOfCampuses)
        case .temoignageModeration:
            return .denied(Self.temoignagesModeratedBy)
        case .dashboard(let region):
            guard action == .read else { return .denied(Self.dashboardReadOnly) }
            return region != nil && region == actor.regionCode ? .allowed
                : .denied("Le tableau de bord complet d'une autre région académique, ou de toute la France, est réservé au niveau national.")
        case .concours, .concoursCandidature, .concoursNotes, .concoursVote, .concoursResultats:
            return concours(actor, action, resource) ?? .denied(Self.concoursManagedBy)
        case .auditTrail, .accounts:
            return .denied("Réservé à l'administrateur national.")
        }
    }

    static let temoignagesOfCampuses = "Les témoignages d'un campus sont soumis par son équipe et les organisations de son réseau."
    static let temoignagesModeratedBy = "La modération des témoignages revient à l'équipe du campus et à l'administrateur national."
    static let dashboardReadOnly = "Un tableau de bord se consulte ; ses chiffres viennent des données de cmq."
    static let dashboardStaffOnly = "Le tableau de bord complet est réservé à la région académique et au niveau national."

    static func equipeCampus(_ actor: Actor, _ action: Action, _ resource: Resource) -> AccessDecision {
        switch resource {
        case .campus(let id, _):
            guard let id, id == actor.campusID else { return .denied("Vous ne pouvez agir que sur votre campus.") }
            switch action {
            case .update, .read: return .allowed
            case .create, .delete: return .denied("La création et la suppression d'un campus reviennent à la région académique.")
            }
        case .network(let campusID, _):
            return campusID == actor.campusID ? .allowed : .denied("Vous ne pouvez gérer que le réseau de votre campus.")
        case .organisation(let id, _):
            if action == .create, id == nil { return .allowed }
            return .denied("Seuls ses membres et la région académique modifient une organisation.")
        case .formation(_, let campuses):
            return campuses.contains { $0.id == actor.campusID } ? .allowed
                : .denied("Vous ne gérez que l'offre des membres de votre campus.")
        case .dossier(let campusID, _, _, _):
            guard campusID == actor.campusID else { return .denied("Ce dossier concerne un autre campus.") }
            return action == .read ? .allowed : .denied("Le dossier de labellisation est préparé et déposé par la région académique ; l'équipe du campus le consulte.")
        case .labelDecision:
            return .denied("La décision de labellisation est interministérielle : elle revient à l'administrateur national.")
        case .plateau(let plateau):
            return plateau.campusID == actor.campusID ? .allowed : .denied("Vous ne gérez que les plateaux techniques de votre campus.")
        case .booking(let plateau, _):
            guard plateau.campusID == actor.campusID else { return .denied("Ce plateau appartient à un autre campus.") }
            return action == .create ? .denied("Une réservation est faite au nom d'une organisation membre, par un compte « membre » de cette organisation.") : .allowed
        case .activityReport(let campusID, _):
            guard campusID == actor.campusID else { return .denied("Ce rapport d'activité est celui d'un autre campus.") }
            return action == .delete ? .denied("Un rapport d'activité ne se supprime pas.") : .allowed
        case .activityReportReview:
            return .denied("La prise en compte du rapport d'activité revient à la région académique.")
        case .parcours(let campusID, _):
            guard campusID == actor.campusID else { return .denied("Vous ne voyez que les parcours du réseau de votre campus.") }
            return action == .read ? .allowed : Self.parcoursSentByMembers
        case .parcoursEtablissement(_, let campuses):
            return campuses.contains { $0.id == actor.campusID } ? .allowed
                : .denied("Cet établissement ne fait pas partie du réseau de votre campus.")
        case .campusAction(let scope), .actionRegistrations(let scope):
            return scope.campusID == actor.campusID ? .allowed : .denied("Vous ne gérez que les actions de votre campus.")
        case .temoignage(let scope), .temoignageModeration(let scope):
            return scope.campusID == actor.campusID ? .allowed : .denied("Vous ne gérez que les témoignages de votre campus.")
        case .dashboard:
            return .denied(Self.dashboardStaffOnly)
        case .concours, .concoursCandidature, .concoursNotes, .concoursVote, .concoursResultats:
            return concours(actor, action, resource) ?? .denied(Self.concoursManagedBy)
        case .auditTrail, .accounts:
            return .denied("Réservé à l'administrateur national.")
        }
    }

    static func membre(_ actor: Actor, _ action: Action, _ resource: Resource) -> AccessDecision {
        switch resource {
        case .organisation(let id, _):
            guard action == .update || action == .read, let id, id == actor.organisationID else {
                return .denied("Vous ne pouvez modifier que la fiche de votre organisation.")
            }
            return .allowed
        case .formation(let organisationID, _):
            return organisationID == actor.organisationID ? .allowed : .denied("Vous ne gérez que les formations de votre organisation.")
        case .campus, .network:
            return .denied("Le campus et son réseau sont gérés par l'équipe du campus et la région académique.")
        case .dossier, .labelDecision:
            return .denied("Les dossiers de labellisation sont réservés à la région académique, au campus concerné et aux instances.")
        case .activityReport, .activityReportReview:
            return .denied("Le rapport d'activité d'un campus est réservé à son équipe, à sa région académique et au niveau national.")
        case .plateau(let plateau):
            return plateau.organisationID == actor.organisationID ? .allowed : .denied("Vous ne gérez que les plateaux techniques de votre organisation.")
        case .booking(let plateau, let booker):
            let isOwner = plateau.organisationID == actor.organisationID, isBooker = booker == actor.organisationID
            switch action {
            case .create:
                return isBooker ? .allowed : .denied("Vous ne réservez qu'au nom de votre organisation.")
            case .update:
                return isOwner ? .allowed : .denied("Seuls le propriétaire du plateau et l'équipe du campus acceptent ou refusent une réservation.")
            case .delete, .read:
                return isOwner || isBooker ? .allowed : .denied("Cette réservation n'est ni celle de votre organisation ni celle d'un de ses plateaux.")
            }
        case .parcours:
            return .denied("Les flux du réseau sont réservés à l'équipe du campus, à la région académique et au niveau national ; un établissement voit les parcours de ses propres apprenants.")
        case .parcoursEtablissement(let organisationID, _):
            return organisationID == actor.organisationID ? .allowed : .denied("Vous ne gérez que les parcours des apprenants de votre établissement.")
        case .campusAction(let scope), .actionRegistrations(let scope):
            guard let organisation = actor.organisationID, scope.organiserIDs.contains(organisation) else {
                return .denied("Vous ne gérez que les actions dont votre organisation est organisatrice.")
            }
            return .allowed
        case .temoignage(let scope):
            guard let organisation = actor.organisationID, scope.memberOrganisationIDs.contains(organisation) else {
                return .denied("Votre organisation n'est pas membre du réseau de ce campus.")
            }
            switch action {
            case .create: return .allowed
            case .read, .update: return scope.submitterID == actor.userID ? .allowed : .denied("Vous ne gérez que les témoignages que vous avez soumis.")
            case .delete: return .denied(Self.temoignagesModeratedBy)
            }
        case .temoignageModeration:
            return .denied(Self.temoignagesModeratedBy)
        case .dashboard:
            return .denied(Self.dashboardStaffOnly)
        case .concours, .concoursCandidature, .concoursNotes, .concoursVote, .concoursResultats:
            return concours(actor, action, resource) ?? .denied(Self.concoursManagedBy)
        case .auditTrail, .accounts:
            return .denied("Réservé à l'administrateur national.")
        }
    }
}

extension Resource {
    /// Reads the public may make without an account.
    var isPublic: Bool {
        switch self {
        case .campus, .network, .organisation, .formation, .plateau: true
        case .campusAction(let scope): scope.isPublished
        case .temoignage(let scope): scope.isPublished
        case .temoignageModeration: false
        case .concours: true
        case .concoursCandidature(let scope): scope.isPublished
        case .concoursResultats(let isPublished): isPublished
        case .concoursNotes, .concoursVote: false
        case .dossier, .labelDecision, .booking, .parcours, .parcoursEtablissement, .auditTrail, .accounts, .activityReport, .activityReportReview, .actionRegistrations, .dashboard: false
        }
    }
}
