import CMQDomain
import Foundation
import Testing

@Suite("Témoignages: consent, moderation, retention and the public vote")
struct ConsentRulesTests {
    static func day(_ iso: String) -> CalendarDay { CalendarDay(iso: iso)! }
    static func consent(_ role: ConsentRole, _ given: String, scopes: Set<ConsentScope> = [.publication, .concours],
                        expires: String? = nil, withdrawn: String? = nil) -> ConsentRecord {
        ConsentRecord(role: role, givenOn: day(given), scopes: scopes, expiresOn: expires.map(day), withdrawnOn: withdrawn.map(day))
    }

    typealias T = ConsentRulesTests
    let today = T.day("2027-03-15")

    @Test("an adult's own consent is enough")
    func adult() {
        let subject = ConsentSubject(age: .majeur)
        #expect(ConsentRules.status(subject, records: [], scope: .publication, on: today) == .incomplete(missing: [.personne], holdersUndeclared: false))
        let status = ConsentRules.status(subject, records: [T.consent(.personne, "2027-03-01")], scope: .publication, on: today)
        #expect(status == .complete(until: T.day("2030-08-31")))
        #expect(status.isComplete)
    }

    @Test("a minor needs their own consent and that of each holder of parental authority declared (one or two)")
    func minor() {
        let own = T.consent(.personne, "2027-03-01"), first = T.consent(.representant1, "2027-03-02"), second = T.consent(.representant2, "2027-03-03")
        let two = ConsentSubject(age: .mineur, parentalAuthorityHolders: 2)
        #expect(ConsentRules.status(two, records: [own], scope: .publication, on: today) == .incomplete(missing: [.representant1, .representant2], holdersUndeclared: false))
        #expect(ConsentRules.status(two, records: [own, first], scope: .publication, on: today) == .incomplete(missing: [.representant2], holdersUndeclared: false))
        #expect(ConsentRules.status(two, records: [first, second], scope: .publication, on: today) == .incomplete(missing: [.personne], holdersUndeclared: false))
        #expect(ConsentRules.status(two, records: [own, first, second], scope: .publication, on: today).isComplete)
        let one = ConsentSubject(age: .mineur, parentalAuthorityHolders: 1)
        #expect(ConsentRules.status(one, records: [own, first], scope: .publication, on: today).isComplete)
        // holders not declared: never complete, even with consents recorded
        let undeclared = ConsentSubject(age: .mineur, parentalAuthorityHolders: 0)
        let status = ConsentRules.status(undeclared, records: [own, first, second], scope: .publication, on: today)
        #expect(status == .incomplete(missing: [], holdersUndeclared: true))
        #expect(status.message.contains("mineure"))
    }

    @Test("minority from the birth date, judged on the day the person consented")
    func birthDate() {
        let born = AgeDeclaration.birthDate(T.day("2009-03-20"))
        #expect(born.isMinor(on: T.day("2027-03-19")))
        #expect(!born.isMinor(on: T.day("2027-03-20")))
        #expect(AgeDeclaration.birthDate(T.day("2008-02-29")).isMinor(on: T.day("2026-02-28")))
        #expect(!AgeDeclaration.birthDate(T.day("2008-02-29")).isMinor(on: T.day("2026-03-01")))
        let subject = ConsentSubject(age: born, parentalAuthorityHolders: 1)
        // consented at 17: the parent's consent is needed, even once the person is 18
        let at17 = T.consent(.personne, "2027-03-01")
        #expect(ConsentRules.status(subject, records: [at17], scope: .publication, on: T.day("2027-04-01")) == .incomplete(missing: [.representant1], holdersUndeclared: false))
        // consented at 18: their own consent suffices
        let at18 = T.consent(.personne, "2027-03-25")
        #expect(ConsentRules.status(subject, records: [at18], scope: .publication, on: T.day("2027-04-01")).isComplete)
    }

    @Test("a consent counts for its scope only")
    func scope() {
        let subject = ConsentSubject(age: .majeur)
        let records = [T.consent(.personne, "2027-03-01", scopes: [.publication])]
        #expect(ConsentRules.status(subject, records: records, scope: .publication, on: today).isComplete)
        #expect(ConsentRules.status(subject, records: records, scope: .concours, on: today) == .incomplete(missing: [.personne], holdersUndeclared: false))
    }

    @Test("expiry: by default the end of the school year plus three years; past it the testimony ends")
    func expiry() {
        #expect(ConsentRules.defaultExpiry(givenOn: T.day("2027-03-15")) == T.day("2030-08-31"))
        #expect(ConsentRules.defaultExpiry(givenOn: T.day("2027-09-01")) == T.day("2031-08-31"))
        let subject = ConsentSubject(age: .mineur, parentalAuthorityHolders: 1)
        let records = [T.consent(.personne, "2027-03-01"), T.consent(.representant1, "2027-03-01", expires: "2028-08-31")]
        #expect(ConsentRules.status(subject, records: records, scope: .publication, on: T.day("2028-08-31")) == .complete(until: T.day("2028-08-31")))
        let after = ConsentRules.status(subject, records: records, scope: .publication, on: T.day("2028-09-01"))
        #expect(after == .expired(.representant1, on: T.day("2028-08-31")))
        #expect(after.isEnded)
        // a renewed consent takes over
        let renewed = records + [T.consent(.representant1, "2028-06-01", expires: "2031-08-31")]
        #expect(ConsentRules.status(subject, records: renewed, scope: .publication, on: T.day("2028-09-01")) == .complete(until: T.day("2030-08-31")))
    }

