import CMQDomain
import Fluent
import Foundation
import SQLKit

/// What the national administrator writes of an edition: its name, its calendar (days, each boundary at midnight in
/// Europe/Paris), its scoring grid and its national places. The API's body and the back-office's form read alike.
struct ConcoursEditionInput: Sendable {
    var nom: String
    var calendar: ContestCalendar
    var grid: ScoringGrid
    var placesNationales: Int

    /// The calendar's fields, in order, with their labels (the form's and the errors').
    static let dateFields: [(key: String, label: String)] = [
        ("depotsOuverture", "Ouverture des dépôts"), ("depotsCloture", "Clôture des dépôts"),
        ("juryAcademiqueCloture", "Fin des jurys académiques"), ("juryNationalCloture", "Fin du jury national"),
        ("voteOuverture", "Ouverture du vote du public"), ("voteCloture", "Clôture du vote du public"), ("resultats", "Publication des résultats"),
    ]

    static func read(_ reader: inout InputReader) throws(AppError) -> Self {
        let nom = reader.text("nom", required: true, maxLength: 120).value ?? ""
        var days: [String: CalendarDay] = [:]
        for field in dateFields {
            if let day = reader.day(field.key, required: true).value { days[field.key] = day }
        }
        let places = reader.integer("placesNationales", required: true, range: 1...10).value
        let criteria = reader.objects("grille") { (item: inout InputReader) -> ScoringCriterion? in
            let code = item.text("code", required: true, maxLength: 40).value
            let label = item.text("libelle", required: true, maxLength: 120).value
            let weight = item.integer("poids", required: true, range: 1...10).value
            let maximum = item.integer("maximum", required: true, range: 1...100).value
            if let code, !code.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) {
                item.fail("code", "Le code d'un critère s'écrit en minuscules non accentuées, chiffres et tirets.")
            }
            guard let code, let label, let weight, let maximum else { return nil }
            return ScoringCriterion(code: code, label: label, weight: weight, maximum: maximum)
        }.newValue ?? []
        if !reader.hasErrors, criteria.isEmpty { reader.fail("grille", "Une grille compte de 1 à 20 critères.") }
        try reader.finish()
        var calendar: ContestCalendar?
        var grid: ScoringGrid?
        var faults: [FieldError] = []
        let moments = dateFields.map { days[$0.key].map(Self.midnight) ?? Date() }
        do {
            calendar = try ContestCalendar(submissionsOpen: moments[0], submissionsClose: moments[1], academieJuryClose: moments[2],
                                           nationalJuryClose: moments[3], voteOpen: moments[4], voteClose: moments[5], results: moments[6])
        } catch { faults.append(FieldError("calendrier", error.message)) }
        do { grid = try ScoringGrid(criteria) } catch { faults.append(FieldError("grille", error.message)) }
        guard let calendar, let grid, let places, faults.isEmpty else { throw AppError.validation(faults) }
        return Self(nom: nom, calendar: calendar, grid: grid, placesNationales: places)
    }

    /// A day's midnight in Europe/Paris: the moment a calendar's boundary falls.
    static func midnight(_ day: CalendarDay) -> Date {
        Calendar(identifier: .gregorian).date(from: DateComponents(timeZone: TimeZone(identifier: "Europe/Paris"), year: day.year, month: day.month,
                                                                   day: day.day)) ?? Date.distantPast
    }

    /// The day of a boundary (the inverse of `midnight`).
    static func day(_ date: Date) -> CalendarDay { CalendarDay(date: date) }
}

/// The contest's administration and reading: editions, categories, juries (the national administrator), the entries
/// (the campus team of a published testimony, while submissions are open). Every write is conditional on a unique
/// index or on a condition checked in the same statement, so that two requests at once cannot both pass.
extension ConcoursService {
    static func editionNotFound(_ id: UUID) -> AppError { .notFound("Aucune édition du concours n'a l'identifiant \(id.uuidString.lowercased()).") }

    // MARK: - Reading

    func editions() async throws -> [ConcoursEditionRecord] {
        try await ConcoursEditionRecord.query(on: db).sort(\.$depotsOuverture, .descending).sort(\.$nom).limit(200).all()
    }

    func edition(_ id: UUID) async throws -> ConcoursEditionRecord {
        guard let edition = try await ConcoursEditionRecord.find(id, on: db) else { throw Self.editionNotFound(id) }
        return edition
    }

    func categories(_ editionID: UUID) async throws -> [ConcoursCategorieRecord] {
        try await ConcoursCategorieRecord.query(on: db).filter(\.$edition.$id == editionID).with(\.$edition).sort(\.$nom).all()
    }

