import CMQDomain
import Fluent
import Foundation
import Vapor

/// One action in a list: what a visitor needs to choose it.
struct ActionSummary: Encodable {
    var url: String
    var titre: String
    var resume: String
    var type: String
    var quand: String
    var lieu: String
    var campus: String
    var statut: String?
    var publics: String

    init(_ record: ActionRecord, placeLine: String?) {
        url = ActionsURL.page(record.id).path
        titre = record.titre
        resume = record.resume
        type = record.type.label
        let timings = (try? record.timings) ?? []
        quand = timings.first.map { timings.count > 1 ? "du \($0.french) (\(timings.count) horaires)" : "le \($0.french)" } ?? ""
        lieu = placeLine ?? ""
        campus = record.campus.nom
        statut = record.statut == .programme ? nil : "\(record.statut.label) : \(record.motifStatut ?? "")"
        publics = ActionAudience.allCases.filter(record.audienceSet.contains).map(\.label).joined(separator: ", ")
    }

    /// The next published actions (of a campus, or nationally), at most `limit`.
    static func next(campusID: UUID?, now: LocalDateTime, limit: Int = 5, on db: any Database) async throws -> [ActionSummary] {
        var filters = ActionFilters()
        filters.campusID = campusID
        return try await list(try await filters.query(upcoming: true, now: now, on: db).limit(limit).all(), on: db)
    }

    /// The summaries of `records`, with the names of the organisations they take place at.
    static func list(_ records: [ActionRecord], on db: any Database) async throws -> [ActionSummary] {
        let ids = Array(Set(records.compactMap { $0.$organisationLieu.id }))
        let organisations = ids.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0) })
        return records.map { ActionSummary($0, placeLine: ActionPublishing.placeLine($0, organisation: $0.$organisationLieu.id.flatMap { organisations[$0] })) }
    }
}

/// `/actions` and `/actions/archives`: the published actions, upcoming or past, with their filters.
struct ActionListPage: Encodable {
    var page: PageMeta
    var heading: String
    var upcoming: Bool
    var actions: [ActionSummary]
    var pager: Pager
    var otherURL: String
    var feedURL: String
    var regions: [OptionItem]
    var types: [OptionItem]
    var audiences: [OptionItem]
    var departement: String
    var postcode: String
    var from: String
    var to: String
    var online: Bool
    /// `?vue=carte`: the actions on the map (with the list of their names) instead of the cards.
    var showsMap: Bool
    var listURL: String
    var mapURL: String
    var map: MapBlock?
    /// What the map cannot show: actions online or without coordinates, or beyond the map's maximum.
    var notOnMap: String?

    /// The map shows at most this many actions (the first by date); the list has them all, by pages.
    static let mapMaximum = 500

