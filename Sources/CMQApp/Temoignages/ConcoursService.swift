import CMQDomain
import Fluent
import Foundation
import SQLKit

/// The contest of "Ma réussite pro": an edition's entries, the jurors' marks (each in their own name, at their level),
/// the public vote and the results. The rules are `ContestRules`'; the jury role is data (`concours_jures`): an
/// account is a juror of one edition, at académie level for its académie's entries, or at national level for the
/// entries the académie juries sent on.
struct ConcoursService {
    let db: any Database
    let caller: Caller

    static func notFound(_ id: UUID) -> AppError { .notFound("Aucune candidature n'a l'identifiant \(id.uuidString.lowercased()).") }

    struct Entry: Sendable {
        var candidature: ConcoursCandidatureRecord
        var categorie: ConcoursCategorieRecord
        var edition: ConcoursEditionRecord
        var temoignage: TemoignageService.Loaded
    }

    func entry(_ id: UUID) async throws -> Entry {
        guard let candidature = try await ConcoursCandidatureRecord.query(on: db).filter(\.$id == id).with(\.$categorie) { $0.with(\.$edition) }.first(),
              let loaded = try await TemoignageService.load(candidature.$temoignage.id, on: db) else { throw Self.notFound(id) }
        return Entry(candidature: candidature, categorie: candidature.categorie, edition: candidature.categorie.edition, temoignage: loaded)
    }

    /// An entry is in the contest while its testimony is published and its consents cover the contest.
    static func isEntered(_ entry: Entry, on day: CalendarDay) -> Bool {
        entry.temoignage.isPublic(on: day) && entry.temoignage.consentStatus(.concours, on: day).isComplete
    }

    // MARK: - The public vote

    /// One vote per signed-in account and per category, while the vote is open, for an entry in the contest. The
    /// insert is conditional on the unique index (category, account): of two votes sent at once, one is kept.
    func vote(_ candidatureID: UUID) async throws {
        guard let userID = caller.actor?.userID else { throw AppError.unauthorized("Connectez-vous pour voter : un vote par compte et par catégorie.") }
        try caller.authorize(.create, .concoursVote)
        let entry = try await entry(candidatureID)
        let now = caller.clock.now()
        let calendar = try entry.edition.calendar
        let categorieID = try entry.categorie.requireID()
        let already = try await ConcoursVoteRecord.query(on: db).filter(\.$categorie.$id == categorieID).filter(\.$utilisateur.$id == userID).count() > 0
        let ballot = PublicVoteRules.Ballot(accountID: userID, categoryID: categorieID)
        do {
            try PublicVoteRules.check(ballot, cast: already ? [ballot] : [], opens: calendar.voteOpen, closes: calendar.voteClose, now: now,
                                      entered: Self.isEntered(entry, on: caller.today))
        } catch let refusal as PublicVoteRules.Refusal {
            throw AppError.conflict(refusal.message)
        }
        guard let sql = db as? any SQLDatabase else { throw AppError.conflict("Base de données non prise en charge.") }
        let id = UUID()
        let kept = try await sql.insert(into: ConcoursVoteRecord.schema)
            .columns("id", "categorie_id", "candidature_id", "utilisateur_id", "cree_le")
            .values(SQLBind(id), SQLBind(categorieID), SQLBind(candidatureID), SQLBind(userID), SQLBind(now))
            .ignoringConflicts(with: ["categorie_id", "utilisateur_id"])
            .returning("id")
            .all()
        guard !kept.isEmpty else { throw AppError.conflict(PublicVoteRules.Refusal.alreadyVoted.message) }
    }

    // MARK: - The juries

