import Foundation

/// A French commune as La Poste's official postcode base gives it: its INSEE code, its postcodes and the
/// coordinates of its centre.
public struct Commune: Hashable, Sendable, Identifiable {
    /// The INSEE code ("02691"); the département is its first two characters (three overseas).
    public let insee: String
    /// The name written for people ("Saint-Quentin"), rebuilt from La Poste's capitals ("ST QUENTIN").
    public let nom: String
    public let codesPostaux: [String]
    public let latitude: Double
    public let longitude: Double

    public var id: String { insee }

    public var departementCode: String {
        insee.hasPrefix("97") || insee.hasPrefix("98") ? String(insee.prefix(3)) : String(insee.prefix(2))
    }

    /// "Saint-Quentin (02)": the name with its département, as homonyms need.
    public var label: String { "\(nom) (\(departementCode))" }
}

extension GeoPoint {
    public init(latitude: Double, longitude: Double) {
        self.init(longitude: longitude, latitude: latitude)
    }

    /// The great-circle distance in kilometres (haversine, mean Earth radius).
    public func distance(to other: GeoPoint) -> Double {
        let radians = Double.pi / 180
        let dLat = (other.latitude - latitude) * radians, dLon = (other.longitude - longitude) * radians
        let a = sin(dLat / 2) * sin(dLat / 2)
            + cos(latitude * radians) * cos(other.latitude * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 6371.0088 * 2 * atan2(a.squareRoot(), (1 - a).squareRoot())
    }

    /// Whether both coordinates are numbers within their ranges.
    public var isValid: Bool {
        latitude.isFinite && longitude.isFinite && abs(latitude) <= 90 && abs(longitude) <= 180
    }
}

extension Commune {
    public var point: GeoPoint { GeoPoint(latitude: latitude, longitude: longitude) }
}

/// Every commune of France with coordinates, found by name (any case, accents, "St"/"Saint", hyphens) or by
/// postcode: the gazetteer behind "près de Saint-Quentin" and "autour de 80000".
public struct CommuneGazetteer: Sendable {
    public let communes: [Commune]
    private let byKey: [String: [Int]]
    private let byPostcode: [String: [Int]]
    private let byInsee: [String: Int]

    /// The gazetteer shipped with cmq (`communes/laposte_hexasmal.csv`, La Poste, Licence Ouverte).
    public static let shared: CommuneGazetteer = {
        guard let url = Bundle.module.url(forResource: "laposte_hexasmal", withExtension: "csv", subdirectory: "Data/communes"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            preconditionFailure("The shipped communes table Data/communes/laposte_hexasmal.csv cannot be read.")
        }
        return CommuneGazetteer(laPosteCSV: text)
    }()

    /// Reads La Poste's `Code_commune_INSEE;Nom_commune;Code_postal;Ligne_5;Libellé_d_acheminement;coordonnees_gps`
    /// lines (one per postcode and locality); a commune is kept once, with all its postcodes. Lines without
    /// coordinates are left out: a place that cannot be measured from cannot be searched around.
    public init(laPosteCSV text: String) {
        var order: [String] = []
        var names: [String: String] = [:], points: [String: GeoPoint] = [:], postcodes: [String: [String]] = [:]
        var first = true
        for line in text.split(whereSeparator: \.isNewline) {
            if first { first = false; continue }
            let fields = line.split(separator: ";", omittingEmptySubsequences: false)
            guard fields.count >= 6 else { continue }
            let insee = String(fields[0]), postcode = String(fields[2])
            let gps = fields[5].split(separator: ",")
            guard insee.count == 5, gps.count == 2, let latitude = Double(gps[0]), let longitude = Double(gps[1]) else { continue }
            let point = GeoPoint(latitude: latitude, longitude: longitude)
            guard point.isValid else { continue }
            if names[insee] == nil {
                order.append(insee)
                names[insee] = String(fields[1])
                points[insee] = point
            }
            if !(postcodes[insee]?.contains(postcode) ?? false) { postcodes[insee, default: []].append(postcode) }
        }
        var communes = order.map { insee in
            Commune(insee: insee, nom: CommuneGazetteer.displayName(names[insee]!), codesPostaux: postcodes[insee]!.sorted(),
                    latitude: points[insee]!.latitude, longitude: points[insee]!.longitude)
        }
        // Paris, Lyon and Marseille are listed by arrondissement ("LYON 03"): the whole town is added too, at the
        // centre of its arrondissements, with all their postcodes, so that "Lyon" is found.
        for (insee, name) in [("75056", "Paris"), ("69123", "Lyon"), ("13055", "Marseille")] {
            let prefix = name.uppercased() + " "
            let parts = communes.filter { $0.nom.uppercased().hasPrefix(prefix) && $0.nom.dropFirst(prefix.count).allSatisfy(\.isNumber) }
            guard !parts.isEmpty, !communes.contains(where: { $0.insee == insee }) else { continue }
            communes.append(Commune(insee: insee, nom: name, codesPostaux: Array(Set(parts.flatMap(\.codesPostaux))).sorted(),
                                    latitude: parts.map(\.latitude).reduce(0, +) / Double(parts.count),
                                    longitude: parts.map(\.longitude).reduce(0, +) / Double(parts.count)))
        }
        self.init(communes: communes)
    }