    static func load(_ filters: ActionFilters, query: [String: String], upcoming: Bool, now: LocalDateTime, on db: any Database) async throws -> ActionListPage {
        let showsMap: Bool = switch query["vue"]?.trimmingCharacters(in: .whitespaces) ?? "" {
        case "", "liste": false
        case "carte": true
        default: throw AppError.validation([FieldError("vue", "La vue est « liste » ou « carte ».")])
        }
        let builder = filters.query(upcoming: upcoming, now: now, on: db)
        let total = try await builder.copy().count()
        let here = upcoming ? ActionsURL.list : ActionsURL.archive
        let heading = upcoming ? "Les actions à venir" : "Les actions passées"
        var records: [ActionRecord] = []
        var map: (block: MapBlock?, notOnMap: String?) = (nil, nil)
        if showsMap {
            let shown = try await builder.limit(mapMaximum).all()
            map = try await Self.map(shown, total: total, filters: filters, upcoming: upcoming, on: db)
        } else {
            records = try await builder.range(((filters.page - 1) * ActionFilters.perPage)..<(filters.page * ActionFilters.perPage)).all()
        }
        let view = showsMap ? ["vue": "carte"] : [:]
        return ActionListPage(
            page: PageMeta(title: heading, description: "Journées portes ouvertes, découverte des métiers, visites d'entreprises… des campus des métiers et des qualifications.", section: "actions"),
            heading: heading, upcoming: upcoming, actions: try await ActionSummary.list(records, on: db),
            pager: Pager(page: filters.page, per: ActionFilters.perPage, total: total) { here.path(query: filters.query.merging(["page": String($0)]) { $1 }) },
            otherURL: (upcoming ? ActionsURL.archive : ActionsURL.list).path(query: filters.query.merging(view) { $1 }),
            feedURL: ActionsURL.feed.path(query: ["region": filters.region?.code, "campus": filters.campusID?.uuidString.lowercased()]),
            regions: TerritoryCatalog.shared.regions.map { OptionItem(value: $0.code, label: $0.nom, selected: $0.code == filters.region?.code) },
            types: ActionType.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: $0 == filters.type) },
            audiences: ActionAudience.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: $0 == filters.audience) },
            departement: filters.departement?.code ?? "", postcode: query["cp"] ?? "", from: filters.from?.iso ?? "", to: filters.to?.iso ?? "",
            online: filters.online == true, showsMap: showsMap,
            listURL: here.path(query: filters.query), mapURL: here.path(query: filters.query.merging(["vue": "carte"]) { $1 }),
            map: map.block, notOnMap: map.notOnMap)
    }

    /// The actions as named points on the map of France (or of the région filtered), the areas coloured by their
    /// number of actions (by the campus's région, or académie on a région's map) and linked to the same view narrowed.
    static func map(_ records: [ActionRecord], total: Int, filters: ActionFilters, upcoming: Bool, on db: any Database) async throws -> (MapBlock?, String?) {
        let territory = TerritoryCatalog.shared
        let regionView = filters.region.flatMap { MapCatalog.shared.regions[$0.code] }
        guard let view = regionView ?? Optional(MapCatalog.shared.national) else { return (nil, nil) }
        let placeIDs = Array(Set(records.compactMap { $0.$organisationLieu.id }))
        let places = placeIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).filter(\.$id ~~ placeIDs).all().map { ($0.id!, $0) })
        var counts: [String: Int] = [:]
        var markers: [MapMarker] = []
        for record in records {
            counts[regionView == nil ? record.campus.regionCode : record.campus.academieCode, default: 0] += 1
            let place = record.$organisationLieu.id.flatMap { places[$0] }
            let atPlace = record.lieuType == .organisation
            guard let latitude = atPlace ? place?.latitude : record.latitude, let longitude = atPlace ? place?.longitude : record.longitude else { continue }
            let day = ((try? record.timings) ?? []).first.map { " (\($0.start.day.frenchLong))" } ?? ""
            markers.append(MapMarker(label: record.titre + day, url: ActionsURL.page(record.id).path,
                                     geo: GeoPoint(longitude: longitude, latitude: latitude), regionCode: record.campus.regionCode))
        }
        let here = upcoming ? ActionsURL.list : ActionsURL.archive
        let kind = upcoming ? "à venir" : "passées"
        let renderer = MapRenderer(
            view: view, counts: counts,
            areaURL: { shape in
                var query = filters.query.merging(["vue": "carte"]) { $1 }
                if regionView == nil {
                    query["region"] = shape.code
                } else {
                    query["academie"] = shape.code
                }
                return here.path(query: query)
            },
            areaName: { shape in (regionView == nil ? territory.region(code: shape.code)?.nom : territory.academie(code: shape.code)?.nom) ?? shape.name },
            markers: markers,
            title: "Carte des actions \(kind)",
            description: "Les points situent le lieu de chaque action \(kind) qui répond aux filtres ; \(regionView == nil ? "les régions académiques" : "les académies") sont colorées selon le nombre d'actions de leurs campus. La liste qui suit la carte nomme chaque action.",
            quantity: .counting(.action))
        let missing = records.count - markers.count
        var notes: [String] = []
        if missing > 0 { notes.append("\(missing) action\(missing > 1 ? "s" : "") en ligne ou sans coordonnées n'\(missing > 1 ? "apparaissent" : "apparaît") pas sur la carte.") }
        if total > records.count { notes.append("La carte montre les \(records.count) premières actions sur \(total) ; affinez les filtres ou voyez la liste.") }
        let block = MapBlock(renderer, caption: "Nombre d'actions \(kind) par \(regionView == nil ? "région académique" : "académie")",
                             areasLabel: regionView == nil ? "Régions académiques" : "Académies", placesLabel: "Actions", markerLegend: "Lieu d'une action")
        return (block, notes.isEmpty ? nil : notes.joined(separator: " "))
    }
}

/// `/actions/:actionID`: an action, its timings, place, how to register, its campus and formations.
struct ActionPageContext: Encodable {
    struct Timing: Encodable { var text: String }
    struct Link: Encodable { var label: String; var url: String? }

    var page: PageMeta
    var titre: String
    var resume: String
    var descriptionHTML: String
    var type: String
    var statut: String?
    var moderation: String?
    var timings: [Timing]
    var lieu: String
    var lienEnLigne: String?
    var latitude: String?
    var longitude: String?
    var mapURL: String?
    var publics: String
    var niveaux: String
    var accessibilite: String
    var campus: Link
    var organisateurs: [Link]
    var partenaires: [Link]
    var formations: [Link]
    var image: String?
    var imageAlt: String?
    var icsURL: String
    var shareURL: String
    var inscription: String
    var inscriptionLien: String?
    var inscriptionCourriel: String?
    var registrationOpen: Bool
    var places: String?
    var form: RegistrationForm?
    var notice: String?
    var participation: String?

    struct RegistrationForm: Encodable {
        var action: String
        var fields: [FormField]
        var errors: [ErrorLink]
    }

