/// How the labelling messages name a body: "le CAEN", "du CREFOP", "au groupe d'experts".
extension Instance {
    /// The short name: "CAEN", "CREFOP", "groupe d'experts", "CNEE".
    public var sigle: String {
        switch self {
        case .caen: "CAEN"
        case .crefop: "CREFOP"
        case .groupeExperts: "groupe d'experts"
        case .cnee: "CNEE"
        }
    }

    /// "le CAEN" (every body's name is masculine and starts with a consonant).
    public var withDefiniteArticle: String { "le \(sigle)" }

    /// "du CAEN".
    public var withDu: String { "du \(sigle)" }

    /// "Le CAEN", at the start of a sentence.
    var capitalisedWithArticle: String { "Le \(sigle)" }
}
