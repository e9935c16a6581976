import Foundation

/// Whose consent: the person who testifies, or a holder of parental authority (a minor's image rights are
/// protected by both parents together: one consent per holder declared).
public enum ConsentRole: String, Sendable, Codable, CaseIterable, Comparable {
    case personne
    case representant1 = "representant-1"
    case representant2 = "representant-2"

    public var label: String {
        switch self {
        case .personne: "la personne elle-même"
        case .representant1: "le premier titulaire de l'autorité parentale"
        case .representant2: "le second titulaire de l'autorité parentale"
        }
    }

    public static func < (lhs: ConsentRole, rhs: ConsentRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What a consent covers.
public enum ConsentScope: String, Sendable, Codable, CaseIterable {
    /// Publication of the video on cmq (gallery, testimony page, open data of the metadata).
    case publication
    /// Entry in the contest (juries, results, public vote).
    case concours

    public var label: String {
        switch self {
        case .publication: "publication sur cmq"
        case .concours: "participation au concours"
        }
    }
}

/// How the person's age is known: a birth date, or only declared adult or minor by the submitter.
public enum AgeDeclaration: Sendable, Equatable {
    case birthDate(CalendarDay)
    case majeur
    case mineur

    /// Whether the person is under 18 on `day`.
    public func isMinor(on day: CalendarDay) -> Bool {
        switch self {
        case .majeur: return false
        case .mineur: return true
        case .birthDate(let birth):
            let eighteenth = CalendarDay(year: birth.year + 18, month: birth.month, day: birth.day)
                ?? CalendarDay(year: birth.year + 18, month: 3, day: 1)!  // born 29 February
            return day < eighteenth
        }
    }
}

/// One consent as recorded: who gave it, when, for what, until when, and whether it was withdrawn.
public struct ConsentRecord: Sendable, Equatable {
    public var role: ConsentRole
    public var givenOn: CalendarDay
    public var scopes: Set<ConsentScope>
    public var expiresOn: CalendarDay
    public var withdrawnOn: CalendarDay?

    public init(role: ConsentRole, givenOn: CalendarDay, scopes: Set<ConsentScope>, expiresOn: CalendarDay? = nil, withdrawnOn: CalendarDay? = nil) {
        self.role = role
        self.givenOn = givenOn
        self.scopes = scopes
        self.expiresOn = expiresOn ?? ConsentRules.defaultExpiry(givenOn: givenOn)
        self.withdrawnOn = withdrawnOn
    }

    /// In force on `day`: given, not expired, not withdrawn.
    public func isInForce(on day: CalendarDay) -> Bool {
        givenOn <= day && day <= expiresOn && withdrawnOn.map { day < $0 } != false
    }
}

/// The person a testimony is about, as far as consent goes.
public struct ConsentSubject: Sendable, Equatable {
    public var age: AgeDeclaration
    /// How many holders of parental authority the submitter declared for a minor (1 or 2).
    public var parentalAuthorityHolders: Int

    public init(age: AgeDeclaration, parentalAuthorityHolders: Int = 0) {
        self.age = age
        self.parentalAuthorityHolders = parentalAuthorityHolders
    }
}

/// Where the consents of a testimony stand for one scope.
public enum ConsentStatus: Sendable, Equatable {
    /// Every consent needed is in force, the earliest until `until`.
    case complete(until: CalendarDay)
    /// Consents are missing (never given, or given for another scope); `holdersUndeclared` when a minor's
    /// holders of parental authority are not declared yet.
    case incomplete(missing: [ConsentRole], holdersUndeclared: Bool)
    /// A consent was withdrawn: the testimony leaves the site and its video is deleted.
    case withdrawn(ConsentRole, on: CalendarDay)
    /// A consent needed has expired: the same consequences as a withdrawal.
    case expired(ConsentRole, on: CalendarDay)

    public var isComplete: Bool { if case .complete = self { true } else { false } }

    /// Withdrawn or expired: the video must go.
    public var isEnded: Bool {
        switch self {
        case .withdrawn, .expired: true
        case .complete, .incomplete: false
        }
    }

    public var message: String {
        switch self {
        case .complete(let until):
            "Consentements complets jusqu'au \(until.frenchLong)."
        case .incomplete(let missing, let undeclared):
            undeclared
                ? "La personne est mineure : déclarez le ou les titulaires de l'autorité parentale (un ou deux) et recueillez le consentement de chacun."
                : "Consentement manquant : " + missing.map(\.label).joined(separator: ", ") + "."
        case .withdrawn(let role, let day):
            "Le consentement de \(role.label) a été retiré le \(day.frenchLong)."
        case .expired(let role, let day):
            "Le consentement de \(role.label) a expiré le \(day.frenchLong)."
        }
    }
}

public enum ConsentRules {
    /// The age from which a minor's own consent to the processing of their data suffices online in France
    /// (loi Informatique et libertés, art. 45); for the image of a minor, cmq asks both the minor and each holder
    /// of parental authority whatever the age.
    public static let digitalConsentAge = 15

    /// A consent given on `day` runs, unless it says otherwise, to the end of its school year plus three years
    /// (given in March 2027: until 31 August 2030).
    public static func defaultExpiry(givenOn day: CalendarDay) -> CalendarDay {
        SchoolYear(startYear: SchoolYear(containing: day).startYear + 3).lastDay
    }

    /// The consents a testimony needs: the person's own; for a minor also each holder of parental authority
    /// declared. Minority is judged on the day the person consented (a consent given at 17 with the parents'
    /// stays valid at 18), or on `day` while the person has not consented.
    public static func required(_ subject: ConsentSubject, records: [ConsentRecord], on day: CalendarDay) -> (roles: [ConsentRole], holdersUndeclared: Bool) {
        let own = records.filter { $0.role == .personne && $0.withdrawnOn == nil }.map(\.givenOn).min()
        guard subject.age.isMinor(on: own ?? day) else { return ([.personne], false) }
        switch subject.parentalAuthorityHolders {
        case 1: return ([.personne, .representant1], false)
        case 2: return ([.personne, .representant1, .representant2], false)
        default: return ([.personne], true)
        }
    }

    /// Where the consents stand for `scope` on `day`. A withdrawal of any consent recorded (needed or not) ends
    /// the testimony; the expiry of a needed one too.
    public static func status(_ subject: ConsentSubject, records: [ConsentRecord], scope: ConsentScope, on day: CalendarDay) -> ConsentStatus {
        if let withdrawn = records.filter({ $0.withdrawnOn.map { $0 <= day } == true }).min(by: { $0.withdrawnOn! < $1.withdrawnOn! }) {
            return .withdrawn(withdrawn.role, on: withdrawn.withdrawnOn!)
        }
        let (roles, undeclared) = required(subject, records: records, on: day)
        var missing: [ConsentRole] = []
        var until: CalendarDay?
        for role in roles {
            let given = records.filter { $0.role == role && $0.scopes.contains(scope) && $0.givenOn <= day }
            if let inForce = given.filter({ $0.isInForce(on: day) }).max(by: { $0.expiresOn < $1.expiresOn }) {
                until = min(until ?? inForce.expiresOn, inForce.expiresOn)
            } else if let last = given.max(by: { $0.expiresOn < $1.expiresOn }), last.expiresOn < day {
                return .expired(role, on: last.expiresOn)
            } else {
                missing.append(role)
            }
        }
        if undeclared || !missing.isEmpty { return .incomplete(missing: missing, holdersUndeclared: undeclared) }
        return .complete(until: until!)
    }
}
