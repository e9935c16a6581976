@testable import CMQApp
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Back-office: HTML forms under /gestion")
struct BackOfficeTests {
    // MARK: - Campus

    @Test("a new campus is created from the form with its team, blank rows ignored, then the browser goes to its page", arguments: TestDatabase.all)
    func createCampus(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given
            let form = try await app.send(.GET, "/gestion/campus/nouveau")
            #expect(form.status == .ok)
            #expect(form.body.string.contains(#"<label for="champ-nom">Nom du campus <span class="required">(obligatoire)</span>"#))

            // when
            let response = try await app.submit("/gestion/campus/nouveau", [
                ("nom", "Métallurgie et plasturgie"), ("filiere", "materiaux-innovants"), ("academie", "20"),
                ("formeJuridique", "gip"), ("dateCreation", "2013-09-01"), ("siteWeb", "https://example.org/cmq"),
                ("description", "Le campus du lycée Condorcet."),
                ("equipe[0][nom]", "Stéphane Andurand"), ("equipe[0][role]", "animateur"), ("equipe[0][email]", "stephane.andurand@ac-amiens.fr"),
                ("equipe[1][nom]", ""), ("equipe[1][role]", ""), ("equipe[1][email]", ""),
                ("equipe[2][nom]", "Anne Martin"), ("equipe[2][role]", "directeur"), ("equipe[2][email]", ""),
            ])

            // then
            #expect(response.status == .seeOther)
            let campus = try #require(try await Campus.query(on: app.db).first())
            #expect(response.headers.first(name: .location) == "/campus/\(campus.id!.lower)")
            #expect(campus.nom == "Métallurgie et plasturgie" && campus.filiere == .materiauxInnovants)
            #expect(campus.academieCode == "20" && campus.regionCode == "32")
            #expect(campus.formeJuridique == .gip && campus.dateCreation == "2013-09-01")
            let team = try await TeamMember.query(on: app.db).sort(\.$position).all()
            #expect(team.map(\.nom) == ["Stéphane Andurand", "Anne Martin"])
            #expect(team.map(\.role) == [.animateur, .directeur])
            #expect(team.map(\.email) == ["stephane.andurand@ac-amiens.fr", nil])
        }
    }

    @Test("an invalid campus form answers 422 with every value kept, each fault beside its field, and nothing written", arguments: TestDatabase.all)
    func invalidCampus(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // when
            let response = try await app.submit("/gestion/campus/nouveau", [
                ("nom", ""), ("filiere", "materiaux-innovants"), ("academie", "20"), ("dateCreation", "01/09/2013"),
                ("siteWeb", "pas une adresse"), ("description", "Texte <gardé>"),
                ("equipe[0][nom]", ""), ("equipe[0][role]", ""), ("equipe[0][email]", ""),
                ("equipe[1][nom]", "Sans rôle"), ("equipe[1][role]", ""), ("equipe[1][email]", "pas-un-email"),
            ])

            // then
            #expect(response.status == .unprocessableEntity)
            let page = FormPage(response)
            #expect(page.html.contains("<title>Erreur : Nouveau campus · cmq</title>"))
            #expect(page.error("champ-nom") == "Le champ « Nom du campus » est obligatoire.")
            #expect(page.error("champ-dateCreation")?.hasPrefix("Le champ « Date de création » doit être une date au format AAAA-MM-JJ") == true)
            #expect(page.error("champ-siteWeb") != nil)
            // the blank row is dropped: the faulty person is the first row shown
            #expect(page.error("champ-equipe-1-role") == "Le champ « Rôle » est obligatoire.")
            #expect(page.error("champ-equipe-1-email")?.contains("adresse électronique valide") == true)
            for id in ["champ-nom", "champ-dateCreation", "champ-siteWeb", "champ-equipe-1-role", "champ-equipe-1-email"] {
                #expect(page.isMarkedInvalid(id), "\(id) should be aria-invalid and described by its error")
            }
            #expect(!page.isMarkedInvalid("champ-filiere"))
            #expect(page.summaryLinks == ["#champ-nom", "#champ-dateCreation", "#champ-siteWeb", "#champ-equipe-1-role", "#champ-equipe-1-email"])
            #expect(page.html.contains(##"<li><a href="#champ-equipe-1-role">Personne 1 : Le champ « Rôle » est obligatoire.</a></li>"##))
            // the values are kept
            #expect(page.control("champ-dateCreation")?.contains(#"value="01/09/2013""#) == true)
            #expect(page.control("champ-equipe-1-nom")?.contains(#"value="Sans rôle""#) == true)
            #expect(page.control("champ-equipe-1-email")?.contains(#"value="pas-un-email""#) == true)
            #expect(page.html.contains(#"<option value="materiaux-innovants" selected>"#))
            #expect(page.html.contains("Texte &lt;gardé&gt;</textarea>"))
            // nothing is written
            #expect(try await Campus.query(on: app.db).count() == 0)
            #expect(try await TeamMember.query(on: app.db).count() == 0)
        }
    }

    @Test("the edit form shows the campus, saves a valid change, and an invalid one changes nothing", arguments: TestDatabase.all)
    func editCampus(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given
            let campus = try await Factory.campus(app.db, nom: "Métallurgie et plasturgie")
            try await TeamMember(campusID: campus.id!, nom: "Stéphane Andurand", role: .animateur, email: nil, position: 0).create(on: app.db)
            let path = "/gestion/campus/\(campus.id!.lower)/modifier"

            let form = FormPage(try await app.send(.GET, path))
            #expect(form.control("champ-nom")?.contains(#"value="Métallurgie et plasturgie""#) == true)
            #expect(form.html.contains(#"<option value="20" selected>Amiens</option>"#))
            #expect(form.control("champ-equipe-1-nom")?.contains(#"value="Stéphane Andurand""#) == true)
            #expect(form.control("champ-equipe-4-nom") != nil, "blank rows follow the team to add people")

            // when: invalid
            let refused = try await app.submit(path, [("nom", "Nouveau nom"), ("filiere", "materiaux-innovants"), ("academie", "Atlantide"),
                                                      ("equipe[0][nom]", "Quelqu'un d'autre"), ("equipe[0][role]", "contact")])
            // then
            #expect(refused.status == .unprocessableEntity)
            #expect(FormPage(refused).error("champ-academie") == "L&#39;académie « Atlantide » n&#39;existe pas ; donnez son code (par exemple 20 pour Amiens) ou son nom.")
            #expect(FormPage(refused).control("champ-nom")?.contains(#"value="Nouveau nom""#) == true)
            var stored = try #require(try await Campus.find(campus.id, on: app.db))
            #expect(stored.nom == "Métallurgie et plasturgie")
            #expect(try await TeamMember.query(on: app.db).all().map(\.nom) == ["Stéphane Andurand"])

            // when: valid
            let saved = try await app.submit(path, [("nom", "Plasturgie"), ("filiere", "materiaux-innovants"), ("academie", "09"),
                                                    ("formeJuridique", "association"), ("dateCreation", ""),
                                                    ("equipe[0][nom]", ""), ("equipe[0][role]", ""),
                                                    ("equipe[1][nom]", "Anne Martin"), ("equipe[1][role]", "directeur-operationnel")])
            // then
            #expect(saved.status == .seeOther)
            #expect(saved.headers.first(name: .location) == "/campus/\(campus.id!.lower)")
            stored = try #require(try await Campus.find(campus.id, on: app.db))
            #expect(stored.nom == "Plasturgie" && stored.academieCode == "09" && stored.formeJuridique == .association)
            #expect(try await TeamMember.query(on: app.db).all().map(\.nom) == ["Anne Martin"])
        }
    }

    @Test("a campus is deleted only by the POST of its confirmation page, which says what goes with it", arguments: TestDatabase.all)
    func deleteCampus(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given
            let campus = try await Factory.campus(app.db, nom: "Métallurgie et plasturgie")
            let lycee = try await Factory.organisation(app.db)
            try await Factory.membership(app.db, campus: campus, organisation: lycee)
            try await TeamMember(campusID: campus.id!, nom: "Stéphane Andurand", role: .animateur, email: nil, position: 0).create(on: app.db)
            let path = "/gestion/campus/\(campus.id!.lower)/supprimer"

            // when: the confirmation page is shown
            let confirmation = try await app.send(.GET, path)
            // then: nothing is deleted yet
            #expect(confirmation.status == .ok)
            #expect(confirmation.body.string.contains("Supprimer le campus Métallurgie et plasturgie ?"))
            #expect(confirmation.body.string.contains("son équipe : 1 personne(s)"))
            #expect(confirmation.body.string.contains("son réseau : 1 organisation(s) rattachée(s)"))
            #expect(confirmation.body.string.contains(#"<form class="confirm-actions" action="\#(path)" method="post">"#))
            #expect(try await Campus.query(on: app.db).count() == 1)

            // when: confirmed
            let deleted = try await app.send(.POST, path)
            // then
            #expect(deleted.status == .seeOther)
            #expect(deleted.headers.first(name: .location) == "/campus?supprime=1")
            #expect(try await Campus.query(on: app.db).count() == 0)
            #expect(try await TeamMember.query(on: app.db).count() == 0)
            #expect(try await Membership.query(on: app.db).count() == 0)
            #expect(try await Organisation.query(on: app.db).count() == 1)
            #expect(try await app.send(.GET, "/campus?supprime=1").body.string.contains(#"<p class="notice success" role="status">Le campus a été supprimé.</p>"#))
            #expect(!(try await app.send(.GET, "/campus").body.string.contains("Le campus a été supprimé.")))
            #expect(try await app.send(.GET, path).status == .notFound)
        }
    }

    // MARK: - Organisations

    @Test("a new organisation is created from the form, boxes and decimal commas read as a browser sends them", arguments: TestDatabase.all)
    func createOrganisation(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            #expect(try await app.send(.GET, "/gestion/organisations/nouvelle").status == .ok)

            // when: "lyceeDesMetiers" is not ticked, so the browser does not send it
            let response = try await app.submit("/gestion/organisations/nouvelle", [
                ("nom", "Lycée professionnel Condorcet"), ("type", "lycee-professionnel"), ("public", "on"),
                ("uai", "0020079a"), ("siret", ""), ("adresse", "Rond-point Joliot-Curie"), ("codePostal", "02100"),
                ("commune", "Saint-Quentin"), ("departement", "02"), ("latitude", "49,8465"), ("longitude", "3,2876"), ("siteWeb", ""),
            ])

            // then
            #expect(response.status == .seeOther)
            let organisation = try #require(try await Organisation.query(on: app.db).first())
            #expect(response.headers.first(name: .location) == "/organisations/\(organisation.id!.lower)")
            #expect(organisation.isPublic && !organisation.lyceeDesMetiers)
            #expect(organisation.uai == "0020079A" && organisation.siret == nil)
            #expect(organisation.departementCode == "02" && organisation.academieCode == "20")
            #expect(organisation.latitude == 49.8465 && organisation.longitude == 3.2876)
        }
    }

    @Test("an invalid organisation form answers 422 with the values kept and the faults beside the fields, nothing written", arguments: TestDatabase.all)
    func invalidOrganisation(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let response = try await app.submit("/gestion/organisations/nouvelle", [
                ("nom", "Lycée Condorcet"), ("type", ""), ("public", "on"), ("uai", "0020079B"), ("codePostal", "2100"),
                ("latitude", "quatre-vingt"), ("departement", "02"),
            ])
            #expect(response.status == .unprocessableEntity)
            let page = FormPage(response)
            #expect(page.error("champ-type") == "Le champ « Type » est obligatoire.")
            #expect(page.error("champ-uai")?.contains("la lettre attendue est A") == true)
            #expect(page.error("champ-codePostal") == "Le code postal « 2100 » doit comporter 5 chiffres.")
            #expect(page.error("champ-latitude") == "Le champ « Latitude » doit être un nombre.")
            #expect(page.isMarkedInvalid("champ-uai") && page.isMarkedInvalid("champ-type") && !page.isMarkedInvalid("champ-nom"))
            #expect(page.control("champ-nom")?.contains(#"value="Lycée Condorcet""#) == true)
            #expect(page.control("champ-uai")?.contains(#"value="0020079B""#) == true)
            #expect(page.control("champ-public")?.contains("checked") == true)
            #expect(page.html.contains(#"<option value="02" selected>"#))
            #expect(try await Organisation.query(on: app.db).count() == 0)
        }
    }

    @Test("a UAI or a SIRET already taken is shown beside its field, not as an error page, and nothing is written", arguments: TestDatabase.all)
    func takenIdentifiers(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given
            try await Factory.organisation(app.db, nom: "Lycée Alexandre Bérard", uai: "0010001W", siret: "21350016800025")

            // when: a new organisation takes its UAI
            let sameUAI = try await app.submit("/gestion/organisations/nouvelle", [("nom", "Autre"), ("type", "cfa"), ("uai", "0010001w")])
            // then
            #expect(sameUAI.status == .conflict)
            let page = FormPage(sameUAI)
            #expect(page.html.contains(#"<h1>Nouvelle organisation</h1>"#))
            #expect(page.error("champ-uai")?.hasPrefix("L&#39;UAI 0010001W est déjà attribuée à l&#39;organisation « Lycée Alexandre Bérard »") == true)
            #expect(page.isMarkedInvalid("champ-uai") && !page.isMarkedInvalid("champ-siret"))
            #expect(page.control("champ-nom")?.contains(#"value="Autre""#) == true)

            // when: it takes its SIRET
            let sameSIRET = try await app.submit("/gestion/organisations/nouvelle", [("nom", "Autre"), ("type", "entreprise"), ("siret", "213 500 168 00025")])
            #expect(sameSIRET.status == .conflict)
            #expect(FormPage(sameSIRET).error("champ-siret")?.hasPrefix("Le SIRET 21350016800025 est déjà attribué") == true)
            #expect(FormPage(sameSIRET).error("champ-uai") == nil)
            #expect(try await Organisation.query(on: app.db).count() == 1)

            // when: an edit takes it
            let other = try await Factory.organisation(app.db, nom: "Autre lycée", uai: "0020079A")
            let edit = try await app.submit("/gestion/organisations/\(other.id!.lower)/modifier", [("nom", "Renommé"), ("type", "lycee-professionnel"), ("uai", "0010001W")])
            #expect(edit.status == .conflict)
            #expect(FormPage(edit).error("champ-uai") != nil)
            let reloaded = try #require(try await Organisation.find(other.id, on: app.db))
            #expect(reloaded.nom == "Autre lycée" && reloaded.uai == "0020079A")
        }
    }

    @Test("the edit form shows the organisation and saves every field, an unticked box included", arguments: TestDatabase.all)
    func editOrganisation(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let organisation = try await Factory.organisation(app.db, nom: "Lycée Condorcet", uai: "0020079A", departement: "02")
            let path = "/gestion/organisations/\(organisation.id!.lower)/modifier"
            let form = FormPage(try await app.send(.GET, path))
            #expect(form.control("champ-uai")?.contains(#"value="0020079A""#) == true)
            #expect(form.control("champ-public")?.contains("checked") == true)
            #expect(form.html.contains(#"<option value="lycee-professionnel" selected>"#))

            let saved = try await app.submit(path, [("nom", "Lycée Condorcet (Saint-Quentin)"), ("type", "lycee-polyvalent"), ("lyceeDesMetiers", "on"),
                                                    ("uai", "0020079A"), ("departement", "")])
            #expect(saved.status == .seeOther)
            #expect(saved.headers.first(name: .location) == "/organisations/\(organisation.id!.lower)")
            let stored = try #require(try await Organisation.find(organisation.id, on: app.db))
            #expect(stored.nom == "Lycée Condorcet (Saint-Quentin)" && stored.kind == .lyceePolyvalent)
            #expect(!stored.isPublic && stored.lyceeDesMetiers)
            // an emptied département comes back from the UAI, which says where the establishment is registered
            #expect(stored.departementCode == "02")
        }
    }

    @Test("an organisation still in a network cannot be deleted; otherwise the confirmation page's POST deletes it", arguments: TestDatabase.all)
    func deleteOrganisation(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given
            let campus = try await Factory.campus(app.db, nom: "Métallurgie et plasturgie")
            let lycee = try await Factory.organisation(app.db, nom: "Lycée Condorcet")
            let membership = try await Factory.membership(app.db, campus: campus, organisation: lycee)
            let path = "/gestion/organisations/\(lycee.id!.lower)/supprimer"

            // when: still in a network, the page names it and offers no deletion
            let blocked = try await app.send(.GET, path).body.string
            #expect(blocked.contains("Cette organisation fait partie du réseau de 1 campus"))
            #expect(blocked.contains(#"<a href="/gestion/campus/\#(campus.id!.lower)/membres">Réseau du campus Métallurgie et plasturgie</a>"#))
            #expect(!blocked.contains(#"action="\#(path)""#))
            // and a POST anyway is refused on the same page
            let refused = try await app.send(.POST, path)
            #expect(refused.status == .conflict)
            #expect(refused.body.string.contains("La suppression n'a pas été faite"))
            #expect(try await Organisation.query(on: app.db).count() == 1)

            // when: out of the network
            try await membership.delete(on: app.db)
            let confirmation = try await app.send(.GET, path)
            #expect(confirmation.body.string.contains("Supprimer définitivement l'organisation"))
            #expect(try await Organisation.query(on: app.db).count() == 1)
            let deleted = try await app.send(.POST, path)

            // then
            #expect(deleted.status == .seeOther)
            #expect(deleted.headers.first(name: .location) == "/gestion?organisation-supprimee=1")
            #expect(try await Organisation.query(on: app.db).count() == 0)
            #expect(try await app.send(.GET, "/gestion?organisation-supprimee=1").body.string.contains("L'organisation a été supprimée du registre."))
        }
    }

    // MARK: - Network of a campus

    @Test("the network page finds organisations by name words, exact UAI or exact SIRET, and marks those already members", arguments: TestDatabase.all)
    func networkSearch(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let lycee = try await Factory.organisation(app.db, nom: "Lycée professionnel Condorcet", uai: "0020079A")
            let company = try await Factory.organisation(app.db, nom: "Valeo", kind: "entreprise", isPublic: false, siret: "21350016800025")
            try await Factory.organisation(app.db, nom: "Lycée Jean Macé")
            try await Factory.membership(app.db, campus: campus, organisation: lycee, role: .etablissementSupport)
            let path = "/gestion/campus/\(campus.id!.lower)/membres"

            let page = try await app.send(.GET, path).body.string
            #expect(page.contains("<h1>Réseau du campus Métallurgie et plasturgie</h1>"))
            #expect(page.contains(#"href="\#(path)/"#) && page.contains("Retirer<span class=\"sr-only\"> Lycée professionnel Condorcet du réseau</span>"))

            let byName = try await app.send(.GET, "\(path)?recherche=lycee+CONDORCET").body.string
            #expect(byName.contains(#"value="\#(lycee.id!.lower)""#) && !byName.contains("Jean Macé"))
            #expect(byName.contains("déjà dans le réseau"))
            #expect(byName.contains(#"value="\#(lycee.id!.lower)" disabled"#))

            let byUAI = try await app.send(.GET, "\(path)?recherche=0020079a").body.string
            #expect(byUAI.contains("Lycée professionnel Condorcet") && byUAI.contains("1 résultat(s)"))

            let bySIRET = try await app.send(.GET, "\(path)?recherche=213+500+168+00025").body.string
            #expect(bySIRET.contains(#"value="\#(company.id!.lower)""#) && !bySIRET.contains("déjà dans le réseau"))

            let nothing = try await app.send(.GET, "\(path)?recherche=zzz").body.string
            #expect(nothing.contains("Aucune organisation ne correspond à « zzz »."))
        }
    }

    @Test("an organisation is added to the network from the form; a duplicate or wrong dates are refused beside their fields", arguments: TestDatabase.all)
    func addMember(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given
            let campus = try await Factory.campus(app.db)
            let lycee = try await Factory.organisation(app.db, nom: "Lycée Condorcet")
            let path = "/gestion/campus/\(campus.id!.lower)/membres"

            // when: the end precedes the start
            let wrongDates = try await app.submit(path, [("recherche", "condorcet"), ("organisationId", lycee.id!.lower), ("role", "membre"),
                                                        ("depuis", "2020-09-01"), ("jusquA", "2019-06-30")])
            // then
            #expect(wrongDates.status == .unprocessableEntity)
            var page = FormPage(wrongDates)
            #expect(page.error("champ-jusquA") == "La date de fin (2019-06-30) précède la date d&#39;entrée dans le réseau (2020-09-01).")
            #expect(page.isMarkedInvalid("champ-jusquA"))
            #expect(page.summaryLinks == ["#champ-jusquA"])
            #expect(page.html.contains(#"value="\#(lycee.id!.lower)" checked"#))
            #expect(page.control("champ-depuis")?.contains(#"value="2020-09-01""#) == true)
            #expect(try await Membership.query(on: app.db).count() == 0)

            // when: no organisation is chosen
            let unchosen = try await app.submit(path, [("recherche", "condorcet"), ("role", "membre"), ("depuis", "pas une date")])
            #expect(unchosen.status == .unprocessableEntity)
            #expect(FormPage(unchosen).fieldsetError("champ-organisationId") == "Le champ « Organisation » est obligatoire.")
            #expect(FormPage(unchosen).summaryLinks == ["#champ-organisationId", "#champ-depuis"], "in the order of the page")

            // when: valid
            let added = try await app.submit(path, [("recherche", "condorcet"), ("organisationId", lycee.id!.lower), ("role", "etablissement-support"),
                                                   ("depuis", "2013-09-01"), ("jusquA", "")])
            // then
            #expect(added.status == .seeOther)
            #expect(added.headers.first(name: .location) == "\(path)?ajoute=1")
            let membership = try #require(try await Membership.query(on: app.db).first())
            #expect(membership.role == .etablissementSupport && membership.depuis == "2013-09-01" && membership.jusquA == nil)
            #expect(try await app.send(.GET, "\(path)?ajoute=1").body.string.contains("L'organisation a été ajoutée au réseau."))

            // when: added again
            let twice = try await app.submit(path, [("recherche", ""), ("organisationId", lycee.id!.lower), ("role", "membre")])
            // then
            #expect(twice.status == .conflict)
            page = FormPage(twice)
            #expect(page.fieldsetError("champ-organisationId") == "L&#39;organisation « Lycée Condorcet » fait déjà partie du réseau du campus « Métallurgie et plasturgie ».")
            #expect(try await Membership.query(on: app.db).count() == 1)
        }
    }

    @Test("a member is removed only by the POST of its confirmation page; the organisation stays", arguments: TestDatabase.all)
    func removeMember(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // given
            let campus = try await Factory.campus(app.db)
            let other = try await Factory.campus(app.db, nom: "Autre campus")
            let lycee = try await Factory.organisation(app.db, nom: "Lycée Condorcet")
            let membership = try await Factory.membership(app.db, campus: campus, organisation: lycee)
            let path = "/gestion/campus/\(campus.id!.lower)/membres/\(membership.id!.lower)/retirer"

            // when
            let confirmation = try await app.send(.GET, path)
            // then
            #expect(confirmation.status == .ok)
            #expect(confirmation.body.string.contains("Retirer Lycée Condorcet du réseau du campus Métallurgie et plasturgie ?"))
            #expect(try await Membership.query(on: app.db).count() == 1)
            // a membership is reached only through its own campus
            #expect(try await app.send(.GET, "/gestion/campus/\(other.id!.lower)/membres/\(membership.id!.lower)/retirer").status == .notFound)
            #expect(try await app.send(.POST, "/gestion/campus/\(other.id!.lower)/membres/\(membership.id!.lower)/retirer").status == .notFound)

            // when
            let removed = try await app.send(.POST, path)
            // then
            #expect(removed.status == .seeOther)
            #expect(removed.headers.first(name: .location) == "/gestion/campus/\(campus.id!.lower)/membres?retire=1")
            #expect(try await Membership.query(on: app.db).count() == 0)
            #expect(try await Organisation.query(on: app.db).count() == 1)
        }
    }

    // MARK: - Entry points and accessibility

    @Test("the public pages and the back-office home link to the forms", arguments: TestDatabase.all)
    func entryPoints(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let lycee = try await Factory.organisation(app.db, nom: "Lycée Condorcet", uai: "0020079A")
            let campusPage = try await app.send(.GET, "/campus/\(campus.id!.lower)").body.string
            for action in ["modifier", "membres", "supprimer"] {
                #expect(campusPage.contains(#"href="/gestion/campus/\#(campus.id!.lower)/\#(action)""#))
            }
            let organisationPage = try await app.send(.GET, "/organisations/\(lycee.id!.lower)").body.string
            #expect(organisationPage.contains(#"href="/gestion/organisations/\#(lycee.id!.lower)/modifier""#))
            #expect(organisationPage.contains(#"href="/gestion/organisations/\#(lycee.id!.lower)/supprimer""#))
            #expect(try await app.send(.GET, "/campus").body.string.contains(#"<a href="/gestion/campus/nouveau">Nouveau campus</a>"#))

            let home = try await app.send(.GET, "/gestion?recherche=0020079A").body.string
            #expect(home.contains(#"href="/gestion/campus/nouveau""#) && home.contains(#"href="/gestion/organisations/nouvelle""#))
            #expect(home.contains(#"href="/gestion/organisations/\#(lycee.id!.lower)/modifier""#))
            #expect(try await app.send(.GET, "/gestion/campus/\(UUID().lower)/modifier").status == .notFound)
        }
    }

    @Test("each account sees only the links it may use: the campus team neither creates nor deletes a campus, a member creates nothing", arguments: TestDatabase.all)
    func linksFollowRights(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let campus = try await Factory.campus(app.db)
            let lycee = try await Factory.organisation(app.db, nom: "Lycée Condorcet", uai: "0020079A")
            let team = try await TestAccounts.identity(app, .equipeCampus, campus: campus.id!)
            let member = try await TestAccounts.identity(app, .membre, organisation: lycee.id!)
            let teamHome = try await app.send(.GET, "/gestion", as: team).body.string
            #expect(!teamHome.contains(#"href="/gestion/campus/nouveau""#))
            #expect(teamHome.contains(#"href="/gestion/organisations/nouvelle""#))
            #expect(try await app.send(.GET, "/gestion/campus/nouveau", as: team).status == .forbidden)
            let teamCampusPage = try await app.send(.GET, "/campus/\(campus.id!.lower)", as: team).body.string
            #expect(teamCampusPage.contains(#"href="/gestion/campus/\#(campus.id!.lower)/modifier""#))
            #expect(!teamCampusPage.contains(#"href="/gestion/campus/\#(campus.id!.lower)/supprimer""#))
            #expect(!(try await app.send(.GET, "/campus", as: team).body.string.contains("Nouveau campus")))
            let memberHome = try await app.send(.GET, "/gestion", as: member).body.string
            #expect(!memberHome.contains(#"href="/gestion/campus/nouveau""#) && !memberHome.contains(#"href="/gestion/organisations/nouvelle""#))
            #expect(try await app.send(.GET, "/gestion/organisations/nouvelle", as: member).status == .forbidden)
        }
    }

    @Test("every control of every form has its label, and the headings go in order")
    func labels() async throws {
        try await withTestApp(.sqlite) { app in
            let campus = try await Factory.campus(app.db)
            try await Factory.organisation(app.db, nom: "Lycée Condorcet")
            let pages = ["/gestion/campus/nouveau", "/gestion/campus/\(campus.id!.lower)/modifier", "/gestion/organisations/nouvelle",
                         "/gestion/campus/\(campus.id!.lower)/membres?recherche=condorcet", "/gestion"]
            for path in pages {
                let page = FormPage(try await app.send(.GET, path))
                #expect(!page.controlIDs.isEmpty)
                for id in page.controlIDs {
                    #expect(page.html.contains(#"<label for="\#(id)">"#), "\(path): \(id) has no label")
                }
                let levels = page.headingLevels
                #expect(levels.first == 1 && levels.filter { $0 == 1 }.count == 1, "\(path): one h1, first")
                #expect(zip(levels, levels.dropFirst()).allSatisfy { $1 <= $0 + 1 }, "\(path): no heading level skipped")
            }
        }
    }
}