    func jurors(_ editionID: UUID) async throws -> [ConcoursJureRecord] {
        try await ConcoursJureRecord.query(on: db).filter(\.$edition.$id == editionID).with(\.$utilisateur).all()
            .sorted { ($0.niveau.rawValue, $0.utilisateur.email) < ($1.niveau.rawValue, $1.utilisateur.email) }
    }

    /// The entries of an edition (all of its categories), with their testimonies, in order of entry.
    func entries(_ editionID: UUID) async throws -> [Entry] {
        let categories = try await categories(editionID)
        let ids = categories.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let edition = try await edition(editionID)
        let byID = Dictionary(uniqueKeysWithValues: categories.map { ($0.id!, $0) })
        var result: [Entry] = []
        for candidature in try await ConcoursCandidatureRecord.query(on: db).filter(\.$categorie.$id ~~ ids).sort(\.$createdAt).sort(\.$id).limit(1000).all() {
            guard let categorie = byID[candidature.$categorie.id], let loaded = try await TemoignageService.load(candidature.$temoignage.id, on: db) else { continue }
            categorie.$edition.value = edition
            candidature.$categorie.value = categorie
            result.append(Entry(candidature: candidature, categorie: categorie, edition: edition, temoignage: loaded))
        }
        return result
    }

    /// The entries the caller sees: the public's are those in the contest (published, consents for the contest).
    func visibleEntries(_ editionID: UUID) async throws -> [Entry] {
        try await entries(editionID).filter { caller.may(.read, .concoursCandidature($0.temoignage.scope(on: caller.today))) && Self.isEntered($0, on: caller.today)
            || caller.may(.create, .concoursCandidature($0.temoignage.scope(on: caller.today))) }
    }

    /// The jury seat of the caller in an edition, if any.
    func seat(_ editionID: UUID) async throws -> ConcoursJureRecord? {
        guard let userID = caller.actor?.userID else { return nil }
        return try await ConcoursJureRecord.query(on: db).filter(\.$edition.$id == editionID).filter(\.$utilisateur.$id == userID).first()
    }

    /// The caller's own marks for an entry at their level, if given.
    func ownMarks(_ candidatureID: UUID, seat: ConcoursJureRecord) async throws -> [String: Int]? {
        guard let note = try await ConcoursNoteRecord.query(on: db).filter(\.$candidature.$id == candidatureID).filter(\.$jure.$id == seat.requireID())
            .filter(\.$niveau == seat.niveau).first() else { return nil }
        return try? JSONDecoder().decode([String: Int].self, from: Data(note.notesJSON.utf8))
    }

    /// The categories of an edition in which the caller has voted.
    func votedCategories(_ editionID: UUID) async throws -> Set<UUID> {
        guard let userID = caller.actor?.userID else { return [] }
        let ids = try await categories(editionID).compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        return Set(try await ConcoursVoteRecord.query(on: db).filter(\.$utilisateur.$id == userID).filter(\.$categorie.$id ~~ ids).all().map(\.$categorie.id))
    }

    /// Whether the results of an edition are published at the caller's now.
    func resultsArePublished(_ edition: ConcoursEditionRecord) -> Bool { edition.resultats <= caller.clock.now() }

    // MARK: - Editions, categories, juries (the national administrator)

    func createEdition(_ input: ConcoursEditionInput) async throws -> ConcoursEditionRecord {
        try caller.authorize(.create, .concours)
        let record = try ConcoursEditionRecord(nom: input.nom, calendar: input.calendar, grid: input.grid, placesNationales: input.placesNationales)
        do { try await createAudited(record) } catch where error.isConstraintFailure {
            throw AppError.conflict("Une édition s'appelle déjà « \(input.nom) ».")
        }
        return record
    }

    /// Replaces an edition's name, calendar, grid and places. The grid cannot change once a juror has marked: the
    /// update is conditional on there being no mark of the edition (checked in the same statement).
    func updateEdition(_ id: UUID, _ input: ConcoursEditionInput) async throws -> ConcoursEditionRecord {
        try caller.authorize(.update, .concours)
        let current = try await edition(id)
        let grid = String(decoding: try JSONEncoder().encode(input.grid.criteria), as: UTF8.self)
        let before = current.auditSnapshot
        let updated = try await conditionalEditionUpdate(id, input: input, grid: grid, gridChanged: grid != current.grilleJSON)
        try await caller.audit.record(.update, updated, id: id, before: before, on: db)
        return updated
    }

    /// Creates a record and its entry in the audit trail, together.
    private func createAudited<Record: Model & Audited>(_ record: Record) async throws where Record.IDValue == UUID {
        let caller = caller
        try await db.writeTransaction { db in
            try await record.create(on: db)
            try await caller.audit.record(.create, record, id: try record.requireID(), on: db)
        }
    }

