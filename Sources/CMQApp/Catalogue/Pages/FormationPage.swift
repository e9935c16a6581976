import CMQDomain
import Fluent
import Vapor

/// A formation's page, written for a pupil or a parent: what it is, where (address, phone, map), how to apply
/// (Parcoursup after the bac, Affelnet after the 3e, an employer for an apprenticeship), the public pages of
/// its ONISEP, RNCP and ROME references, the campuses that offer it.
enum FormationPage {
    struct Context: Encodable {
        var page: PageMeta
        var formation: FormationDTO
        var organisationURL: String
        var statuts: String
        var modalite: String
        var niveauEntree: String?
        var campus: [CampusLink]
        var romes: [CatalogueController.ROMELink]
        var rncpURL: String?
        var onisepURL: String?
        var apiURL: String
        var place: Place
        var map: MapBlock?
        var apply: [ApplyStep]
        var insertion: FormationInsertionBlock
        /// The published testimonies of "Ma réussite pro" that tell about this formation (set by the controller).
        var temoignages: [TemoignageGallery.Card] = []
    }

    struct Place: Encodable {
        var adresse: String?
        var codePostal: String?
        var commune: String?
        var departement: String?
        var telephone: String?
        var telephoneURI: String?
        var siteWeb: String?
        var nearbyURL: String?
    }

    struct ApplyStep: Encodable {
        var title: String
        var text: String
        var linkLabel: String?
        var url: String?
    }

    static func load(id: UUID, caller: Caller, base: String, on db: any Database) async throws -> Context {
        let formation = try await FormationService(db: db, caller: caller).find(id)
        let dto = try formation.toDTO()
        let organisation = formation.organisation
        let links = try await CampusOffer(db: db).campuses(offering: formation, on: caller.today)
            .map { CampusLink(url: RegistryURL.campus($0.id!).path, nom: $0.nom, role: "", filiere: $0.filiere.label) }
        let romeLabels = try await ReferenceLookup(db: db).romeLabels(dto.romes)
        let departement = organisation.departementCode.flatMap { TerritoryCatalog.shared.departement(code: $0) }
        return Context(
            page: PageMeta(title: formation.intitule, section: "formations", jsonLD: StructuredData.formation(formation, base: base)),
            formation: dto,
            organisationURL: RegistryURL.organisation(formation.$organisation.id).path,
            statuts: formation.learnerStatuses.map(\.label).joined(separator: ", "),
            modalite: Modality(rawValue: formation.modalite)?.label ?? formation.modalite,
            niveauEntree: formation.niveauEntree.flatMap(Level.init(number:))?.label,
            campus: links,
            romes: dto.romes.map { CatalogueController.ROMELink(code: $0, libelle: romeLabels[$0], url: PublicReferences.rome($0)) },
            rncpURL: dto.rncp.flatMap(PublicReferences.rncp),
            onisepURL: dto.lien.flatMap(PublicReferences.onisep),
            apiURL: CatalogueURL.apiFormation(dto.id).path,
            place: Place(adresse: organisation.adresse, codePostal: organisation.codePostal, commune: organisation.commune,
                         departement: departement.map { "\($0.nom) (\($0.code))" },
                         telephone: organisation.telephone, telephoneURI: organisation.telephone.flatMap { try? PhoneNumber($0).telURI },
                         siteWeb: organisation.siteWeb.flatMap(PublicReferences.web),
                         nearbyURL: organisation.commune.flatMap { commune in
                             CommuneGazetteer.shared.communes(named: commune).first { $0.departementCode == organisation.departementCode }
                         }.map { CatalogueURL.search.path(query: ["pres": $0.label, "niveau": String(formation.niveauSortie)]) }),
            map: OrganisationPage.map(of: organisation),
            apply: steps(formation),
            insertion: try await FormationInsertionBlock.load(cfd: formation.cfd, regionCode: organisation.regionCode,
                                                             statuses: formation.learnerStatuses, on: db))
    }