    static func load(_ action: ActionService.Loaded, state: FormState?, notice: String?, now: LocalDateTime, base: String, on db: any Database) async throws -> ActionPageContext {
        let record = action.record
        let organisationIDs = action.organisations.map { $0.$organisation.id } + [record.$organisationLieu.id].compactMap { $0 }
        let organisations = organisationIDs.isEmpty ? [:]
            : Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).filter(\.$id ~~ organisationIDs).all().map { ($0.id!, $0) })
        let formations = action.formationIDs.isEmpty ? [] : try await Formation.visible(on: db).filter(\.$id ~~ action.formationIDs).all()
        let placeOrganisation = record.$organisationLieu.id.flatMap { organisations[$0] }
        let latitude = record.lieuType == .organisation ? placeOrganisation?.latitude : record.latitude
        let longitude = record.lieuType == .organisation ? placeOrganisation?.longitude : record.longitude
        let open = record.moderation == .publie && record.inscription == .cmq && record.statut != .annule && record.statut != .reporte && now < record.firstStart
        func links(_ role: ActionOrganisationRecord.Role) -> [Link] {
            action.organisations.filter { $0.role == role }.compactMap { organisations[$0.$organisation.id] }
                .map { Link(label: $0.nom, url: RegistryURL.organisation($0.id).path) }
        }
        let free = record.capacite.map { max(0, $0 - record.placesPrises) }
        var form: RegistrationForm?
        if open {
            let state = state ?? FormState(values: FormValues(fields: ["personnes": "1"]))
            let fields = [
                state.field(FieldPath("nom"), "Nom et prénom", required: true),
                state.field(FieldPath("courriel"), "Adresse électronique", .email, hint: "pour le lien d'annulation", required: true),
                state.field(FieldPath("categorie"), "Vous êtes", .select, required: true, blank: "Choisir",
                            choices: RegistrantCategory.allCases.map { ($0.rawValue, $0.label) }),
                state.field(FieldPath("personnes"), "Nombre de personnes", hint: "de 1 à \(RegistrationRules.maximumPeople)", required: true),
            ]
            form = RegistrationForm(action: ActionsURL.register(record.id).path, fields: fields, errors: state.summary(of: fields))
        }
        let shareURL = base + ActionsURL.page(record.id).path
        return ActionPageContext(
            page: PageMeta(title: record.titre, description: record.resume, section: "actions",
                           jsonLD: record.moderation == .publie ? ActionPublishing.jsonLD(action, organisation: placeOrganisation, base: base) : nil),
            titre: record.titre, resume: record.resume, descriptionHTML: SafeMarkdown.html(record.description), type: record.type.label,
            statut: record.statut == .programme ? nil : "\(record.statut.label) : \(record.motifStatut ?? "")",
            moderation: record.moderation == .publie ? nil : "Cette action est à l'état « \(record.moderation.label.lowercased()) » : le public ne la voit pas.",
            timings: ((try? record.timings) ?? []).map { Timing(text: $0.french) },
            lieu: ActionPublishing.placeLine(record, organisation: placeOrganisation) ?? "", lienEnLigne: record.lienEnLigne,
            latitude: latitude.map { String(format: "%.5f", $0) }, longitude: longitude.map { String(format: "%.5f", $0) },
            mapURL: latitude.flatMap { lat in longitude.map { lon in "https://www.openstreetmap.org/?mlat=\(lat)&mlon=\(lon)#map=16/\(lat)/\(lon)" } },
            publics: ActionAudience.allCases.filter(record.audienceSet.contains).map(\.label).joined(separator: ", "),
            niveaux: record.levelSet.sorted().map(\.label).joined(separator: ", "),
            accessibilite: Disability.allCases.filter(record.disabilities.contains).map(\.label).joined(separator: ", "),
            campus: Link(label: action.campus.nom, url: RegistryURL.campus(action.campus.id).path),
            organisateurs: links(.organisateur), partenaires: links(.partenaire),
            formations: formations.map { Link(label: $0.intitule, url: CatalogueURL.formation($0.id).path) },
            image: record.imageURL, imageAlt: record.imageAlt,
            icsURL: ActionsURL.calendarFile(record.id).path, shareURL: shareURL,
            inscription: record.inscription.label, inscriptionLien: record.inscriptionLien, inscriptionCourriel: record.inscriptionCourriel,
            registrationOpen: open,
            places: record.inscription == .cmq ? free.map { $0 == 0 ? "Complet : les nouvelles inscriptions vont sur la liste d'attente." : "\($0) place\($0 > 1 ? "s" : "") restante\($0 > 1 ? "s" : "")." } : nil,
            form: form, notice: notice,
            participation: record.participantsTotal.map { "\($0) participant\($0 > 1 ? "s" : "")" })
    }
}

/// `/actions/inscriptions/:jeton`: a registration seen from its own link, with the button that cancels it.
struct RegistrationPageContext: Encodable {
    var page: PageMeta
    var actionTitle: String
    var actionURL: String
    var state: String
    var people: Int
    var cancelURL: String?
    var notice: String?
}
