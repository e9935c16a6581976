import CMQDomain
import Fluent
import Foundation

/// The checked fields of an organisation, as a create or an update asks for them.
struct OrganisationInput: Sendable {
    var nom: Update<String?> = .unchanged
    var type: Update<OrganisationKind?> = .unchanged
    var isPublic: Update<Bool?> = .unchanged
    var lyceeDesMetiers: Update<Bool?> = .unchanged
    var uai: Update<UAI?> = .unchanged
    var siret: Update<SIRET?> = .unchanged
    var adresse: Update<String?> = .unchanged
    var codePostal: Update<String?> = .unchanged
    var commune: Update<String?> = .unchanged
    var departement: Update<String?> = .unchanged
    var latitude: Update<Double?> = .unchanged
    var longitude: Update<Double?> = .unchanged
    var siteWeb: Update<String?> = .unchanged
    var telephone: Update<PhoneNumber?> = .unchanged

    /// Reads every field; faults are left in the reader.
    static func read(_ reader: inout InputReader) -> OrganisationInput {
        var input = OrganisationInput()
        input.nom = reader.text("nom", required: true)
        input.type = reader.choice("type", OrganisationKind.self, required: true)
        input.isPublic = reader.bool("public")
        input.lyceeDesMetiers = reader.bool("lyceeDesMetiers")
        input.uai = reader.code("uai", parse: UAI.init)
        input.siret = reader.code("siret", parse: SIRET.init)
        input.adresse = reader.text("adresse", maxLength: 300)
        input.codePostal = reader.text("codePostal", maxLength: 5)
        if case .set(let code?) = input.codePostal, code.count != 5 || !code.allSatisfy(\.isNumber) {
            reader.fail("codePostal", "Le code postal « \(code) » doit comporter 5 chiffres.")
        }
        input.commune = reader.text("commune", maxLength: 100)
        input.departement = reader.text("departement", maxLength: 3)
        if case .set(let code?) = input.departement, TerritoryCatalog.shared.departement(code: code) == nil {
            reader.fail("departement", "Le département « \(code) » n'existe pas (exemples de codes : 02, 2A, 974).")
        }
        input.latitude = reader.number("latitude", range: -90...90)
        input.longitude = reader.number("longitude", range: -180...180)
        input.siteWeb = reader.url("siteWeb")
        input.telephone = reader.code("telephone", parse: PhoneNumber.init)
        return input
    }
}

/// Creating, changing, finding and deleting organisations: the one place where their rules are applied.
struct OrganisationService {
    let db: any Database
    let caller: Caller

    private var audit: AuditLog { caller.audit }

    /// Throws 401/403 unless the caller may do `action` on this organisation.
    func authorize(_ action: Action, _ id: UUID?) async throws {
        try caller.authorize(action, try await organisationResource(id, on: db))
    }

