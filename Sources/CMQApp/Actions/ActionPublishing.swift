import CMQDomain
import Foundation

/// What an action says outside cmq: its iCalendar events, its schema.org JSON-LD, its address in words.
enum ActionPublishing {
    /// One event per timing (UID stable: the action's id and the timing's rank).
    static func events(_ action: ActionService.Loaded, place: String?, base: String) -> [ICalendar.Event] {
        let record = action.record
        let timings = (try? record.timings) ?? []
        let status: ICalendar.EventStatus = record.statut == .annule ? .cancelled : (record.statut == .reporte ? .tentative : .confirmed)
        let link = base + ActionsURL.page(record.id).path
        return timings.enumerated().map { index, timing in
            ICalendar.Event(uid: "action-\(record.id!.uuidString.lowercased())-\(index + 1)@cmq", start: timing.start.date, end: timing.end.date,
                            summary: record.titre, description: "\(record.resume)\n\(link)", location: place, status: status)
        }
    }

    /// The place in one line: the organisation's or the address's name and address, or « En ligne ».
    static func placeLine(_ record: ActionRecord, organisation: Organisation?) -> String? {
        switch record.lieuType {
        case .organisation:
            guard let organisation else { return nil }
            return [organisation.nom, organisation.adresse, [organisation.codePostal, organisation.commune].compactMap { $0 }.joined(separator: " ")]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        case .adresse:
            return [record.lieuNom, record.adresse, [record.codePostal, record.commune].compactMap { $0 }.joined(separator: " ")]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        case .enLigne:
            return "En ligne"
        }
    }

    /// schema.org `Event` or `EducationEvent` of the action (its first timing; `subEvent`s when it has several).
    static func jsonLD(_ action: ActionService.Loaded, organisation: Organisation?, base: String) -> String {
        let s = OpenDataWriter.string
        let record = action.record
        let timings = (try? record.timings) ?? []
        func object(_ members: [(String, String?)]) -> String {
            "{" + members.compactMap { key, value in value.map { s(key) + ":" + $0 } }.joined(separator: ",") + "}"
        }
        func iso(_ time: LocalDateTime) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = LocalDateTime.timeZone
            return s(formatter.string(from: time.date))
        }
        let location: String
        switch record.lieuType {
        case .enLigne:
            location = object([("@type", s("VirtualLocation")), ("url", record.lienEnLigne.map(s))])
        case .organisation, .adresse:
            let name = record.lieuType == .organisation ? organisation?.nom : record.lieuNom
            let street = record.lieuType == .organisation ? organisation?.adresse : record.adresse
            let postcode = record.lieuType == .organisation ? organisation?.codePostal : record.codePostal
            let commune = record.lieuType == .organisation ? organisation?.commune : record.commune
            let latitude = record.lieuType == .organisation ? organisation?.latitude : record.latitude
            let longitude = record.lieuType == .organisation ? organisation?.longitude : record.longitude
            let geo = latitude.flatMap { lat in longitude.map { lon in
                object([("@type", s("GeoCoordinates")), ("latitude", OpenDataWriter.number(lat)), ("longitude", OpenDataWriter.number(lon))]) } }
            location = object([
                ("@type", s("Place")), ("name", name.map(s)),
                ("address", object([("@type", s("PostalAddress")), ("streetAddress", street.map(s)), ("postalCode", postcode.map(s)),
                                    ("addressLocality", commune.map(s)), ("addressCountry", s("FR"))])),
                ("geo", geo),
            ])
        }
        let subEvents = timings.count > 1
            ? "[" + timings.map { object([("@type", s(record.type.schemaOrgType)), ("name", s(record.titre)), ("startDate", iso($0.start)), ("endDate", iso($0.end))]) }
                .joined(separator: ",") + "]"
            : nil
        let offers = record.inscription == .aucune ? nil : object([
            ("@type", s("Offer")), ("price", "0"), ("priceCurrency", s("EUR")),
            ("availability", s(record.statut == .complet ? "https://schema.org/SoldOut" : "https://schema.org/InStock")),
            ("url", s(base + ActionsURL.page(record.id).path)),
        ])
        return object([
            ("@context", s("https://schema.org")), ("@type", s(record.type.schemaOrgType)), ("name", s(record.titre)),
            ("description", s(record.resume)), ("url", s(base + ActionsURL.page(record.id).path)),
            ("startDate", timings.first.map { iso($0.start) }), ("endDate", timings.last.map { iso($0.end) }),
            ("eventStatus", s(record.statut.schemaOrgStatus)),
            ("eventAttendanceMode", s(record.lieuType == .enLigne ? "https://schema.org/OnlineEventAttendanceMode" : "https://schema.org/OfflineEventAttendanceMode")),
            ("location", location), ("image", record.imageURL.map(s)),
            ("organizer", object([("@type", s("EducationalOrganization")), ("name", s(action.campus.nom)),
                                  ("url", s(base + RegistryURL.campus(action.campus.id).path))])),
            ("audience", "[" + ActionAudience.allCases.filter(record.audienceSet.contains).map { object([("@type", s("Audience")), ("audienceType", s($0.label))]) }.joined(separator: ",") + "]"),
            ("isAccessibleForFree", "true"), ("offers", offers), ("subEvent", subEvents),
        ])
    }
}
