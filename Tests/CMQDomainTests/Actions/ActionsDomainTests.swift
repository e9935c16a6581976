import CMQDomain
import Foundation
import Testing

enum ActionsFixtures {
    static func range(_ day: String, _ from: String, _ to: String) throws -> TimeRange {
        try TimeRange(day: CalendarDay(iso: day)!, from: from, to: to)
    }

    static func draft(horaires: [TimeRange]? = nil) throws -> ActionDraft {
        ActionDraft(titre: "Journée portes ouvertes", resume: "Venez découvrir les formations du campus.", type: .portesOuvertes,
                    audiences: [.collegiens, .parents], horaires: try horaires ?? [range("2027-02-13", "09:00", "17:00")],
                    lieu: .adresse(ActionAddress(label: "Lycée Condorcet", street: "Rue Jean-Jaurès", postcode: "80000", commune: "Amiens",
                                                 inseeCode: "80021", latitude: 49.894, longitude: 2.302)))
    }

    static func fields(_ problems: [ActionFieldError]) -> [String] { problems.map(\.field) }
}

@Suite("Actions: the action's fields and timings")
struct ActionsDraftTests {
    typealias F = ActionsFixtures

    @Test("a complete draft has no problem; its school year is that of its first day")
    func valid() throws {
        let draft = try F.draft()
        #expect(draft.problems.isEmpty)
        #expect(draft.schoolYear == SchoolYear(startYear: 2026))
    }

    @Test("title ≤ 140 and summary ≤ 200 characters, both required; at least one audience")
    func lengths() throws {
        var draft = try F.draft()
        draft.titre = String(repeating: "é", count: 140)
        draft.resume = String(repeating: "a", count: 200)
        #expect(draft.problems.isEmpty)
        draft.titre = String(repeating: "é", count: 141)
        draft.resume = String(repeating: "a", count: 201)
        draft.audiences = []
        #expect(F.fields(draft.problems) == ["titre", "resume", "audiences"])
        #expect(draft.problems[0].message == "Le titre a au plus 140 caractères (141 donnés).")
        draft.titre = "   "
        #expect(draft.problems[0].message == "Le titre est obligatoire.")
    }