    private func conditionalEditionUpdate(_ id: UUID, input: ConcoursEditionInput, grid: String, gridChanged: Bool) async throws -> ConcoursEditionRecord {
        guard let sql = db as? any SQLDatabase else { throw AppError.conflict("Base de données non prise en charge.") }
        let calendar = input.calendar
        var query: SQLQueryString = "UPDATE concours_editions SET nom = \(bind: input.nom), depots_ouverture = \(bind: calendar.submissionsOpen), "
        query += "depots_cloture = \(bind: calendar.submissionsClose), jury_academique_cloture = \(bind: calendar.academieJuryClose), "
        query += "jury_national_cloture = \(bind: calendar.nationalJuryClose), vote_ouverture = \(bind: calendar.voteOpen), "
        query += "vote_cloture = \(bind: calendar.voteClose), resultats = \(bind: calendar.results), grille = \(bind: grid), "
        query += "places_nationales = \(bind: input.placesNationales) WHERE id = \(bind: id)"
        if gridChanged {
            // no mark given yet for an entry of this edition
            query += " AND NOT EXISTS (SELECT 1 FROM concours_notes n JOIN concours_candidatures c ON c.id = n.candidature_id "
            query += "JOIN concours_categories k ON k.id = c.categorie_id WHERE k.edition_id = \(bind: id))"
        }
        query += " RETURNING id"
        let rows: [any SQLRow]
        do { rows = try await sql.raw(query).all() } catch where error.isConstraintFailure {
            throw AppError.conflict("Une édition s'appelle déjà « \(input.nom) ».")
        }
        guard !rows.isEmpty else {
            throw AppError.conflict("Des jurés ont déjà noté des candidatures de cette édition : sa grille ne change plus.")
        }
        return try await edition(id)
    }

    func addCategorie(_ editionID: UUID, code: String, nom: String) async throws -> ConcoursCategorieRecord {
        try caller.authorize(.create, .concours)
        _ = try await edition(editionID)
        let record = ConcoursCategorieRecord(editionID: editionID, code: code, nom: nom)
        do { try await createAudited(record) } catch where error.isConstraintFailure {
            throw AppError.conflict("L'édition a déjà une catégorie de code « \(code) ».")
        }
        return record
    }

    /// Deletes an edition that has no entry yet (a mistake, a cancelled edition), with its categories and jury seats
    /// (the national administrator). Once a testimony is entered, the edition stays: it has entries, marks, votes.
    func deleteEdition(_ editionID: UUID) async throws {
        try caller.authorize(.delete, .concours)
        let record = try await edition(editionID)
        let caller = caller
        try await db.writeTransaction { db in
            try await Self.lockForDeletion(editionID: editionID, on: db)
            guard try await Self.entryCount(editionID: editionID, categorieID: nil, on: db) == 0 else {
                throw AppError.conflict("« \(record.nom) » a déjà des candidatures : l'édition ne peut plus être supprimée.")
            }
            try await record.delete(on: db)
            try await caller.audit.record(.delete, record, id: editionID, on: db)
        }
    }

    /// Deletes a category of an edition while no testimony is entered in it (the national administrator).
    func deleteCategorie(_ editionID: UUID, categorieID: UUID) async throws {
        try caller.authorize(.delete, .concours)
        guard let record = try await ConcoursCategorieRecord.query(on: db).filter(\.$id == categorieID).filter(\.$edition.$id == editionID).first() else {
            throw AppError.notFound("Aucune catégorie n'a l'identifiant \(categorieID.uuidString.lowercased()) dans cette édition.")
        }
        let caller = caller
        try await db.writeTransaction { db in
            try await Self.lockForDeletion(editionID: editionID, on: db)
            guard try await Self.entryCount(editionID: editionID, categorieID: categorieID, on: db) == 0 else {
                throw AppError.conflict("La catégorie « \(record.nom) » a déjà des candidatures : elle ne peut plus être supprimée.")
            }
            try await record.delete(on: db)
            try await caller.audit.record(.delete, record, id: categorieID, on: db)
        }
    }

    /// On PostgreSQL, the edition's categories are locked before their entries are counted: an entry sent meanwhile
    /// waits for the deletion and is then refused (its category is gone); on SQLite the write transaction is alone.
    private static func lockForDeletion(editionID: UUID, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT id FROM concours_editions WHERE id = \(bind: editionID) FOR UPDATE").run()
        try await sql.raw("SELECT id FROM concours_categories WHERE edition_id = \(bind: editionID) FOR UPDATE").run()
    }

    private static func entryCount(editionID: UUID, categorieID: UUID?, on db: any Database) async throws -> Int {
        let categories = try await ConcoursCategorieRecord.query(on: db).filter(\.$edition.$id == editionID).all().compactMap(\.id)
            .filter { categorieID == nil || $0 == categorieID }
        guard !categories.isEmpty else { return 0 }
        return try await ConcoursCandidatureRecord.query(on: db).filter(\.$categorie.$id ~~ categories).count()
    }

