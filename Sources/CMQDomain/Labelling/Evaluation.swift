/// One expert's score of one criterion of the grid, from 0 to 4, with a comment.
public struct Evaluation: Sendable, Hashable, Codable {
    /// A stable identifier of the expert (the app uses the account's id); one expert scores each criterion once.
    public var expert: String
    /// The code of the criterion in the référentiel's grid.
    public var critere: String
    public var note: Int
    public var commentaire: String

    public static let notes: ClosedRange<Int> = 0...4

    public init(expert: String, critere: String, note: Int, commentaire: String = "") {
        self.expert = expert
        self.critere = critere
        self.note = note
        self.commentaire = commentaire
    }

    /// The expert is named, the score lies in 0...4 and the criterion belongs to the grid of `referentiel`.
    public func validate(against referentiel: Referentiel) throws(LabellingError) {
        guard !expert.trimmed.isEmpty else { throw .missingExpert }
        guard Evaluation.notes.contains(note) else { throw .scoreOutOfRange(note) }
        guard referentiel.critere(code: critere) != nil else { throw .unknownCriterion(critere, referentiel: referentiel.code) }
    }
}
