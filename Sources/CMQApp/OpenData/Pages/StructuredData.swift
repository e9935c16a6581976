import CMQDomain
import Foundation

/// schema.org descriptions (JSON-LD) of the public pages, for search engines and data portals: a formation is an
/// `EducationalOccupationalProgram`, an establishment an `EducationalOrganization` (any other organisation an
/// `Organization`), a campus an `EducationalOrganization` whose members are its network, /donnees a
/// `DataCatalog`. The text is safe inside `<script type="application/ld+json">`: `<` is written `\u003c`.
enum StructuredData {
    private static let s = OpenDataWriter.string

    private static func object(_ members: [(String, String?)]) -> String {
        "{" + members.compactMap { key, value in value.map { s(key) + ":" + $0 } }.joined(separator: ",") + "}"
    }

    private static func place(_ organisation: Organisation) -> String {
        object([
            ("@type", s("PostalAddress")), ("streetAddress", organisation.adresse.map(s)), ("postalCode", organisation.codePostal.map(s)),
            ("addressLocality", organisation.commune.map(s)), ("addressCountry", s("FR")),
        ])
    }

    private static func geo(_ organisation: Organisation) -> String? {
        guard let latitude = organisation.latitude, let longitude = organisation.longitude, latitude.isFinite, longitude.isFinite else { return nil }
        return object([("@type", s("GeoCoordinates")), ("latitude", OpenDataWriter.number(latitude)), ("longitude", OpenDataWriter.number(longitude))])
    }

    /// The schema.org type of an organisation: an establishment of education or research, or any organisation.
    static func type(of organisation: Organisation) -> String {
        switch organisation.kind {
        case .entreprise, .brancheProfessionnelle, .poleCompetitivite, .cluster, .association, .collectiviteTerritoriale, .plateformeTechnologique:
            return "Organization"
        default:
            return "EducationalOrganization"
        }
    }

    static func organisationMembers(_ organisation: Organisation, base: String) -> [(String, String?)] {
        [
            ("@type", s(type(of: organisation))), ("@id", s(base + RegistryURL.organisation(organisation.id).path)), ("name", s(organisation.nom)),
            ("url", s(base + RegistryURL.organisation(organisation.id).path)), ("sameAs", organisation.siteWeb.map(s)),
            ("address", place(organisation)), ("geo", geo(organisation)),
            ("identifier", {
                let ids = [organisation.uai.map { object([("@type", s("PropertyValue")), ("propertyID", s("UAI")), ("value", s($0))]) },
                           organisation.siret.map { object([("@type", s("PropertyValue")), ("propertyID", s("SIRET")), ("value", s($0))]) }].compactMap { $0 }
                return ids.isEmpty ? nil : "[" + ids.joined(separator: ",") + "]"
            }()),
        ]
    }

    static func organisation(_ organisation: Organisation, base: String) -> String {
        object([("@context", s("https://schema.org"))] + organisationMembers(organisation, base: base))
    }

    static func campus(_ campus: Campus, members: [Organisation], base: String) -> String {
        let url = base + RegistryURL.campus(campus.id).path
        let filiere = campus.filiere.label
        let territory = TerritoryCatalog.shared
        return object([
            ("@context", s("https://schema.org")), ("@type", s("EducationalOrganization")), ("@id", s(url)), ("url", s(url)),
            ("name", s("Campus des métiers et des qualifications \(campus.nom)")), ("alternateName", s(campus.nom)),
            ("description", campus.description.map(s)), ("sameAs", campus.siteWeb.map(s)),
            ("knowsAbout", s(filiere)),
            ("areaServed", territory.academie(code: campus.academieCode).map { s("Académie de \($0.nom)") }),
            ("member", members.isEmpty ? nil : "[" + members.map { object(Array(organisationMembers($0, base: base).prefix(4))) }.joined(separator: ",") + "]"),
        ])
    }

    static func formation(_ formation: Formation, base: String) -> String {
        let url = base + "/formations/\(formation.id!.uuidString.lowercased())"
        let level = Level(number: formation.niveauSortie)
        let organisation = formation.organisation
        let credential = object([
            ("@type", s("EducationalOccupationalCredential")), ("credentialCategory", formation.typeDiplome.flatMap(DiplomaType.init(rawValue:)).map { s($0.label) }),
            ("educationalLevel", level.map { s($0.label) }),
            ("identifier", formation.rncp.map { object([("@type", s("PropertyValue")), ("propertyID", s("RNCP")), ("value", s($0))]) }),
        ])
        let modes: String = switch Modality(rawValue: formation.modalite) ?? .presentiel {
        case .presentiel: "onsite"
        case .distance: "online"
        case .mixte: "blended"
        }
        return object([
            ("@context", s("https://schema.org")), ("@type", s("EducationalOccupationalProgram")), ("@id", s(url)), ("url", s(url)),
            ("name", s(formation.intitule)), ("description", formation.description.map(s)), ("sameAs", formation.lien.map(s)),
            ("educationalProgramMode", s(modes)), ("programType", formation.typeDiplome.flatMap(DiplomaType.init(rawValue:)).map { s($0.label) }),
            ("educationalCredentialAwarded", credential),
            ("occupationalCategory", (formation.$romes.value ?? []).isEmpty ? nil
                : "[" + (formation.$romes.value ?? []).map(\.code).sorted().map { object([("@type", s("CategoryCode")), ("codeValue", s($0)), ("inCodeSet", s("ROME"))]) }.joined(separator: ",") + "]"),
            ("provider", object(Array(organisationMembers(organisation, base: base).prefix(5)))),
        ])
    }

    static func dataCatalog(_ summaries: [OpenDataCatalogue.Summary], base: String) -> String {
        let licence = s(OpenDataLicence.url)
        let datasets = summaries.map { summary in
            object([
                ("@type", s("Dataset")), ("name", s(summary.dataset.title)), ("description", s(summary.dataset.description)),
                ("license", licence), ("keywords", "[" + summary.dataset.keywords.map(s).joined(separator: ",") + "]"),
                ("dateModified", summary.modified.map { s(OpenDataWriter.timestamp($0)) }),
                ("distribution", "[" + summary.distributions.map { file in
                    object([("@type", s("DataDownload")), ("encodingFormat", s(file.format.mediaType)), ("contentUrl", s(file.url)),
                            ("contentSize", file.bytes.map { s("\($0) octets") })])
                }.joined(separator: ",") + "]"),
            ])
        }
        return object([
            ("@context", s("https://schema.org")), ("@type", s("DataCatalog")), ("@id", s(base + OpenDataURL.page.path)), ("url", s(base + OpenDataURL.page.path)),
            ("name", s("Données ouvertes des campus des métiers et des qualifications")), ("license", licence), ("inLanguage", s("fr")),
            ("dataset", "[" + datasets.joined(separator: ",") + "]"),
        ])
    }
}
