import CMQDomain
import Fluent
import Vapor

/// What waits for the signed-in account on its back-office home: booking requests on the platforms it looks
/// after, its organisation's requests still unanswered, the dossiers at a step it takes (with how long they have
/// waited), the labels of its campuses that expire within twelve months; its campus or organisation in one
/// click, and the links to what it may do (and nothing it may not).
enum BackOfficeHome {
    struct Waiting: Encodable {
        var title: String
        var count: Int
        var items: [WaitingItem]
        var moreURL: String?
        var moreLabel: String?
        var empty: String
    }

    struct WaitingItem: Encodable {
        var label: String
        var url: String
        var detail: String
    }

    static let shown = 5

    static func waiting(caller: Caller, on db: any Database) async throws -> [Waiting] {
        guard let actor = caller.actor else { return [] }
        var blocks: [Waiting] = []
        if try await PlateauBookingPagesController.managesPlatforms(actor, on: db) {
            blocks.append(try await bookingRequests(actor: actor, caller: caller, on: db))
        }
        if actor.role == .membre, let organisationID = actor.organisationID {
            blocks.append(try await ownRequests(organisationID, caller: caller, on: db))
        }
        if actor.role != .membre {
            blocks.append(try await dossiers(caller: caller, on: db))
        }
        if let labels = try await expiringLabels(actor: actor, caller: caller, on: db) { blocks.append(labels) }
        if let reports = try await activityReports(actor: actor, caller: caller, on: db) { blocks.append(reports) }
        if actor.role == .administrateurNational || actor.role == .equipeCampus {
            blocks.append(try await accessRequests(caller: caller, on: db))
            blocks.append(try await temoignages(actor: actor, caller: caller, on: db))
        }
        if let concours = try await ConcoursBackOfficeController.waiting(caller: caller, on: db) { blocks.append(concours) }
        return blocks
    }

    /// Booking requests on the platforms the account looks after, the oldest request first.
    static func bookingRequests(actor: Actor, caller: Caller, on db: any Database) async throws -> Waiting {
        let query = ReservationRecord.query(on: db)
        var items: [WaitingItem] = []
        var count = 0
        if BookingQueries.restrict(query, toPlatformsManagedBy: actor) {
            query.filter(\.$statut == .demandee)
            count = try await query.count()
            let records = try await query.sort(\.$createdAt).sort(\.$id).limit(shown).with(\.$organisation).all()
            for loaded in try await BookingQueries.loaded(records, on: db) {
                let item = PlateauBookingPagesController.item(loaded, actor: actor, cancellable: false)
                items.append(WaitingItem(label: "\(item.plateau) · \(item.what)", url: PlateauxURL.bookings.path + "#" + item.anchor,
                                         detail: "\(item.creneau) · demandé par \(item.organisation)\(since(loaded.record.createdAt, caller: caller))"))
            }
        }
        return Waiting(title: "Demandes de réservation à traiter", count: count, items: items,
                       moreURL: PlateauxURL.bookings.path, moreLabel: "Toutes les réservations",
                       empty: "Aucune demande de réservation n'attend votre décision.")
    }

    /// The requests of the member's organisation that no one has answered yet.
    static func ownRequests(_ organisationID: UUID, caller: Caller, on db: any Database) async throws -> Waiting {
        let query = ReservationRecord.query(on: db).filter(\.$organisation.$id == organisationID).filter(\.$statut == .demandee)
        let count = try await query.count()
        let records = try await query.sort(\.$debut).sort(\.$id).limit(shown).with(\.$organisation).all()
        let items = try await BookingQueries.loaded(records, on: db).map { loaded in
            let item = PlateauBookingPagesController.item(loaded, actor: caller.actor!, cancellable: false)
            return WaitingItem(label: "\(item.plateau) · \(item.what)", url: PlateauxURL.bookings.path + "#" + item.anchor,
                               detail: "\(item.creneau) · en attente de réponse\(since(loaded.record.createdAt, caller: caller))")
        }
        return Waiting(title: "Vos demandes de réservation en attente", count: count, items: items,
                       moreURL: PlateauxURL.bookings.path, moreLabel: "Toutes vos réservations",
                       empty: "Aucune de vos demandes n'attend de réponse.")
    }

