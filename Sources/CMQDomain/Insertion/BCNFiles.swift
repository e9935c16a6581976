/// The two tables of the BCN (Base centrale des nomenclatures) that InserJeunes figures need: N_MEF links the
/// MEFSTAT11 of the voie scolaire to its diploma (CFD); N_FORMATION_DIPLOME gives each CFD its level, its
/// title and its renewals (ANCIEN_DIPLOME_n, NOUVEAU_DIPLOME_n).
public enum BCNFiles {
    public struct MefLink: Sendable, Hashable {
        public var mefstat11: String
        public var cfd: String

        public init(mefstat11: String, cfd: String) {
            self.mefstat11 = mefstat11
            self.cfd = cfd
        }
    }

    public struct Diploma: Sendable, Equatable {
        public var line: Int
        public var cfd: String
        /// NIVEAU_FORMATION_DIPLOME: the diploma's kind, the first three characters of its CFD ("500" CAP,
        /// "400" baccalauréat professionnel, "320" BTS).
        public var niveau: String
        public var libelle: String
        public var anciens: [String]
        public var nouveaux: [String]
    }

    public enum Table: Sendable, Equatable {
        case mef([MefLink])
        case diplomes([Diploma])
    }

    /// Reads either table, recognised by its header. A renewal link that is not a CFD (the published table has a
    /// few codes of 7 characters) cannot be followed: it is left out and reported as a warning, the line stays.
    public static func read(_ text: String) throws(DataFileError) -> (table: Table, errors: [DataLineError], warnings: [DataLineError]) {
        let table = try InserJeunesFiles.open(text)
        let columns = table.columnIndex
        if columns["MEF_STAT_11"] != nil {
            try InserJeunesFiles.requireColumns(["MEF_STAT_11", "FORMATION_DIPLOME"], in: columns, file: "N_MEF")
            let (read, errors) = readMef(table, columns)
            return (read, errors, [])
        }
        if columns["FORMATION_DIPLOME"] != nil, columns["NIVEAU_FORMATION_DIPLOME"] != nil {
            try InserJeunesFiles.requireColumns(["LIBELLE_LONG_200"] + (1...7).flatMap { ["ANCIEN_DIPLOME_\($0)", "NOUVEAU_DIPLOME_\($0)"] },
                                                in: columns, file: "N_FORMATION_DIPLOME")
            return readDiplomes(table, columns)
        }
        throw DataFileError("ce fichier n'est ni la table N_MEF (colonne MEF_STAT_11) ni la table N_FORMATION_DIPLOME (colonnes FORMATION_DIPLOME et NIVEAU_FORMATION_DIPLOME) de la BCN")
    }

    static func readMef(_ table: DelimitedText, _ columns: [String: Int]) -> (table: Table, errors: [DataLineError]) {
        var links: [MefLink] = []
        var seen = Set<MefLink>()
        var errors: [DataLineError] = []
        for (index, fields) in table.rows.enumerated() {
            let line = index + 2
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard fields.count >= table.header.count else {
                errors.append(DataLineError(line: line, reason: "\(fields.count) champs au lieu de \(table.header.count)"))
                continue
            }
            let mef = fields[columns["MEF_STAT_11"]!].trimmingCharacters(in: .whitespaces)
            let cfd = fields[columns["FORMATION_DIPLOME"]!].trimmingCharacters(in: .whitespaces).uppercased()
            if mef.isEmpty { continue } // a MEF without statistical code: InserJeunes cannot name it
            var problems: [String] = []
            if !InserJeunesFiles.isMefstat11(mef) { problems.append("MEF_STAT_11 « \(mef) » invalide (11 caractères, chiffres et lettres capitales)") }
            if !InserJeunesFiles.isCFD(cfd) { problems.append("FORMATION_DIPLOME « \(cfd) » invalide (8 caractères, chiffres et lettres)") }
            guard problems.isEmpty else {
                errors.append(DataLineError(line: line, reason: problems.joined(separator: " ; ")))
                continue
            }
            let link = MefLink(mefstat11: mef, cfd: cfd)
            if seen.insert(link).inserted { links.append(link) }
        }
        return (.mef(links), errors)
    }

    static func readDiplomes(_ table: DelimitedText, _ columns: [String: Int]) -> (table: Table, errors: [DataLineError], warnings: [DataLineError]) {
        var warnings: [DataLineError] = []
        var diplomas: [Diploma] = []
        var lineOf: [String: Int] = [:]
        var errors: [DataLineError] = []
        for (index, fields) in table.rows.enumerated() {
            let line = index + 2
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard fields.count >= table.header.count else {
                errors.append(DataLineError(line: line, reason: "\(fields.count) champs au lieu de \(table.header.count)"))
                continue
            }
            func field(_ name: String) -> String { fields[columns[name]!].trimmingCharacters(in: .whitespaces) }
            var problems: [String] = []
            let cfd = field("FORMATION_DIPLOME").uppercased()
            if !InserJeunesFiles.isCFD(cfd) { problems.append("FORMATION_DIPLOME « \(cfd) » invalide (8 caractères, chiffres et lettres)") }
            let niveau = field("NIVEAU_FORMATION_DIPLOME")
            if !(niveau.count == 3 && niveau.allSatisfy { $0.isASCII && ($0.isNumber || $0.isUppercase) }) {
                problems.append("NIVEAU_FORMATION_DIPLOME « \(niveau) » invalide (3 caractères)")
            }
            func links(_ prefix: String) -> [String] {
                (1...7).compactMap { number -> String? in
                    let code = field("\(prefix)_\(number)").uppercased()
                    if code.isEmpty { return nil }
                    if !InserJeunesFiles.isCFD(code) {
                        warnings.append(DataLineError(line: line, reason: "\(prefix)_\(number) « \(code) » n'est pas un CFD (8 caractères) : ce lien de renouvellement est ignoré"))
                        return nil
                    }
                    return code
                }
            }
            let diploma = Diploma(line: line, cfd: cfd, niveau: niveau, libelle: field("LIBELLE_LONG_200"),
                                  anciens: links("ANCIEN_DIPLOME"), nouveaux: links("NOUVEAU_DIPLOME"))
            guard problems.isEmpty else {
                errors.append(DataLineError(line: line, reason: problems.joined(separator: " ; ")))
                continue
            }
            if let first = lineOf[cfd] {
                // The published table repeats some lines word for word: the same line twice is one diploma.
                let earlier = diplomas.first { $0.cfd == cfd }!
                if earlier.niveau != diploma.niveau || earlier.libelle != diploma.libelle
                    || earlier.anciens != diploma.anciens || earlier.nouveaux != diploma.nouveaux {
                    errors.append(DataLineError(line: line, reason: "le diplôme \(cfd) est déjà décrit autrement à la ligne \(first)"))
                }
                continue
            }
            lineOf[cfd] = line
            diplomas.append(diploma)
        }
        return (.diplomes(diplomas), errors, warnings)
    }

    /// The renewals of a list of diplomas, both columns read.
    public static func lineage(_ diplomas: [Diploma]) -> DiplomaLineage {
        var lineage = DiplomaLineage()
        for diploma in diplomas {
            for former in diploma.anciens { lineage.add(ancien: former, nouveau: diploma.cfd) }
            for next in diploma.nouveaux { lineage.add(ancien: diploma.cfd, nouveau: next) }
        }
        return lineage
    }
}
