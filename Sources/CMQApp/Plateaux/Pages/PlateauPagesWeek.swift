import CMQDomain
import Foundation

/// The week view of a platform's page: one row per day with its opening hours, what is booked (anonymous:
/// never who booked), what is free, and a drawing of the day on a common time scale.
struct WeekView: Encodable {
    struct Mark: Encodable {
        var label: String
        var style: String
    }

    /// A stretch of the drawing: open time, a booking, a request waiting for approval.
    struct Segment: Encodable {
        var kind: String
        var style: String
    }

    struct Busy: Encodable {
        var interval: String
        var status: String
        var isTentative: Bool
        var what: String
    }

    struct Day: Encodable {
        var label: String
        var iso: String
        var isToday: Bool
        var isClosed: Bool
        /// "fermé du 21 décembre 2026 au 3 janvier 2027 (vacances : Noël)"; empty on an ordinary closed day.
        var closures: [String]
        /// "08:00–12:00", one text per interval (kept on one line each).
        var open: [String]
        var free: [String]
        var busy: [Busy]
        var segments: [Segment]
    }

    var caption: String
    var targetLabel: String
    var mondayISO: String
    var previousURL: String
    var nextURL: String
    var currentURL: String?
    var scaleLabel: String
    var marks: [Mark]
    var days: [Day]
    var items: [OptionItem]
    var action: String

    /// `days` are the seven days of the week of `monday`, for `target`; `url` gives the page's address for another week.
    init(plateau: Plateau, days: [Availability.Day], target: BookingTarget, today: CalendarDay, url: (CalendarDay?) -> String) {
        let monday = days[0].day
        let sunday = days[days.count - 1].day
        targetLabel = target == .plateau ? "plateau entier" : plateau.name(of: target)
        caption = "Semaine du \(monday.frenchWithWeekday) au \(sunday.frenchWithWeekday), \(targetLabel)"
        mondayISO = monday.iso
        previousURL = url(monday.adding(days: -7))
        nextURL = url(monday.adding(days: 7))
        currentURL = today.mondayOfWeek == monday ? nil : url(nil)
        action = url(nil)
        items = [OptionItem(value: "", label: "Plateau entier", selected: target == .plateau)]
            + plateau.equipements.map { OptionItem(value: $0.id.uuidString.lowercased(), label: $0.nom, selected: target == .equipement($0.id)) }

        // The drawing spans the week's opening hours, whole hours, 08:00–18:00 when the platform never opens.
        let opens = days.flatMap(\.open)
        let first = (opens.map(\.start.minutes).min() ?? 8 * 60) / 60 * 60
        let last = ((opens.map(\.end.minutes).max() ?? 18 * 60) + 59) / 60 * 60
        let span = Double(max(last - first, 60))
        func style(_ interval: DayInterval) -> String {
            let start = min(max(interval.start.minutes, first), last), end = min(max(interval.end.minutes, first), last)
            return "left: \(Self.percent(Double(start - first) / span)); width: \(Self.percent(Double(end - start) / span))"
        }
        let step = last - first > 8 * 60 ? 120 : 60
        marks = stride(from: first, through: last, by: step).map { minute in
            Mark(label: TimeOfDay(minutes: minute)?.text ?? "", style: "left: \(Self.percent(Double(minute - first) / span))")
        }
        scaleLabel = "de \(TimeOfDay(minutes: first)?.text ?? "") à \(TimeOfDay(minutes: last)?.text ?? "")"
        self.days = days.map { day in
            Day(
                label: "\(day.day.weekday.label.capitalizingFirstLetter) \(day.day.frenchLong)",
                iso: day.day.iso,
                isToday: day.day == today,
                isClosed: day.isClosed,
                closures: day.closures.map { "Fermé \($0.french) (\($0.explanation))" },
                open: day.open.map(\.text),
                free: day.free.map(\.text),
                busy: day.busy.map { busy in
                    Busy(interval: busy.interval.text, status: busy.isTentative ? "Demande en attente" : "Réservé", isTentative: busy.isTentative,
                         what: busy.target == .plateau ? "plateau entier" : plateau.name(of: busy.target))
                },
                segments: day.open.map { Segment(kind: "open", style: style($0)) }
                    + day.busy.sorted { ($0.isTentative ? 0 : 1) < ($1.isTentative ? 0 : 1) }
                        .map { Segment(kind: $0.isTentative ? "tentative" : "busy", style: style($0.interval)) })
        }
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%.2f%%", fraction * 100)
    }
}