    /// The dossiers in progress where the account has a step to take (opinion, scores, decision, deposit), the
    /// longest waiting first.
    static func dossiers(caller: Caller, on db: any Database) async throws -> Waiting {
        guard let actor = caller.actor else { return Waiting(title: "", count: 0, items: [], empty: "") }
        let service = LabellingService(db: db, caller: caller)
        var found: [(WaitingItem, Date)] = []
        for kind in [DossierStatus.Kind.brouillon, .enInstruction] {
            let page = try await LabellingQueries.visibleDossiers(actor: actor, filter: .init(statut: kind), page: PageRequest(page: 1, per: 100), on: db)
            for summary in page.items {
                let loaded = try await service.load(summary.id)
                // The national administrator may record any body's opinion, but waits only for its decisions.
                let steps = service.steps(loaded).filter { actor.role != .administrateurNational || $0 == .decision }.compactMap(stepLabel)
                guard !steps.isEmpty else { continue }
                let last = try await TransitionRecord.query(on: db).filter(\.$dossier.$id == summary.id).sort(\.$at, .descending).first()?.at
                    ?? loaded.record.updatedAt ?? caller.clock.now()
                found.append((WaitingItem(label: summary.campusNom, url: LabellingURL.dossier(summary.id).path,
                                          detail: "\(steps.sorted().joined(separator: ", "))\(since(last, caller: caller))"), last))
            }
        }
        found.sort { $0.1 < $1.1 }
        return Waiting(title: "Dossiers de labellisation qui attendent votre action", count: found.count, items: found.prefix(shown).map(\.0),
                       moreURL: LabellingURL.dossiers.path, moreLabel: "Tous les dossiers",
                       empty: "Aucun dossier n'attend une étape de votre part.")
    }

    /// The requests for an account the national administrator (all) or a campus team (its campus's) examines.
    static func accessRequests(caller: Caller, on db: any Database) async throws -> Waiting {
        let pending = try await AccessRequests(db: db, caller: caller).queue()
        return Waiting(title: "Demandes d'accès à examiner", count: pending.count,
                       items: pending.prefix(shown).map { request in
                           WaitingItem(label: "\(request.nom) · \(request.organisation)", url: AccountsURL.accessRequests.path,
                                       detail: "\(request.role.label)\(since(request.createdAt, caller: caller))")
                       },
                       moreURL: AccountsURL.accessRequests.path, moreLabel: "Toutes les demandes d'accès",
                       empty: "Aucune demande d'accès n'attend votre examen.")
    }

    /// The testimonies waiting for the moderation of the national administrator (all) or a campus team (its
    /// campus's), the oldest first.
    static func temoignages(actor: Actor, caller: Caller, on db: any Database) async throws -> Waiting {
        let query = TemoignageRecord.query(on: db).filter(\.$etat == .enAttente)
        if actor.role != .administrateurNational { query.filter(\.$campus.$id == (actor.campusID ?? UUID())) }
        let count = try await query.count()
        let records = try await query.sort(\.$createdAt).sort(\.$id).limit(shown).with(\.$campus).all()
        let list = TemoignagesURL.manageList.path(query: ["etat": TemoignageEtat.enAttente.rawValue])
        return Waiting(title: "Témoignages à modérer", count: count,
                       items: records.compactMap { record in
                           record.id.map { id in
                               WaitingItem(label: "\(record.titre) · \(record.prenom)", url: TemoignagesURL.manage(id).path,
                                           detail: "\(record.campus.nom)\(since(record.createdAt, caller: caller))")
                           }
                       },
                       moreURL: list, moreLabel: "Tous les témoignages",
                       empty: "Aucun témoignage n'attend votre modération.")
    }

    /// What the account does on a dossier, in a few words (nil for what it may always do: write, abandon).
    static func stepLabel(_ step: ProcedureAction) -> String? {
        switch step {
        case .edition, .abandon: nil
        case .depot: "à déposer"
        case .avis(let body): "avis \(body.label)"
        case .notation: "notes d'expertise"
        case .clotureExpertise: "avis collectif des experts"
        case .decision: "décision"
        }
    }

