@testable import CMQApp
import CMQDomain
import Crypto
import Fluent
import Foundation
import Testing
import VaporTesting

/// The labelling procedure through HTTP, with the roles of the accounts issue.
@Suite("Labelling through the API")
struct LabellingAPITests {
    /// The accounts of a procedure in the Hauts-de-France (région 32): the région, each body, two experts.
    struct Cast {
        var campus: Campus
        var region: TestIdentity
        var otherRegion: TestIdentity
        var caen: TestIdentity
        var crefop: TestIdentity
        var expert1: TestIdentity
        var expert2: TestIdentity
        var cnee: TestIdentity
        var team: TestIdentity
    }

    static func cast(_ app: Application) async throws -> Cast {
        let campus = try await Factory.campus(app.db)
        return Cast(
            campus: campus,
            region: try await TestAccounts.identity(app, .regionAcademique, region: "32"),
            otherRegion: try await TestAccounts.identity(app, .regionAcademique, region: "52"),
            caen: try await TestAccounts.identity(app, .instance, instance: .caen),
            crefop: try await TestAccounts.identity(app, .instance, instance: .crefop),
            expert1: try await TestAccounts.identity(app, .instance, instance: .groupeExperts),
            expert2: try await TestAccounts.identity(app, .instance, instance: .groupeExperts),
            cnee: try await TestAccounts.identity(app, .instance, instance: .cnee),
            team: try await TestAccounts.identity(app, .equipeCampus, campus: campus.id!))
    }

