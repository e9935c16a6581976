import CMQDomain
import Foundation

/// The maps of France, projected and simplified once from the shipped contours and then shared by every request.
final class MapCatalog: Sendable {
    let national: MapView
    let regions: [String: MapView]

    /// Built on first use; `CMQMain` touches it before serving so the first visitor doesn't pay for it.
    static let shared: MapCatalog = {
        do {
            let regions = try GeoJSONReader.features(from: Data(contentsOf: Resources.dataURL("cartes/fond_carte_regions.json")))
            let academies = try GeoJSONReader.features(from: Data(contentsOf: Resources.dataURL("cartes/fond_carte_academies.json")))
            return MapCatalog(builder: FranceMapBuilder(regions: regions, academies: academies))
        } catch {
            preconditionFailure("The shipped map contours (Data/cartes) cannot be read: \(error)")
        }
    }()

    init(builder: FranceMapBuilder) {
        national = builder.nationalView()
        var regions: [String: MapView] = [:]
        for region in TerritoryCatalog.shared.regions {
            regions[region.code] = builder.regionView(region.code)
        }
        self.regions = regions
    }
}