    @Test("timings: at least one, each at most 24 hours, no overlap (touching is fine)")
    func timings() throws {
        #expect(ActionTimings.problems([]).map(\.message) == ["Indiquez au moins un horaire (début et fin)."])
        let day = try TimeRange(iso: "2027-02-13T08:00", "2027-02-14T08:00")
        #expect(ActionTimings.problems([day]).isEmpty)
        let tooLong = try TimeRange(iso: "2027-02-13T08:00", "2027-02-14T08:01")
        #expect(ActionTimings.problems([tooLong]).map(\.message)
                == ["L'horaire du samedi 13 février 2027 à 08:00 au dimanche 14 février 2027 à 08:01 dure plus de 24 heures : découpez-le en plusieurs horaires."])
        let morning = try F.range("2027-02-13", "09:00", "12:00"), afternoon = try F.range("2027-02-13", "12:00", "17:00")
        #expect(ActionTimings.problems([afternoon, morning]).isEmpty)
        let overlapping = try F.range("2027-02-13", "11:30", "13:00")
        #expect(ActionTimings.problems([afternoon, morning, overlapping]).count == 2)
        #expect(ActionTimings.problems(Array(repeating: morning, count: 61)).map(\.message)
                == ["Une action a au plus 60 horaires : vous en avez indiqué 61."])
    }

    @Test("timings are Paris wall-clock time: the day of the change to summer time counts its wall-clock hours")
    func parisTime() throws {
        // 28 March 2027 is the last Sunday of March: 02:00 becomes 03:00.
        let night = try TimeRange(iso: "2027-03-27T20:00", "2027-03-28T20:00")
        #expect(night.durationMinutes == 1440)
        #expect(ActionTimings.problems([night]).isEmpty)
        #expect(night.end.date.timeIntervalSince(night.start.date) == 23 * 3600)
    }

    @Test("place: an address needs a commune INSEE code and coordinates; online needs an https link")
    func place() throws {
        var draft = try F.draft()
        draft.lieu = .adresse(ActionAddress(label: "", street: "", postcode: "8000", commune: "Amiens", inseeCode: "2C004", latitude: 91, longitude: .nan))
        #expect(F.fields(draft.problems) == ["adresse", "codePostal", "codeInsee", "latitude", "longitude"])
        #expect(ActionRules.isInseeCode("2A004") && ActionRules.isInseeCode("97105") && !ActionRules.isInseeCode("8002"))
        #expect(ActionAddress(label: "", street: "", postcode: "", commune: "", inseeCode: "97105", latitude: 0, longitude: 0).departementCode == "971")
        #expect(ActionAddress(label: "", street: "", postcode: "", commune: "", inseeCode: "2A004", latitude: 0, longitude: 0).departementCode == "2A")
        draft.lieu = .enLigne(url: "javascript:alert(1)")
        #expect(F.fields(draft.problems) == ["lienEnLigne"])
        draft.lieu = .enLigne(url: "https://visio.example.fr/salle")
        #expect(draft.problems.isEmpty)
    }

    @Test("registration: a link, a valid e-mail, or in cmq with a capacity from 1 to 100,000")
    func registration() throws {
        var draft = try F.draft()
        draft.inscription = .cmq(capacity: 0)
        #expect(F.fields(draft.problems) == ["capacite"])
        draft.inscription = .cmq(capacity: 100_001)
        #expect(F.fields(draft.problems) == ["capacite"])
        draft.inscription = .cmq(capacity: 30)
        #expect(draft.problems.isEmpty)
        draft.inscription = .courriel("jpo@lycee")
        #expect(F.fields(draft.problems) == ["inscriptionCourriel"])
        draft.inscription = .lien("ftp://x.fr")
        #expect(F.fields(draft.problems) == ["inscriptionLien"])
    }

    @Test("status other than programmé needs a reason; moved online needs an online place; an image needs its alternative text")
    func statusAndImage() throws {
        var draft = try F.draft()
        draft.statut = .annule
        #expect(draft.problems.map(\.message) == ["Indiquez la raison du statut « annulé »."])
        draft.motifStatut = "Intempéries"
        #expect(draft.problems.isEmpty)
        draft.statut = .deplaceEnLigne
        #expect(F.fields(draft.problems) == ["lieu"])
        draft.statut = .complet
        #expect(F.fields(draft.problems) == ["statut"])
        draft.statut = .programme
        draft.imageURL = "https://campus.example.fr/jpo.jpg"
        #expect(F.fields(draft.problems) == ["imageAlt"])
        draft.imageAlt = "Atelier de soudure"
        #expect(draft.problems.isEmpty)
        draft.imageURL = nil
        #expect(F.fields(draft.problems) == ["imageAlt"])
    }

    @Test("moderation: draft → published ↔ withdrawn, never back to draft")
    func moderation() {
        #expect(Moderation.brouillon.mayBecome(.publie))
        #expect(Moderation.publie.mayBecome(.retire))
        #expect(Moderation.retire.mayBecome(.publie))
        #expect(!Moderation.publie.mayBecome(.brouillon))
        #expect(!Moderation.brouillon.mayBecome(.retire))
        #expect(!Moderation.publie.mayBecome(.publie))
        #expect(ActionError.illegalModeration(from: .publie, to: .publie).message == "Cette action est déjà à l'état « publié ».")
    }
}

@Suite("Actions: school years, capacity and counts")
struct ActionsRulesTests {
    typealias F = ActionsFixtures

    @Test("a school year runs from 1 September to 31 August")
    func schoolYear() {
        #expect(SchoolYear(containing: CalendarDay(iso: "2015-02-14")!).label == "2014-2015")
        #expect(SchoolYear(containing: CalendarDay(iso: "2014-08-31")!).label == "2013-2014")
        #expect(SchoolYear(containing: CalendarDay(iso: "2014-09-01")!).label == "2014-2015")
        #expect(SchoolYear(label: "2014-2015") == SchoolYear(startYear: 2014))
        #expect(SchoolYear(label: "2014-2016") == nil)
        #expect(SchoolYear(startYear: 2014).lastDay.iso == "2015-08-31")
    }

