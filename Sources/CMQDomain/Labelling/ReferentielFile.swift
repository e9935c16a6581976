import Foundation

/// The JSON form of a référentiel, as written by people: every field is optional here so that a missing
/// one is reported in French by `validated()` rather than by the decoder.
///
/// ```json
/// {
///   "code": "2019",
///   "titre": "Cahier des charges national de 2019",
///   "texte": "Décret du 16 septembre 2019 ; arrêté du 26 septembre 2019",
///   "etapes": [
///     { "code": "depot", "libelle": "Dépôt du dossier", "kind": "depot" },
///     { "code": "avis-caen", "libelle": "Avis du CAEN", "kind": "avis", "instance": "caen", "groupe": "avis-regionaux" },
///     { "code": "avis-crefop", "libelle": "Avis du CREFOP", "kind": "avis", "instance": "crefop", "groupe": "avis-regionaux" },
///     { "code": "expertise", "libelle": "Avis du groupe d'experts", "kind": "expertise", "instance": "groupe-experts" },
///     { "code": "decision", "libelle": "Décision", "kind": "decision" }
///   ],
///   "dureeMinimaleAnnees": 1,
///   "dureeMaximaleAnnees": 5,
///   "renouvelable": true,
///   "excellence": { "libelle": "Excellence", "exigences": ["…"] },
///   "familles": [ { "code": "objectifs-strategiques", "libelle": "Objectifs stratégiques",
///                   "criteres": [ { "code": "…", "libelle": "…" } ] } ]
/// }
/// ```
/// `excellence` is `null` or absent when the référentiel has no mention Excellence.
public struct ReferentielFile: Codable, Sendable, Equatable {
    public struct EtapeFile: Codable, Sendable, Equatable {
        public var code: String?
        public var libelle: String?
        public var kind: String?
        public var instance: String?
        public var groupe: String?

        public init(code: String?, libelle: String?, kind: String?, instance: String? = nil, groupe: String? = nil) {
            self.code = code
            self.libelle = libelle
            self.kind = kind
            self.instance = instance
            self.groupe = groupe
        }
    }

    public struct CritereFile: Codable, Sendable, Equatable {
        public var code: String?
        public var libelle: String?

        public init(code: String?, libelle: String?) {
            self.code = code
            self.libelle = libelle
        }
    }

    public struct FamilleFile: Codable, Sendable, Equatable {
        public var code: String?
        public var libelle: String?
        public var criteres: [CritereFile]?

        public init(code: String?, libelle: String?, criteres: [CritereFile]?) {
            self.code = code
            self.libelle = libelle
            self.criteres = criteres
        }
    }

    public var code: String?
    public var titre: String?
    public var texte: String?
    public var etapes: [EtapeFile]?
    public var dureeMinimaleAnnees: Int?
    public var dureeMaximaleAnnees: Int?
    public var renouvelable: Bool?
    public var excellence: MentionExcellence?
    public var familles: [FamilleFile]?

    public init(code: String?, titre: String?, texte: String? = nil, etapes: [EtapeFile]?, dureeMinimaleAnnees: Int?, dureeMaximaleAnnees: Int?,
                renouvelable: Bool?, excellence: MentionExcellence?, familles: [FamilleFile]?) {
        self.code = code
        self.titre = titre
        self.texte = texte
        self.etapes = etapes
        self.dureeMinimaleAnnees = dureeMinimaleAnnees
        self.dureeMaximaleAnnees = dureeMaximaleAnnees
        self.renouvelable = renouvelable
        self.excellence = excellence
        self.familles = familles
    }

