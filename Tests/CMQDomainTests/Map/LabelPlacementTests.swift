import CMQDomain
import Foundation
import Testing

@Suite("Names on the map")
struct LabelPlacementTests {
    @Test("a marker's name goes on the right of its marker when that side is free")
    func rightFirst() throws {
        var placement = LabelPlacement(width: 1000, height: 1000)
        let labelPlaced = placement.placeMarkerName("Nautisme", at: PlanePoint(x: 500, y: 500), radius: 7, fontSize: 15)
        let label = try #require(labelPlaced)
        #expect(label.anchor == .start)
        #expect(label.x > 507)
    }

    @Test("two markers side by side: the second name takes another side, never the first name's place")
    func noOverlap() throws {
        var placement = LabelPlacement(width: 1000, height: 1000)
        let firstPlaced = placement.placeMarkerName("Aéronautique", at: PlanePoint(x: 500, y: 500), radius: 7, fontSize: 15)
        let first = try #require(firstPlaced)
        let secondPlaced = placement.placeMarkerName("Bois", at: PlanePoint(x: 505, y: 500), radius: 7, fontSize: 15)
        let second = try #require(secondPlaced)
        #expect(!first.box.intersects(second.box))
    }

    @Test("a name that fits nowhere is left out of the drawing (the list beside the map names it)")
    func leftOut() {
        var placement = LabelPlacement(width: 1000, height: 1000)
        let point = PlanePoint(x: 500, y: 500)
        _ = placement.placeAreaName("Une très longue région académique imaginaire", at: PlanePoint(x: 500, y: 480), fontSize: 40)
        _ = placement.placeAreaName("Une autre très longue région académique", at: PlanePoint(x: 500, y: 530), fontSize: 40)
        #expect(placement.placeMarkerName("Campus au milieu des noms", at: point, radius: 7, fontSize: 15) == nil)
    }

    @Test("a name is never drawn outside the map: at the right edge it goes on the left of its marker")
    func insideTheMap() throws {
        var placement = LabelPlacement(width: 1000, height: 1000)
        let labelPlaced = placement.placeMarkerName("Industries créatives", at: PlanePoint(x: 990, y: 500), radius: 7, fontSize: 15)
        let label = try #require(labelPlaced)
        #expect(label.anchor == .end)
        #expect(label.box.maxX <= 1000 && label.box.minX >= 0)
    }

    @Test("an area's name moves off a marker or a neighbour's name, and is drawn anyway when there is no room")
    func areaNames() {
        var placement = LabelPlacement(width: 1000, height: 1000)
        let centre = PlanePoint(x: 500, y: 500)
        placement.reserve(PlaneBox(minX: 493, minY: 493, maxX: 507, maxY: 507))
        let moved = placement.placeAreaName("Pays de la Loire", at: centre, fontSize: 22)
        #expect(moved.y != 500)
        #expect(!moved.box.intersects(PlaneBox(minX: 493, minY: 493, maxX: 507, maxY: 507)))
        let neighbour = placement.placeAreaName("Centre-Val de Loire", at: PlanePoint(x: 500, y: moved.y), fontSize: 22)
        #expect(!neighbour.box.intersects(moved.box))
        // a tiny map: no free place, the name still appears at its point
        var tiny = LabelPlacement(width: 10, height: 10)
        tiny.reserve(PlaneBox(minX: -1000, minY: -1000, maxX: 1000, maxY: 1000))
        #expect(tiny.placeAreaName("Corse", at: PlanePoint(x: 5, y: 5), fontSize: 22).y == 5)
    }
}

@Suite("Contrast of colours")
struct ContrastTests {
    @Test("WCAG 2 contrast ratios: black on white is 21, a colour on itself 1, the DSFR blue on white about 14.9")
    func ratios() throws {
        #expect(abs(try #require(Contrast.ratio("#000000", "#ffffff")) - 21) < 0.001)
        #expect(try #require(Contrast.ratio("#4a68d6", "#4a68d6")) == 1)
        #expect(abs(try #require(Contrast.ratio("#000091", "#FFFFFF")) - 14.9) < 0.1)
        #expect(Contrast.ratio("#00009", "#ffffff") == nil)
        #expect(Contrast.ratio("blue", "#ffffff") == nil)
    }
}
