import CMQDomain
import Foundation

/// The published actions in OpenAgenda's event shape (its API v2 fields: multilingual texts under `fr`, `timings`
/// with offsets, `status` 1–6, `attendanceMode` 1 offline / 2 online, `accessibility` by OpenAgenda's codes,
/// `registration`, `location` with the INSEE code), so that an académie can import cmq's events into its agenda.
struct OpenAgendaExport: Encodable {
    struct Text: Encodable { var fr: String }
    struct Keywords: Encodable { var fr: [String] }
    struct Timing: Encodable { var begin: String; var end: String }
    struct Registration: Encodable { var type: String; var value: String }
    struct Location: Encodable {
        var name: String?
        var address: String?
        var postalCode: String?
        var city: String?
        var insee: String?
        var latitude: Double?
        var longitude: Double?
        var countryCode = "FR"
    }
    struct Event: Encodable {
        var uid: String
        var title: Text
        var description: Text
        var longDescription: Text
        var keywords: Keywords
        var image: String?
        var imageCredits: String?
        var timings: [Timing]
        var status: Int
        var attendanceMode: Int
        var onlineAccessLink: String?
        var location: Location?
        var registration: [Registration]
        var accessibility: [String: Bool]
        var conditions: Text
        var links: [String]
    }

    var total: Int
    var events: [Event]

    static func make(_ actions: [ActionService.Loaded], organisations: [UUID: Organisation], base: String) -> OpenAgendaExport {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = LocalDateTime.timeZone
        let events = actions.map { action -> Event in
            let record = action.record
            let place = record.$organisationLieu.id.flatMap { organisations[$0] }
            let url = base + ActionsURL.page(record.id).path
            var registration: [Registration] = []
            switch record.registration {
            case .aucune: break
            case .lien(let link): registration.append(Registration(type: "link", value: link))
            case .courriel(let email): registration.append(Registration(type: "email", value: email))
            case .cmq: registration.append(Registration(type: "link", value: url))
            }
            let location: Location? = switch record.lieuType {
            case .enLigne: nil
            case .organisation: Location(name: place?.nom, address: place?.adresse, postalCode: place?.codePostal, city: place?.commune,
                                         insee: nil, latitude: place?.latitude, longitude: place?.longitude)
            case .adresse: Location(name: record.lieuNom, address: record.adresse, postalCode: record.codePostal, city: record.commune,
                                    insee: record.codeInsee, latitude: record.latitude, longitude: record.longitude)
            }
            return Event(
                uid: record.id!.uuidString.lowercased(), title: Text(fr: record.titre), description: Text(fr: record.resume),
                longDescription: Text(fr: record.description), keywords: Keywords(fr: [record.type.label, action.campus.nom]
                    + ActionAudience.allCases.filter(record.audienceSet.contains).map(\.label)),
                image: record.imageURL, imageCredits: record.imageAlt,
                timings: ((try? record.timings) ?? []).map { Timing(begin: formatter.string(from: $0.start.date), end: formatter.string(from: $0.end.date)) },
                status: record.statut.openAgendaCode, attendanceMode: record.lieuType == .enLigne ? 2 : 1, onlineAccessLink: record.lienEnLigne,
                location: location, registration: registration,
                accessibility: Dictionary(uniqueKeysWithValues: Disability.allCases.map { ($0.openAgendaCode, record.disabilities.contains($0)) }),
                conditions: Text(fr: "Gratuit"), links: [url])
        }
        return OpenAgendaExport(total: events.count, events: events)
    }
}
