import CMQDomain
import Foundation
import Testing

@Suite("Labelling référentiels")
struct LabellingReferentielTests {
    let r2014 = ReferentielCatalog.shipped.referentiel(code: "2014")!
    let r2019 = ReferentielCatalog.shipped.referentiel(code: "2019")!

    @Test("cmq ships the référentiels 2014 and 2019; new dossiers follow 2019")
    func shipped() {
        #expect(ReferentielCatalog.shipped.referentiels.map(\.code) == ["2014", "2019"])
        #expect(ReferentielCatalog.shipped.current?.code == "2019")
        #expect(ReferentielCatalog.shipped.referentiel(code: "2030") == nil)
    }

    @Test("2014: dépôt, CAEN and CREFOP in any order, expert group, CNEE, decision; four years exactly, no Excellence")
    func procedure2014() {
        #expect(r2014.etapes.map(\.code) == ["depot", "avis-caen", "avis-crefop", "expertise", "avis-cnee", "decision"])
        #expect(r2014.stages.map { $0.map(\.code) } == [["depot"], ["avis-caen", "avis-crefop"], ["expertise"], ["avis-cnee"], ["decision"]])
        #expect(r2014.instances == [.caen, .crefop, .groupeExperts, .cnee])
        #expect(r2014.etape(code: "expertise")?.libelle == "Examen par le groupe interministériel d'expertise")
        #expect(r2014.durees == 4...4)
        #expect(r2014.renouvelable)
        #expect(!r2014.excellence)
        #expect(r2014.familles.count == 1)
        #expect(r2014.criteres.count == 6)
        #expect(r2014.criteres.first?.libelle == "Cohérence de l'offre de formation avec les besoins de développement économique")
        #expect(r2014.criteres.last?.libelle == "Mode d'organisation partenarial au sein du campus")
    }

    @Test("2019: no CNEE, up to five years, a mention Excellence with requirements, three families of criteria")
    func procedure2019() {
        #expect(r2019.etapes.map(\.code) == ["depot", "avis-caen", "avis-crefop", "expertise", "decision"])
        #expect(r2019.stages.map(\.count) == [1, 2, 1, 1])
        #expect(r2019.etape(of: .cnee) == nil)
        #expect(r2019.durees == 1...5)
        #expect(r2019.mentionExcellence?.libelle == "Excellence")
        #expect((r2019.mentionExcellence?.exigences.count ?? 0) >= 4)
        #expect(r2019.familles.map(\.libelle) == ["Objectifs stratégiques", "Organisation du réseau", "Projet pédagogique"])
        #expect(r2019.familles.allSatisfy { (3...4).contains($0.criteres.count) })
        #expect(r2019.famille(ofCritere: "mutualisation-ressources")?.code == "organisation-du-reseau")
    }

    @Test("a référentiel encodes to its file form and decodes back to the same value")
    func roundTrip() throws {
        let data = try JSONEncoder().encode(r2019)
        #expect(try JSONDecoder().decode(Referentiel.self, from: data) == r2019)
        #expect(try ReferentielCatalog.decode(data) == r2019)
    }