    @Test("a registration is on the list while its people fit, on the waiting list beyond")
    func placement() {
        #expect(RegistrationRules.placement(people: 2, capacity: 10, taken: 8) == .inscrit)
        #expect(RegistrationRules.placement(people: 3, capacity: 10, taken: 8) == .enAttente)
        #expect(RegistrationRules.placement(people: 1, capacity: 10, taken: 10) == .enAttente)
    }

    @Test("freed places go to the waiting registrations in order of arrival, each one that fits")
    func promotions() {
        let ids = (0..<5).map { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", $0))! }
        let seats = [
            RegistrationSeat(id: ids[0], people: 4, state: .inscrit, order: 1),
            RegistrationSeat(id: ids[1], people: 3, state: .annule, order: 2),
            RegistrationSeat(id: ids[2], people: 4, state: .enAttente, order: 3),
            RegistrationSeat(id: ids[3], people: 2, state: .enAttente, order: 4),
            RegistrationSeat(id: ids[4], people: 1, state: .enAttente, order: 5),
        ]
        // capacity 7, 4 taken: 3 free. The group of 4 does not fit; 2 then 1 do.
        #expect(RegistrationRules.promotions(capacity: 7, seats: seats) == [ids[3], ids[4]])
        #expect(RegistrationRules.promotions(capacity: 8, seats: seats) == [ids[2]])
        #expect(RegistrationRules.promotions(capacity: 4, seats: seats) == [])
    }

    @Test("a visitor's registration: name, e-mail, 1 to 20 people and never more than the capacity")
    func registrationProblems() {
        #expect(RegistrationRules.problems(name: "Mme Martin", email: "martin@example.fr", people: 3, capacity: 30).isEmpty)
        #expect(RegistrationRules.problems(name: " ", email: "martin", people: 0, capacity: 30).map(\.field) == ["nom", "courriel", "personnes"])
        #expect(RegistrationRules.problems(name: "A", email: "a@b.fr", people: 21, capacity: 30).map(\.field) == ["personnes"])
        #expect(RegistrationRules.problems(name: "A", email: "a@b.fr", people: 5, capacity: 4).map(\.message)
                == ["L'action accueille 4 personnes en tout : inscrivez au plus 4 personnes."])
    }

    @Test("personal data of registrants is deleted months after the last timing's end")
    func erasure() throws {
        let end = try LocalDateTime(iso: "2027-11-30T17:00")
        #expect(RegistrationRules.erasureDay(lastEnd: end, months: 3).iso == "2028-02-29")
        #expect(RegistrationRules.erasureDay(lastEnd: try LocalDateTime(iso: "2027-02-13T17:00"), months: 3).iso == "2027-05-13")
    }

