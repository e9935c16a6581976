/// The verdict of an opinion. Opinions are advisory: an unfavourable one does not stop the procedure.
public enum Verdict: String, CaseIterable, Codable, Sendable, Hashable {
    case favorable
    case favorableAvecReserves = "favorable-avec-reserves"
    case defavorable

    public var label: String {
        switch self {
        case .favorable: "Favorable"
        case .favorableAvecReserves: "Favorable avec réserves"
        case .defavorable: "Défavorable"
        }
    }

    /// A reserved or unfavourable opinion must say why.
    public var requiresText: Bool { self != .favorable }
}

/// The opinion of a body on a dossier (CAEN, CREFOP, CNEE), or the collective opinion closing the expertise.
public struct Avis: Sendable, Hashable, Codable {
    public var instance: Instance
    /// Who signs the opinion for the body ("Le recteur, président du CAEN").
    public var auteur: String
    public var date: CalendarDay
    public var verdict: Verdict
    public var texte: String

    public init(instance: Instance, auteur: String, date: CalendarDay, verdict: Verdict, texte: String) {
        self.instance = instance
        self.auteur = auteur
        self.date = date
        self.verdict = verdict
        self.texte = texte
    }

    /// An author is required; a text too when the verdict is not plainly favourable.
    public func validate() throws(LabellingError) {
        guard !auteur.trimmed.isEmpty else { throw .missingAuthor }
        if verdict.requiresText, texte.trimmed.isEmpty { throw .missingOpinionText(verdict) }
    }
}