    /// How to apply, from the level of entry and the statuses: the national platforms say it for the State's
    /// diplomas; the establishment itself for the rest.
    static func steps(_ formation: Formation) -> [ApplyStep] {
        var steps: [ApplyStep] = []
        let statuses = Set(formation.learnerStatuses)
        let entry = formation.niveauEntree
        let afterBac = formation.niveauSortie >= 5 || (entry ?? 0) >= 4
        if statuses.contains(.scolaire) || statuses.contains(.etudiant) || statuses.contains(.apprenti) {
            if afterBac {
                steps.append(ApplyStep(title: "Après le bac : Parcoursup",
                                       text: "Les candidatures aux formations de l'enseignement supérieur (BTS, BUT, licences…) se font sur Parcoursup, de janvier à mars, pour la rentrée suivante.",
                                       linkLabel: "Parcoursup", url: "https://www.parcoursup.gouv.fr/"))
            } else {
                steps.append(ApplyStep(title: "Après la 3e ou en cours de lycée : Affelnet",
                                       text: "L'entrée en CAP ou en bac professionnel se demande au collège ou au lycée : les vœux sont saisis au printemps dans le service en ligne affectation, avec l'aide du professeur principal et du psychologue de l'Éducation nationale.",
                                       linkLabel: "Le service en ligne affectation", url: "https://www.education.gouv.fr/l-affectation-au-lycee-affelnet-3389"))
            }
        }
        if statuses.contains(.apprenti) {
            steps.append(ApplyStep(title: "En apprentissage : trouver un employeur",
                                   text: "L'apprenti signe un contrat avec une entreprise ; l'établissement aide à la trouver. La bonne alternance recense les entreprises qui recrutent des apprentis près de chez vous.",
                                   linkLabel: "La bonne alternance", url: "https://labonnealternance.apprentissage.beta.gouv.fr/"))
        }
        if statuses.contains(.formationContinue) {
            steps.append(ApplyStep(title: "En formation continue",
                                   text: "Salariés et demandeurs d'emploi s'inscrivent auprès de l'établissement ; le financement peut venir du compte personnel de formation, de France Travail ou de l'employeur.",
                                   linkLabel: "Mon compte formation", url: "https://www.moncompteformation.gouv.fr/"))
        }
        steps.append(ApplyStep(title: "Contacter l'établissement",
                               text: "Pour les dates, les conditions d'admission et les journées portes ouvertes, l'établissement qui dispense la formation répond.",
                               linkLabel: nil, url: nil))
        return steps
    }
}

/// The public pages of the references a formation carries.
enum PublicReferences {
    /// France compétences' page of an RNCP code ("RNCP38432" → …/rncp/38432/).
    static func rncp(_ code: String) -> String? {
        let digits = code.uppercased().replacingOccurrences(of: "RNCP", with: "").trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.count <= 8, digits.allSatisfy(\.isNumber) else { return nil }
        return "https://www.francecompetences.fr/recherche/rncp/\(digits)/"
    }

    /// France Travail's job page of a ROME code ("H3203").
    static func rome(_ code: String) -> String? {
        guard code.count == 5, code.first?.isLetter == true, code.dropFirst().allSatisfy(\.isNumber) else { return nil }
        return "https://candidat.francetravail.fr/metierscope/fiche-metier/\(code.uppercased())"
    }

    /// ONISEP's page of the formation, over HTTPS (the files still give http:// addresses).
    static func onisep(_ link: String) -> String? {
        guard var components = URLComponents(string: link), let host = components.host, host.hasSuffix("onisep.fr") else { return nil }
        components.scheme = "https"
        return components.string
    }

    /// A web address that can be a link (http or https only).
    static func web(_ link: String) -> String? {
        guard let components = URLComponents(string: link), ["http", "https"].contains(components.scheme?.lowercased() ?? "") else { return nil }
        return link
    }
}
