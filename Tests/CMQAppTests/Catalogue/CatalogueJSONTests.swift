import Foundation
import Testing
import Vapor

@testable import CMQApp

/// The catalogue's answers written by hand are the JSON Foundation's encoder writes with Vapor's settings.
@Suite("Catalogue JSON written by hand")
struct CatalogueJSONTests {
    static func encoded(_ value: some Encodable) throws -> Any {
        try JSONSerialization.jsonObject(with: try JSONEncoder.custom(dates: .iso8601).encode(value))
    }

    static func written(_ json: JSONText) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(json.bytes))
    }

    static func formation(distance: Double?, tricky: Bool) -> FormationDTO {
        let text = tricky ? "« Cœur » \"cité\" \\ a/b \n\t\r\u{01}\u{1F} émoji 😀 – fin" : "BTS Maintenance des systèmes"
        return FormationDTO(
            id: UUID(), intitule: text,
            organisation: MembershipOrganisationDTO(id: UUID(), nom: text, type: "lycee", typeLibelle: "Lycée", public: tricky,
                                                    uai: tricky ? "0590001A" : nil, siret: nil, commune: tricky ? "Lille" : nil),
            organisationResponsableId: tricky ? UUID() : nil, filiere: "materiaux-innovants", typeDiplome: tricky ? "bts" : nil,
            typeDiplomeLibelle: tricky ? "BTS" : nil, niveauEntree: tricky ? 4 : nil, niveauSortie: 5, niveauSortieLibelle: "Niveau 5",
            cfd: tricky ? "32022310" : nil, rncp: nil, romes: tricky ? ["H2913", "I1304"] : [], duree: "2 ans",
            statuts: ["apprenti", "scolaire"], capacite: tricky ? 24 : nil, modalite: "presentiel",
            datesDebut: tricky ? ["2027-09-01"] : [], description: tricky ? text : nil, lien: tricky ? "https://www.onisep.fr/http/x?y=1&z=2" : nil,
            creeLe: Date(timeIntervalSince1970: 1_790_000_000), modifieLe: tricky ? Date(timeIntervalSince1970: 1_790_000_123.75) : nil,
            distanceKm: distance)
    }

    @Test("one formation: strings with quotes, slashes, control characters and accents, absent and present optionals, dates")
    func formation() throws {
        for (distance, tricky) in [(nil, false), (12.3, true), (4.0, true), (0.1, false)] as [(Double?, Bool)] {
            let dto = Self.formation(distance: distance, tricky: tricky)
            let written = try Self.written(dto.json) as? NSDictionary
            let encoded = try Self.encoded(dto) as? NSDictionary
            #expect(written != nil)
            #expect(written == encoded)
        }
    }

    @Test("a page of the search with its facets, a suggestion and a search near a commune")
    func searchPage() throws {
        let facets = FacetsDTO(
            niveau: [FacetValueDTO(valeur: "5", libelle: "Niveau 5", nombre: 12)], typeDiplome: [],
            statut: [FacetValueDTO(valeur: "apprenti", libelle: "Apprenti", nombre: 3), FacetValueDTO(valeur: "scolaire", libelle: "Scolaire", nombre: 9)],
            filiere: [], region: [FacetValueDTO(valeur: "32", libelle: "Hauts-de-France", nombre: 12)], academie: [],
            departement: [FacetValueDTO(valeur: "59", libelle: "Nord (59)", nombre: 12)], campus: [])
        for (suggestion, near) in [(nil, nil), ("mecanique", NearbyPlaceDTO(commune: "Lille", codeInsee: "59350", departement: "59",
                                                                            codesPostaux: ["59000", "59800"], latitude: 50.6365, longitude: 3.0635, rayonKm: 30))]
            as [(String?, NearbyPlaceDTO?)] {
            let page = FormationSearchDTO(items: [Self.formation(distance: 1.5, tricky: true), Self.formation(distance: nil, tricky: false)],
                                          page: 2, per: 20, total: 41, facettes: facets, suggestion: suggestion, pres: near)
            let written = try Self.written(page.json) as? NSDictionary
            #expect(written != nil)
            #expect(written == (try Self.encoded(page) as? NSDictionary))
        }
        let empty = FormationSearchDTO(items: [], page: 1, per: 20, total: 0, facettes: facets, suggestion: nil)
        #expect((try Self.written(empty.json) as? NSDictionary) == (try Self.encoded(empty) as? NSDictionary))
    }
}
