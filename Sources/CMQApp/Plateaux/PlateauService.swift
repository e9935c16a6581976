import CMQDomain
import Fluent
import Foundation

extension PlateauError {
    var appError: AppError { .validation([FieldError(field, message)]) }

    /// The field of the API's bodies the fault is about.
    var field: String {
        switch self {
        case .invalidTime, .intervalNotIncreasing, .unknownDay, .malformedInterval, .overlappingIntervals: "horaires"
        case .closureNotIncreasing, .missingClosureMotif: "fermetures"
        case .invalidLocalDateTime, .rangeNotIncreasing: "debut"
        case .seriesLength: "semaines"
        case .negativeNotice, .nonPositiveMaximumDuration: "regles"
        case .missingPlateauName: "nom"
        case .missingEquipmentName, .equipmentQuantity, .duplicateEquipment: "equipements"
        }
    }
}

/// The shared technical platforms as the API, the pages and the demo use them: every change is checked
/// against the caller's rights, validated by `CMQDomain.Plateau`, and recorded in the audit trail.
struct PlateauService {
    let db: any Database
    let caller: Caller

    /// A stored platform with its rebuilt domain value, its campus and its owner.
    struct Loaded: Sendable {
        var record: PlateauRecord
        var plateau: Plateau
        var campus: Campus
        var owner: Organisation
        /// Every item ever listed, retired ones included (bookings keep their rank).
        var equipements: [EquipementRecord]

        var scope: Resource.PlateauScope {
            Resource.PlateauScope(campusID: plateau.campusID, regionCode: campus.regionCode, organisationID: plateau.organisationID)
        }

        func rank(of target: BookingTarget) -> Int? {
            target.equipementID.flatMap { id in equipements.first { $0.id == id }?.rang }
        }
    }

    // MARK: - Reading