    /// The labels of the account's campuses that end within twelve months, the soonest first (nil for the
    /// instances, which follow no campus).
    static func expiringLabels(actor: Actor, caller: Caller, on db: any Database) async throws -> Waiting? {
        let labels = try await LabellingQueries.labels(.init(expirantAvant: caller.today.adding(months: 12)), on: db, today: caller.today)
        let mine: [LabelDTO]
        switch actor.role {
        case .administrateurNational: mine = labels
        case .regionAcademique: mine = labels.filter { $0.region == actor.regionCode }
        case .equipeCampus: mine = labels.filter { $0.campus == actor.campusID }
        case .membre:
            let campuses = Set(try await Membership.query(on: db).filter(\.$organisation.$id == (actor.organisationID ?? UUID())).all()
                .filter { $0.isCurrent(on: caller.today) }.map(\.$campus.id))
            mine = labels.filter { campuses.contains($0.campus) }
        case .instance: return nil
        }
        let sorted = mine.sorted { ($0.fin, $0.campusNom) < ($1.fin, $1.campusNom) }
        return Waiting(title: "Labels qui expirent dans les douze mois", count: sorted.count,
                       items: sorted.prefix(shown).map { label in
                           WaitingItem(label: label.campusNom, url: RegistryURL.campus(label.campus).path,
                                       detail: "\(label.excellence ? "label CMQ Excellence" : "label CMQ") jusqu'au \(CalendarDay(iso: label.fin)?.frenchLong ?? label.fin) · \(label.regionNom)")
                       },
                       moreURL: actor.role == .membre ? nil : LabellingURL.dossiers.path, moreLabel: actor.role == .membre ? nil : "Préparer un renouvellement",
                       empty: "Aucun label de vos campus n'expire dans les douze mois.")
    }

    /// " · depuis 3 jours" (nothing for today).
    /// Activity reports: for a campus team, its campus's reports of the school year and the one before until they
    /// are transmitted; for a région (or the national level), the transmitted reports that wait for its
    /// acknowledgment, the oldest first.
    static func activityReports(actor: Actor, caller: Caller, on db: any Database) async throws -> Waiting? {
        switch actor.role {
        case .equipeCampus:
            guard let campusID = actor.campusID, let campus = try await Campus.find(campusID, on: db) else { return nil }
            let current = SchoolYear(containing: caller.today)
            var items: [WaitingItem] = []
            for year in [current.previous, current] {
                let record = try await ActivityReportRecord.query(on: db).filter(\.$campus.$id == campusID).filter(\.$annee == year.startYear).first()
                guard record == nil || record?.statut == .brouillon else { continue }
                items.append(WaitingItem(label: "Rapport d'activité \(year) — \(campus.nom)",
                                         url: IndicatorsURL.report(campus: campusID, annee: year.description).path,
                                         detail: record == nil ? "pas encore commencé" : "brouillon, à transmettre à la région académique\(since(record?.modifieLe, caller: caller))"))
            }
            return Waiting(title: "Rapports d'activité à écrire et transmettre", count: items.count, items: items, moreURL: nil, moreLabel: nil,
                           empty: "Les rapports d'activité de votre campus sont transmis.")
        case .regionAcademique, .administrateurNational:
            let query = ActivityReportRecord.query(on: db).filter(\.$statut == .transmis).join(Campus.self, on: \ActivityReportRecord.$campus.$id == \Campus.$id)
            if actor.role == .regionAcademique { query.filter(Campus.self, \.$regionCode == (actor.regionCode ?? "")) }
            let count = try await query.count()
            let records = try await query.sort(\.$modifieLe).sort(\.$id).limit(shown).all()
            let items = try records.map { record in
                let campus = try record.joined(Campus.self)
                let year = SchoolYear(startYear: record.annee)
                return WaitingItem(label: "Rapport d'activité \(year) — \(campus.nom)",
                                   url: IndicatorsURL.report(campus: try campus.requireID(), annee: year.description).path,
                                   detail: "transmis, à prendre en compte\(since(record.modifieLe, caller: caller))")
            }
            return Waiting(title: "Rapports d'activité à prendre en compte", count: count, items: items, moreURL: nil, moreLabel: nil,
                           empty: "Aucun rapport d'activité transmis n'attend votre prise en compte.")
        default:
            return nil
        }
    }

    static func since(_ date: Date?, caller: Caller) -> String {
        guard let date else { return "" }
        let days = Int(caller.clock.now().timeIntervalSince(date) / 86_400)
        switch days {
        case ..<1: return " · depuis aujourd'hui"
        case 1: return " · depuis 1 jour"
        default: return " · depuis \(days) jours"
        }
    }
}
