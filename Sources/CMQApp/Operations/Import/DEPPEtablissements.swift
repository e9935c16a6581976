import CMQDomain
import Foundation

/// Reads the DEPP InserJeunes files (one for lycées, one for CFA) into organisations: UAI, name and kind.
///
/// The lycée file has up to three lines per UAI (ensemble, dont apprentis, dont élèves): the first wins.
/// These files carry no address; the département comes from the UAI.
enum DEPPEtablissements {
    struct Row: Equatable {
        var uai: UAI
        var nom: String
        var kind: OrganisationKind
        var isPublic: Bool
        var lyceeDesMetiers: Bool
    }

    enum Source { case lycees, cfa }

    static func read(_ text: String, source: Source) throws -> [Row] {
        let table = try DelimitedText(text)
        var seen = Set<String>()
        var rows: [Row] = []
        for fields in table.rows where fields.count >= 2 {
            guard let uai = try? UAI(fields[0]), !seen.contains(uai.value) else { continue }
            seen.insert(uai.value)
            let nom = fields[1].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "  ", with: " ")
            rows.append(Row(uai: uai, nom: nom, kind: source == .cfa ? .cfa : lyceeKind(nom),
                            isPublic: source == .cfa ? false : !isPrivate(nom), lyceeDesMetiers: isLyceeDesMetiers(nom)))
        }
        return rows
    }

    /// The kind of a lycée from its official name ("Lycée polyvalent …", "LPO …", "Lycée général et technologique …").
    static func lyceeKind(_ name: String) -> OrganisationKind {
        let key = TextFolding.searchKey(name)
        if key.contains("agricole") || key.hasPrefix("legta") || key.hasPrefix("lpa ") || key.hasPrefix("eplefpa") { return .lyceeAgricole }
        if key.hasPrefix("lycee polyv") || key.hasPrefix("lpo ") || key.hasPrefix("lycee regional polyvalent") { return .lyceePolyvalent }
        if key.hasPrefix("lycee general") || key.hasPrefix("lycee technologique") || key.hasPrefix("lycee d enseignement general")
            || key.hasPrefix("lycee enseignement general") || key.hasPrefix("legt") || key.hasPrefix("lgt ") { return .lyceeGeneralTechnologique }
        return .lyceeProfessionnel
    }

    static func isPrivate(_ name: String) -> Bool {
        TextFolding.searchKey(name).split(separator: " ").contains { $0 == "prive" || $0 == "privee" }
    }

    static func isLyceeDesMetiers(_ name: String) -> Bool {
        TextFolding.searchKey(name).contains("lycee des metiers")
    }
}