    @Test("a new référentiel is data: a valid file is read and added to the catalogue, a second one with the same code is refused")
    func addAsData() throws {
        var file = ReferentielFile(r2019)
        file.code = "2024"
        file.titre = "Cahier des charges national de 2024"
        file.dureeMinimaleAnnees = 2
        let referentiel = try ReferentielCatalog.decode(try JSONEncoder().encode(file))
        #expect(referentiel.durees == 2...5)
        let catalog = try ReferentielCatalog.shipped.adding(referentiel)
        #expect(catalog.referentiels.map(\.code) == ["2014", "2019", "2024"])
        #expect(catalog.current?.code == "2024")
        #expect(throws: ReferentielError(["Le référentiel « 2019 » existe déjà."])) {
            try ReferentielCatalog.shipped.adding(r2019)
        }
    }

    /// The problems found in the 2019 file after a change.
    func problems(_ change: (inout ReferentielFile) -> Void) throws -> [String] {
        var file = ReferentielFile(r2019)
        change(&file)
        do {
            _ = try ReferentielCatalog.decode(try JSONEncoder().encode(file))
            return []
        } catch let error as ReferentielError {
            return error.problems
        }
    }

    @Test("the unchanged 2019 file has no problem")
    func noProblem() throws {
        #expect(try problems { _ in } == [])
    }

    @Test("steps: unknown kind, unknown or missing body, duplicate codes and bodies are refused in French")
    func badSteps() throws {
        #expect(try problems { $0.etapes![1].kind = "consultation" }
            == ["L'étape « avis-caen » a une nature inconnue « consultation » (natures possibles : depot, avis, expertise, decision)."])
        #expect(try problems { $0.etapes![1].instance = "ceser" }
            == ["L'étape « avis-caen » indique une instance inconnue « ceser » (instances possibles : caen, crefop, groupe-experts, cnee)."])
        #expect(try problems { $0.etapes![1].instance = nil }
            == ["L'étape « avis-caen » doit indiquer l'instance qui intervient (caen, crefop, groupe-experts, cnee)."])
        #expect(try problems { $0.etapes![2].code = "avis-caen" }.contains("Le code d'étape « avis-caen » est utilisé plusieurs fois."))
        #expect(try problems { $0.etapes![2].instance = "caen" }
            == ["L'instance CAEN intervient dans deux étapes (« avis-caen » et « avis-crefop ») : une instance ne rend qu'un avis."])
        #expect(try problems { $0.etapes![1].code = "Avis CAEN" }
            == ["Le code d'étape « Avis CAEN » n'est pas valide : lettres minuscules sans accent, chiffres et tirets."])
        #expect(try problems { $0.etapes = [] }.contains("Le référentiel ne définit aucune étape."))
    }

    @Test("the dépôt comes first, the decision last, each once; grouped steps follow one another")
    func badOrder() throws {
        #expect(try problems { $0.etapes!.removeLast() } == ["Le référentiel n'a pas d'étape de décision."])
        #expect(try problems { $0.etapes!.swapAt(3, 4) } == ["La décision doit être la dernière étape."])
        #expect(try problems { $0.etapes!.removeFirst() } == ["Le référentiel n'a pas d'étape de dépôt."])
        #expect(try problems { $0.etapes!.swapAt(0, 3) } == ["Le dépôt doit être la première étape."])
        #expect(try problems { $0.etapes!.swapAt(2, 3) } == ["Les étapes du groupe « avis-regionaux » doivent se suivre."])
        #expect(try problems { $0.etapes![4].groupe = "fin" } == ["L'étape « decision » (décision) ne peut pas faire partie d'un groupe d'étapes."])
    }

    @Test("durations are at least one year and the minimum does not exceed the maximum")
    func badDurations() throws {
        #expect(try problems { $0.dureeMaximaleAnnees = 0; $0.dureeMinimaleAnnees = 0 }
            == ["La durée maximale du label doit être d'au moins un an.", "La durée minimale du label doit être d'au moins un an."])
        #expect(try problems { $0.dureeMinimaleAnnees = 6 } == ["La durée minimale (6 ans) dépasse la durée maximale (5 ans)."])
        #expect(try problems { $0.dureeMaximaleAnnees = nil } == ["La durée maximale du label (dureeMaximaleAnnees) est absente."])
    }

    @Test("the grid needs criteria with unique codes; Excellence needs requirements; the référentiel needs a code and a title")
    func badGrid() throws {
        #expect(try problems { $0.familles = [] } == ["La grille ne comporte aucun critère."])
        #expect(try problems { $0.familles![0].criteres = [] } == ["La famille « objectifs-strategiques » ne comporte aucun critère."])
        #expect(try problems { $0.familles![1].criteres![0].code = "ancrage-economique" }
            == ["Le code de critère « ancrage-economique » est utilisé plusieurs fois."])
        #expect(try problems { $0.familles![2].code = "objectifs-strategiques" }
            == ["Le code de famille « objectifs-strategiques » est utilisé plusieurs fois."])
        #expect(try problems { $0.excellence = MentionExcellence(libelle: "Excellence", exigences: []) }
            == ["La mention Excellence doit énoncer ses exigences."])
        #expect(try problems { $0.code = " "; $0.titre = nil } == ["Le code du référentiel est absent.", "Le titre du référentiel est absent."])
    }

    @Test("a file that is not JSON, or has a field of the wrong type, is refused in French")
    func badJSON() throws {
        #expect(throws: ReferentielError(["Le fichier n'est pas un document JSON valide."])) {
            try ReferentielCatalog.decode(Data("{ \"code\": ".utf8))
        }
        #expect(throws: ReferentielError(["Le champ « dureeMaximaleAnnees » n'a pas le type attendu."])) {
            try ReferentielCatalog.decode(Data(#"{ "code": "2030", "dureeMaximaleAnnees": "cinq" }"#.utf8))
        }
        #expect(throws: ReferentielError(["Le champ « etapes[0].kind » n'a pas le type attendu."])) {
            try ReferentielCatalog.decode(Data(#"{ "etapes": [ { "code": "depot", "kind": 1 } ] }"#.utf8))
        }
    }

    @Test("an invalid référentiel cannot be decoded, and its error lists every problem")
    func invalidDecoding() throws {
        var file = ReferentielFile(r2014)
        file.etapes![0].kind = "soumission"
        file.dureeMaximaleAnnees = -1
        file.familles = []
        let data = try JSONEncoder().encode(file)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Referentiel.self, from: data) }
        do {
            _ = try ReferentielCatalog.decode(data)
            Issue.record("the file should be refused")
        } catch {
            #expect(error.problems.count == 3)
            #expect(error.message.hasPrefix("Le référentiel est refusé :\n– L'étape « depot » a une nature inconnue « soumission »"))
        }
    }
}
