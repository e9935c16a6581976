import CMQDomain
import Fluent
import Foundation

/// A person of the campus team as given in a request.
struct TeamMemberInput: Sendable, Equatable {
    var nom: String
    var role: TeamRole
    var email: String?
}

/// The checked fields of a campus, as a create or an update asks for them.
struct CampusInput: Sendable {
    var nom: Update<String?> = .unchanged
    var filiere: Update<Filiere?> = .unchanged
    var academie: Update<Academie?> = .unchanged
    var description: Update<String?> = .unchanged
    var siteWeb: Update<String?> = .unchanged
    var formeJuridique: Update<LegalForm?> = .unchanged
    var dateCreation: Update<CalendarDay?> = .unchanged
    var equipe: Update<[TeamMemberInput]> = .unchanged

    static func read(_ reader: inout InputReader) -> CampusInput {
        var input = CampusInput()
        input.nom = reader.text("nom", required: true)
        input.filiere = reader.choice("filiere", Filiere.self, required: true)
        if case .set(let code?) = reader.text("academie", required: true, maxLength: 60) {
            if let academie = TerritoryCatalog.shared.academie(matching: code) {
                input.academie = .set(academie)
            } else {
                reader.fail("academie", "L'académie « \(code) » n'existe pas ; donnez son code (par exemple 20 pour Amiens) ou son nom.")
            }
        }
        input.description = reader.text("description", maxLength: 5000)
        input.siteWeb = reader.url("siteWeb")
        input.formeJuridique = reader.choice("formeJuridique", LegalForm.self)
        input.dateCreation = reader.day("dateCreation")
        input.equipe = reader.objects("equipe", nullEmpties: true) { person in
            let nom = person.text("nom", required: true, maxLength: 120).value
            let role = person.choice("role", TeamRole.self, required: true).value
            let email = person.email("email").value
            guard let nom, let role else { return nil }
            return TeamMemberInput(nom: nom, role: role, email: email)
        }
        return input
    }
}

/// Creating, changing, finding and deleting campuses. Every write is recorded in the audit trail.
struct CampusService {
    let db: any Database
    let caller: Caller

    private var audit: AuditLog { caller.audit }

    /// Throws 401/403 unless the caller may do `action` on this campus (for forms shown before a write).
    func authorize(_ action: Action, _ campus: Campus) throws(AppError) {
        try caller.authorize(action, .campus(id: campus.id, regionCode: campus.regionCode))
    }

