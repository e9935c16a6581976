import CMQDomain
import Fluent
import Vapor

/// One figure in the API: published figures carry their value and counts; hidden ones only their status.
struct FigureDTO: Content, Equatable {
    var indicateur: String
    var libelle: String
    /// `publie`, `effectif_insuffisant` or `non_disponible`.
    var statut: String
    var valeur: Int?
    var numerateur: Int?
    var denominateur: Int?

    init(_ figure: Figure) {
        switch figure.kind {
        case .tauxPoursuite: indicateur = "taux_poursuite_etudes"
        case .tauxEmploi(let mois): indicateur = "taux_emploi_\(mois)_mois"
        case .partEmploi(let mois): indicateur = "part_emploi_\(mois)_mois"
        case .devenirFavorable: indicateur = "taux_devenir_favorable"
        }
        libelle = figure.kind.label
        switch figure.status {
        case .publie(let percent):
            statut = "publie"
            valeur = percent
            numerateur = figure.numerator
            denominateur = figure.denominator
        case .effectifInsuffisant: statut = "effectif_insuffisant"
        case .nonDisponible: statut = "non_disponible"
        }
    }

    static func all(_ figure: (Figure.Kind) -> Figure) -> [FigureDTO] { Figure.Kind.all.map { FigureDTO(figure($0)) } }
}

struct CampusInsertionDTO: Content, Equatable {
    struct Group: Content, Equatable {
        var niveau: String
        var niveauLibelle: String
        var voie: String
        var campus: [FigureDTO]
        var region: [FigureDTO]
        var nation: [FigureDTO]
    }

    struct Diploma: Content, Equatable {
        var cfd: String
        var regionCode: String
        var voie: String
        var origine: String?
        var quadrant: String
        var indicateurs: [FigureDTO]
    }

    struct Missing: Content, Equatable {
        var formationId: UUID
        var intitule: String
        var raison: String
    }

    var campusId: UUID
    var millesime: String
    var regionCode: String
    var indicateurs: [FigureDTO]
    var groupes: [Group]
    var diplomes: [Diploma]
    var sansChiffre: [Missing]
}

struct FormationInsertionDTO: Content, Equatable {
    struct VoieFigures: Content, Equatable {
        var voie: String
        var millesime: String
        var origine: String?
        var quadrant: String
        var indicateurs: [FigureDTO]
    }

    var formationId: UUID
    var cfd: String?
    var regionCode: String?
    var voies: [VoieFigures]
    var raison: String?
}

struct EstablishmentInsertionDTO: Content, Equatable {
    struct Line: Content, Equatable {
        var millesime: String
        var fichier: String
        var population: String
        var tauxPoursuiteEtudes: Int?
        var tauxEmploi6Mois: Int?
        var tauxEmploi6MoisAttendu: Int?
        var valeurAjoutee: Int?
        var partPoursuiteEtudes: Int?
        var partEmploi6Mois: Int?
        var partAutresSituations: Int?
    }

    var uai: String
    var libelle: String
    var lignes: [Line]
}

struct RankingDTO: Content, Equatable {
    struct Entry: Content, Equatable {
        var rang: Int?
        var campusId: UUID
        var nom: String
        var filiere: String
        var regionCode: String
        var tauxDevenirFavorable: FigureDTO
    }

    var millesime: String?
    var regionCode: String?
    var filiere: String?
    var campus: [Entry]
}

/// `/api/v1/insertion/…`: public reads of the InserJeunes figures, the statistical secret applied.
struct InsertionAPIController {
    @Sendable func campus(req: Request) async throws -> CampusInsertionDTO {
        let id = try req.uuidParameter("campusID", notFound: "Aucun campus")
        let campus = try await CampusService(db: req.db, caller: req.caller).find(id)
        let service = InsertionService(db: req.db)
        guard let latest = try await service.millesimes().first else {
            throw AppError.notFound("Aucun chiffre InserJeunes n'est chargé.")
        }
        let table = try await service.table(latest)
        let formations = try await CampusOffer(db: req.db).formations(of: campus, on: req.today)
        let consolidation = CampusConsolidation(items: CampusInsertionBlock.items(formations), table: table)
        let groups = consolidation.groups.map { group in
            CampusInsertionDTO.Group(niveau: group.niveau, niveauLibelle: InsertionLabels.niveau(group.niveau), voie: group.voie.rawValue,
                                     campus: FigureDTO.all(group.totals.figure),
                                     region: FigureDTO.all(table.total(niveau: group.niveau, regionCode: campus.regionCode, voie: group.voie).figure),
                                     nation: FigureDTO.all(table.total(niveau: group.niveau, regionCode: nil, voie: group.voie).figure))
        }
        let diplomas = consolidation.counted.sorted { ($0.key.code, $0.key.voie.rawValue) < ($1.key.code, $1.key.voie.rawValue) }.compactMap { key, origin -> CampusInsertionDTO.Diploma? in
            guard let found = table.figures(cfd: key.code, regionCode: key.regionCode, voie: key.voie) else { return nil }
            return CampusInsertionDTO.Diploma(cfd: key.code, regionCode: key.regionCode, voie: key.voie.rawValue, origine: origin.carriedFrom,
                                              quadrant: table.quadrant(of: found.counts, cfd: origin.carriedFrom ?? key.code, regionCode: key.regionCode, voie: key.voie).rawValue,
                                              indicateurs: FigureDTO.all(found.counts.figure))
        }
        let missing = consolidation.outcomes.compactMap { outcome -> CampusInsertionDTO.Missing? in
            guard case .failure(let why) = outcome.result, let formationID = formations[outcome.index].id else { return nil }
            return CampusInsertionDTO.Missing(formationId: formationID, intitule: formations[outcome.index].intitule, raison: why.reason.rawValue)
        }
        return CampusInsertionDTO(campusId: id, millesime: latest.description, regionCode: campus.regionCode,
                                  indicateurs: FigureDTO.all(consolidation.total.figure), groupes: groups, diplomes: diplomas, sansChiffre: missing)
    }