    func find(_ id: UUID) async throws -> Organisation {
        guard let organisation = try await Organisation.find(id, on: db) else {
            throw AppError.notFound("Aucune organisation n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        return organisation
    }

    func create(_ input: OrganisationInput) async throws -> Organisation {
        try caller.authorize(.create, .organisation(id: nil, campuses: []))
        guard case .set(let kind?) = input.type else { throw AppError.validation([FieldError("type", "Le champ « type » est obligatoire.")]) }
        let organisation = Organisation(nom: "", kind: kind, isPublic: false)
        try apply(input, to: organisation)
        try await checkUniqueness(of: organisation)
        try await save(organisation, action: .create, before: nil)
        return organisation
    }

    func update(_ id: UUID, _ input: OrganisationInput) async throws -> Organisation {
        let organisation = try await find(id)
        try await authorize(.update, id)
        let before = organisation.auditSnapshot
        try apply(input, to: organisation)
        try await checkUniqueness(of: organisation)
        try await save(organisation, action: .update, before: before)
        return organisation
    }

    /// An organisation that still belongs to a campus network cannot be deleted: the memberships go first.
    func delete(_ id: UUID) async throws {
        let organisation = try await find(id)
        try await authorize(.delete, id)
        let memberships = try await Membership.query(on: db).filter(\.$organisation.$id == id).with(\.$campus).all()
        guard memberships.isEmpty else {
            let names = memberships.map { "« \($0.campus.nom) »" }.joined(separator: ", ")
            throw AppError.conflict("L'organisation « \(organisation.nom) » est membre de \(memberships.count) campus (\(names)) : retirez-la de ces réseaux avant de la supprimer.")
        }
        let formations = try await Formation.query(on: db).filter(\.$organisation.$id == id).count()
        guard formations == 0 else {
            throw AppError.conflict("L'organisation « \(organisation.nom) » donne \(formations) formation(s) : supprimez-les ou confiez-les à une autre organisation avant de la supprimer.")
        }
        let plateaux = try await PlateauRecord.query(on: db).filter(\.$organisation.$id == id).count()
        guard plateaux == 0 else {
            throw AppError.conflict("L'organisation « \(organisation.nom) » possède \(plateaux == 1 ? "un plateau technique" : "\(plateaux) plateaux techniques") : supprimez-\(plateaux == 1 ? "le" : "les") avant de la supprimer.")
        }
        let bookings = try await ReservationRecord.query(on: db).filter(\.$organisation.$id == id).count()
        guard bookings == 0 else {
            throw AppError.conflict("L'organisation « \(organisation.nom) » a fait \(bookings == 1 ? "une réservation" : "\(bookings) réservations") de plateaux techniques, qui restent dans l'historique des plateaux : elle ne peut pas être supprimée.")
        }
        try await db.writeTransaction { db in
            try await audit.record(.delete, organisation, id: id, on: db)
            try await organisation.delete(on: db)
        }
    }

    private func save(_ organisation: Organisation, action: AuditAction, before: [String: String]?) async throws {
        do {
            try await db.writeTransaction { db in
                try await organisation.save(on: db)
                try await audit.record(action, organisation, id: organisation.requireID(), before: before, on: db)
            }
        } catch where error.isConstraintFailure {
            throw AppError.conflict("Une autre organisation porte déjà cette UAI ou ce SIRET.")
        }
    }

    func apply(_ input: OrganisationInput, to organisation: Organisation) throws(AppError) {
        if case .set(let value?) = input.nom { organisation.nom = value }
        if case .set(let value?) = input.type { organisation.kind = value }
        if case .set(let value) = input.isPublic { organisation.isPublic = value ?? false }
        if case .set(let value) = input.lyceeDesMetiers { organisation.lyceeDesMetiers = value ?? false }
        if case .set(let value) = input.uai { organisation.uai = value?.value }
        if case .set(let value) = input.siret { organisation.siret = value?.value }
        if case .set(let value) = input.adresse { organisation.adresse = value }
        if case .set(let value) = input.codePostal { organisation.codePostal = value }
        if case .set(let value) = input.commune { organisation.commune = value }
        if case .set(let value) = input.latitude { organisation.latitude = value }
        if case .set(let value) = input.longitude { organisation.longitude = value }
        if case .set(let value) = input.siteWeb { organisation.siteWeb = value }
        if case .set(let value) = input.telephone { organisation.telephone = value?.value }

        switch input.departement {
        case .set(let code?): organisation.departementCode = TerritoryCatalog.normaliseDepartementCode(code)
        case .set(nil): organisation.departementCode = nil
        case .unchanged: break
        }
        // Without a département, the UAI tells the one the establishment was registered in.
        if organisation.departementCode == nil, let uai = organisation.uai.flatMap({ try? UAI($0) }) {
            organisation.departementCode = uai.departementCode
        }
        organisation.refreshDerivedFields()

        if (organisation.latitude == nil) != (organisation.longitude == nil) {
            let missing = organisation.latitude == nil ? "latitude" : "longitude"
            throw .validation([FieldError(missing, "La latitude et la longitude vont ensemble : donnez les deux ou aucune.")])
        }
    }

    private func checkUniqueness(of organisation: Organisation) async throws {
        if let taken = try await takenIdentifier(uai: organisation.uai, siret: organisation.siret, excluding: organisation.id) {
            throw AppError.conflict(taken.detail)
        }
    }

    /// The UAI or SIRET that an organisation other than `id` already holds, as a fault of its field (a form shows it there).
    func takenIdentifier(uai: String?, siret: String?, excluding id: UUID?) async throws -> FieldError? {
        if let uai, let other = try await Organisation.query(on: db).filter(\.$uai == uai).first(), other.id != id {
            return FieldError("uai", "L'UAI \(uai) est déjà attribuée à l'organisation « \(other.nom) » (\(other.id!.uuidString.lowercased())).")
        }
        if let siret, let other = try await Organisation.query(on: db).filter(\.$siret == siret).first(), other.id != id {
            return FieldError("siret", "Le SIRET \(siret) est déjà attribué à l'organisation « \(other.nom) » (\(other.id!.uuidString.lowercased())).")
        }
        return nil
    }
}

/// The filters of the organisation list.
struct OrganisationFilter: Sendable {
    var kind: OrganisationKind?
    var uai: UAI?
    var siret: SIRET?
    var departement: String?
    var q: String?

    static func read(from query: [String: String]) throws(AppError) -> OrganisationFilter {
        var reader = QueryReader(query)
        let filter = OrganisationFilter(kind: reader.choice("kind", OrganisationKind.self, "Le type"), uai: reader.code("uai", parse: UAI.init),
                                        siret: reader.code("siret", parse: SIRET.init), departement: reader.departement()?.code, q: reader.text("q"))
        try reader.finish()
        return filter
    }

    func apply(to query: QueryBuilder<Organisation>) -> QueryBuilder<Organisation> {
        if let kind { query.filter(\.$kind == kind) }
        if let uai { query.filter(\.$uai == uai.value) }
        if let siret { query.filter(\.$siret == siret.value) }
        if let departement { query.filter(\.$departementCode == departement) }
        if let q {
            for term in TextFolding.searchKey(q).split(separator: " ") {
                query.filter(\.$nomCle, .contains(inverse: false, .anywhere), String(term))
            }
        }
        return query
    }
}

extension Organisation {
    /// Recomputes what follows from other fields: the folded name, the académie and région of the département.
    func refreshDerivedFields() {
        let territory = TerritoryCatalog.shared
        let departement = departementCode.flatMap { territory.departement(code: $0) }
        academieCode = departement?.academieCode
        regionCode = departement.flatMap { territory.region(ofAcademie: $0.academieCode)?.code }
        nomCle = TextFolding.searchKey(nom)
    }
}
