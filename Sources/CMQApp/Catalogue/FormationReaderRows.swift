import CMQDomain
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation

/// The cells of one row of `FormationReader.Column`'s select list, read by position; nil for NULL, an error for a
/// value of another type.
protocol FormationCells {
    func uuid(_ column: FormationReader.Column) throws -> UUID?
    func string(_ column: FormationReader.Column) throws -> String?
    func int(_ column: FormationReader.Column) throws -> Int?
    func double(_ column: FormationReader.Column) throws -> Double?
    func bool(_ column: FormationReader.Column) throws -> Bool?
    func date(_ column: FormationReader.Column) throws -> Date?
}

/// A column of a formation's row whose value is missing or not of its type.
struct FormationCellError: Error, CustomStringConvertible {
    let column: FormationReader.Column
    var description: String { "La colonne \(column) d'une formation lue n'a pas la valeur attendue." }
}

extension FormationReader {
    /// One formation as the select list reads it.
    struct Row: Sendable {
        var id: UUID
        var intitule: String
        var organisationID: UUID
        var responsableID: UUID?
        var filiere, typeDiplome: String?
        var niveauEntree: Int?
        var niveauSortie: Int
        var cfd, rncp, duree: String?
        var capacite: Int?
        var modalite: String
        var datesDebut, description, lien: String?
        var creeLe, modifieLe: Date?
        var statutsMasque: Int
        var organisationNom, organisationType: String
        var organisationPublic: Bool
        var organisationUAI, organisationSIRET, organisationCommune, organisationDepartement: String?
        var organisationLatitude, organisationLongitude: Double?
        var romes: String?

        init(_ cells: some FormationCells) throws {
            func required<T>(_ value: T?, _ column: Column) throws -> T {
                guard let value else { throw FormationCellError(column: column) }
                return value
            }
            id = try required(cells.uuid(.id), .id)
            intitule = try required(cells.string(.intitule), .intitule)
            organisationID = try required(cells.uuid(.organisationID), .organisationID)
            responsableID = try cells.uuid(.responsableID)
            filiere = try cells.string(.filiere)
            typeDiplome = try cells.string(.typeDiplome)
            niveauEntree = try cells.int(.niveauEntree)
            niveauSortie = try required(cells.int(.niveauSortie), .niveauSortie)
            cfd = try cells.string(.cfd)
            rncp = try cells.string(.rncp)
            duree = try cells.string(.duree)
            capacite = try cells.int(.capacite)
            modalite = try required(cells.string(.modalite), .modalite)
            datesDebut = try cells.string(.datesDebut)
            description = try cells.string(.description)
            lien = try cells.string(.lien)
            creeLe = try cells.date(.creeLe)
            modifieLe = try cells.date(.modifieLe)
            statutsMasque = try required(cells.int(.statutsMasque), .statutsMasque)
            organisationNom = try required(cells.string(.organisationNom), .organisationNom)
            organisationType = try required(cells.string(.organisationType), .organisationType)
            organisationPublic = try required(cells.bool(.organisationPublic), .organisationPublic)
            organisationUAI = try cells.string(.organisationUAI)
            organisationSIRET = try cells.string(.organisationSIRET)
            organisationCommune = try cells.string(.organisationCommune)
            organisationDepartement = try cells.string(.organisationDepartement)
            organisationLatitude = try cells.double(.organisationLatitude)
            organisationLongitude = try cells.double(.organisationLongitude)
            romes = try cells.string(.romes)
        }

        /// The formation as shown.
        var item: Item {
            let dto = FormationDTO(
                id: id, intitule: intitule,
                organisation: MembershipOrganisationDTO(id: organisationID, nom: organisationNom, type: organisationType,
                                                        typeLibelle: OrganisationKind(rawValue: organisationType)?.label ?? organisationType,
                                                        public: organisationPublic, uai: organisationUAI, siret: organisationSIRET,
                                                        commune: organisationCommune),
                organisationResponsableId: responsableID, filiere: filiere, typeDiplome: typeDiplome,
                typeDiplomeLibelle: typeDiplome.flatMap(DiplomaType.init(rawValue:))?.label,
                niveauEntree: niveauEntree, niveauSortie: niveauSortie, niveauSortieLibelle: Level(number: niveauSortie)?.label ?? "",
                cfd: cfd, rncp: rncp, romes: FormationReader.romes(romes), duree: duree,
                statuts: FormationReader.statuses(mask: statutsMasque).map(\.rawValue), capacite: capacite, modalite: modalite,
                datesDebut: datesDebut?.split(separator: ",").map(String.init) ?? [], description: description, lien: lien,
                creeLe: creeLe, modifieLe: modifieLe)
            var point: GeoPoint?
            if let organisationLatitude, let organisationLongitude {
                point = GeoPoint(latitude: organisationLatitude, longitude: organisationLongitude)
            }
            return Item(dto: dto, commune: organisationCommune, departementCode: organisationDepartement, point: point)
        }
    }
}

