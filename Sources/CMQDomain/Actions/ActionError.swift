import Foundation

/// A field of an action (or of a registration, a participation) refused, with the French reason.
/// `field` is the name the API and the forms use, so the message is shown next to the right input.
public struct ActionFieldError: Error, Hashable, Sendable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Why a change of an action's state is refused (HTTP 409 when `isConflict`).
public enum ActionError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid([ActionFieldError])
    case illegalModeration(from: Moderation, to: Moderation)
    case notOpenForRegistration(String)
    case alreadyCancelled
    case participationTooEarly(start: LocalDateTime)

    public var isConflict: Bool {
        switch self {
        case .invalid, .participationTooEarly: false
        case .illegalModeration, .notOpenForRegistration, .alreadyCancelled: true
        }
    }

    public var message: String {
        switch self {
        case .invalid(let errors):
            errors.map(\.message).joined(separator: " ")
        case .illegalModeration(let from, let to):
            from == to ? "Cette action est déjà à l'état « \(to.label.lowercased()) »."
                : "Une action à l'état « \(from.label.lowercased()) » ne peut pas passer à l'état « \(to.label.lowercased()) »."
        case .notOpenForRegistration(let why):
            why
        case .alreadyCancelled:
            "Cette inscription est déjà annulée."
        case .participationTooEarly(let start):
            "L'action commence le \(start.french) : sa participation se saisit une fois qu'elle a commencé."
        }
    }

    public var description: String { message }
}
