import CMQDomain
import Fluent
import SQLKit
import Foundation

/// The checked fields of a formation.
struct FormationInput: Sendable {
    var intitule: Update<String?> = .unchanged
    var organisationID: Update<UUID?> = .unchanged
    var responsableID: Update<UUID?> = .unchanged
    var filiere: Update<Filiere?> = .unchanged
    var typeDiplome: Update<DiplomaType?> = .unchanged
    var niveauEntree: Update<Level?> = .unchanged
    var niveauSortie: Update<Level?> = .unchanged
    var cfd: Update<CFD?> = .unchanged
    var rncp: Update<RNCP?> = .unchanged
    var romes: Update<[ROMECode]> = .unchanged
    var duree: Update<String?> = .unchanged
    var statuts: Update<[LearnerStatus]> = .unchanged
    var capacite: Update<Int?> = .unchanged
    var modalite: Update<Modality?> = .unchanged
    var datesDebut: Update<[CalendarDay]> = .unchanged
    var description: Update<String?> = .unchanged
    var lien: Update<String?> = .unchanged

    static func read(_ reader: inout InputReader) -> FormationInput {
        var input = FormationInput()
        input.intitule = reader.text("intitule", required: true, maxLength: 300)
        input.organisationID = reader.uuid("organisationId", required: true)
        input.responsableID = reader.uuid("organisationResponsableId")
        input.filiere = reader.choice("filiere", Filiere.self)
        input.typeDiplome = reader.choice("typeDiplome", DiplomaType.self)
        func level(_ key: String, required: Bool) -> Update<Level?> {
            switch reader.integer(key, required: required, range: 3...8) {
            case .unchanged: .unchanged
            case .set(let number): .set(number.flatMap(Level.init(number:)))
            }
        }
        input.niveauEntree = level("niveauEntree", required: false)
        // The exit level may be left out when the diploma type says it.
        let typeGiven: Bool = { if case .set(_?) = input.typeDiplome { true } else { false } }()
        input.niveauSortie = level("niveauSortie", required: reader.mode == .create && !typeGiven)
        // (A form sends an empty field where the API leaves it out: both mean "as the diploma type says".)
        let exitGiven: Bool = { if case .set(_?) = input.niveauSortie { true } else { false } }()
        if !exitGiven, case .set(let type?) = input.typeDiplome, reader.mode == .create {
            input.niveauSortie = .set(type.level)
        }
        if case .set(let entry?) = input.niveauEntree, case .set(let exit?) = input.niveauSortie, entry > exit {
            reader.fail("niveauEntree", "Le niveau d'entrée (\(entry.number)) ne peut pas dépasser le niveau de sortie (\(exit.number)).")
        }
        input.cfd = reader.code("cfd", parse: CFD.init)
        input.rncp = reader.code("rncp", parse: RNCP.init(lenient:))
        if case .set(let codes) = reader.texts("romes", maxCount: 20) {
            var romes: [ROMECode] = []
            for (index, code) in codes.enumerated() {
                do { romes.append(try ROMECode(code)) } catch { reader.fail("romes[\(index)]", error.message) }
            }
            input.romes = .set(romes)
        }
        input.duree = reader.text("duree", maxLength: 60)
        if case .set(let values) = reader.texts("statuts", required: reader.mode == .create, maxCount: 4) {
            var statuses: [LearnerStatus] = []
            for (index, value) in values.enumerated() {
                if let status = LearnerStatus(rawValue: value) { if !statuses.contains(status) { statuses.append(status) } } else {
                    reader.fail("statuts[\(index)]", "Le statut « \(value) » n'est pas reconnu ; valeurs possibles : \(LearnerStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
            }
            input.statuts = .set(statuses)
        }
        input.capacite = reader.integer("capacite", range: 0...100_000)
        input.modalite = reader.choice("modalite", Modality.self)
        if case .set(let values) = reader.texts("datesDebut", maxCount: 24) {
            var days: [CalendarDay] = []
            for (index, value) in values.enumerated() {
                if let day = CalendarDay(iso: value) { days.append(day) } else {
                    reader.fail("datesDebut[\(index)]", "« \(value) » n'est pas une date au format AAAA-MM-JJ.")
                }
            }
            input.datesDebut = .set(days.sorted())
        }
        input.description = reader.text("description", maxLength: 10_000)
        input.lien = reader.url("lien")
        return input
    }
}

/// Creating, changing and deleting formations, and the offer of a campus.
struct FormationService {
    let db: any Database
    let caller: Caller

    func find(_ id: UUID) async throws -> Formation {
        guard let formation = try await Formation.visible(on: db).filter(\.$id == id)
            .with(\.$organisation).with(\.$statuts).with(\.$romes).first() else {
            throw AppError.notFound("Aucune formation n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        return formation
    }

    /// The access-rules view of the organisation that gives a formation.
    func resource(forOrganisation id: UUID) async throws -> Resource {
        guard case .organisation(_, let campuses) = try await organisationResource(id, on: db) else { return .formation(organisationID: id, campuses: []) }
        return .formation(organisationID: id, campuses: campuses)
    }

    /// Creates a formation; `id` keeps the identifier an import file gives.
    func create(_ input: FormationInput, id: UUID? = nil) async throws -> Formation {
        guard case .set(let organisationID?) = input.organisationID, try await Organisation.find(organisationID, on: db) != nil else {
            throw AppError.validation([FieldError("organisationId", "L'organisation qui donne la formation n'existe pas.")])
        }
        try caller.authorize(.create, try await resource(forOrganisation: organisationID))
        try await checkResponsable(input)
        let formation = Formation(id: id, organisationID: organisationID, intitule: "", niveauSortie: 3)
        formation.apply(input)
        try await db.writeTransaction { db in
            try await formation.create(on: db)
            try await replaceLists(of: formation, with: input, on: db)
            try await caller.audit.record(.create, formation, id: formation.requireID(), on: db)
        }
        return try await find(formation.requireID())
    }

    func update(_ id: UUID, _ input: FormationInput) async throws -> Formation {
        let formation = try await find(id)
        try caller.authorize(.update, try await resource(forOrganisation: formation.$organisation.id))
        if case .set(let organisationID?) = input.organisationID, organisationID != formation.$organisation.id {
            guard try await Organisation.find(organisationID, on: db) != nil else {
                throw AppError.validation([FieldError("organisationId", "L'organisation qui donne la formation n'existe pas.")])
            }
            try caller.authorize(.update, try await resource(forOrganisation: organisationID))
        }
        try await checkResponsable(input)
        let before = formation.auditSnapshot
        formation.apply(input)
        if let entry = formation.niveauEntree, entry > formation.niveauSortie {
            throw AppError.validation([FieldError("niveauEntree", "Le niveau d'entrée (\(entry)) ne peut pas dépasser le niveau de sortie (\(formation.niveauSortie)).")])
        }
        try await db.writeTransaction { db in
            try await formation.save(on: db)
            try await replaceLists(of: formation, with: input, on: db)
            let reloaded = try await Formation.visible(on: db).filter(\.$id == id).with(\.$statuts).with(\.$romes).first()!
            try await caller.audit.record(.update, reloaded, id: id, before: before, on: db)
        }
        return try await find(id)
    }

    func delete(_ id: UUID) async throws {
        let formation = try await find(id)
        try caller.authorize(.delete, try await resource(forOrganisation: formation.$organisation.id))
        try await db.writeTransaction { db in
            try await caller.audit.record(.delete, formation, id: id, on: db)
            try await formation.delete(on: db)
        }
    }

    private func checkResponsable(_ input: FormationInput) async throws {
        if case .set(let id?) = input.responsableID, try await Organisation.find(id, on: db) == nil {
            throw AppError.validation([FieldError("organisationResponsableId", "L'organisation responsable n'existe pas.")])
        }
    }

    private func replaceLists(of formation: Formation, with input: FormationInput, on db: any Database) async throws {
        let id = try formation.requireID()
        let lists = try formation.listRows(from: input)
        if let statuts = lists.statuts {
            try await FormationStatut.query(on: db).filter(\.$formation.$id == id).delete()
            for status in statuts { try await status.create(on: db) }
        }
        if let romes = lists.romes {
            try await FormationROME.query(on: db).filter(\.$formation.$id == id).delete()
            for rome in romes { try await rome.create(on: db) }
        }
    }
}

extension Formation {
    /// Writes the checked fields of an input into the formation (`FormationFields.applyInput`, which imports use
    /// on rows without models).
    func apply(_ input: FormationInput, stems: StemMemo = StemMemo()) {
        var formation = self
        formation.applyInput(input, stems: stems)
    }

    /// The status and ROME rows an input gives the formation (which must have its id); nil for a list the
    /// input leaves unchanged.
    func listRows(from input: FormationInput) throws -> (statuts: [FormationStatut]?, romes: [FormationROME]?) {
        let id = try requireID()
        var statuts: [FormationStatut]?
        var romes: [FormationROME]?
        if let values = input.statusValues { statuts = values.map { FormationStatut(formationID: id, statut: $0) } }
        if let codes = input.romeValues { romes = codes.map { FormationROME(formationID: id, code: $0) } }
        return (statuts, romes)
    }
}

/// The offer of a campus: the formations of its current members that belong to its filière, plus the
/// formations attached to it explicitly.
struct CampusOffer {
    let db: any Database

    func formations(of campus: Campus, on day: CalendarDay) async throws -> [Formation] {
        let campusID = try campus.requireID()
        let members = try await Membership.query(on: db).filter(\.$campus.$id == campusID).all()
            .filter { $0.isCurrent(on: day) }
            .map(\.$organisation.id)
        let attached = try await CampusFormation.query(on: db).filter(\.$campus.$id == campusID).all().map(\.$formation.id)
        guard !members.isEmpty || !attached.isEmpty else { return [] }
        return try await Formation.visible(on: db)
            .group(.or) { group in
                if !members.isEmpty {
                    group.group(.and) { both in
                        both.filter(\.$organisation.$id ~~ members)
                        both.filter(\.$filiere == campus.filiere.slug)
                    }
                }
                if !attached.isEmpty { group.filter(\.$id ~~ attached) }
            }
            .with(\.$organisation).with(\.$statuts).with(\.$romes)
            .sort(\.$niveauSortie).sort(\.$intituleCle)
            .all()
    }

    /// The campuses whose offer includes a formation, by the same rule as `formations(of:)`.
    func campuses(offering formation: Formation, on day: CalendarDay) async throws -> [Campus] {
        let formationID = try formation.requireID()
        let memberships = try await Membership.query(on: db).filter(\.$organisation.$id == formation.$organisation.id).with(\.$campus).all()
        var campuses = memberships.filter { $0.isCurrent(on: day) && $0.campus.filiere.slug == formation.filiere }.map(\.campus)
        campuses += try await CampusFormation.query(on: db).filter(\.$formation.$id == formationID).with(\.$campus).all().map(\.campus)
        return Dictionary(campuses.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a }).values.sorted { $0.nom < $1.nom }
    }

    func coverage(of campus: Campus, on day: CalendarDay) async throws -> CoverageMatrix {
        CoverageMatrix(offers: try await formations(of: campus, on: day).compactMap { $0.coverageOffer })
    }

    /// Attaches a formation to a campus's offer explicitly (rights of the campus's network).
    func attach(_ formationID: UUID, to campus: Campus, caller: Caller) async throws {
        let campusID = try campus.requireID()
        try caller.authorize(.update, .network(campusID: campusID, regionCode: campus.regionCode))
        guard try await Formation.visible(formationID, on: db) != nil else {
            throw AppError.validation([FieldError("formationId", "Aucune formation n'a l'identifiant \(formationID.uuidString.lowercased()).")])
        }
        if try await CampusFormation.query(on: db).filter(\.$campus.$id == campusID).filter(\.$formation.$id == formationID).first() != nil {
            throw AppError.conflict("Cette formation est déjà rattachée à l'offre du campus « \(campus.nom) ».")
        }
        try await CampusFormation(campusID: campusID, formationID: formationID).create(on: db)
    }

    func detach(_ formationID: UUID, from campus: Campus, caller: Caller) async throws {
        let campusID = try campus.requireID()
        try caller.authorize(.update, .network(campusID: campusID, regionCode: campus.regionCode))
        guard let link = try await CampusFormation.query(on: db).filter(\.$campus.$id == campusID).filter(\.$formation.$id == formationID).first() else {
            throw AppError.notFound("Cette formation n'est pas rattachée explicitement à l'offre du campus « \(campus.nom) ».")
        }
        try await link.delete(on: db)
    }
}

extension Formation {
    var levels: (entry: Level?, exit: Level?) { (niveauEntree.flatMap(Level.init(number:)), Level(number: niveauSortie)) }

    var learnerStatuses: [LearnerStatus] {
        ($statuts.value ?? []).compactMap { LearnerStatus(rawValue: $0.statut) }.sorted { $0.rawValue < $1.rawValue }
    }

    var coverageOffer: CoverageMatrix.Offer? {
        guard let level = levels.exit else { return nil }
        return .init(level: level, statuses: Set(learnerStatuses))
    }
}

extension Formation: Audited {
    static var auditEntity: String { "formation" }
    var auditLabel: String { intitule }
    var auditSnapshot: [String: String] { auditValues(statuts: $statuts.value?.map(\.statut), romes: $romes.value?.map(\.code)) }
}

extension Membership {
    /// Whether the organisation belongs to the network on that day (joined, and not yet left).
    func isCurrent(on day: CalendarDay) -> Bool {
        let since = depuis.flatMap(CalendarDay.init(iso:)), until = jusquA.flatMap(CalendarDay.init(iso:))
        return (since.map { $0 <= day } ?? true) && (until.map { $0 >= day } ?? true)
    }
}
