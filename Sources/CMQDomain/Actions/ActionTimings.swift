import Foundation

/// The rules of an action's timings: wall-clock ranges in Paris time (see `LocalDateTime`).
public enum ActionTimings {
    /// The longest single timing: a day. A longer event is given as several timings.
    public static let maximumMinutes = 24 * 60
    /// The most timings one action may have (a weekly module over a school year fits).
    public static let maximumCount = 60

    /// Every reason why `timings` are refused, under the field `horaires`; empty when they are valid.
    public static func problems(_ timings: [TimeRange]) -> [ActionFieldError] {
        var problems: [ActionFieldError] = []
        if timings.isEmpty { problems.append(.init("horaires", "Indiquez au moins un horaire (début et fin).")) }
        if timings.count > maximumCount {
            problems.append(.init("horaires", "Une action a au plus \(maximumCount) horaires : vous en avez indiqué \(timings.count)."))
            return problems
        }
        for timing in timings where timing.durationMinutes > maximumMinutes {
            problems.append(.init("horaires", "L'horaire du \(timing.french) dure plus de 24 heures : découpez-le en plusieurs horaires."))
        }
        let sorted = timings.sorted { $0.start < $1.start }
        for (first, second) in zip(sorted, sorted.dropFirst()) where first.overlaps(second) {
            problems.append(.init("horaires", "Les horaires du \(first.french) et du \(second.french) se chevauchent."))
        }
        return problems
    }

    /// The timings in order of start.
    public static func sorted(_ timings: [TimeRange]) -> [TimeRange] { timings.sorted { $0.start < $1.start } }
}