    @Sendable func formation(req: Request) async throws -> FormationInsertionDTO {
        let id = try req.uuidParameter("formationID", notFound: "Aucune formation")
        let formation = try await FormationService(db: req.db, caller: req.caller).find(id)
        let regionCode = formation.organisation.regionCode
        var dto = FormationInsertionDTO(formationId: id, cfd: formation.cfd, regionCode: regionCode, voies: [], raison: nil)
        let service = InsertionService(db: req.db)
        guard let cfd = formation.cfd, let regionCode, let latest = try await service.millesimes().first else {
            dto.raison = formation.cfd == nil ? CampusConsolidation.Missing.sansCFD.rawValue
                : regionCode == nil ? CampusConsolidation.Missing.sansRegion.rawValue : "aucun chiffre InserJeunes n'est chargé"
            return dto
        }
        let table = try await service.table(latest)
        let chosen = InsertionLabels.voies(of: formation.learnerStatuses)
        for voie in chosen.isEmpty ? Voie.allCases : chosen {
            guard let found = table.figures(cfd: cfd, regionCode: regionCode, voie: voie) else { continue }
            dto.voies.append(.init(voie: voie.rawValue, millesime: latest.description, origine: found.origin.carriedFrom,
                                   quadrant: table.quadrant(of: found.counts, cfd: found.origin.carriedFrom ?? cfd, regionCode: regionCode, voie: voie).rawValue,
                                   indicateurs: FigureDTO.all(found.counts.figure)))
        }
        if dto.voies.isEmpty { dto.raison = CampusConsolidation.Missing.absente.rawValue }
        return dto
    }

    @Sendable func etablissement(req: Request) async throws -> EstablishmentInsertionDTO {
        let raw = (req.parameters.get("uai") ?? "").uppercased()
        guard raw.count <= 20, let uai = try? UAI(raw) else {
            throw AppError.notFound("« \(raw.prefix(20)) » n'est pas une UAI (7 chiffres et une lettre de contrôle).")
        }
        let records = try await InsertionService(db: req.db).establishmentFigures(uai: uai.value)
        guard let first = records.first else {
            throw AppError.notFound("InserJeunes ne publie aucun chiffre pour l'établissement \(uai.value).")
        }
        return EstablishmentInsertionDTO(uai: uai.value, libelle: first.libelle, lignes: records.map { record in
            .init(millesime: record.millesime, fichier: record.fichier, population: record.population.rawValue,
                  tauxPoursuiteEtudes: record.tauxPoursuite, tauxEmploi6Mois: record.tauxEmploi6, tauxEmploi6MoisAttendu: record.tauxEmploi6Attendu,
                  valeurAjoutee: record.valeurAjoutee, partPoursuiteEtudes: record.partPoursuite, partEmploi6Mois: record.partEmploi6,
                  partAutresSituations: record.partAutres)
        })
    }

    @Sendable func classement(req: Request) async throws -> RankingDTO {
        var reader = QueryReader(req.queryParameters)
        let region = reader.region()
        let filiere = reader.filiere()
        try reader.finish()
        let ranked = try await InsertionRanking(db: req.db).rank(region: region, filiere: filiere, today: req.today)
        var rank = 0
        let entries = (ranked?.entries ?? []).map { entry -> RankingDTO.Entry in
            let figure = FigureDTO(entry.totals.devenirFavorable)
            if figure.statut == "publie" { rank += 1 }
            return .init(rang: figure.statut == "publie" ? rank : nil, campusId: entry.campus.id!, nom: entry.campus.nom,
                         filiere: entry.campus.filiere.slug, regionCode: entry.campus.regionCode, tauxDevenirFavorable: figure)
        }
        return RankingDTO(millesime: ranked?.millesime.description, regionCode: region?.code, filiere: filiere?.slug, campus: entries)
    }
}