    @Test("a withdrawal of any consent ends the testimony from that day, even one that was not needed")
    func withdrawal() {
        let adult = ConsentSubject(age: .majeur)
        let records = [T.consent(.personne, "2027-03-01"), T.consent(.representant1, "2027-03-01", withdrawn: "2027-03-10")]
        let status = ConsentRules.status(adult, records: records, scope: .publication, on: today)
        #expect(status == .withdrawn(.representant1, on: T.day("2027-03-10")))
        #expect(status.isEnded)
        #expect(!status.isComplete)
        #expect(ConsentRules.status(adult, records: records, scope: .publication, on: T.day("2027-03-09")).isComplete)
    }

    @Test("moderation: waiting → published or refused, refused → waiting, published, waiting or refused → withdrawn; nothing else")
    func moderation() {
        let allowed: Set<String> = ["en-attente>publie", "en-attente>refuse", "refuse>en-attente", "publie>retire", "en-attente>retire", "refuse>retire"]
        for from in TemoignageEtat.allCases {
            for to in TemoignageEtat.allCases {
                #expect(from.mayBecome(to) == allowed.contains("\(from.rawValue)>\(to.rawValue)"), "\(from) → \(to)")
            }
        }
        #expect(TemoignageError.illegalMove(from: .retire, to: .publie).message == "Un témoignage à l'état « retiré » ne peut pas passer à l'état « publié ».")
    }

    @Test("publication needs the video, its captions and complete consent")
    func publication() {
        let complete = ConsentStatus.complete(until: T.day("2030-08-31"))
        #expect(PublicationCheck(hasVideo: true, hasCaptions: true, consent: complete).problems.isEmpty)
        #expect(PublicationCheck(hasVideo: true, hasCaptions: false, consent: complete).problems.count == 1)
        let missing = PublicationCheck(hasVideo: true, hasCaptions: true, consent: .incomplete(missing: [.representant2], holdersUndeclared: false)).problems
        #expect(missing == ["Consentement manquant : le second titulaire de l'autorité parentale."])
        #expect(PublicationCheck(hasVideo: false, hasCaptions: false, consent: .withdrawn(.personne, on: today)).problems.count == 3)
    }

    @Test("the media of a withdrawn testimony are deleted after the delay")
    func retention() {
        let withdrawn = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(!MediaRetention.deletionDue(withdrawnAt: withdrawn, delayDays: 30, now: withdrawn.addingTimeInterval(29 * 86_400)))
        #expect(MediaRetention.deletionDue(withdrawnAt: withdrawn, delayDays: 30, now: withdrawn.addingTimeInterval(30 * 86_400)))
        #expect(MediaRetention.deletionDue(withdrawnAt: withdrawn, delayDays: 0, now: withdrawn))
    }

    @Test("the public vote: one per account and category, while open, for a testimony entered")
    func vote() throws {
        let account = UUID(), production = UUID(), services = UUID()
        let opens = Date(timeIntervalSince1970: 1_800_000_000), closes = opens.addingTimeInterval(86_400 * 14), now = opens.addingTimeInterval(3600)
        let first = PublicVoteRules.Ballot(accountID: account, categoryID: production)
        try PublicVoteRules.check(first, cast: [], opens: opens, closes: closes, now: now, entered: true)
        #expect(throws: PublicVoteRules.Refusal.alreadyVoted) {
            try PublicVoteRules.check(first, cast: [first], opens: opens, closes: closes, now: now, entered: true)
        }
        // another category, another account: allowed
        try PublicVoteRules.check(.init(accountID: account, categoryID: services), cast: [first], opens: opens, closes: closes, now: now, entered: true)
        try PublicVoteRules.check(.init(accountID: UUID(), categoryID: production), cast: [first], opens: opens, closes: closes, now: now, entered: true)
        #expect(throws: PublicVoteRules.Refusal.notOpen(opens: opens, closes: closes)) {
            try PublicVoteRules.check(first, cast: [], opens: opens, closes: closes, now: closes, entered: true)
        }
        #expect(throws: PublicVoteRules.Refusal.notOpen(opens: opens, closes: closes)) {
            try PublicVoteRules.check(first, cast: [], opens: opens, closes: closes, now: opens.addingTimeInterval(-1), entered: true)
        }
        #expect(throws: PublicVoteRules.Refusal.notEntered) {
            try PublicVoteRules.check(first, cast: [], opens: opens, closes: closes, now: now, entered: false)
        }
    }
}
