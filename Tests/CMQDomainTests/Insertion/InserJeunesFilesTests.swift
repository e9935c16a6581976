import CMQDomain
import Testing

/// The InserJeunes and BCN files as published: any millésime, `nd`, headers with trailing spaces, bad lines by number.
@Suite("Insertion: reading the InserJeunes and BCN files")
struct InserJeunesFilesTests {
    static let regionHeader = "\u{FEFF}id;millesime;code_region_ij;code_region;voie;cfd;mefstat11;nb_annee_term;nb_en_emploi_12_mois;nb_en_emploi_18_mois;nb_en_emploi_24_mois;nb_en_emploi_6_mois;nb_poursuite_etudes;nb_sortant;taux_emploi_12_mois;taux_emploi_18_mois;taux_emploi_24_mois;taux_emploi_6_mois;taux_poursuite_etudes"

    @Test("région file: counts read, empty counts are unpublished, each voie by its own code")
    func regions() throws {
        let text = Self.regionHeader + "\n"
            + "2019_2020_10_scolaire_32221022002;2019_2020;10;11;scolaire;;32221022002;52;12;12;15;9;31;21;57;57;71;43;60\n"
            + "2021_2022_84_apprentissage_50022510;2021_2022;84;84;apprentissage;50022510;;25;;;;8;5;20;;;;40;20\n"
        let (rows, errors) = try InserJeunesFiles.readRegions(text)
        #expect(errors.isEmpty)
        #expect(rows.count == 2)
        #expect(rows[0].code == "32221022002" && rows[0].voie == .scolaire && rows[0].counts.emploi[6] == 9)
        #expect(rows[1].code == "50022510" && rows[1].counts.emploi[12] == nil && rows[1].millesime.description == "2021_2022")
        // --millesime keeps only that millésime.
        #expect(try InserJeunesFiles.readRegions(text, only: Millesime("2021_2022")).rows.map(\.line) == [3])
    }

    @Test("région file: every bad line is reported with its number and reason")
    func regionErrors() throws {
        let text = Self.regionHeader + "\n"
            + "x;2019_2021;10;11;scolaire;;32221022002;52;12;12;15;9;31;21;57;57;71;43;60\n"
            + "x;2019_2020;10;11;bus;;32221022002;52;12;12;15;9;31;21;57;57;71;43;60\n"
            + "x;2019_2020;10;11;scolaire;;32221022002;52;12;12;15;9;-3;21;57;57;71;43;60\n"
            + "x;2019_2020;10;11;scolaire;;32221022002;52;12;12;15;9;60;21;57;57;71;43;60\n"
            + "x;2019_2020;10;11;apprentissage;;;52;12;12;15;9;31;21;57;57;71;43;60\n"
            + "x;2019_2020;10;11;scolaire;;32221022002;52;12;12;15;9;31;21;57;57;71;43;60\n"
            + "x;2019_2020;10;11;scolaire;;32221022002;52;12;12;15;9;31;21;57;57;71;43;60\n"
            + "x;2019_2020;10;11;scolaire;;32221022002;52\n"
        let (rows, errors) = try InserJeunesFiles.readRegions(text)
        #expect(rows.count == 1)
        #expect(errors.map(\.line) == [2, 3, 4, 5, 6, 8, 9])
        #expect(errors[0].reason.contains("millésime « 2019_2021 » invalide"))
        #expect(errors[1].reason.contains("voie « bus » inconnue"))
        #expect(errors[2].reason.contains("nb_poursuite_etudes"))
        #expect(errors[3].reason.contains("dépasse nb_annee_term"))
        #expect(errors[4].reason.contains("cfd manquant"))
        #expect(errors[5].reason == "même millésime, région, voie et formation que la ligne 7")
        #expect(errors[6].reason.contains("champs au lieu de 19"))
        #expect(throws: DataFileError.self) { try InserJeunesFiles.readRegions("id;millesime\n1;2019_2020\n") }
    }

