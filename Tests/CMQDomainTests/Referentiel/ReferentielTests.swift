import CMQDomain
import Foundation
import Testing

@Suite("Filières, levels, diplomas, statuses")
struct ReferentielTests {
    @Test("the 12 filières carry the exact labels of the national classification")
    func filieres() {
        #expect(Filiere.allCases.count == 12)
        #expect(Filiere.allCases.map(\.label) == [
            "Mobilité, aéronautique, transports terrestres et maritimes",
            "Tourisme, gastronomie",
            "Création, design, audiovisuel",
            "Chimie et biotechnologies",
            "Matériaux, matériaux innovants",
            "Infrastructures, bâtiment, éco-construction",
            "Transition énergétique, éco-industrie",
            "Systèmes innovants, mécatronique",
            "Services à la personne, bien-être",
            "Services aux entreprises, logistique",
            "Alimentaire, agroalimentaire",
            "Numérique, télécommunications",
        ])
    }

    @Test("filière slugs are unique, URL-safe and stable")
    func slugs() {
        let slugs = Filiere.allCases.map(\.slug)
        #expect(Set(slugs).count == 12)
        #expect(slugs.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "-" } })
        #expect(Filiere(slug: "materiaux-innovants") == .materiauxInnovants)
        #expect(Filiere(slug: "Matériaux") == nil)
    }

    @Test("levels 3 to 8 with the old numbering V, IV, III, II, I")
    func levels() {
        #expect(Level.allCases.map(\.number) == [3, 4, 5, 6, 7, 8])
        #expect(Level.allCases.map(\.oldNumbering) == ["V", "IV", "III", "II", "I", "I"])
        #expect(Level(oldNumbering: "iii") == .niveau5)
        #expect(Level(oldNumbering: "I") == .niveau7)
        #expect(Level(oldNumbering: "VI") == nil)
        #expect(Level(number: 2) == nil)
        #expect(Level.niveau3 < Level.niveau8)
    }

    @Test("each diploma type certifies its level", arguments: [
        (DiplomaType.cap, 3), (.bacPro, 4), (.bp, 4), (.bts, 5), (.deust, 5), (.but, 6), (.licence, 6), (.licencePro, 6),
        (.master, 7), (.diplomeIngenieur, 7), (.doctorat, 8),
    ])
    func diplomaLevel(type: DiplomaType, level: Int) {
        #expect(type.level.number == level)
    }

    @Test("the four learner statuses")
    func statuses() {
        #expect(LearnerStatus.allCases.map(\.label) == ["Scolaire", "Étudiant", "Apprenti", "Stagiaire de la formation continue"])
    }

    @Test("calendar days read and write ISO dates and refuse impossible ones")
    func days() {
        #expect(CalendarDay(iso: "2013-09-01")?.iso == "2013-09-01")
        #expect(CalendarDay(iso: "2024-02-29") != nil)
        #expect(CalendarDay(iso: "2023-02-29") == nil)
        #expect(CalendarDay(iso: "2013-13-01") == nil)
        #expect(CalendarDay(iso: "01/09/2013") == nil)
        #expect(CalendarDay(iso: "2013-09-01")!.frenchLong == "1er septembre 2013")
        #expect(CalendarDay(iso: "2013-09-01")! < CalendarDay(iso: "2014-01-15")!)
    }

    @Test("text folding ignores case, accents and the ligatures œ and æ")
    func folding() {
        #expect(TextFolding.fold("MÉCANIQUE") == "mecanique")
        #expect(TextFolding.fold("Œnologie") == "oenologie")
        #expect(TextFolding.fold("ex æquo") == "ex aequo")
        #expect(TextFolding.searchKey("Lycée  Jean-Bertin (Bruay)") == "lycee jean bertin bruay")
        #expect(TextFolding.slug("Provence-Alpes-Côte d'Azur") == "provence-alpes-cote-d-azur")
    }
}

@Suite("Territory")
struct TerritoryTests {
    let territory = TerritoryCatalog.shared

    @Test("18 régions académiques, 5 of them overseas")
    func regions() {
        #expect(territory.regions.count == 18)
        #expect(territory.regions.filter(\.outreMer).map(\.nom).sorted() == ["Guadeloupe", "Guyane", "La Réunion", "Martinique", "Mayotte"])
    }

    @Test("30 académies: Normandie is one académie since 2020, Caen and Rouen are gone")
    func academies() {
        #expect(territory.academies.count == 30)
        #expect(territory.academie(code: "70")?.nom == "Normandie")
        #expect(territory.academie(code: "05") == nil)
        #expect(territory.academies(inRegion: "32").map(\.nom).sorted() == ["Amiens", "Lille"])
    }

    @Test("départements lead to their académie and région académique")
    func departements() {
        #expect(territory.departement(code: "02")?.academieCode == "20")
        #expect(territory.departement(code: "002")?.nom == "Aisne")
        #expect(territory.departement(code: "2A")?.academieCode == "27")
        #expect(territory.departement(code: "974")?.nom == "La Réunion")
        #expect(territory.region(ofAcademie: "12")?.nom == "Grand Est")
        #expect(territory.departements.count >= 101)
    }

    @Test("a région or académie is found by code, slug or name in any case")
    func matching() {
        #expect(territory.region(matching: "HAUTS-DE-FRANCE")?.code == "32")
        #expect(territory.region(matching: "hauts-de-france")?.code == "32")
        #expect(territory.region(matching: "32")?.nom == "Hauts-de-France")
        #expect(territory.academie(matching: "Nancy-Metz")?.code == "12")
        #expect(territory.academie(matching: "orleans-tours")?.code == "18")
        #expect(territory.academie(matching: "Atlantide") == nil)
    }

    @Test("département codes are normalised to the INSEE form")
    func normalise() {
        #expect(TerritoryCatalog.normaliseDepartementCode("001") == "01")
        #expect(TerritoryCatalog.normaliseDepartementCode("02A") == "2A")
        #expect(TerritoryCatalog.normaliseDepartementCode("971") == "971")
        #expect(TerritoryCatalog.normaliseDepartementCode("2") == "02")
    }

    @Test("a table without its columns is refused")
    func missingColumn() {
        #expect(throws: TerritoryError.missingColumn("codeAcademie")) {
            try TerritoryCatalog(csv: "libelleRegion;codeRegion\nBretagne;53\n")
        }
    }
}
