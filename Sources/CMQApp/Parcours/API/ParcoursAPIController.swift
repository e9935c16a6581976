import CMQDomain
import Vapor

/// A count in the API: the number, or nothing and the masked text (« < 5 », « secret »).
struct ParcoursCountDTO: Content {
    var valeur: Int?
    var texte: String
    var masque: Bool

    init(_ count: ShownCount) {
        valeur = count.valeur
        texte = count.texte
        masque = count.masque
    }
}

struct ParcoursFigureDTO: Content {
    var libelle: String
    var effectif: ParcoursCountDTO
}

struct ParcoursPlaceDTO: Content {
    var cle: String
    var libelle: String
    var uai: String?
    var sortie: Bool
}

struct ParcoursRowDTO: Content {
    var depart: ParcoursPlaceDTO
    var effectifs: [ParcoursCountDTO]
    var total: ParcoursCountDTO
}

struct ParcoursTransitionDTO: Content {
    var de: String
    var a: String
    var colonnes: [ParcoursPlaceDTO]
    var lignes: [ParcoursRowDTO]
    var totauxColonnes: [ParcoursCountDTO]
    var total: ParcoursCountDTO
    var apprenants: ParcoursCountDTO
    var poursuiteDansLeReseau: ParcoursCountDTO
    var sorties: [ParcoursFigureDTO]
    var changementsDeStatut: [ParcoursFigureDTO]
    var pertesParEtablissement: [ParcoursFigureDTO]
}

struct ParcoursFlowsDTO: Content {
    var campusId: UUID
    var campus: String
    /// interne, membre or public.
    var vue: String
    var seuil: Int
    var donneesDeDemonstration: Bool
    var anneesScolaires: [String]
    var transitions: [ParcoursTransitionDTO]
}

struct ParcoursImportDTO: Content {
    var envoiId: UUID
    var organisationId: UUID
    var uai: String
    var anneeScolaire: String
    var etapes: Int
    var etapesRemplacees: Int?
}

/// `GET /api/v1/campus/{id}/parcours` (masked for the caller's audience) and
/// `POST /api/v1/organisations/{id}/parcours` (the CSV as the body, `text/csv`).
struct ParcoursAPIController {
    @Sendable func flows(req: Request) async throws -> ParcoursFlowsDTO {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        guard let campus = try await Campus.find(id, on: req.db) else {
            throw AppError.notFound("Aucun campus n'a l'identifiant \(id.uuidString.lowercased()).")
        }
        let audience = try await ParcoursAudience.of(req.caller, campus: campus, on: req.db)
        let report = try await ParcoursReport.load(campus: campus, audience: audience, on: req.db)
        let vue = switch audience { case .interne: "interne"; case .membre: "membre"; case .public_: "public" }
        return ParcoursFlowsDTO(
            campusId: id, campus: campus.nom, vue: vue, seuil: audience.threshold,
            donneesDeDemonstration: try await ParcoursDemo.isDemo(campusID: id, on: req.db),
            anneesScolaires: report.years.map(\.description),
            transitions: report.tables.map { table in
                let exitStart = table.columns.count - table.exitColumns
                func place(_ place: ParcoursReport.Place, exit: Bool) -> ParcoursPlaceDTO {
                    ParcoursPlaceDTO(cle: place.key, libelle: place.label, uai: place.uai.isEmpty ? nil : place.uai, sortie: exit)
                }
                func figures(_ list: [(label: String, count: ShownCount)]) -> [ParcoursFigureDTO] {
                    list.map { ParcoursFigureDTO(libelle: $0.label, effectif: ParcoursCountDTO($0.count)) }
                }
                return ParcoursTransitionDTO(
                    de: table.from.description, a: table.to.description,
                    colonnes: table.columns.enumerated().map { place($1, exit: $0 >= exitStart) },
                    lignes: table.rows.map { ParcoursRowDTO(depart: place($0.place, exit: false), effectifs: $0.cells.map(ParcoursCountDTO.init), total: ParcoursCountDTO($0.total)) },
                    totauxColonnes: table.columnTotals.map(ParcoursCountDTO.init), total: ParcoursCountDTO(table.grandTotal),
                    apprenants: ParcoursCountDTO(table.learners), poursuiteDansLeReseau: ParcoursCountDTO(table.continuingInNetwork),
                    sorties: figures(table.exits), changementsDeStatut: figures(table.statusChanges),
                    pertesParEtablissement: figures(table.lossesByEstablishment))
            })
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let id = try req.uuidParameter("organisationID", notFound: "Aucune organisation")
        guard let buffer = req.body.data, buffer.readableBytes > 0 else {
            throw AppError.validation([FieldError("fichier", "Envoyez le fichier CSV des parcours comme corps de la requête (Content-Type: text/csv).")])
        }
        let text: String
        do { text = try TextEncoding.decode(Data(buffer: buffer)).text } catch {
            throw AppError.validation([FieldError("fichier", error.description)])
        }
        let report = try await ParcoursService(db: req.db, caller: req.caller, key: req.application.cmqConfig.pseudonymKey).importFile(text, organisationID: id)
        let dto = ParcoursImportDTO(envoiId: report.envoiID, organisationId: id, uai: report.uai, anneeScolaire: report.year.description,
                                    etapes: report.etapes, etapesRemplacees: report.replaced)
        return try await dto.encodeResponse(status: .created, for: req)
    }
}