    public init(communes: [Commune]) {
        self.communes = communes
        var byKey: [String: [Int]] = [:], byPostcode: [String: [Int]] = [:], byInsee: [String: Int] = [:]
        for (index, commune) in communes.enumerated() {
            byKey[CommuneGazetteer.key(commune.nom), default: []].append(index)
            for postcode in commune.codesPostaux { byPostcode[postcode, default: []].append(index) }
            byInsee[commune.insee] = index
        }
        // Homonyms: the likeliest town first. La Poste gives the main towns of a département the round
        // postcodes (53000 Laval, 80000 Amiens) and large towns several postcodes; then by INSEE code.
        func size(_ commune: Commune) -> (Int, Int) {
            (commune.codesPostaux.contains { $0.hasSuffix("000") } ? 1 : 0, commune.codesPostaux.count)
        }
        for (key, indices) in byKey where indices.count > 1 {
            byKey[key] = indices.sorted { first, second in
                let a = size(communes[first]), b = size(communes[second])
                return a != b ? a > b : communes[first].insee < communes[second].insee
            }
        }
        self.byKey = byKey
        self.byPostcode = byPostcode
        self.byInsee = byInsee
    }

    public func commune(insee: String) -> Commune? { byInsee[insee].map { communes[$0] } }

    /// The communes of that name, the largest first ("Saint-Quentin", "st quentin", "SAINT QUENTIN").
    public func communes(named text: String) -> [Commune] {
        let key = CommuneGazetteer.key(text)
        guard !key.isEmpty, key.count <= 80 else { return [] }
        return (byKey[key] ?? []).map { communes[$0] }
    }

    /// The communes served by that postcode ("80000" → Amiens), the most central first.
    public func communes(postcode: String) -> [Commune] {
        let code = postcode.trimmingCharacters(in: .whitespaces)
        let served = (byPostcode[code] ?? []).map { communes[$0] }
        guard served.count > 1 else { return served }
        // Several communes share a postcode around a town: the most central (the town itself) first.
        let centre = GeoPoint(latitude: served.map(\.latitude).reduce(0, +) / Double(served.count),
                              longitude: served.map(\.longitude).reduce(0, +) / Double(served.count))
        return served.sorted { ($0.point.distance(to: centre), $0.insee) < ($1.point.distance(to: centre), $1.insee) }
    }

    /// The commune a person means by a name, a name with its département ("Saint-Quentin (02)",
    /// "saint quentin 02") or a postcode; nil when nothing matches.
    public func find(_ text: String) -> Commune? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 80 else { return nil }
        if trimmed.count == 5, trimmed.allSatisfy(\.isNumber) { return communes(postcode: trimmed).first }
        if let point = CommuneGazetteer.coordinates(trimmed) { return communes(near: point, radius: 20, limit: 1).first?.commune }
        let words = TextFolding.searchKey(trimmed).split(separator: " ")
        if words.count > 1, let last = words.last, (2...3).contains(last.count), last.first?.isNumber == true || last.hasPrefix("2") {
            let departement = TerritoryCatalog.normaliseDepartementCode(String(last)).uppercased()
            let named = communes(named: words.dropLast().joined(separator: " "))
            if let match = named.first(where: { $0.departementCode == departement }) { return match }
        }
        return communes(named: trimmed).first
    }

    /// The communes within `radius` kilometres of `point`, the nearest first (bounded by `limit`).
    public func communes(near point: GeoPoint, radius: Double, limit: Int = 50) -> [(commune: Commune, distance: Double)] {
        guard point.isValid, radius > 0 else { return [] }
        let found = communes.lazy.map { ($0, point.distance(to: $0.point)) }.filter { $0.1 <= radius }
        return Array(found.sorted { $0.1 < $1.1 }.prefix(max(0, limit)))
    }

    /// "49.8465,3.2876" (latitude, longitude: what a browser's position gives) as a point, nil otherwise.
    static func coordinates(_ text: String) -> GeoPoint? {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, parts.allSatisfy({ $0.count <= 20 }), let latitude = Double(parts[0]), let longitude = Double(parts[1]) else { return nil }
        let point = GeoPoint(latitude: latitude, longitude: longitude)
        return point.isValid ? point : nil
    }

