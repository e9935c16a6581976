/// One version of the national cahier des charges of the label: the ordered steps of the procedure, the
/// bodies that give an opinion, the criteria grid, the durations and whether a mention Excellence exists.
///
/// Référentiels are data (`Resources/Data/referentiels/*.json`, or a file given to a command): a value is
/// only built through `ReferentielFile.validated()`, so every `Referentiel` obeys the rules listed there.
public struct Referentiel: Sendable, Hashable, Identifiable {
    /// "2014", "2019".
    public let code: String
    public let titre: String
    /// The texts the procedure comes from (décret, arrêté), for display.
    public let texte: String?
    public let etapes: [Etape]
    /// The label is granted for a number of years in `dureeMinimaleAnnees...dureeMaximaleAnnees`
    /// (2014: exactly 4; 2019: 1 to 5).
    public let dureeMinimaleAnnees: Int
    public let dureeMaximaleAnnees: Int
    public let renouvelable: Bool
    /// nil when the référentiel has no mention Excellence.
    public let mentionExcellence: MentionExcellence?
    public let familles: [FamilleCriteres]
    /// The steps grouped in stages: the steps of one stage may happen in any order, a stage starts when
    /// the previous one is complete.
    public let stages: [[Etape]]

    init(code: String, titre: String, texte: String?, etapes: [Etape], dureeMinimaleAnnees: Int, dureeMaximaleAnnees: Int,
         renouvelable: Bool, mentionExcellence: MentionExcellence?, familles: [FamilleCriteres]) {
        self.code = code
        self.titre = titre
        self.texte = texte
        self.etapes = etapes
        self.dureeMinimaleAnnees = dureeMinimaleAnnees
        self.dureeMaximaleAnnees = dureeMaximaleAnnees
        self.renouvelable = renouvelable
        self.mentionExcellence = mentionExcellence
        self.familles = familles
        var stages: [[Etape]] = []
        for etape in etapes {
            if let groupe = etape.groupe, let last = stages.last?.last, last.groupe == groupe {
                stages[stages.count - 1].append(etape)
            } else {
                stages.append([etape])
            }
        }
        self.stages = stages
    }

    public var id: String { code }

    public var excellence: Bool { mentionExcellence != nil }

    public var durees: ClosedRange<Int> { dureeMinimaleAnnees...dureeMaximaleAnnees }

    /// Every criterion of the grid, family after family.
    public var criteres: [Critere] { familles.flatMap(\.criteres) }

    public func critere(code: String) -> Critere? {
        criteres.first { $0.code == code }
    }

    public func famille(ofCritere code: String) -> FamilleCriteres? {
        familles.first { $0.criteres.contains { $0.code == code } }
    }

    public func etape(code: String) -> Etape? {
        etapes.first { $0.code == code }
    }

    /// The step in which a body intervenes (an opinion or the expertise), if it does.
    public func etape(of instance: Instance) -> Etape? {
        etapes.first { $0.kind.instance == instance }
    }

    public var depot: Etape { etapes.first { $0.kind == .depot }! }
    public var decision: Etape { etapes.first { $0.kind == .decision }! }
    public var expertise: Etape? { etapes.first { if case .expertise = $0.kind { true } else { false } } }

    /// The position of a step's stage in `stages`.
    public func stageIndex(of etape: Etape) -> Int {
        stages.firstIndex { $0.contains(etape) }!
    }

    /// The bodies that give an opinion or examine the dossier, in the order of the procedure.
    public var instances: [Instance] { etapes.compactMap(\.kind.instance) }

    /// The check of a duration of labelling against this référentiel.
    public func checkDuration(_ years: Int) throws(LabellingError) {
        guard durees.contains(years) else {
            throw .durationNotAllowed(years: years, minimum: dureeMinimaleAnnees, maximum: dureeMaximaleAnnees, referentiel: code)
        }
    }
}

/// One step of a procedure.
public struct Etape: Sendable, Hashable, Identifiable {
    public enum Kind: Sendable, Hashable {
        /// The dossier is submitted by the académie and the région.
        case depot
        /// A body gives its opinion.
        case avis(Instance)
        /// A body scores the criteria and closes with a collective opinion.
        case expertise(Instance)
        /// The decision labels the campus or refuses the label.
        case decision

        /// "depot", "avis", "expertise", "decision": the `kind` of the JSON file.
        public var slug: String {
            switch self {
            case .depot: "depot"
            case .avis: "avis"
            case .expertise: "expertise"
            case .decision: "decision"
            }
        }

        public var instance: Instance? {
            switch self {
            case .avis(let instance), .expertise(let instance): instance
            case .depot, .decision: nil
            }
        }
    }

    /// A slug: "depot", "avis-caen", "expertise", "decision"…
    public let code: String
    /// "Avis du CAEN".
    public let libelle: String
    public let kind: Kind
    /// Consecutive steps with the same group may happen in any order ("avis-regionaux" for CAEN and CREFOP).
    public let groupe: String?

    public init(code: String, libelle: String, kind: Kind, groupe: String? = nil) {
        self.code = code
        self.libelle = libelle
        self.kind = kind
        self.groupe = groupe
    }

    public var id: String { code }

    /// How messages name the step: "le dépôt du dossier", "l'avis du CAEN", "l'expertise du groupe d'experts", "la décision".
    public var designation: String {
        switch kind {
        case .depot: "le dépôt du dossier"
        case .avis(let instance): "l'avis \(instance.withDu)"
        case .expertise(let instance): "l'expertise \(instance.withDu)"
        case .decision: "la décision"
        }
    }
}

/// The mention Excellence of a référentiel and what it requires beyond the label.
public struct MentionExcellence: Sendable, Hashable, Codable {
    public let libelle: String
    public let exigences: [String]

    public init(libelle: String, exigences: [String]) {
        self.libelle = libelle
        self.exigences = exigences
    }
}

/// A family of criteria of the grid ("Objectifs stratégiques").
public struct FamilleCriteres: Sendable, Hashable, Codable, Identifiable {
    public let code: String
    public let libelle: String
    public let criteres: [Critere]

    public init(code: String, libelle: String, criteres: [Critere]) {
        self.code = code
        self.libelle = libelle
        self.criteres = criteres
    }

    public var id: String { code }
}

/// One criterion the experts score from 0 to 4.
public struct Critere: Sendable, Hashable, Codable, Identifiable {
    public let code: String
    public let libelle: String

    public init(code: String, libelle: String) {
        self.code = code
        self.libelle = libelle
    }

    public var id: String { code }
}
