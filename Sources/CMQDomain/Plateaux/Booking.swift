import Foundation

/// What a booking takes: the whole platform or one equipment item.
///
/// The conflict rule: a booking of the whole platform collides with every booking of the platform, of
/// the whole or of any item; two bookings of the same item collide; bookings of different items don't.
/// An item is booked by one booking at a time, whatever its quantity.
public enum BookingTarget: Hashable, Sendable {
    case plateau
    case equipement(UUID)

    /// Whether bookings of `self` and `other`, on the same platform and at the same time, would collide.
    public func collides(with other: BookingTarget) -> Bool {
        switch (self, other) {
        case (.plateau, _), (_, .plateau): true
        case (.equipement(let a), .equipement(let b)): a == b
        }
    }

    public var equipementID: UUID? {
        if case .equipement(let id) = self { id } else { nil }
    }
}

/// What a platform is booked for.
public enum BookingPurpose: String, CaseIterable, Codable, Sendable, Hashable {
    case formation
    case prototypeEntreprise = "prototype-entreprise"
    case actionDecouverte = "action-decouverte"
    case formationContinue = "formation-continue"
    case autre

    public var label: String {
        switch self {
        case .formation: "Formation"
        case .prototypeEntreprise: "Prototype d'entreprise"
        case .actionDecouverte: "Action de découverte"
        case .formationContinue: "Formation continue"
        case .autre: "Autre"
        }
    }
}

/// Where a booking stands: demandee → acceptee, refusee or annulee; acceptee → annulee.
public enum BookingStatus: String, CaseIterable, Codable, Sendable, Hashable {
    case demandee
    case acceptee
    case refusee
    case annulee

    public var label: String {
        switch self {
        case .demandee: "Demandée"
        case .acceptee: "Acceptée"
        case .refusee: "Refusée"
        case .annulee: "Annulée"
        }
    }

    /// "acceptée": after "être" in a sentence.
    var participle: String { label.lowercased() }

    /// The statuses a booking may move to from this one.
    public var next: Set<BookingStatus> {
        switch self {
        case .demandee: [.acceptee, .refusee, .annulee]
        case .acceptee: [.annulee]
        case .refusee, .annulee: []
        }
    }

    public func canMove(to status: BookingStatus) -> Bool {
        next.contains(status)
    }

    /// Whether the booking holds its slot against others. Only accepted bookings do: while the owner has not
    /// accepted a request, other requests for the same slot may come in, and the owner accepts one of them.
    /// (The database constraint of the application covers the accepted bookings.)
    public var holdsSlot: Bool { self == .acceptee }

    /// Whether the booking is still planned (requested or accepted): shown in calendars and availability.
    public var isActive: Bool { self == .demandee || self == .acceptee }
}

/// A request for a booking, before the rules and the other bookings are checked.
public struct BookingRequest: Hashable, Sendable {
    public var booker: Booker
    public var target: BookingTarget
    public var creneau: TimeRange
    public var purpose: BookingPurpose
    public var participants: Int
    /// What the booking is for, in the booker's words.
    public var details: String?
    /// The booker confirms that the participants have had the safety training the equipment requires.
    public var safetyTrainingConfirmed: Bool

    public init(booker: Booker, target: BookingTarget, creneau: TimeRange, purpose: BookingPurpose, participants: Int,
                details: String? = nil, safetyTrainingConfirmed: Bool = false) {
        self.booker = booker
        self.target = target
        self.creneau = creneau
        self.purpose = purpose
        self.participants = participants
        self.details = details
        self.safetyTrainingConfirmed = safetyTrainingConfirmed
    }

    /// The same request on another créneau (an occurrence of a series).
    public func on(_ creneau: TimeRange) -> BookingRequest {
        var copy = self
        copy.creneau = creneau
        return copy
    }
}

/// What the conflict rule looks at: a platform, a target, a créneau.
public struct BookingSlot: Hashable, Sendable {
    public var plateauID: UUID
    public var target: BookingTarget
    public var creneau: TimeRange

    public init(plateauID: UUID, target: BookingTarget, creneau: TimeRange) {
        self.plateauID = plateauID
        self.target = target
        self.creneau = creneau
    }

    /// Same platform, colliding targets, overlapping créneaux (touching ones don't).
    public func collides(with other: BookingSlot) -> Bool {
        plateauID == other.plateauID && target.collides(with: other.target) && creneau.overlaps(other.creneau)
    }
}

/// A booking of a platform or of one of its items by a member organisation, and its state machine.
/// New bookings come from `Plateau.book`; the status changes only through `accept`, `refuse` and `cancel`.
public struct Booking: Hashable, Sendable, Identifiable {
    public let id: UUID
    public let plateauID: UUID
    public let target: BookingTarget
    public let organisationID: UUID
    public let personID: UUID
    public let creneau: TimeRange
    public let purpose: BookingPurpose
    public let participants: Int
    public let details: String?
    public let safetyTrainingConfirmed: Bool
    public private(set) var status: BookingStatus
    /// The reason of a refusal (required) or of a cancellation (optional).
    public private(set) var motif: String?

