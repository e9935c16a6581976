/// Why a description of a platform, of its hours or of a time was refused: bad input (HTTP 422), with the
/// French explanation shown to the person. Every such message of the platforms is written here.
public enum PlateauError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidTime(String)
    case invalidLocalDateTime(String)
    /// An interval of opening hours that does not end after it starts; `day` once known.
    case intervalNotIncreasing(start: TimeOfDay, end: TimeOfDay, day: Weekday?)
    case rangeNotIncreasing(start: LocalDateTime, end: LocalDateTime)
    case unknownDay(String)
    case malformedInterval(day: Weekday)
    case overlappingIntervals(day: Weekday, DayInterval, DayInterval)
    case closureNotIncreasing(first: CalendarDay, last: CalendarDay)
    case missingClosureMotif
    case seriesLength(Int)
    case negativeNotice(Int)
    case nonPositiveMaximumDuration(Int)
    case missingPlateauName
    case missingEquipmentName
    case equipmentQuantity(name: String, quantity: Int)
    case duplicateEquipment(String)

    /// The longest weekly series, in weeks: a school year.
    public static let maximumSeriesWeeks = 52

    /// The French explanation.
    public var message: String {
        switch self {
        case .invalidTime(let text):
            "« \(text) » n'est pas une heure au format HH:MM (par exemple 08:30)."
        case .invalidLocalDateTime(let text):
            "« \(text) » n'est pas une date et heure au format AAAA-MM-JJTHH:MM (par exemple 2026-11-23T08:30)."
        case .intervalNotIncreasing(let start, let end, let day):
            (day.map { "\($0.label.capitalizedFirst) : la" } ?? "La") + " plage de \(start.text) à \(end.text) "
                + (start == end ? "est vide." : "se termine avant de commencer.")
        case .rangeNotIncreasing(let start, let end):
            "La fin du créneau (\(end.french)) doit être après son début (\(start.french))."
        case .unknownDay(let text):
            "Jour inconnu « \(text) » : les jours sont \(LabellingError.list(Weekday.allCases.map(\.label)))."
        case .malformedInterval(let day):
            "\(day.label.capitalizedFirst) : chaque plage s'écrit [début, fin], par exemple [\"08:00\", \"12:00\"]."
        case .overlappingIntervals(let day, let first, let second):
            "\(day.label.capitalizedFirst) : les plages \(first.text) et \(second.text) se chevauchent."
        case .closureNotIncreasing(let first, let last):
            "La fermeture se termine (\(last.frenchLong)) avant de commencer (\(first.frenchLong))."
        case .missingClosureMotif:
            "Le motif de la fermeture doit être indiqué."
        case .seriesLength(let weeks):
            "Une série hebdomadaire compte de 1 à \(PlateauError.maximumSeriesWeeks) semaines : \(weeks) n'est pas possible."
        case .negativeNotice:
            "Le préavis minimal ne peut pas être négatif."
        case .nonPositiveMaximumDuration:
            "La durée maximale d'une réservation doit être positive."
        case .missingPlateauName:
            "Le nom du plateau doit être indiqué."
        case .missingEquipmentName:
            "Le nom de l'équipement doit être indiqué."
        case .equipmentQuantity(let name, let quantity):
            "La quantité de l'équipement « \(name) » doit être d'au moins 1 (\(quantity) indiqué)."
        case .duplicateEquipment(let name):
            "L'équipement « \(name) » figure deux fois sur le plateau."
        }
    }

    public var description: String { message }
}

extension String {
    /// "lundi" → "Lundi".
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