    func load(_ id: UUID) async throws -> Loaded {
        guard let record = try await PlateauRecord.query(on: db).filter(\.$id == id).with(\.$campus).with(\.$organisation).first() else {
            throw AppError.notFound("Aucun plateau technique n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        return try await Self.loaded([record], on: db)[0]
    }

    /// Platforms with their equipment and closures, in two queries whatever their number.
    static func loaded(_ records: [PlateauRecord], on db: any Database) async throws -> [Loaded] {
        let ids = records.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let equipements = Dictionary(grouping: try await EquipementRecord.query(on: db).filter(\.$plateau.$id ~~ ids).all(), by: \.$plateau.id)
        let fermetures = Dictionary(grouping: try await FermetureRecord.query(on: db).filter(\.$plateau.$id ~~ ids).all(), by: \.$plateau.id)
        return try records.map { record in
            let items = equipements[record.id!] ?? []
            return Loaded(record: record, plateau: try record.domain(equipements: items, fermetures: fermetures[record.id!] ?? []),
                          campus: record.campus, owner: record.organisation, equipements: items)
        }
    }

    /// The platforms of a campus, of an organisation, or all, by name.
    static func list(campusID: UUID? = nil, organisationID: UUID? = nil, on db: any Database) async throws -> [Loaded] {
        let query = PlateauRecord.query(on: db).with(\.$campus).with(\.$organisation).sort(\.$nom)
        if let campusID { query.filter(\.$campus.$id == campusID) }
        if let organisationID { query.filter(\.$organisation.$id == organisationID) }
        return try await loaded(try await query.all(), on: db)
    }

    // MARK: - Writing

    /// What a form or a request says about a platform; nil fields are left as they are (update).
    struct Input: Sendable {
        var campusID: UUID?
        var organisationID: UUID?
        var nom: String?
        var description: String?
        var adresse: String?
        var horaires: OpeningHours?
        var fermetures: [Closure]?
        var regles: PlateauRules?
        /// The whole list of items: listed ids are kept (and updated), others retired, new ones (no id) added.
        var equipements: [EquipementInput]?
    }

    struct EquipementInput: Sendable {
        var id: UUID?
        var nom: String
        var categorie: String
        var quantite: Int
        var formationSecurite: Bool

        func domain(id: UUID) -> Equipement {
            Equipement(id: id, nom: nom, categorie: categorie, quantite: quantite, requiresSafetyTraining: formationSecurite)
        }
    }

    func create(_ input: Input) async throws -> Loaded {
        var errors: [FieldError] = []
        if input.campusID == nil { errors.append(FieldError("campusId", "Le campus du plateau est obligatoire.")) }
        if input.organisationID == nil { errors.append(FieldError("organisationId", "L'organisation propriétaire du plateau est obligatoire.")) }
        if input.horaires == nil { errors.append(FieldError("horaires", "Les heures d'ouverture sont obligatoires.")) }
        guard errors.isEmpty, let campusID = input.campusID, let organisationID = input.organisationID, let horaires = input.horaires else {
            throw AppError.validation(errors)
        }
        guard let campus = try await Campus.find(campusID, on: db) else {
            throw AppError.validation([FieldError("campusId", "Aucun campus n'a l'identifiant \(campusID.uuidString.lowercased()).")])
        }
        guard let owner = try await Organisation.find(organisationID, on: db) else {
            throw AppError.validation([FieldError("organisationId", "Aucune organisation n'a l'identifiant \(organisationID.uuidString.lowercased()).")])
        }
        try caller.authorize(.create, .plateau(.init(campusID: campusID, regionCode: campus.regionCode, organisationID: organisationID)))
        guard try await BookerDirectory.activeCampuses(of: organisationID, today: caller.today, on: db).contains(campusID) else {
            throw AppError.validation([FieldError("organisationId", "« \(owner.nom) » ne fait pas partie du réseau du campus « \(campus.nom) ».")])
        }
        let givenIDs = (input.equipements ?? []).compactMap(\.id)
        if !givenIDs.isEmpty, let taken = try await EquipementRecord.query(on: db).filter(\.$id ~~ givenIDs).first() {
            throw AppError.validation([FieldError("equipements", "L'équipement \(taken.id!.uuidString.lowercased()) appartient déjà à un autre plateau : un nouveau plateau reçoit des équipements nouveaux (sans « id »).")])
        }
        let id = UUID()
        let plateau = Plateau(id: id, campusID: campusID, organisationID: organisationID, nom: input.nom ?? "",
                              description: input.description ?? "", adresse: input.adresse ?? Self.address(of: owner),
                              equipements: (input.equipements ?? []).map { $0.domain(id: $0.id ?? UUID()) }, openingHours: horaires,
                              closures: input.fermetures ?? [], rules: input.regles ?? PlateauRules())
        do { try plateau.validate() } catch { throw error.appError }
        let record = PlateauRecord(id: id, campusID: campusID, organisationID: organisationID)
        try record.apply(plateau)
        try await db.writeTransaction { db in
            try await record.create(on: db)
            for (index, equipement) in plateau.equipements.enumerated() {
                try await EquipementRecord(equipement, plateauID: id, rang: index + 1).create(on: db)
            }
            for closure in plateau.closures { try await FermetureRecord(closure, plateauID: id).create(on: db) }
            try await caller.audit.record(.create, record, id: id, on: db)
        }
        return try await load(id)
    }

    func update(_ id: UUID, _ input: Input) async throws -> Loaded {
        let loaded = try await load(id)
        try caller.authorize(.update, .plateau(loaded.scope))
        var plateau = loaded.plateau
        if let nom = input.nom { plateau.nom = nom }
        if let description = input.description { plateau.description = description }
        if let adresse = input.adresse { plateau.adresse = adresse }
        if let horaires = input.horaires { plateau.openingHours = horaires }
        if let fermetures = input.fermetures { plateau.closures = fermetures }
        if let regles = input.regles { plateau.rules = regles }
        var retired: [EquipementRecord] = []
        if let items = input.equipements {
            let known = Set(plateau.equipements.map(\.id))
            for case let id? in items.map(\.id) where !known.contains(id) {
                throw AppError.validation([FieldError("equipements", "L'équipement \(id.uuidString.lowercased()) ne fait pas partie de ce plateau.")])
            }
            plateau.equipements = items.map { $0.domain(id: $0.id ?? UUID()) }
            let kept = Set(plateau.equipements.map(\.id))
            retired = loaded.equipements.filter { $0.retireLe == nil && !kept.contains($0.id!) }
        }
        do { try plateau.validate() } catch { throw error.appError }
        try await refuseRetiring(retired, plateauID: id)

        let before = loaded.record.auditSnapshot
        let record = loaded.record
        try record.apply(plateau)
        let changedClosures = input.fermetures != nil && input.fermetures != loaded.plateau.closures
        let plateauToSave = plateau, retiredItems = retired
        try await db.writeTransaction { db in
            try await record.save(on: db)
            if input.equipements != nil {
                var nextRank = (loaded.equipements.map(\.rang).max() ?? 0) + 1
                for equipement in plateauToSave.equipements {
                    if let stored = loaded.equipements.first(where: { $0.id == equipement.id }) {
                        stored.apply(equipement)
                        try await stored.save(on: db)
                    } else {
                        try await EquipementRecord(equipement, plateauID: id, rang: nextRank).create(on: db)
                        nextRank += 1
                    }
                }
                for item in retiredItems {
                    item.retireLe = caller.clock.now()
                    try await item.save(on: db)
                }
            }
            if changedClosures {
                try await FermetureRecord.query(on: db).filter(\.$plateau.$id == id).delete()
                for closure in plateauToSave.closures { try await FermetureRecord(closure, plateauID: id).create(on: db) }
            }
            var changes = AuditLog.changes(before: before, after: record.auditSnapshot)
            if changedClosures {
                changes["fermetures"] = FieldChange(avant: Self.describe(loaded.plateau.closures), apres: Self.describe(plateauToSave.closures))
            }
            if input.equipements != nil, loaded.plateau.equipements != plateauToSave.equipements {
                changes["equipements"] = FieldChange(avant: Self.describe(loaded.plateau.equipements), apres: Self.describe(plateauToSave.equipements))
            }
            try await caller.audit.record(.update, record, id: id, changes: changes, on: db)
        }
        return try await load(id)
    }

    /// Adds one item to a platform.
    func addEquipement(_ plateauID: UUID, _ input: EquipementInput) async throws -> (Loaded, Equipement) {
        let loaded = try await load(plateauID)
        var items = loaded.plateau.equipements.map {
            EquipementInput(id: $0.id, nom: $0.nom, categorie: $0.categorie, quantite: $0.quantite, formationSecurite: $0.requiresSafetyTraining)
        }
        var added = input
        added.id = nil
        items.append(added)
        let updated = try await update(plateauID, Input(equipements: items))
        // The new item is the one whose id the platform did not have.
        let known = Set(loaded.plateau.equipements.map(\.id))
        guard let equipement = updated.plateau.equipements.first(where: { !known.contains($0.id) }) else {
            throw CorruptRecord("L'équipement « \(input.nom) » n'a pas été enregistré.")
        }
        return (updated, equipement)
    }

    /// Retires one item (kept for the history of its bookings).
    func removeEquipement(_ plateauID: UUID, _ equipementID: UUID) async throws -> Loaded {
        let loaded = try await load(plateauID)
        guard loaded.plateau.equipement(id: equipementID) != nil else {
            throw AppError.notFound("Le plateau « \(loaded.plateau.nom) » n'a pas d'équipement \(equipementID.uuidString.lowercased()).")
        }
        let items = loaded.plateau.equipements.filter { $0.id != equipementID }.map {
            EquipementInput(id: $0.id, nom: $0.nom, categorie: $0.categorie, quantite: $0.quantite, formationSecurite: $0.requiresSafetyTraining)
        }
        return try await update(plateauID, Input(equipements: items))
    }

    /// A platform goes away with its past bookings, not while bookings are still to come.
    func delete(_ id: UUID) async throws {
        let loaded = try await load(id)
        try caller.authorize(.delete, .plateau(loaded.scope))
        let upcoming = try await ReservationRecord.query(on: db).filter(\.$plateau.$id == id)
            .filter(\.$statut ~~ [BookingStatus.demandee, .acceptee])
            .filter(\.$fin > LocalDateTime(date: caller.clock.now()).wallClockMinutes).count()
        guard upcoming == 0 else {
            throw AppError.conflict("Le plateau « \(loaded.plateau.nom) » a \(upcoming == 1 ? "1 réservation" : "\(upcoming) réservations") à venir : annulez-les avant de le supprimer.")
        }
        try await db.writeTransaction { db in
            try await ReservationRecord.query(on: db).filter(\.$plateau.$id == id).delete()
            try await loaded.record.delete(on: db)
            try await caller.audit.record(.delete, loaded.record, id: id, on: db)
        }
    }

    /// An item with bookings to come stays.
    private func refuseRetiring(_ items: [EquipementRecord], plateauID: UUID) async throws {
        guard !items.isEmpty else { return }
        let now = LocalDateTime(date: caller.clock.now()).wallClockMinutes
        let busy = try await ReservationRecord.query(on: db).filter(\.$plateau.$id == plateauID)
            .filter(\.$equipementID ~~ items.compactMap(\.id))
            .filter(\.$statut ~~ [BookingStatus.demandee, .acceptee])
            .filter(\.$fin > now).all()
        let names = items.filter { item in busy.contains { $0.equipementID == item.id } }.map { "« \($0.nom) »" }
        guard names.isEmpty else {
            throw AppError.conflict("\(names.count == 1 ? "L'équipement" : "Les équipements") \(LabellingError.list(names)) "
                + "\(names.count == 1 ? "a" : "ont") des réservations à venir : annulez-les avant de le retirer.")
        }
    }

    static func address(of organisation: Organisation) -> String {
        [organisation.adresse, [organisation.codePostal, organisation.commune].compactMap { $0 }.joined(separator: " ")]
            .compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: ", ")
    }

    static func describe(_ closures: [Closure]) -> String {
        closures.map { "\($0.first.iso)/\($0.last.iso) \($0.explanation)" }.joined(separator: " ; ")
    }

    static func describe(_ equipements: [Equipement]) -> String {
        equipements.map { "\($0.nom) (\($0.quantite))" + ($0.requiresSafetyTraining ? " [sécurité]" : "") }.joined(separator: " ; ")
    }
}

/// What the booking rules need to know about an organisation: its kind and the campuses whose networks it
/// belongs to today.
enum BookerDirectory {
    static func activeCampuses(of organisationID: UUID, today day: CalendarDay, on db: any Database) async throws -> Set<UUID> {
        let today = day.iso
        let memberships = try await Membership.query(on: db).filter(\.$organisation.$id == organisationID).all()
        return Set(memberships.filter { ($0.jusquA ?? "9999") >= today }.map(\.$campus.id))
    }

    static func booker(organisation: Organisation, personID: UUID, today: CalendarDay, on db: any Database) async throws -> Booker {
        let kind = organisation.kind
        return Booker(organisationID: try organisation.requireID(), kind: kind,
               campusIDs: try await activeCampuses(of: organisation.requireID(), today: today, on: db), personID: personID)
    }
}