// MARK: - Helpers

extension Application {
    /// Posts an HTML form as a browser does (`application/x-www-form-urlencoded`), fields in order.
    func submit(_ path: String, _ fields: [(String, String)], as identity: TestIdentity = .admin) async throws -> TestingHTTPResponse {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        let body = fields
            .map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
        return try await send(.POST, path, json: body, contentType: "application/x-www-form-urlencoded", as: identity)
    }
}

/// What a test reads in a form page: its controls, their values and the faults shown beside them.
struct FormPage {
    let html: String

    init(_ response: TestingHTTPResponse) {
        html = response.body.string
    }

    /// The opening tag of the control with this id.
    func control(_ id: String) -> String? {
        html.firstMatch(of: try! Regex(#"<(input|select|textarea)[^>]*\sid="\#(id)"[^>]*>"#)).map { String(html[$0.range]) }
    }

    /// The message shown beside a field (without the "Erreur : " that only screen readers hear).
    func error(_ id: String) -> String? {
        html.firstMatch(of: try! Regex(#"<p class="field-error" id="\#(id)-erreur"><span class="sr-only">Erreur : </span>(.*?)</p>"#))
            .flatMap { $0.output[1].substring.map(String.init) }
    }

    /// The message of a group of radio buttons, shown in its fieldset.
    func fieldsetError(_ id: String) -> String? {
        guard html.contains(#"aria-describedby="\#(id)-erreur""#) else { return nil }
        return error(id)
    }

    /// Marked faulty for assistive technologies, and described by its message.
    func isMarkedInvalid(_ id: String) -> Bool {
        guard let tag = control(id) else { return false }
        return tag.contains(#"aria-invalid="true""#) && tag.contains(#"aria-describedby="\#(id)-erreur""#)
    }

    /// The targets of the error summary's links, in order.
    var summaryLinks: [String] {
        guard let start = html.range(of: #"<div class="error-summary""#), let end = html[start.upperBound...].range(of: "</div>") else { return [] }
        return html[start.upperBound..<end.lowerBound].matches(of: /<a href="([^"]+)">/).map { String($0.output.1) }
    }

    /// The ids of the visible controls (hidden inputs have none).
    var controlIDs: [String] {
        html.matches(of: /<(?:input|select|textarea)[^>]*\sid="([^"]+)"/).map { String($0.output.1) }
    }

    var headingLevels: [Int] {
        html.matches(of: /<h([1-6])[\s>]/).compactMap { Int($0.output.1) }
    }
}