// MARK: PostgreSQL

/// A statement of the formation reader, prepared once per connection of the pool. PostgreSQL plans it anew at each
/// execution until a plan without the values costs no more than the plans with them: after five executions for
/// `f.id = $1` and for lists of a search's page, never for `= ANY` of a single id (whose generic plan it costs as a
/// list of ten). Hence two statements, checked on `pg_prepared_statements` in `CatalogueExportTests.readerStatement`.
protocol FormationReaderStatement: PostgresPreparedStatement where Row == FormationReader.Row {}

/// One formation: `f.id = $1`.
struct PostgresFormationCard: FormationReaderStatement {
    static let name = "cmq_formation_card"
    static let sql = FormationReader.select(postgres: true) + "= $1"
    static let bindingDataTypes: [PostgresDataType] = [.uuid]

    let id: UUID

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(id)
        return bindings
    }
}

/// The formations of several ids: `f.id = ANY($1)`.
struct PostgresFormationCards: FormationReaderStatement {
    static let name = "cmq_formation_cards"
    static let sql = FormationReader.select(postgres: true) + "= ANY($1)"
    static let bindingDataTypes: [PostgresDataType] = [.uuidArray]

    let ids: [UUID]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(ids)
        return bindings
    }
}

extension FormationReaderStatement {
    func decodeRow(_ row: PostgresRow) throws -> FormationReader.Row {
        try FormationReader.Row(PostgresFormationCells(row: row.makeRandomAccess()))
    }

    func rows(on database: any PostgresDatabase) async throws -> [FormationReader.Row] {
        try await database.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                var rows: [FormationReader.Row] = []
                for try await row in try await connection.execute(self, logger: connection.logger) {
                    rows.append(row)
                }
                return rows
            }
        }.get()
    }
}

/// The cells of a PostgreSQL row, by position.
private struct PostgresFormationCells: FormationCells {
    let row: PostgresRandomAccessRow

    private func value<T: PostgresDecodable>(_ column: FormationReader.Column, as: T.Type) throws -> T? {
        let cell = row[column.rawValue]
        guard cell.bytes != nil else { return nil }
        do {
            return try cell.decode(T.self, context: .default)
        } catch {
            throw FormationCellError(column: column)
        }
    }

    func uuid(_ column: FormationReader.Column) throws -> UUID? { try value(column, as: UUID.self) }
    func string(_ column: FormationReader.Column) throws -> String? { try value(column, as: String.self) }
    func int(_ column: FormationReader.Column) throws -> Int? { try value(column, as: Int.self) }
    func double(_ column: FormationReader.Column) throws -> Double? { try value(column, as: Double.self) }
    func bool(_ column: FormationReader.Column) throws -> Bool? { try value(column, as: Bool.self) }
    func date(_ column: FormationReader.Column) throws -> Date? { try value(column, as: Date.self) }
}

// MARK: SQLite

/// The formations of some ids, the rows collected on the driver's thread and read by position. Identifiers are
/// stored as text (as Fluent writes them), dates as seconds since 1970.
enum SQLiteFormationCards {
    private static let select = FormationReader.select(postgres: false)

    static func rows(_ ids: [UUID], on database: any SQLiteDatabase) async throws -> [FormationReader.Row] {
        let query = select + "IN (" + repeatElement("?", count: ids.count).joined(separator: ", ") + ")"
        let binds = ids.map { SQLiteData.text($0.uuidString) }
        let found = try await database.withConnection { connection in try await connection.query(query, binds) }
        return try found.map { try FormationReader.Row(Cells(data: $0.columns.map(\.data))) }
    }

    /// A row's values, in the order of the select list (also `SQLiteFormationReads`'s).
    struct Cells: FormationCells {
        let data: [SQLiteData]

        private func value<T: SQLiteDataConvertible>(_ column: FormationReader.Column, as: T.Type) throws -> T? {
            let data = self.data[column.rawValue]
            if data == .null { return nil }
            guard let value = T(sqliteData: data) else { throw FormationCellError(column: column) }
            return value
        }

        func uuid(_ column: FormationReader.Column) throws -> UUID? {
            guard let text = try value(column, as: String.self) else { return nil }
            guard let id = UUID(canonical: text) else { throw FormationCellError(column: column) }
            return id
        }
        func string(_ column: FormationReader.Column) throws -> String? { try value(column, as: String.self) }
        func int(_ column: FormationReader.Column) throws -> Int? { try value(column, as: Int.self) }
        func double(_ column: FormationReader.Column) throws -> Double? { try value(column, as: Double.self) }
        func bool(_ column: FormationReader.Column) throws -> Bool? { try value(column, as: Bool.self) }
        func date(_ column: FormationReader.Column) throws -> Date? { try value(column, as: Date.self) }
    }
}
