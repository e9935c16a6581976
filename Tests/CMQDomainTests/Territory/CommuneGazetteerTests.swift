import CMQDomain
import Foundation
import Testing

/// The communes of La Poste's official base: found by name however it is typed, by postcode, by position;
/// names written for people; distances and the "near a commune" selection.
@Suite("Communes and places")
struct CommuneGazetteerTests {
    let gazetteer = CommuneGazetteer.shared

    @Test("the shipped base holds every commune once, with its postcodes and coordinates")
    func shippedBase() throws {
        #expect(gazetteer.communes.count > 34_000)
        #expect(Set(gazetteer.communes.map(\.insee)).count == gazetteer.communes.count)
        let amiens = try #require(gazetteer.commune(insee: "80021"))
        #expect(amiens.nom == "Amiens" && amiens.codesPostaux == ["80000", "80080", "80090"] && amiens.departementCode == "80")
        #expect(gazetteer.communes.allSatisfy { $0.point.isValid })
    }

    @Test("a name is found whatever its case, accents, hyphens or « St »")
    func names() {
        for typed in ["Saint-Quentin", "saint quentin", "SAINT-QUENTIN", "St Quentin", "st-quentin", "Saint-Quentin (02)", "saint quentin 02"] {
            #expect(gazetteer.find(typed)?.insee == "02691", "\(typed)")
        }
        #expect(gazetteer.find("Neufchâteau 88")?.insee == "88321")
        #expect(gazetteer.find("Nowhereville") == nil)
        // Towns listed by arrondissement are found whole.
        #expect(gazetteer.find("Lyon")?.insee == "69123" && gazetteer.find("Paris")?.codesPostaux.count == 21 && gazetteer.find("marseille")?.insee == "13055")
        #expect(gazetteer.find("") == nil)
        #expect(gazetteer.find(String(repeating: "a", count: 500)) == nil)
    }

    @Test("homonyms: the main town first, the département chooses")
    func homonyms() {
        #expect(gazetteer.find("Laval")?.departementCode == "53")
        #expect(gazetteer.find("Laval (38)")?.departementCode == "38")
        #expect(gazetteer.communes(named: "Laval").count >= 2)
    }

    @Test("a postcode gives the communes it serves; a position gives the nearest commune")
    func postcodesAndPositions() {
        #expect(gazetteer.find("80000")?.nom == "Amiens")
        #expect(Set(gazetteer.communes(postcode: "02100").map(\.nom)).isSuperset(of: ["Saint-Quentin", "Harly"]))
        #expect(gazetteer.find("99999") == nil)
        #expect(gazetteer.find("49.8472,3.2777")?.nom == "Saint-Quentin")
        #expect(gazetteer.find("95.0,3.0") == nil)
        #expect(gazetteer.find("0.0,-30.0") == nil)
    }

    @Test("La Poste's capitals are written for people")
    func displayNames() {
        #expect(gazetteer.commune(insee: "02691")?.nom == "Saint-Quentin")
        #expect(gazetteer.commune(insee: "51367")?.nom == "Le Mesnil-sur-Oger")
        #expect(gazetteer.commune(insee: "50262")?.nom == "La Lande-d'Airou")
        #expect(gazetteer.commune(insee: "44162")?.nom == "Saint-Herblain")
        #expect(gazetteer.commune(insee: "75101")?.nom == "Paris 01")
    }

    @Test("distances are great-circle kilometres")
    func distances() {
        let paris = GeoPoint(latitude: 48.8566, longitude: 2.3522), lyon = GeoPoint(latitude: 45.7640, longitude: 4.8357)
        #expect(abs(paris.distance(to: lyon) - 392) < 3)
        #expect(paris.distance(to: paris) == 0)
        #expect(Nearby.phrase(0.05) == "sur place" && Nearby.phrase(0.74) == "à 700 m" && Nearby.phrase(3.44) == "à 3,4 km" && Nearby.phrase(42.6) == "à 43 km")
    }

    @Test("near a commune: within the radius, the nearest first, the radius bounded")
    func nearby() throws {
        let saintQuentin = try #require(gazetteer.find("Saint-Quentin"))
        let near = Nearby(commune: saintQuentin, radius: 30)
        let places: [(id: String, point: GeoPoint)] = [
            ("far", GeoPoint(latitude: 45.76, longitude: 4.83)),
            ("harly", try #require(gazetteer.find("Harly")).point),
            ("here", saintQuentin.point),
            ("invalid", GeoPoint(latitude: .nan, longitude: 3)),
        ]
        let found = near.select(places)
        #expect(found.map(\.id) == ["here", "harly"])
        #expect(found[0].distance == 0 && found[1].distance < 5)
        #expect(Nearby(commune: saintQuentin, radius: 0).radius == 1 && Nearby(commune: saintQuentin, radius: 10_000).radius == 200)
        let box = near.boundingBox
        #expect(box.latitudes.contains(saintQuentin.latitude + 0.2) && !box.latitudes.contains(saintQuentin.latitude + 0.4))
    }

    @Test("a place is found alone or beside the words of a search")
    func places() throws {
        let finder = PlaceFinder()
        #expect(finder.place("Amiens")?.label == "Amiens (80)")
        #expect(finder.place("02")?.label == "Aisne (02)")
        #expect(finder.place("2A")?.label.hasPrefix("Corse-du-Sud") == true)
        #expect(finder.place("Aisne")?.label == "Aisne (02)")
        #expect(finder.place("Hauts-de-France")?.label == "Hauts-de-France")
        #expect(finder.place("80000")?.label == "Amiens (80)")
        #expect(finder.place("mecanique") == nil)
        let split = try #require(finder.split("cuisine Amiens"))
        #expect(split.words == "cuisine" && split.place.label == "Amiens (80)")
        let before = try #require(finder.split("Saint-Quentin mécanique"))
        #expect(before.words == "mécanique" && before.place.label == "Saint-Quentin (02)")
        let longName = try #require(finder.split("bac pro le mesnil sur oger"))
        #expect(longName.words == "bac pro" && longName.place.label == "Le Mesnil-sur-Oger (51)")
        #expect(finder.split("soudage") == nil)
    }
}