    /// The folded form names are matched on: "St-Quentin" and "Saint Quentin" → "saint quentin".
    static func key(_ text: String) -> String {
        TextFolding.searchKey(text).split(separator: " ").map { word -> String in
            switch word {
            case "st": "saint"
            case "ste": "sainte"
            case "sts": "saints"
            case "stes": "saintes"
            default: String(word)
            }
        }.joined(separator: " ")
    }

    /// La Poste's "LE MESNIL SUR OGER" → "Le Mesnil-sur-Oger", "ST QUENTIN" → "Saint-Quentin",
    /// "L ABERGEMENT DE CUISERY" → "L'Abergement-de-Cuisery": an article opening the name stays apart, the
    /// other words are joined by hyphens, small words in lower case (accents are not in the source).
    static func displayName(_ capitals: String) -> String {
        let small: Set<String> = ["sur", "sous", "en", "de", "du", "des", "la", "le", "les", "et", "aux", "au", "lez", "les", "l", "d"]
        let articles: Set<String> = ["le", "la", "les", "l"]
        var words = capitals.lowercased().split(separator: " ").map(String.init)
        guard !words.isEmpty else { return capitals }
        words = words.map { word in
            switch word {
            case "st": "saint"
            case "ste": "sainte"
            default: word
            }
        }
        func capitalised(_ word: String) -> String { word.prefix(1).uppercased() + word.dropFirst() }
        var head = ""
        if words.count > 1, articles.contains(words[0]) {
            head = words[0] == "l" ? "L'" : capitalised(words[0]) + " "
            words.removeFirst()
        }
        var result = ""
        for (index, word) in words.enumerated() {
            let isSmall = index > 0 && small.contains(word)
            let written = isSmall ? word : capitalised(word)
            if index == 0 {
                result = written
            } else if result.hasSuffix("-d") || result.hasSuffix("-l") {
                result += "'" + written
            } else {
                result += "-" + written
            }
        }
        // Arrondissements keep their number apart: "Paris 01", "Marseille 12".
        if let last = words.last, last.allSatisfy(\.isNumber), let range = result.range(of: "-" + last, options: .backwards) {
            result.replaceSubrange(range, with: " " + last)
        }
        return head + result
    }
}

/// "Within `radius` km of a commune": where a search is centred and how far it reaches.
public struct Nearby: Hashable, Sendable, CustomStringConvertible {
    public static let radii = 1...200
    public static let defaultRadius = 30
    /// The longest place name read (code points, as the OpenAPI document counts them).
    public static let maximumPlaceLength = 120

    public let commune: Commune
    /// Kilometres, within `radii`.
    public let radius: Int

    public init(commune: Commune, radius: Int) {
        self.commune = commune
        self.radius = min(max(radius, Nearby.radii.lowerBound), Nearby.radii.upperBound)
    }

    public var origin: GeoPoint { commune.point }

    /// The distance's rank used for ordering: tenths of a kilometre (so both databases order alike).
    public static func rank(_ distance: Double) -> Int { Int((distance * 10).rounded(.down)) }

    /// "à 12 km", "à 800 m", "sur place".
    public static func phrase(_ distance: Double) -> String {
        if distance < 0.1 { return "sur place" }
        if distance < 1 { return "à \(Int((distance * 10).rounded()) * 100) m" }
        if distance < 10 { return "à \(String(format: "%.1f", distance).replacingOccurrences(of: ".", with: ",")) km" }
        return "à \(Int(distance.rounded())) km"
    }

    public var description: String { "\(commune.insee)+\(radius)km" }
}

extension Nearby {
    /// At most this many places are kept around a point (the nearest): bounds the work of one search.
    public static let placeLimit = 5_000

    /// The bounding box of the circle, for a first cut in a database (a degree of latitude is ~111 km).
    public var boundingBox: (latitudes: ClosedRange<Double>, longitudes: ClosedRange<Double>) {
        let origin = self.origin, km = Double(radius)
        let dLat = km / 110.5
        let dLon = km / (111.3 * max(0.05, cos(origin.latitude * .pi / 180)))
        return ((origin.latitude - dLat)...(origin.latitude + dLat), (origin.longitude - dLon)...(origin.longitude + dLon))
    }

    /// The places within the radius, the nearest first (ties by id), at most `placeLimit`.
    public func select<ID: Comparable>(_ places: [(id: ID, point: GeoPoint)]) -> [(id: ID, distance: Double)] {
        let origin = self.origin, limit = Double(radius)
        var found: [(id: ID, distance: Double)] = []
        for place in places where place.point.isValid {
            let distance = origin.distance(to: place.point)
            if distance <= limit { found.append((place.id, distance)) }
        }
        found.sort { ($0.distance, $0.id) < ($1.distance, $1.id) }
        return Array(found.prefix(Nearby.placeLimit))
    }
}