    @Test("participation is recorded once the action started, with bounded counts and names")
    func participation() throws {
        let start = try LocalDateTime(iso: "2027-02-13T09:00")
        let record = Participation(counts: [.collegiens: 120, .parents: 80], etablissements: ["Collège Arthur Rimbaud"], bilan: "Très bonne affluence.")
        #expect(record.total == 200)
        #expect(record.problems(actionStart: start, now: try LocalDateTime(iso: "2027-02-13T09:00")).isEmpty)
        #expect(record.problems(actionStart: start, now: try LocalDateTime(iso: "2027-02-13T08:59")).map(\.field) == ["participation"])
        let bad = Participation(counts: [.lyceens: -1, .parents: 100_001], entreprises: [""], bilan: String(repeating: "x", count: 2001))
        #expect(bad.problems(actionStart: start, now: try LocalDateTime(iso: "2027-03-01T00:00")).map(\.field)
                == ["participants.lyceens", "participants.parents", "entreprises", "bilan"])
    }

    @Test("counts roll up by school year × type × audience per campus, région and nation")
    func rollup() {
        let amiens = UUID(uuidString: "00000000-0000-0000-0000-00000000000a")!, lille = UUID(uuidString: "00000000-0000-0000-0000-00000000000b")!
        let lyon = UUID(uuidString: "00000000-0000-0000-0000-00000000000c")!
        let y14 = SchoolYear(startYear: 2014), y15 = SchoolYear(startYear: 2015)
        let records = [
            ParticipationRecord(campusID: amiens, regionCode: "32", schoolYear: y14, type: .portesOuvertes, counts: [.collegiens: 120, .parents: 80]),
            ParticipationRecord(campusID: amiens, regionCode: "32", schoolYear: y14, type: .portesOuvertes, counts: [.collegiens: 30]),
            ParticipationRecord(campusID: lille, regionCode: "32", schoolYear: y14, type: .portesOuvertes, counts: [.lyceens: 50]),
            ParticipationRecord(campusID: lille, regionCode: "32", schoolYear: y15, type: .visiteEntreprise, counts: [.lyceens: 24]),
            ParticipationRecord(campusID: lyon, regionCode: "84", schoolYear: y14, type: .portesOuvertes, counts: [.parents: 10]),
        ]
        let campus = ActionCounts.rollup(records, level: .campus)
        #expect(campus.count == 4)
        #expect(campus[0].scope == amiens.uuidString.lowercased() && campus[0].actions == 2)
        #expect(campus[0].participants(.collegiens) == 150 && campus[0].participants(.parents) == 80 && campus[0].total == 230)
        let region = ActionCounts.rollup(records, level: .region)
        #expect(region.map { "\($0.scope) \($0.schoolYear) \($0.type.rawValue) \($0.actions) \($0.total)" } == [
            "32 2015-2016 visite-entreprise 1 24",
            "32 2014-2015 portes-ouvertes 3 280",
            "84 2014-2015 portes-ouvertes 1 10",
        ])
        let nation = ActionCounts.rollup(records, level: .national)
        #expect(nation.map { "\($0.schoolYear) \($0.type.rawValue) \($0.actions) \($0.total)" } == [
            "2015-2016 visite-entreprise 1 24", "2014-2015 portes-ouvertes 4 290",
        ])
        #expect(nation[1].participants(.lyceens) == 50)
    }
}

@Suite("Actions: the safe Markdown of descriptions")
struct ActionsMarkdownTests {
    @Test("paragraphs, headings, lists, bold, italic and links")
    func subset() {
        let source = "## Programme\nAccueil à **9 h**, visite *guidée*.\nDéjeuner offert.\n\n- ateliers\n* [inscription](https://campus.example.fr/jpo?a=1&b=2)"
        #expect(SafeMarkdown.html(source) == """
        <h3>Programme</h3>
        <p>Accueil à <strong>9 h</strong>, visite <em>guidée</em>.<br>
        Déjeuner offert.</p>
        <ul><li>ateliers</li><li><a href="https://campus.example.fr/jpo?a=1&amp;b=2" rel="nofollow noopener">inscription</a></li></ul>
        """)
        #expect(SafeMarkdown.plainText("**Portes** ouvertes : [le site](https://x.fr)") == "Portes ouvertes : le site")
    }

    @Test("no markup gets through: tags, attributes, script links and quotes are escaped")
    func injection() {
        #expect(SafeMarkdown.html("<script>alert('x')</script>") == "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>")
        #expect(SafeMarkdown.html("[clic](javascript:alert(1))") == "<p>[clic](javascript:alert(1))</p>")
        #expect(SafeMarkdown.html("[clic](https://x.fr/\"onmouseover=\"alert(1))") == "<p><a href=\"https://x.fr/&quot;onmouseover=&quot;alert(1\" rel=\"nofollow noopener\">clic</a>)</p>")
        #expect(SafeMarkdown.html("[a](data:text/html;base64,PHNjcmlwdD4=)") == "<p>[a](data:text/html;base64,PHNjcmlwdD4=)</p>")
        #expect(SafeMarkdown.html("**<img src=x onerror=alert(1)>**") == "<p><strong>&lt;img src=x onerror=alert(1)&gt;</strong></p>")
        #expect(SafeMarkdown.html("[<b>x</b>](mailto:jpo@lycee.fr)") == "<p><a href=\"mailto:jpo@lycee.fr\" rel=\"nofollow noopener\">&lt;b&gt;x&lt;/b&gt;</a></p>")
        #expect(SafeMarkdown.html("*a") == "<p>*a</p>")
        #expect(SafeMarkdown.html("2 * 3 * 4 = 24") == "<p>2 * 3 * 4 = 24</p>")
    }
}