    @Test("establishment files: lycées with three populations, CFA with headers ending in a space, `nd` masked")
    func establishments() throws {
        let lycees = "n°UAI de l'établissement;Libellé de l'établissement;Région;Dont apprentis en EPLE;Taux de poursuite d'études;Taux;Taux attendu;Valeur ajoutée;Part en poursuite d'études;Part en emploi 6 mois après la sortie;Part des autres situations\r\n"
            + "0010001W;Lycée professionnel Alexandre Bérard;AUVERGNE-RHONE-ALPES;ensemble;54;51;41;10;54;23;23\r\n"
            + "0010034G;Lycée polyvalent Paul Painlevé;AUVERGNE-RHONE-ALPES;dont apprentis;51;nd;nd;nd;51;24;25\r\n"
            + "0010034G;Lycée polyvalent Paul Painlevé;AUVERGNE-RHONE-ALPES;dont élèves en voie pro sco;50;60;62;-2;50;30;20\r\n"
        let read = try InserJeunesFiles.readEstablishments(lycees)
        #expect(read.kind == .lycees && read.errors.isEmpty)
        #expect(read.rows[0].valeurAjoutee == 10 && read.rows[0].tauxEmploi6 == 51 && read.rows[0].tauxEmploi6Attendu == 41)
        #expect(read.rows[1].population == .apprentis && read.rows[1].tauxEmploi6 == nil && read.rows[1].partEmploi6 == 24)
        #expect(read.rows[2].population == .scolaires && read.rows[2].valeurAjoutee == -2)
        let cfa = "n°UAI de l'établissement;Libellé de l'établissement;Région;Taux de poursuite d'études;Taux;Taux attendu;Valeur ajoutée;Part en poursuite d'études ;Part en emploi 6 mois après la sortie ;Part des autres situations \r\n"
            + "0010826T;CFA Bernard Palissy;AUVERGNE-RHONE-ALPES;42;70;69;1;42;41;17\r\n"
            + "0010826X;CFA faux;AUVERGNE-RHONE-ALPES;42;170;69;1;42;41;17\r\n"
            + "0010826T;CFA Bernard Palissy;AUVERGNE-RHONE-ALPES;42;70;69;1;42;41;17\r\n"
        let cfaRead = try InserJeunesFiles.readEstablishments(cfa)
        #expect(cfaRead.kind == .cfa && cfaRead.rows.count == 1 && cfaRead.rows[0].partAutres == 17)
        #expect(cfaRead.errors.map(\.line) == [3, 4])
        #expect(cfaRead.errors[0].reason.contains("UAI « 0010826X » invalide") && cfaRead.errors[0].reason.contains("« Taux » : « 170 »"))
        #expect(cfaRead.errors[1].reason == "même établissement et même population que la ligne 2")
    }

    @Test("BCN: N_MEF gives MEFSTAT11 → CFD; N_FORMATION_DIPLOME gives levels and renewals, repeated lines once")
    func bcn() throws {
        let mef = "\u{FEFF}MEF;DISPOSITIF_FORMATION;FORMATION_DIPLOME;MEF_STAT_11\n2543340421;254;45033404;25110033404\n2543340422;254;45033404;25110033404\n1;1;40022503;\n2;2;4002;24722503002\n3;3;40022503;2472250300\n4;4;32022310;23A10099999\n"
        let (table, errors, _) = try BCNFiles.read(mef)
        #expect(table == .mef([BCNFiles.MefLink(mefstat11: "25110033404", cfd: "45033404"), BCNFiles.MefLink(mefstat11: "23A10099999", cfd: "32022310")]))
        #expect(errors.map(\.line) == [5, 6])
        let header = "FORMATION_DIPLOME;NIVEAU_FORMATION_DIPLOME;LIBELLE_LONG_200;" + (1...7).map { "ANCIEN_DIPLOME_\($0)" }.joined(separator: ";") + ";" + (1...7).map { "NOUVEAU_DIPLOME_\($0)" }.joined(separator: ";")
        let empty7 = Array(repeating: "", count: 7)
        func line(_ cfd: String, _ anciens: [String], _ nouveaux: [String]) -> String {
            ([cfd, String(cfd.prefix(3)), "LIBELLE \(cfd)"] + (anciens + empty7).prefix(7) + (nouveaux + empty7).prefix(7)).joined(separator: ";")
        }
        let diplomes = [header, line("40022503", ["40022502"], []), line("40022502", [], ["40022503"]), line("40022502", [], ["40022503"]),
                        line("40022502", [], []), line("500X", [], []), line("50022510", ["5002251"], [])].joined(separator: "\n")
        let (read, bcnErrors, warnings) = try BCNFiles.read(diplomes)
        guard case .diplomes(let list) = read else { Issue.record("not the diplomas table"); return }
        #expect(list.map(\.cfd) == ["40022503", "40022502", "50022510"])
        // A 7-character renewal code (as in the published table) is left out with a warning; the diploma stays.
        #expect(warnings.map(\.line) == [7] && warnings[0].reason.contains("ANCIEN_DIPLOME_1 « 5002251 »"))
        #expect(list[2].anciens.isEmpty)
        #expect(bcnErrors.map(\.line) == [5, 6])
        let lineage = BCNFiles.lineage(list)
        #expect(lineage.formerDiploma(of: "40022503") == "40022502")
        #expect(throws: DataFileError.self) { try BCNFiles.read("A;B\n1;2\n") }
    }
}