    /// Reads a référentiel file; a JSON that does not have the expected shape is refused in French.
    public static func decode(_ data: Data) throws(ReferentielError) -> ReferentielFile {
        do {
            return try JSONDecoder().decode(ReferentielFile.self, from: data)
        } catch let error as DecodingError {
            throw ReferentielError([ReferentielFile.describe(error)])
        } catch {
            throw ReferentielError(["Le fichier ne peut pas être lu : \(error.localizedDescription)"])
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "Le champ « \(path(context.codingPath)) » n'a pas le type attendu."
        case .keyNotFound(let key, let context):
            return "Le champ « \(path(context.codingPath + [key])) » est absent."
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "Le fichier n'est pas un document JSON valide."
                : "Le champ « \(path(context.codingPath)) » n'est pas valide."
        @unknown default:
            return "Le fichier n'est pas un référentiel valide."
        }
    }

    /// Checks every rule of a référentiel and builds it; otherwise lists every problem found, in French.
    ///
    /// Rules: a code and a title; step codes are unique slugs; each step has a known kind (depot, avis,
    /// expertise, decision) and a libellé; avis and expertise steps name a known body, and a body intervenes
    /// in one step only; the first step is the only dépôt, the last the only décision; steps of a group
    /// follow one another and are neither the dépôt nor the décision; durations are at least one year and
    /// the minimum does not exceed the maximum; a mention Excellence states its requirements; the grid has
    /// families with unique codes, each with criteria with unique codes and libellés.
    public func validated() throws(ReferentielError) -> Referentiel {
        var problems: [String] = []
        let code = code?.trimmed ?? ""
        if code.isEmpty { problems.append("Le code du référentiel est absent.") }
        let titre = titre?.trimmed ?? ""
        if titre.isEmpty { problems.append("Le titre du référentiel est absent.") }

        // Steps.
        var etapes: [Etape] = []
        let files = self.etapes ?? []
        if files.isEmpty { problems.append("Le référentiel ne définit aucune étape.") }
        var seenCodes: Set<String> = []
        var stepOfInstance: [Instance: String] = [:]
        for (index, file) in files.enumerated() {
            let stepCode = file.code?.trimmed ?? ""
            let name = stepCode.isEmpty ? "n° \(index + 1)" : "« \(stepCode) »"
            if stepCode.isEmpty {
                problems.append("L'étape n° \(index + 1) n'a pas de code.")
            } else if !ReferentielFile.isSlug(stepCode) {
                problems.append("Le code d'étape « \(stepCode) » n'est pas valide : lettres minuscules sans accent, chiffres et tirets.")
            } else if !seenCodes.insert(stepCode).inserted {
                problems.append("Le code d'étape « \(stepCode) » est utilisé plusieurs fois.")
            }
            let libelle = file.libelle?.trimmed ?? ""
            if libelle.isEmpty { problems.append("L'étape \(name) n'a pas de libellé.") }
            let groupe = file.groupe?.trimmed
            var instance: Instance?
            if let raw = file.instance?.trimmed, !raw.isEmpty {
                instance = Instance(rawValue: raw)
                if instance == nil {
                    problems.append("L'étape \(name) indique une instance inconnue « \(raw) » (instances possibles : \(ReferentielFile.instanceList)).")
                }
            }
            let kind: Etape.Kind?
            switch file.kind?.trimmed ?? "" {
            case "depot": kind = .depot
            case "decision": kind = .decision
            case "avis", "expertise":
                if let instance {
                    kind = file.kind?.trimmed == "avis" ? .avis(instance) : .expertise(instance)
                } else {
                    if file.instance?.trimmed.isEmpty ?? true {
                        problems.append("L'étape \(name) doit indiquer l'instance qui intervient (\(ReferentielFile.instanceList)).")
                    }
                    kind = nil
                }
            case "":
                problems.append("L'étape \(name) n'indique pas sa nature (depot, avis, expertise ou decision).")
                kind = nil
            case let other:
                problems.append("L'étape \(name) a une nature inconnue « \(other) » (natures possibles : depot, avis, expertise, decision).")
                kind = nil
            }
            if let kind {
                switch kind {
                case .depot, .decision:
                    if file.instance != nil {
                        problems.append("L'étape \(name) (\(kind == .depot ? "dépôt" : "décision")) n'a pas d'instance.")
                    }
                    if groupe != nil {
                        problems.append("L'étape \(name) (\(kind == .depot ? "dépôt" : "décision")) ne peut pas faire partie d'un groupe d'étapes.")
                    }
                case .avis(let instance), .expertise(let instance):
                    if let other = stepOfInstance[instance] {
                        problems.append("L'instance \(instance.sigle) intervient dans deux étapes (« \(other) » et « \(stepCode) ») : une instance ne rend qu'un avis.")
                    } else {
                        stepOfInstance[instance] = stepCode
                    }
                }
                etapes.append(Etape(code: stepCode, libelle: libelle, kind: kind, groupe: groupe?.isEmpty == true ? nil : groupe))
            }
        }
        if !files.isEmpty, files.count == etapes.count {
            let depots = etapes.filter { $0.kind == .depot }
            let decisions = etapes.filter { $0.kind == .decision }
            if depots.isEmpty {
                problems.append("Le référentiel n'a pas d'étape de dépôt.")
            } else if depots.count > 1 {
                problems.append("Le référentiel a plusieurs étapes de dépôt.")
            } else if etapes.first?.kind != .depot {
                problems.append("Le dépôt doit être la première étape.")
            }
            if decisions.isEmpty {
                problems.append("Le référentiel n'a pas d'étape de décision.")
            } else if decisions.count > 1 {
                problems.append("Le référentiel a plusieurs étapes de décision.")
            } else if etapes.last?.kind != .decision {
                problems.append("La décision doit être la dernière étape.")
            }
            var closedGroups: Set<String> = []
            var previous: String?
            for etape in etapes {
                if let groupe = etape.groupe, groupe != previous, closedGroups.contains(groupe) {
                    problems.append("Les étapes du groupe « \(groupe) » doivent se suivre.")
                }
                if let previous, previous != etape.groupe { closedGroups.insert(previous) }
                previous = etape.groupe
            }
        }

        // Durations.
        let minimum = dureeMinimaleAnnees ?? dureeMaximaleAnnees
        if let maximum = dureeMaximaleAnnees {
            if maximum < 1 { problems.append("La durée maximale du label doit être d'au moins un an.") }
            if let minimum, minimum < 1 { problems.append("La durée minimale du label doit être d'au moins un an.") }
            if let minimum, minimum >= 1, maximum >= 1, minimum > maximum {
                problems.append("La durée minimale (\(minimum) ans) dépasse la durée maximale (\(maximum) ans).")
            }
        } else {
            problems.append("La durée maximale du label (dureeMaximaleAnnees) est absente.")
        }

        // Excellence.
        if let excellence {
            if excellence.libelle.trimmed.isEmpty { problems.append("La mention Excellence n'a pas de libellé.") }
            if excellence.exigences.allSatisfy({ $0.trimmed.isEmpty }) {
                problems.append("La mention Excellence doit énoncer ses exigences.")
            }
        }

        // Criteria.
        var familles: [FamilleCriteres] = []
        let familyFiles = self.familles ?? []
        if familyFiles.flatMap({ $0.criteres ?? [] }).isEmpty {
            problems.append("La grille ne comporte aucun critère.")
        }
        var familyCodes: Set<String> = []
        var criterionCodes: Set<String> = []
        for (index, file) in familyFiles.enumerated() {
            let familyCode = file.code?.trimmed ?? ""
            let name = familyCode.isEmpty ? "n° \(index + 1)" : "« \(familyCode) »"
            if familyCode.isEmpty {
                problems.append("La famille de critères n° \(index + 1) n'a pas de code.")
            } else if !ReferentielFile.isSlug(familyCode) {
                problems.append("Le code de famille « \(familyCode) » n'est pas valide : lettres minuscules sans accent, chiffres et tirets.")
            } else if !familyCodes.insert(familyCode).inserted {
                problems.append("Le code de famille « \(familyCode) » est utilisé plusieurs fois.")
            }
            let libelle = file.libelle?.trimmed ?? ""
            if libelle.isEmpty { problems.append("La famille \(name) n'a pas de libellé.") }
            let criteres = file.criteres ?? []
            if criteres.isEmpty { problems.append("La famille \(name) ne comporte aucun critère.") }
            var built: [Critere] = []
            for (position, critere) in criteres.enumerated() {
                let critereCode = critere.code?.trimmed ?? ""
                if critereCode.isEmpty {
                    problems.append("Le critère n° \(position + 1) de la famille \(name) n'a pas de code.")
                } else if !ReferentielFile.isSlug(critereCode) {
                    problems.append("Le code de critère « \(critereCode) » n'est pas valide : lettres minuscules sans accent, chiffres et tirets.")
                } else if !criterionCodes.insert(critereCode).inserted {
                    problems.append("Le code de critère « \(critereCode) » est utilisé plusieurs fois.")
                }
                let critereLibelle = critere.libelle?.trimmed ?? ""
                if critereLibelle.isEmpty {
                    problems.append("Le critère \(critereCode.isEmpty ? "n° \(position + 1) de la famille \(name)" : "« \(critereCode) »") n'a pas de libellé.")
                }
                built.append(Critere(code: critereCode, libelle: critereLibelle))
            }
            familles.append(FamilleCriteres(code: familyCode, libelle: libelle, criteres: built))
        }

        guard problems.isEmpty, let maximum = dureeMaximaleAnnees, let minimum else {
            var seen: Set<String> = []
            throw ReferentielError(problems.filter { seen.insert($0).inserted })
        }
        return Referentiel(code: code, titre: titre, texte: texte?.trimmed, etapes: etapes, dureeMinimaleAnnees: minimum,
                           dureeMaximaleAnnees: maximum, renouvelable: renouvelable ?? true, mentionExcellence: excellence, familles: familles)
    }