    func find(_ id: UUID) async throws -> Campus {
        guard let campus = try await Campus.find(id, on: db) else {
            throw AppError.notFound("Aucun campus n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        return campus
    }

    func create(_ input: CampusInput) async throws -> Campus {
        guard case .set(let filiere?) = input.filiere else { throw AppError.validation([FieldError("filiere", "Le champ « filiere » est obligatoire.")]) }
        let campus = Campus(nom: "", filiere: filiere, academieCode: "", regionCode: "")
        apply(input, to: campus)
        try caller.authorize(.create, .campus(id: nil, regionCode: campus.regionCode))
        try await db.writeTransaction { db in
            try await campus.create(on: db)
            try await audit.record(.create, campus, id: campus.requireID(), on: db)
            try await replaceTeam(of: campus, with: input.equipe, on: db)
        }
        return campus
    }

    func update(_ id: UUID, _ input: CampusInput) async throws -> Campus {
        let campus = try await find(id)
        try caller.authorize(.update, .campus(id: id, regionCode: campus.regionCode))
        let before = campus.auditSnapshot
        apply(input, to: campus)
        // Moving a campus to another académie needs the right there too.
        try caller.authorize(.update, .campus(id: id, regionCode: campus.regionCode))
        try await db.writeTransaction { db in
            try await campus.save(on: db)
            try await audit.record(.update, campus, id: id, before: before, on: db)
            try await replaceTeam(of: campus, with: input.equipe, on: db)
        }
        return campus
    }

    /// Deleting a campus deletes its network memberships and its team, never the organisations.
    func delete(_ id: UUID) async throws {
        let campus = try await find(id)
        try caller.authorize(.delete, .campus(id: id, regionCode: campus.regionCode))
        let dossiers = try await DossierRecord.query(on: db).filter(\.$campus.$id == id).count()
        guard dossiers == 0 else {
            throw AppError.conflict("Le campus « \(campus.nom) » a \(dossiers == 1 ? "un dossier" : "\(dossiers) dossiers") de labellisation (et ses labels) : ils restent dans l'historique national, le campus ne peut donc pas être supprimé.")
        }
        let plateaux = try await PlateauRecord.query(on: db).filter(\.$campus.$id == id).count()
        guard plateaux == 0 else {
            throw AppError.conflict("Le campus « \(campus.nom) » a \(plateaux == 1 ? "un plateau technique" : "\(plateaux) plateaux techniques") : supprimez-\(plateaux == 1 ? "le" : "les") avant de supprimer le campus.")
        }
        try await db.writeTransaction { db in
            for person in try await TeamMember.query(on: db).filter(\.$campus.$id == id).all() {
                try await audit.record(.delete, person, id: person.requireID(), on: db)
                try await person.delete(on: db)
            }
            for membership in try await Membership.query(on: db).filter(\.$campus.$id == id).with(\.$organisation).all() {
                try await audit.record(.delete, membership, id: membership.requireID(), on: db)
                try await membership.delete(on: db)
            }
            try await audit.record(.delete, campus, id: id, on: db)
            try await campus.delete(on: db)
        }
    }

    func team(of campusID: UUID) async throws -> [TeamMember] {
        try await TeamMember.query(on: db).filter(\.$campus.$id == campusID).sort(\.$position).all()
    }

    private func apply(_ input: CampusInput, to campus: Campus) {
        if case .set(let value?) = input.nom { campus.nom = value }
        if case .set(let value?) = input.filiere { campus.filiere = value }
        if case .set(let value?) = input.academie {
            campus.academieCode = value.code
            campus.regionCode = value.regionCode
        }
        if case .set(let value) = input.description { campus.description = value }
        if case .set(let value) = input.siteWeb { campus.siteWeb = value }
        if case .set(let value) = input.formeJuridique { campus.formeJuridique = value ?? .etablissementBudgetPropre }
        if case .set(let value) = input.dateCreation { campus.dateCreation = value?.iso }
        campus.nomCle = TextFolding.searchKey(campus.nom)
    }

    private func replaceTeam(of campus: Campus, with update: Update<[TeamMemberInput]>, on db: any Database) async throws {
        guard case .set(let people) = update else { return }
        let campusID = try campus.requireID()
        let current = try await TeamMember.query(on: db).filter(\.$campus.$id == campusID).sort(\.$position).all()
        let wanted = people.map { [$0.nom, $0.role.rawValue, $0.email ?? ""] }
        guard current.map({ [$0.nom, $0.role.rawValue, $0.email ?? ""] }) != wanted else { return }
        for person in current {
            try await audit.record(.delete, person, id: person.requireID(), on: db)
            try await person.delete(on: db)
        }
        for (position, person) in people.enumerated() {
            let member = TeamMember(campusID: campusID, nom: person.nom, role: person.role, email: person.email, position: position)
            try await member.create(on: db)
            try await audit.record(.create, member, id: member.requireID(), on: db)
        }
    }
}

/// The filters of the campus list.
struct CampusFilter: Sendable, Equatable {
    var filiere: Filiere?
    var region: RegionAcademique?
    var academie: Academie?
    var q: String?
    /// The label status (en-projet, en-instruction, labellise, excellence, expire, retire).
    var label: LabelStatus.Kind?

    static func read(from query: [String: String]) throws(AppError) -> CampusFilter {
        var reader = QueryReader(query)
        let filter = CampusFilter(filiere: reader.filiere(), region: reader.region(), academie: reader.academie(), q: reader.text("q"),
                                  label: reader.choice("label", LabelStatus.Kind.self, "Le statut de label"))
        try reader.finish()
        return filter
    }

    /// The filters, the label status included (it depends on today, so it is computed, not stored).
    func query(on db: any Database, today: CalendarDay) async throws -> QueryBuilder<Campus> {
        let query = apply(to: Campus.query(on: db))
        if let label {
            query.filter(\.$id ~~ (try await CampusLabels(db: db).campuses(withStatus: label, on: today)))
        }
        return query
    }

    func apply(to query: QueryBuilder<Campus>) -> QueryBuilder<Campus> {
        if let filiere { query.filter(\.$filiere == filiere) }
        if let region { query.filter(\.$regionCode == region.code) }
        if let academie { query.filter(\.$academieCode == academie.code) }
        if let q {
            for term in TextFolding.searchKey(q).split(separator: " ") {
                query.filter(\.$nomCle, .contains(inverse: false, .anywhere), String(term))
            }
        }
        return query
    }
}