    static let allSections = DossierSection.allCases.map { #""\#($0.rawValue)": "Texte de la section \#($0.titre)""# }.joined(separator: ", ")

    static func dossier(_ response: TestingHTTPResponse) throws -> DossierDTO { try response.decoded(DossierDTO.self) }

    /// Opens and deposits a dossier as the région.
    static func deposited(_ app: Application, _ cast: Cast, referentiel: String, label: String = "cmq") async throws -> UUID {
        let created = try await app.send(.POST, "/api/v1/dossiers", json: #"{"campusId": "\#(cast.campus.id!.lower)", "referentiel": "\#(referentiel)", "labelDemande": "\#(label)"}"#, as: cast.region)
        #expect(created.status == .created, "\(created.body.string)")
        let id = try dossier(created).id
        let written = try await app.send(.PATCH, "/api/v1/dossiers/\(id.lower)", json: "{\(allSections)}", as: cast.region)
        #expect(written.status == .ok, "\(written.body.string)")
        let deposited = try await app.send(.POST, "/api/v1/dossiers/\(id.lower)/depot", json: #"{"date": "2013-03-01"}"#, as: cast.region)
        #expect(deposited.status == .ok, "\(deposited.body.string)")
        return id
    }

    /// A 2019 dossier taken to its decision: both regional opinions, the experts' scores and collective
    /// opinion, then a label for `years` from `decision` (opinions dated in the month before).
    static func labelled2019(_ app: Application, _ cast: Cast, decision: String, years: Int) async throws -> LabelDTO {
        let id = try await deposited(app, cast, referentiel: "2019")
        let path = "/api/v1/dossiers/\(id.lower)"
        let day = CalendarDay(iso: decision)!
        func before(_ days: Int) -> String { day.adding(days: -days).iso }
        #expect(try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "favorable", "date": "\#(before(40))"}"#, as: cast.caen).status == .created)
        #expect(try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "favorable", "date": "\#(before(39))"}"#, as: cast.crefop).status == .created)
        let referentiel = try #require(ReferentielCatalog.shipped.referentiel(code: "2019"))
        let notes = referentiel.criteres.map { #"{"critere": "\#($0.code)", "note": 3}"# }.joined(separator: ", ")
        #expect(try await app.send(.POST, "\(path)/evaluations", json: #"{"notes": [\#(notes)]}"#, as: cast.expert1).status == .ok)
        #expect(try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "favorable", "date": "\#(before(20))"}"#, as: cast.expert1).status == .created)
        let decided = try await app.send(.POST, "\(path)/decision", json: #"{"resultat": "labellise", "dureeAnnees": \#(years), "date": "\#(decision)"}"#)
        #expect(decided.status == .created, "\(decided.body.string)")
        return try #require(try dossier(decided).label)
    }

    static func counts(_ app: Application) async throws -> [Int] {
        [try await AvisRecord.query(on: app.db).count(), try await TransitionRecord.query(on: app.db).count(),
         try await EvaluationRecord.query(on: app.db).count(), try await LabelRecord.query(on: app.db).count()]
    }

    @Test("the 2014 procedure end to end, each step by the role it belongs to; the campus is then labelled for 4 years", arguments: TestDatabase.all)
    func procedure2014(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let cast = try await Self.cast(app)
            let id = try await Self.deposited(app, cast, referentiel: "2014")
            let path = "/api/v1/dossiers/\(id.lower)"
            // CREFOP before CAEN: either order.
            #expect(try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "favorable", "date": "2013-04-02"}"#, as: cast.crefop).status == .created)
            #expect(try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "favorable-avec-reserves", "texte": "Ouvrir davantage à l'apprentissage.", "date": "2013-04-10"}"#, as: cast.caen).status == .created)
            // The experts score every criterion of the grid, each in their own name.
            let referentiel = try #require(ReferentielCatalog.shipped.referentiel(code: "2014"))
            for (expert, note) in [(cast.expert1, 3), (cast.expert2, 2)] {
                let notes = referentiel.criteres.map { #"{"critere": "\#($0.code)", "note": \#(note), "commentaire": "Vu."}"# }.joined(separator: ", ")
                let scored = try await app.send(.POST, "\(path)/evaluations", json: #"{"notes": [\#(notes)]}"#, as: expert)
                #expect(scored.status == .ok, "\(scored.body.string)")
            }
            let synthese = try await app.send(.GET, "\(path)/evaluations", as: cast.region).decoded(SyntheseDTO.self)
            #expect(synthese.experts == 2)
            #expect(synthese.criteres.allSatisfy { $0.moyenne == 2.5 && $0.ecart == 1 && $0.ecartType == 0.5 })
            #expect(synthese.moyenneGenerale == 2.5)
            // The collective opinion closes the expertise; then the CNEE; then the decision.
            #expect(try await app.send(.POST, "\(path)/avis", json: #"{"instance": "groupe-experts", "verdict": "favorable", "date": "2013-05-15"}"#, as: cast.expert1).status == .created)
            #expect(try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "favorable", "date": "2013-06-01"}"#, as: cast.cnee).status == .created)
            let decided = try await app.send(.POST, "\(path)/decision", json: #"{"resultat": "labellise", "date": "2013-07-10", "dureeAnnees": 4, "nor": "MENE1317532A", "bulletinOfficiel": "BO n° 29 du 18 juillet 2013"}"#)
            #expect(decided.status == .created, "\(decided.body.string)")
            let dossier = try Self.dossier(decided)
            #expect(dossier.statut == "labellise")
            #expect(dossier.procedure.allSatisfy { $0.etat == "fait" })
            #expect(dossier.label?.debut == "2013-07-10" && dossier.label?.fin == "2017-07-09")
            // The history holds every step, with who and when.
            let history = try await app.send(.GET, "\(path)/historique", as: cast.team).decoded([TransitionDTO].self)
            #expect(history.map(\.evenement).filter { $0 != "notation" } == ["creation", "depot", "avis", "avis", "cloture-expertise", "avis", "decision"])
            #expect(history.last?.vers == "labellise")
            // The label is public, and its end is known to the reminders.
            let labels = try await app.send(.GET, "/api/v1/labels?campus=\(cast.campus.id!.lower)", as: .anonymous).decoded([LabelDTO].self)
            #expect(labels.map(\.fin) == ["2017-07-09"])
            // A decided dossier is frozen.
            let late = try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "defavorable", "texte": "Trop tard."}"#, as: cast.caen)
            #expect(late.status == .conflict && late.isProblemJSON)
        }
    }

    @Test("refusals: 401 without an account, 403 outside one's scope or body, 409 out of order; nothing is written", arguments: TestDatabase.all)
    func refusals(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let cast = try await Self.cast(app)
            let member = try await TestAccounts.identity(app, .membre, organisation: try await Factory.organisation(app.db).id!)
            // Creating: another région, the campus team, an instance, nobody.
            for (identity, status) in [(cast.otherRegion, HTTPStatus.forbidden), (cast.team, .forbidden), (cast.caen, .forbidden), (TestIdentity.anonymous, .unauthorized)] {
                let refused = try await app.send(.POST, "/api/v1/dossiers", json: #"{"campusId": "\#(cast.campus.id!.lower)"}"#, as: identity)
                #expect(refused.status == status && refused.isProblemJSON)
            }
            #expect(try await DossierRecord.query(on: app.db).count() == 0)
            #expect(try await app.send(.GET, "/api/v1/dossiers", as: .anonymous).status == .unauthorized)
            #expect(try await app.send(.GET, "/api/v1/dossiers", as: member).status == .forbidden)

            let created = try await app.send(.POST, "/api/v1/dossiers", json: #"{"campusId": "\#(cast.campus.id!.lower)", "referentiel": "2014"}"#, as: cast.region)
            let id = try Self.dossier(created).id
            let path = "/api/v1/dossiers/\(id.lower)"
            // A draft is assigned to no body: the CAEN cannot read it, nor give an opinion.
            #expect(try await app.send(.GET, path, as: cast.caen).status == .forbidden)
            #expect(try await app.send(.GET, "/api/v1/dossiers", as: cast.caen).decoded(PageDTO<DossierSummaryDTO>.self).total == 0)
            // Depositing with empty sections is refused, naming them.
            let empty = try await app.send(.POST, "\(path)/depot", as: cast.region)
            #expect(empty.status == .unprocessableEntity && empty.body.string.contains("sont vides"))
            _ = try await app.send(.PATCH, path, json: "{\(Self.allSections)}", as: cast.region)
            #expect(try await app.send(.POST, "\(path)/depot", json: #"{"date": "2013-03-01"}"#, as: cast.region).status == .ok)
            let before = try await Self.counts(app)
            // Frozen after the dépôt; the team reads but does not write.
            #expect(try await app.send(.PATCH, path, json: #"{"partenariat": "Autre texte"}"#, as: cast.region).status == .conflict)
            #expect(try await app.send(.GET, path, as: cast.team).status == .ok)
            #expect(try await app.send(.PATCH, path, json: #"{"partenariat": "Autre texte"}"#, as: cast.team).status == .forbidden)
            // An instance reads the dossier it is assigned but never writes it (that is the région's part).
            #expect(try await app.send(.GET, path, as: cast.caen).status == .ok)
            let edited = try await app.send(.PATCH, path, json: #"{"partenariat": "Autre texte"}"#, as: cast.caen)
            #expect(edited.status == .forbidden && edited.problem?.detail == "Le dossier est rédigé par la région académique.")
            // An instance gives only its own opinion.
            let usurped = try await app.send(.POST, "\(path)/avis", json: #"{"instance": "crefop", "verdict": "favorable"}"#, as: cast.caen)
            #expect(usurped.status == .forbidden)
            // The CNEE comes after the expertise; experts don't score before both regional opinions.
            #expect(try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "favorable"}"#, as: cast.cnee).status == .conflict)
            #expect(try await app.send(.POST, "\(path)/evaluations", json: #"{"notes": [{"critere": "coherence-offre-besoins", "note": 3}]}"#, as: cast.expert1).status == .conflict)
            // Only the national administrator decides, and not before every opinion.
            #expect(try await app.send(.POST, "\(path)/decision", json: #"{"resultat": "labellise", "dureeAnnees": 4}"#, as: cast.region).status == .forbidden)
            let early = try await app.send(.POST, "\(path)/decision", json: #"{"resultat": "labellise", "dureeAnnees": 4}"#)
            #expect(early.status == .conflict && early.problem?.detail.contains("avant") == true)
            #expect(try await Self.counts(app) == before)
            // One opinion per body.
            #expect(try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "favorable", "date": "2013-04-01"}"#, as: cast.caen).status == .created)
            let twice = try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "favorable", "date": "2013-04-02"}"#, as: cast.caen)
            #expect(twice.status == .conflict && twice.problem?.detail == "Le CAEN a déjà rendu son avis sur ce dossier.")
            // Wrong input: an unfavourable opinion without its reasons, an unknown verdict.
            let bare = try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "defavorable"}"#, as: cast.crefop)
            #expect(bare.status == .unprocessableEntity)
            #expect(try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "peut-etre"}"#, as: cast.crefop).faultyFields == ["verdict"])
        }
    }

    @Test("2019: no CNEE, durations up to 5 years, Excellence only when asked", arguments: TestDatabase.all)
    func procedure2019(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let cast = try await Self.cast(app)
            let id = try await Self.deposited(app, cast, referentiel: "2019", label: "cmq-excellence")
            let path = "/api/v1/dossiers/\(id.lower)"
            let cnee = try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "favorable"}"#, as: cast.cnee)
            #expect(cnee.status == .forbidden)  // the dossier is not assigned to the CNEE in 2019
            #expect(try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "favorable", "date": "2020-01-10"}"#, as: cast.caen).status == .created)
            #expect(try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "favorable", "date": "2020-01-12"}"#, as: cast.crefop).status == .created)
            let referentiel = try #require(ReferentielCatalog.shipped.referentiel(code: "2019"))
            let notes = referentiel.criteres.map { #"{"critere": "\#($0.code)", "note": 4}"# }.joined(separator: ", ")
            #expect(try await app.send(.POST, "\(path)/evaluations", json: #"{"notes": [\#(notes)]}"#, as: cast.expert1).status == .ok)
            #expect(try await app.send(.POST, "\(path)/avis", json: #"{"verdict": "favorable", "date": "2020-02-01"}"#, as: cast.expert2).status == .created)
            let tooLong = try await app.send(.POST, "\(path)/decision", json: #"{"resultat": "labellise", "dureeAnnees": 6, "date": "2020-03-01"}"#)
            #expect(tooLong.status == .unprocessableEntity && tooLong.body.string.contains("5 ans"))
            let badNOR = try await app.send(.POST, "\(path)/decision", json: #"{"resultat": "labellise", "dureeAnnees": 5, "nor": "MEN13"}"#)
            #expect(badNOR.faultyFields == ["nor"])
            let decided = try await app.send(.POST, "\(path)/decision", json: #"{"resultat": "labellise", "excellence": true, "dureeAnnees": 5, "date": "2020-03-01"}"#)
            #expect(decided.status == .created)
            let label = try #require(try Self.dossier(decided).label)
            #expect(label.excellence && label.fin == "2025-02-28")
            // Open data: the national list as CSV.
            let csv = try await app.send(.GET, "/api/v1/labels.csv", as: .anonymous)
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(csv.headers.first(name: "Access-Control-Allow-Origin") == "*")
            #expect(csv.body.string.hasPrefix("id;campus;campus_id;filiere;filiere_libelle;region_code;region_academique;label;excellence;referentiel;debut;fin;duree_annees;nor;bulletin_officiel;retrait\r\n"))
            #expect(csv.body.string.contains(";Métallurgie et plasturgie;\(cast.campus.id!.lower);materiaux-innovants;Matériaux, matériaux innovants;"))
            #expect(csv.body.string.contains(";32;Hauts-de-France;CMQ Excellence;true;"))
            #expect(csv.body.string.contains(";2020-03-01;2025-02-28;5;"))
        }
    }

    @Test("attachments: PDF, ODT, DOCX checked on their content, with their SHA-256; others refused with nothing written", arguments: TestDatabase.all)
    func attachments(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let cast = try await Self.cast(app)
            let created = try await app.send(.POST, "/api/v1/dossiers", json: #"{"campusId": "\#(cast.campus.id!.lower)"}"#, as: cast.region)
            let path = "/api/v1/dossiers/\(try Self.dossier(created).id.lower)"
            let pdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
            let sent = try await app.send(.POST, "\(path)/pieces?nom=projet.pdf", json: pdf, contentType: "application/pdf", as: cast.region)
            #expect(sent.status == .created, "\(sent.body.string)")
            let piece = try sent.decoded(PieceDTO.self)
            #expect(piece.sha256 == SHA256.hash(data: Data(pdf.utf8)).map { String(format: "%02x", $0) }.joined())
            let downloaded = try await app.send(.GET, piece.url, as: cast.team)
            #expect(downloaded.status == .ok && downloaded.body.string == pdf)
            for (name, body) in [("virus.exe", "MZ"), ("faux.pdf", "pas un pdf"), ("vide.docx", "PK\u{3}\u{4}rien")] {
                let refused = try await app.send(.POST, "\(path)/pieces?nom=\(name)", json: body, contentType: "application/octet-stream", as: cast.region)
                #expect(refused.status == .unprocessableEntity && refused.isProblemJSON, "\(name)")
            }
            let big = String(repeating: "a", count: 20 * 1024 * 1024 + 10)
            let tooBig = try await app.send(.POST, "\(path)/pieces?nom=gros.pdf", json: "%PDF-" + big, contentType: "application/pdf", as: cast.region)
            #expect(tooBig.status == .payloadTooLarge)
            #expect(try await PieceRecord.query(on: app.db).count() == 1)
            #expect(try await app.send(.POST, "\(path)/pieces?nom=autre.pdf", json: pdf, contentType: "application/pdf", as: cast.team).status == .forbidden)
        }
    }

    @Test("renewal: opened from a labelled campus, linked to its label, prefilled; labels expiring and their withdrawal", arguments: TestDatabase.all)
    func renewalAndReminders(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let cast = try await Self.cast(app)
            let lycee = try await Factory.organisation(app.db, uai: "0020079A")
            try await Factory.membership(app.db, campus: cast.campus, organisation: lycee, role: .etablissementSupport)
            let refused = try await app.send(.POST, "/api/v1/dossiers", json: #"{"campusId": "\#(cast.campus.id!.lower)", "nature": "renouvellement"}"#, as: cast.region)
            #expect(refused.status == .conflict)
            // A label granted in 2023 for 4 years.
            let label = try await Self.labelled2019(app, cast, decision: "2023-03-01", years: 4)
            #expect(label.fin == "2027-02-28")
            // Reminders: the label ends before 2027-06-01, not before 2027-01-01.
            #expect(try await app.send(.GET, "/api/v1/labels?expirant_avant=2027-06-01", as: .anonymous).decoded([LabelDTO].self).map(\.id) == [label.id])
            #expect(try await app.send(.GET, "/api/v1/labels?expirant_avant=2027-01-01", as: .anonymous).decoded([LabelDTO].self).isEmpty)
            #expect(try await app.send(.GET, "/api/v1/labels?expirant_avant=2027-13-01", as: .anonymous).faultyFields == ["expirant_avant"])
            // Two transmitted reports (figures frozen), a draft (not quoted) and a target on the members' indicator.
            for (year, status, members) in [(2024, ReportStatus.prisEnCompte, 9.0), (2025, .transmis, 12.0), (2026, .brouillon, 40.0)] {
                let report = ActivityReportRecord()
                report.$campus.id = try cast.campus.requireID()
                report.annee = year
                report.statut = status
                report.textes = "{}"
                report.modifieLe = Date()
                let figures = [ActivityReportService.Figure(code: "RES-01", libelle: "Membres du réseau", famille: "reseau", unite: "nombre", valeur: members),
                               ActivityReportService.Figure(code: "PLA-02", libelle: "Taux d'occupation des plateaux", famille: "plateaux", unite: "pourcentage", valeur: 42.5)]
                report.valeurs = status == .brouillon ? nil : String(decoding: try JSONEncoder().encode(figures), as: UTF8.self)
                try await report.create(on: app.db)
            }
            let target = try await app.send(.PUT, "/api/v1/campus/\(cast.campus.id!.lower)/indicateurs/RES-01/cible",
                                            json: #"{"initiale": 8, "cible": 15, "echeance": "2027-02-28"}"#)
            #expect(target.status == .ok, "\(target.body.string)")
            // The renewal is linked to the label and prefilled from the campus's data.
            let renewal = try await app.send(.POST, "/api/v1/dossiers", json: #"{"campusId": "\#(cast.campus.id!.lower)", "nature": "renouvellement"}"#, as: cast.region)
            #expect(renewal.status == .created, "\(renewal.body.string)")
            let dossier = try Self.dossier(renewal)
            #expect(dossier.labelRenouvele == label.id)
            #expect(dossier.sections.first { $0.section == "gouvernance" }?.texte.contains("Établissement support : Lycée professionnel Condorcet") == true)
            #expect(dossier.sections.first { $0.section == "partenariat" }?.texte.contains("1 organisation(s)") == true)
            // …and from the frozen figures of the transmitted reports, with the targets.
            let indicators = try #require(dossier.sections.first { $0.section == "indicateurs-et-evaluation" }?.texte)
            #expect(indicators.contains("rapports d'activité transmis à la région (2024-2025, 2025-2026)"))
            #expect(indicators.contains("– RES-01 Membres du réseau : 2024-2025 : 9 ; 2025-2026 : 12 ; valeur initiale 8, cible 15 au 28 février 2027."))
            #expect(indicators.contains("PLA-02") && indicators.contains("42,5"))
            #expect(!indicators.contains("2026-2027") && !indicators.contains(": 40"))
            // Withdrawal: national administrator only, with a reason.
            let byRegion = try await app.send(.POST, "/api/v1/labels/\(label.id.lower)/retrait", json: #"{"motif": "Réseau dissous", "date": "2024-05-01"}"#, as: cast.region)
            #expect(byRegion.status == .forbidden)
            let withdrawn = try await app.send(.POST, "/api/v1/labels/\(label.id.lower)/retrait", json: #"{"motif": "Réseau dissous", "date": "2024-05-01"}"#)
            #expect(withdrawn.status == .ok)
            #expect(try withdrawn.decoded(LabelDTO.self).retraitMotif == "Réseau dissous")
        }
    }

    @Test("the site shows each campus's label status, filters the list on it, and lists the latest labels", arguments: TestDatabase.all)
    func siteStatus(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let cast = try await Self.cast(app)
            let other = try await Factory.campus(app.db, nom: "Aéronautique", filiere: "mobilite-aeronautique-transports", academie: "17", region: "52")
            _ = try await Self.labelled2019(app, cast, decision: "2024-03-01", years: 5)
            let page = try await app.send(.GET, "/campus/\(cast.campus.id!.lower)", as: .anonymous).body.string
            #expect(page.contains("Labellisé jusqu&#39;au 28 février 2029"))  // Leaf escapes the apostrophe
            let labelled = try await app.send(.GET, "/campus?label=labellise", as: .anonymous).body.string
            #expect(labelled.contains("Métallurgie et plasturgie") && !labelled.contains(">Aéronautique<"))
            let project = try await app.send(.GET, "/campus?label=en-projet", as: .anonymous).body.string
            #expect(project.contains("Aéronautique") && !project.contains(">Métallurgie et plasturgie<"))
            let api = try await app.send(.GET, "/api/v1/campus?label=labellise", as: .anonymous).decoded(PageDTO<CampusDTO>.self)
            #expect(api.items.map(\.id) == [cast.campus.id!])
            #expect(try await app.send(.GET, "/api/v1/campus?label=peut-etre", as: .anonymous).faultyFields == ["label"])
            let home = try await app.send(.GET, "/", as: .anonymous).body.string
            #expect(home.contains("Derniers labels") && home.contains("le 1er mars 2024"))
            _ = other
        }
    }
}
