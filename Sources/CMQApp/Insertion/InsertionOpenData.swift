import CMQDomain
import Fluent
import Foundation

extension OpenDataset {
    /// The figures of each campus, as its page shows them: consolidated over its diplomas (sums, then threshold),
    /// latest millésime. A figure under the statistical secret has an empty value and the status that says why.
    static let insertionCampus: OpenDataset = {
        let kinds: [(Figure.Kind, String, String)] = [
            (.devenirFavorable, "taux_devenir_favorable", "Taux de devenir favorable"),
            (.tauxPoursuite, "taux_poursuite_etudes", "Taux de poursuite d'études"),
            (.tauxEmploi(mois: 6), "taux_emploi_6_mois", "Taux d'emploi à 6 mois"),
            (.tauxEmploi(mois: 12), "taux_emploi_12_mois", "Taux d'emploi à 12 mois"),
            (.partEmploi(mois: 6), "part_emploi_6_mois", "Part en emploi à 6 mois"),
        ]
        let statuses = ["publie", "effectif_insuffisant", "non_disponible"]
        var fields = [
            DatasetField("id", .string, "Campus (identifiant)", "Identifiant du campus dans cmq.", required: true, unique: true,
                         pattern: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
            DatasetField("campus", .string, "Campus", "Nom du campus.", required: true),
            DatasetField("filiere", .string, "Filière (code)", "Code de la filière du campus.", required: true, values: Filiere.allCases.map(\.slug)),
            DatasetField("region_code", .string, "Région académique (code)", "Code de la région académique du campus.", required: true),
            DatasetField("millesime", .string, "Millésime", "Millésime InserJeunes (deux années de sortants, AAAA_AAAA) ; vide sans chiffre chargé.", pattern: "[0-9]{4}_[0-9]{4}"),
            DatasetField("diplomes", .integer, "Diplômes comptés", "Nombre de diplômes (par région et voie) dont les effectifs sont additionnés.", required: true, minimum: 0),
        ]
        for (_, name, title) in kinds {
            fields.append(DatasetField(name, .integer, "\(title) (%)", "\(title), en pour cent, arrondi ; vide quand il n'est pas publié.", minimum: 0, maximum: 100))
            fields.append(DatasetField("\(name)_denominateur", .integer, "\(title) : dénominateur", "Effectif au dénominateur quand le taux est publié (au moins \(StatisticalSecret.threshold)).",
                                       minimum: Double(StatisticalSecret.threshold)))
            fields.append(DatasetField("\(name)_statut", .string, "\(title) : statut", "publie ; effectif_insuffisant (dénominateur inférieur à \(StatisticalSecret.threshold)) ; non_disponible.",
                                       required: true, values: statuses))
        }
        return OpenDataset(
            slug: "insertion-campus", title: "Insertion et poursuite d'études par campus (InserJeunes)",
            description: "Pour chaque campus, les indicateurs InserJeunes du dernier millésime consolidés sur les diplômes de ses membres : "
                + "effectifs additionnés diplôme par diplôme (une fois par région et par voie), puis secret statistique (au moins \(StatisticalSecret.threshold) jeunes au dénominateur). "
                + "Sources : InserJeunes par région et formation (DEPP, DARES), BCN.",
            keywords: ["insertion professionnelle", "InserJeunes", "poursuite d'études", "campus des métiers et des qualifications"],
            fields: fields, hasPlace: false,
            page: { db, after, limit, today in
                let query = Campus.query(on: db).sort(\.$id).limit(limit)
                if let after { query.filter(\.$id > after) }
                let campuses = try await query.all()
                guard !campuses.isEmpty else { return [] }
                let service = InsertionService(db: db)
                var table: InsertionTable? = nil
                if let latest = try await service.millesimes().first { table = try await service.table(latest) }
                var rows: [DatasetRow] = []
                for campus in campuses {
                    var totals = FigureTotals()
                    var counted = 0
                    if let table {
                        let consolidation = CampusConsolidation(items: CampusInsertionBlock.items(try await CampusOffer(db: db).formations(of: campus, on: today)), table: table)
                        totals = consolidation.total
                        counted = consolidation.counted.count
                    }
                    var cells: [DatasetCell] = [.text(campus.id!.uuidString.lowercased()), .text(campus.nom), .text(campus.filiere.slug),
                                                .text(campus.regionCode), .text(table?.millesime.description), .integer(counted)]
                    for (kind, _, _) in kinds {
                        let dto = FigureDTO(totals.figure(kind))
                        cells += [.integer(dto.valeur), .integer(dto.denominateur), .text(dto.statut)]
                    }
                    rows.append(DatasetRow(key: campus.id!, cells: cells))
                }
                return rows
            },
            stamp: { db in
                let campuses = try await Campus.query(on: db).count()
                let service = InsertionService(db: db)
                var signature: [Int] = []
                if let latest = try await service.millesimes().first { signature = try await service.signature(of: latest) }
                let offer = try await Formation.visible(on: db).count() + (try await CampusFormation.query(on: db).count()) + (try await Membership.query(on: db).count())
                let modified = try await Campus.query(on: db).max(\.$updatedAt)
                return DatasetStamp(count: campuses * 1_000_000 + offer * 100 + signature.reduce(0) { ($0 &* 31 &+ $1) % 97 }, modified: modified, day: CalendarDay.today.iso)
            })
    }()
}