    /// A booking as stored; new ones come from `Plateau.book`.
    public init(id: UUID, plateauID: UUID, target: BookingTarget, organisationID: UUID, personID: UUID, creneau: TimeRange,
                purpose: BookingPurpose, participants: Int, details: String? = nil, safetyTrainingConfirmed: Bool = false,
                status: BookingStatus, motif: String? = nil) {
        self.id = id
        self.plateauID = plateauID
        self.target = target
        self.organisationID = organisationID
        self.personID = personID
        self.creneau = creneau
        self.purpose = purpose
        self.participants = participants
        self.details = details
        self.safetyTrainingConfirmed = safetyTrainingConfirmed
        self.status = status
        self.motif = motif
    }

    init(id: UUID, plateauID: UUID, request: BookingRequest, status: BookingStatus) {
        self.init(id: id, plateauID: plateauID, target: request.target, organisationID: request.booker.organisationID,
                  personID: request.booker.personID, creneau: request.creneau, purpose: request.purpose,
                  participants: request.participants, details: request.details?.trimmed.nilIfEmpty,
                  safetyTrainingConfirmed: request.safetyTrainingConfirmed, status: status)
    }

    public var slot: BookingSlot {
        BookingSlot(plateauID: plateauID, target: target, creneau: creneau)
    }

    public var durationMinutes: Int { creneau.durationMinutes }

    // MARK: - The state machine

    /// The owner accepts a requested booking, unless an accepted booking now holds an overlapping slot.
    public mutating func accept(among existing: [Booking]) throws(BookingError) {
        try checkMove(to: .acceptee)
        let conflicts = ConflictFinder.conflicts(of: self, among: existing)
        guard conflicts.isEmpty else { throw .conflict(with: conflicts) }
        status = .acceptee
    }

    /// The owner refuses a requested booking, and says why.
    public mutating func refuse(motif: String) throws(BookingError) {
        try checkMove(to: .refusee)
        guard let motif = motif.trimmed.nilIfEmpty else { throw .missingRefusalMotif }
        status = .refusee
        self.motif = motif
    }

    /// The booker or the owner cancels a requested or accepted booking.
    public mutating func cancel(motif: String? = nil) throws(BookingError) {
        try checkMove(to: .annulee)
        status = .annulee
        self.motif = motif?.trimmed.nilIfEmpty
    }

    private func checkMove(to target: BookingStatus) throws(BookingError) {
        guard status.canMove(to: target) else { throw .illegalTransition(from: status, to: target) }
    }
}

extension Booking: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, plateau, equipement, organisation, personne, creneau, objet, participants, details, formationSecuriteConfirmee, statut, motif
    }

    /// `{"id", "plateau", "equipement" (absent for the whole platform), "organisation", "personne",
    /// "creneau": {"debut", "fin"}, "objet", "participants", "details", "formationSecuriteConfirmee", "statut", "motif"}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let equipement = try container.decodeIfPresent(UUID.self, forKey: .equipement)
        self.init(id: try container.decode(UUID.self, forKey: .id),
                  plateauID: try container.decode(UUID.self, forKey: .plateau),
                  target: equipement.map(BookingTarget.equipement) ?? .plateau,
                  organisationID: try container.decode(UUID.self, forKey: .organisation),
                  personID: try container.decode(UUID.self, forKey: .personne),
                  creneau: try container.decode(TimeRange.self, forKey: .creneau),
                  purpose: try container.decode(BookingPurpose.self, forKey: .objet),
                  participants: try container.decode(Int.self, forKey: .participants),
                  details: try container.decodeIfPresent(String.self, forKey: .details),
                  safetyTrainingConfirmed: try container.decodeIfPresent(Bool.self, forKey: .formationSecuriteConfirmee) ?? false,
                  status: try container.decode(BookingStatus.self, forKey: .statut),
                  motif: try container.decodeIfPresent(String.self, forKey: .motif))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(plateauID, forKey: .plateau)
        try container.encodeIfPresent(target.equipementID, forKey: .equipement)
        try container.encode(organisationID, forKey: .organisation)
        try container.encode(personID, forKey: .personne)
        try container.encode(creneau, forKey: .creneau)
        try container.encode(purpose, forKey: .objet)
        try container.encode(participants, forKey: .participants)
        try container.encodeIfPresent(details, forKey: .details)
        try container.encode(safetyTrainingConfirmed, forKey: .formationSecuriteConfirmee)
        try container.encode(status, forKey: .statut)
        try container.encodeIfPresent(motif, forKey: .motif)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