    /// Gives an account (found by its e-mail) a jury seat in the edition: académie level with its académie, or
    /// national. One seat per account and edition (unique index).
    func addJuror(_ editionID: UUID, email: String, niveau: ConcoursJureRecord.Niveau, academieCode: String?) async throws -> ConcoursJureRecord {
        try caller.authorize(.create, .concours)
        _ = try await edition(editionID)
        guard let user = try await User.query(on: db).filter(\.$email == email.lowercased()).first(), let userID = user.id else {
            throw AppError.validation([FieldError("courriel", "Aucun compte n'a l'adresse « \(email) ».")])
        }
        let record = ConcoursJureRecord(editionID: editionID, userID: userID, niveau: niveau, academieCode: niveau == .academique ? academieCode : nil)
        record.$utilisateur.value = user
        do { try await createAudited(record) } catch where error.isConstraintFailure {
            throw AppError.conflict("« \(email) » est déjà juré de cette édition.")
        }
        record.$utilisateur.value = user
        return record
    }

    /// Removes a jury seat and its marks (the national administrator).
    func removeJuror(_ editionID: UUID, jurorID: UUID) async throws {
        try caller.authorize(.delete, .concours)
        guard let record = try await ConcoursJureRecord.query(on: db).filter(\.$id == jurorID).filter(\.$edition.$id == editionID).first() else {
            throw AppError.notFound("Aucun juré n'a l'identifiant \(jurorID.uuidString.lowercased()) dans cette édition.")
        }
        let caller = caller
        try await db.writeTransaction { db in
            try await record.delete(on: db)
            try await caller.audit.record(.delete, record, id: jurorID, on: db)
        }
    }

    // MARK: - Entries (the campus team, while submissions are open)

    /// Enters a published testimony, whose consents cover the contest, in a category, while the edition's
    /// submissions are open. Once per category (unique index).
    func enter(_ temoignageID: UUID, categorieID: UUID) async throws -> Entry {
        guard let categorie = try await ConcoursCategorieRecord.query(on: db).filter(\.$id == categorieID).with(\.$edition).first() else {
            throw AppError.validation([FieldError("categorieId", "Aucune catégorie n'a l'identifiant \(categorieID.uuidString.lowercased()).")])
        }
        guard let loaded = try await TemoignageService.load(temoignageID, on: db) else {
            throw AppError.validation([FieldError("temoignageId", "Aucun témoignage n'a l'identifiant \(temoignageID.uuidString.lowercased()).")])
        }
        let today = caller.today
        try caller.authorize(.create, .concoursCandidature(loaded.scope(on: today)))
        guard try categorie.edition.calendar.phase(at: caller.clock.now()) == .depots else {
            throw AppError.conflict("Les dépôts de « \(categorie.edition.nom) » ne sont pas ouverts.")
        }
        guard loaded.isPublic(on: today) else { throw AppError.conflict("Seul un témoignage publié entre au concours.") }
        guard loaded.consentStatus(.concours, on: today).isComplete else {
            throw AppError.conflict("Les consentements de ce témoignage ne couvrent pas le concours.")
        }
        let record = ConcoursCandidatureRecord(categorieID: categorieID, temoignageID: temoignageID, academieCode: loaded.campus.academieCode)
        record.$temoignage.value = loaded.record
        do { try await createAudited(record) } catch where error.isConstraintFailure {
            throw AppError.conflict("Ce témoignage est déjà inscrit dans la catégorie « \(categorie.nom) ».")
        }
        return Entry(candidature: record, categorie: categorie, edition: categorie.edition, temoignage: loaded)
    }

    /// The testimonies the caller may enter in an edition: published ones of the campuses they manage, not yet in.
    func enterable(_ editionID: UUID) async throws -> [TemoignageService.Loaded] {
        guard let actor = caller.actor else { return [] }
        let query = TemoignageRecord.query(on: db).filter(\.$etat == .publie)
        switch actor.role {
        case .administrateurNational: break
        case .equipeCampus: query.filter(\.$campus.$id == (actor.campusID ?? UUID()))
        default: return []
        }
        let entered = Set(try await entries(editionID).map(\.temoignage.id))
        var result: [TemoignageService.Loaded] = []
        for record in try await query.sort(\.$titre).limit(300).all() {
            guard let id = record.id, !entered.contains(id), let loaded = try await TemoignageService.load(id, on: db) else { continue }
            if loaded.isPublic(on: caller.today), loaded.consentStatus(.concours, on: caller.today).isComplete,
               caller.may(.create, .concoursCandidature(loaded.scope(on: caller.today))) {
                result.append(loaded)
            }
        }
        return result
    }
}
