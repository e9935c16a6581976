import CMQDomain
import Fluent
import Foundation

/// The contest « Ma réussite pro » in the demo (its pages say it is demo content): the current school year's edition,
/// its académie juries sitting now, with two categories, the published demo testimonies entered, an académie juror's
/// marks and a few votes of the demo accounts; and last year's edition, its results published (both juries' marks,
/// votes), so that the results page is not empty. The current edition's marks and votes go through
/// `ConcoursService`, as the API would; last year's are written as if they had happened.
struct DemoConcours {
    let db: any Database
    let clock: AppClock

    /// The jurors' demo accounts (members of the Lycée Condorcet), created with the others and their passwords.
    static let academieJuror = "jure.academique@cmq.test"
    static let nationalJuror = "jure.national@cmq.test"

    static let grid = [ScoringCriterion(code: "message", label: "Force du message", weight: 3, maximum: 20),
                       ScoringCriterion(code: "parcours", label: "Clarté du parcours", weight: 2, maximum: 20),
                       ScoringCriterion(code: "realisation", label: "Qualité de la réalisation", weight: 1, maximum: 10)]

    /// The school year of a day: 2026-11-30 is in 2026-2027, whose contest is « Ma réussite pro 2027 ».
    static func contestYear(_ day: CalendarDay) -> Int { day.month >= 9 ? day.year + 1 : day.year }

    func load() async throws -> Int {
        guard try await ConcoursEditionRecord.query(on: db).count() == 0 else { return 0 }
        guard let academieJuror = try await User.query(on: db).filter(\.$email == Self.academieJuror).first(),
              let nationalJuror = try await User.query(on: db).filter(\.$email == Self.nationalJuror).first() else { return 0 }
        let published = try await TemoignageGallery.published(on: db, today: clock.today).map(\.loaded)
            .filter { $0.record.soumisParNom == TemoignageService.demoAuthor }.sorted { $0.record.titre < $1.record.titre }
        guard let academie = published.first?.campus.academieCode else { return 0 }
        let now = clock.now()
        func days(_ count: Int) -> Date { now.addingTimeInterval(Double(count) * 86_400) }
        let year = Self.contestYear(clock.today)
        let operatorCaller = Caller.demo(clock: clock)
        let grid = try ScoringGrid(Self.grid)

        // Last year's edition: its results published.
        let past = try ConcoursEditionRecord(
            nom: "Ma réussite pro \(year - 1)",
            calendar: ContestCalendar(submissionsOpen: days(-420), submissionsClose: days(-350), academieJuryClose: days(-320),
                                      nationalJuryClose: days(-290), voteOpen: days(-345), voteClose: days(-295), results: days(-280)),
            grid: grid, placesNationales: 1)
        try await past.create(on: db)
        // The current school year's: submissions closed, académie juries sitting, the public vote open.
        let current = try ConcoursEditionRecord(
            nom: "Ma réussite pro \(year)",
            calendar: ContestCalendar(submissionsOpen: days(-60), submissionsClose: days(-20), academieJuryClose: days(15),
                                      nationalJuryClose: days(45), voteOpen: days(-15), voteClose: days(30), results: days(60)),
            grid: grid, placesNationales: 1)
        try await current.create(on: db)

        var entries = 0
        for edition in [past, current] {
            let editionID = try edition.requireID()
            let categories = [ConcoursCategorieRecord(editionID: editionID, code: "production", nom: "Production"),
                              ConcoursCategorieRecord(editionID: editionID, code: "services", nom: "Services")]
            for categorie in categories { try await categorie.create(on: db) }
            let academieSeat = ConcoursJureRecord(editionID: editionID, userID: try academieJuror.requireID(), niveau: .academique, academieCode: academie)
            let nationalSeat = ConcoursJureRecord(editionID: editionID, userID: try nationalJuror.requireID(), niveau: .national, academieCode: nil)
            try await academieSeat.create(on: db)
            try await nationalSeat.create(on: db)
            for (index, loaded) in published.enumerated() {
                let categorie = categories[index % categories.count]
                let entry = ConcoursCandidatureRecord(categorieID: try categorie.requireID(), temoignageID: loaded.id, academieCode: loaded.campus.academieCode)
                try await entry.create(on: db)
                entries += 1
                let entryID = try entry.requireID()
                let marks = ["message": 15 + index, "parcours": 14 - index, "realisation": 8]
                if edition === past {
                    // written as if the juries had sat
                    for seat in [academieSeat, nationalSeat] {
                        let note = ConcoursNoteRecord()
                        note.$candidature.id = entryID
                        note.$jure.id = try seat.requireID()
                        note.niveau = seat.niveau
                        note.notesJSON = String(decoding: try JSONEncoder().encode(marks), as: UTF8.self)
                        note.total = try grid.total(marks)
                        try await note.create(on: db)
                    }
                } else {
                    // the académie juror marks now, through the service
                    let juror = Caller(actor: academieJuror.actor, author: .user(academieJuror), isOperator: false, clock: clock)
                    _ = try await ConcoursService(db: db, caller: juror).score(entryID, marks: marks)
                }
            }
        }

        // Votes: the demo accounts, once per category; last year's as if cast during its vote.
        let voters = try await User.query(on: db).filter(\.$email ~~ ["administrateur@cmq.test", "region.hauts-de-france@cmq.test",
                                                                      "equipe.metallurgie@cmq.test", "membre.condorcet@cmq.test"]).sort(\.$email).all()
        let currentEntries = try await ConcoursService(db: db, caller: operatorCaller).entries(try current.requireID())
        for (index, voter) in voters.enumerated() {
            guard !currentEntries.isEmpty, let entryID = currentEntries[index % currentEntries.count].candidature.id else { continue }
            try await ConcoursService(db: db, caller: Caller(actor: voter.actor, author: .user(voter), isOperator: false, clock: clock)).vote(entryID)
        }
        for (index, entry) in try await ConcoursService(db: db, caller: operatorCaller).entries(try past.requireID()).enumerated() {
            for voter in voters.prefix(index + 2) {
                let vote = ConcoursVoteRecord()
                vote.$categorie.id = try entry.categorie.requireID()
                vote.$candidature.id = try entry.candidature.requireID()
                vote.$utilisateur.id = try voter.requireID()
                vote.createdAt = days(-300)
                try await vote.create(on: db)
            }
        }
        return entries
    }
}
