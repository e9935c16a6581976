import Foundation

/// The indicators in force: those shipped with cmq (`Data/indicateurs/catalogue.json`) and those loaded as data
/// (`cmq indicateurs charger FICHIER`). A file is checked whole: every problem is reported, with the indicator it
/// concerns, and nothing of a file with a problem is kept.
///
/// ```json
/// { "indicateurs": [
///   { "code": "RES-01", "libelle": "Membres du réseau", "definition": "…", "unite": "nombre", "famille": "reseau",
///     "source": "calcule", "calcul": "membres", "sens": "hausse", "public": true },
///   { "code": "INT-01", "libelle": "Mobilités sortantes", "definition": "…", "unite": "nombre", "famille": "international",
///     "source": "saisi", "sens": "hausse", "public": true } ] }
/// ```
public struct IndicatorCatalog: Sendable, Equatable {
    public private(set) var indicators: [Indicator]

    public init(_ indicators: [Indicator] = []) {
        self.indicators = indicators
    }

    public func indicator(code: String) -> Indicator? {
        indicators.first { $0.code == code }
    }

    /// The same catalogue with `others` added after its own; a code already in use is refused.
    public func adding(_ others: [Indicator]) throws(IndicatorCatalogError) -> IndicatorCatalog {
        let taken = others.map(\.code).filter { indicator(code: $0) != nil }
        guard taken.isEmpty else {
            throw IndicatorCatalogError(["Code(s) déjà utilisé(s) par le catalogue : \(taken.joined(separator: ", "))."])
        }
        return IndicatorCatalog(indicators + others)
    }

    /// The shipped catalogue.
    public static let shipped: IndicatorCatalog = {
        guard let url = Bundle.module.url(forResource: "catalogue", withExtension: "json", subdirectory: "Data/indicateurs"),
              let data = try? Data(contentsOf: url) else {
            preconditionFailure("The shipped indicator catalogue (Data/indicateurs/catalogue.json) cannot be found.")
        }
        do {
            return IndicatorCatalog(try decode(data))
        } catch {
            preconditionFailure("The shipped indicator catalogue is invalid: \((error as? IndicatorCatalogError)?.message ?? "\(error)")")
        }
    }()

    /// The indicators of a catalogue file, checked.
    public static func decode(_ data: Data) throws(IndicatorCatalogError) -> [Indicator] {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw IndicatorCatalogError(["Le fichier n'est pas un catalogue d'indicateurs en JSON ({ \"indicateurs\": [ … ] })."])
        }
        return try file.validated()
    }

    struct File: Decodable {
        struct Entry: Decodable {
            var code: String?
            var libelle: String?
            var definition: String?
            var unite: String?
            var famille: String?
            var source: String?
            var calcul: String?
            var sens: String?
            var `public`: Bool?
        }

        var indicateurs: [Entry]?

        func validated() throws(IndicatorCatalogError) -> [Indicator] {
            guard let entries = indicateurs, !entries.isEmpty else {
                throw IndicatorCatalogError(["Le catalogue ne contient aucun indicateur (« indicateurs » vide ou absent)."])
            }
            var problems: [String] = []
            var indicators: [Indicator] = []
            var seen = Set<String>()
            for (position, entry) in entries.enumerated() {
                let name = entry.code.map { "« \($0) »" } ?? "n° \(position + 1)"
                var local: [String] = []
                func text(_ value: String?, _ field: String, max: Int) -> String? {
                    guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                        local.append("\(field) manquant"); return nil
                    }
                    guard value.count <= max else { local.append("\(field) de plus de \(max) caractères"); return nil }
                    return value
                }
                let code = text(entry.code, "code", max: 20)
                if let code {
                    if code.count < 2 || !code.allSatisfy({ ($0.isASCII && ($0.isUppercase || $0.isNumber)) || $0 == "-" }) {
                        local.append("code « \(code) » : de 2 à 20 lettres majuscules, chiffres et tirets")
                    } else if !seen.insert(code).inserted {
                        local.append("code « \(code) » en double")
                    }
                }
                let libelle = text(entry.libelle, "libellé", max: 120)
                let definition = text(entry.definition, "définition", max: 600)
                let unit = entry.unite.flatMap(IndicatorUnit.init(rawValue:))
                if unit == nil { local.append("unité « \(entry.unite ?? "") » inconnue (\(IndicatorUnit.allCases.map(\.rawValue).joined(separator: ", ")))") }
                let family = entry.famille.flatMap(IndicatorFamily.init(rawValue:))
                if family == nil { local.append("famille « \(entry.famille ?? "") » inconnue (\(IndicatorFamily.allCases.map(\.rawValue).joined(separator: ", ")))") }
                let direction = entry.sens.flatMap(IndicatorDirection.init(rawValue:))
                if direction == nil { local.append("sens « \(entry.sens ?? "") » inconnu (hausse, baisse, neutre)") }
                if entry.public == nil { local.append("« public » manquant (true ou false)") }
                var source: IndicatorSource?
                switch entry.source {
                case "saisi":
                    if entry.calcul != nil { local.append("un indicateur saisi n'a pas de « calcul »") } else { source = .entered }
                case "calcule":
                    if let computation = entry.calcul.flatMap(IndicatorComputation.init(rawValue:)) {
                        source = .computed(computation)
                        if let unit, computation.unit != unit {
                            local.append("le calcul « \(computation.rawValue) » donne des \(computation.unit.label), pas des \(unit.label)")
                        }
                    } else {
                        local.append("calcul « \(entry.calcul ?? "") » inconnu (\(IndicatorComputation.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                default:
                    local.append("source « \(entry.source ?? "") » inconnue (calcule ou saisi)")
                }
                if !local.isEmpty {
                    problems.append("Indicateur \(name) : " + local.joined(separator: " ; ") + ".")
                    continue
                }
                indicators.append(Indicator(code: code!, libelle: libelle!, definition: definition!, unit: unit!, family: family!,
                                            source: source!, direction: direction!, isPublic: entry.public!))
            }
            guard problems.isEmpty else { throw IndicatorCatalogError(problems) }
            return indicators
        }
    }
}

public struct IndicatorCatalogError: Error, Equatable, Sendable {
    public let problems: [String]
    public init(_ problems: [String]) { self.problems = problems }
    public var message: String { problems.joined(separator: " ") }
}