    /// The caller's marks for an entry, in their own name, at their level: an académie juror for the entries of
    /// their académie while the académie juries sit; a national juror, for the entries sent on by the académie
    /// juries, while the national jury sits. Marking again replaces the caller's own marks.
    func score(_ candidatureID: UUID, marks: [String: Int]) async throws -> Double {
        guard let userID = caller.actor?.userID else { throw AppError.unauthorized("Connectez-vous pour noter.") }
        let entry = try await entry(candidatureID)
        let editionID = try entry.edition.requireID()
        let seat = try await ConcoursJureRecord.query(on: db).filter(\.$edition.$id == editionID).filter(\.$utilisateur.$id == userID).first()
        try caller.authorize(.update, .concoursNotes(isJuror: seat != nil))
        guard let jure = seat, let jureID = jure.id else {
            throw AppError.forbidden("Vous n'êtes pas juré de l'édition « \(entry.edition.nom) ».")
        }
        let calendar = try entry.edition.calendar
        let phase = calendar.phase(at: caller.clock.now())
        switch jure.niveau {
        case .academique:
            guard jure.academieCode == entry.candidature.academieCode else {
                throw AppError.forbidden("Vous êtes juré d'une autre académie : vous notez les candidatures de la vôtre.")
            }
            guard phase == .juryAcademique else { throw AppError.conflict("Le jury académique ne siège pas en ce moment.") }
        case .national:
            guard phase == .juryNational else { throw AppError.conflict("Le jury national ne siège pas en ce moment.") }
            guard try await qualified(entry.categorie).contains(candidatureID) else {
                throw AppError.conflict("Cette candidature n'a pas été retenue par son jury académique pour le jury national.")
            }
        }
        guard Self.isEntered(entry, on: caller.today) else {
            throw AppError.conflict(PublicVoteRules.Refusal.notEntered.message)
        }
        let total: Double
        do { total = try entry.edition.grid.total(marks) } catch let error as ContestError {
            throw AppError.validation([FieldError("notes", error.message)])
        }
        let json = String(decoding: try JSONEncoder().encode(marks), as: UTF8.self)
        let niveau = jure.niveau
        try await db.writeTransaction { db in
            let existing = try await ConcoursNoteRecord.query(on: db).filter(\.$candidature.$id == candidatureID).filter(\.$jure.$id == jureID)
                .filter(\.$niveau == niveau).first()
            let note = existing ?? ConcoursNoteRecord()
            note.$candidature.id = candidatureID
            note.$jure.id = jureID
            note.niveau = niveau
            note.notesJSON = json
            note.total = total
            try await note.save(on: db)
        }
        return total
    }

    /// The entries of a category that the académie juries sent to the national round: per académie, the first
    /// `placesNationales` ranks.
    func qualified(_ categorie: ConcoursCategorieRecord) async throws -> Set<UUID> {
        let scores = try await scores(categorie, niveau: .academique)
        let entries = try await ConcoursCandidatureRecord.query(on: db).filter(\.$categorie.$id == categorie.requireID()).all()
        let academies = Dictionary(uniqueKeysWithValues: entries.compactMap { entry in entry.id.map { ($0, entry.academieCode) } })
        var result: Set<UUID> = []
        for (_, group) in Dictionary(grouping: scores, by: { academies[$0.entry] ?? "" }) {
            result.formUnion(ContestRanking.qualified(ContestRanking.rank(group), places: categorie.edition.placesNationales))
        }
        return result
    }

    private func scores(_ categorie: ConcoursCategorieRecord, niveau: ConcoursJureRecord.Niveau) async throws -> [ContestRanking.Score] {
        let ids = try await ConcoursCandidatureRecord.query(on: db).filter(\.$categorie.$id == categorie.requireID()).all().compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        return try await ConcoursNoteRecord.query(on: db).filter(\.$candidature.$id ~~ ids).filter(\.$niveau == niveau).all()
            .map { ContestRanking.Score(entry: $0.$candidature.id, juror: $0.$jure.id, total: $0.total) }
    }

    // MARK: - Results

    struct Results: Sendable, Equatable {
        var ranking: [ContestRanking.Ranked]
        var publicPrize: [UUID]
        var votes: [UUID: Int]
        /// The entries the académie juries sent to the national round.
        var qualified: Set<UUID>
    }

    /// A category's results: the national jury's ranking (Or, Argent, Bronze) and the public prize; nothing before
    /// the results' date (but to the national administrator, who checks them).
    func results(_ categorieID: UUID) async throws -> Results {
        guard let categorie = try await ConcoursCategorieRecord.query(on: db).filter(\.$id == categorieID).with(\.$edition).first() else {
            throw AppError.notFound("Aucune catégorie n'a l'identifiant \(categorieID.uuidString.lowercased()).")
        }
        let published = try categorie.edition.calendar.phase(at: caller.clock.now()) == .resultats
        guard published || caller.may(.read, .concoursResultats(isPublished: false)) else {
            throw AppError.conflict("Les résultats de « \(categorie.edition.nom) » ne sont pas encore publiés.")
        }
        let ranking = ContestRanking.rank(try await scores(categorie, niveau: .national))
        var votes: [UUID: Int] = [:]
        for vote in try await ConcoursVoteRecord.query(on: db).filter(\.$categorie.$id == categorieID).all() {
            votes[vote.$candidature.id, default: 0] += 1
        }
        return Results(ranking: ranking, publicPrize: ContestRanking.publicPrize(votes), votes: votes, qualified: try await qualified(categorie))
    }
}