    /// The file of a référentiel (what `Referentiel` encodes to).
    public init(_ referentiel: Referentiel) {
        self.init(
            code: referentiel.code, titre: referentiel.titre, texte: referentiel.texte,
            etapes: referentiel.etapes.map {
                EtapeFile(code: $0.code, libelle: $0.libelle, kind: $0.kind.slug, instance: $0.kind.instance?.rawValue, groupe: $0.groupe)
            },
            dureeMinimaleAnnees: referentiel.dureeMinimaleAnnees, dureeMaximaleAnnees: referentiel.dureeMaximaleAnnees,
            renouvelable: referentiel.renouvelable, excellence: referentiel.mentionExcellence,
            familles: referentiel.familles.map { famille in
                FamilleFile(code: famille.code, libelle: famille.libelle, criteres: famille.criteres.map { CritereFile(code: $0.code, libelle: $0.libelle) })
            })
    }

    static let instanceList = Instance.allCases.map(\.rawValue).joined(separator: ", ")

    static func isSlug(_ text: String) -> Bool {
        !text.isEmpty && text.first != "-" && text.last != "-"
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

/// Why a référentiel file was refused: every problem found, in French.
public struct ReferentielError: Error, Equatable, Sendable, CustomStringConvertible {
    public let problems: [String]

    public init(_ problems: [String]) {
        self.problems = problems
    }

    public var message: String {
        problems.count == 1 ? "Le référentiel est refusé : \(problems[0])"
            : "Le référentiel est refusé :\n" + problems.map { "– \($0)" }.joined(separator: "\n")
    }

    public var description: String { message }
}

extension Referentiel: Codable {
    /// Decodes the file form and validates it: an invalid référentiel cannot be decoded.
    public init(from decoder: any Decoder) throws {
        let file = try ReferentielFile(from: decoder)
        do {
            self = try file.validated()
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try ReferentielFile(self).encode(to: encoder)
    }
}
