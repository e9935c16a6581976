import CMQDomain
import Fluent
import Foundation

/// Writes formation records (from cmq's CSV, ONISEP's Idéo CSV or LHEO XML) through the formation service:
/// every record is checked as the API checks a body, organisations are found by UAI or SIRET, a record
/// whose identifier exists updates that formation. All or nothing unless asked otherwise.
struct FormationImporter {
    let db: any Database
    let caller: Caller

    struct Report: Equatable, Sendable {
        var created = 0
        var updated = 0
        var rejected: [LineError] = []
        var applied = false

        var summary: String {
            if !applied {
                return "Import annulé : \(rejected.count) formation(s) rejetée(s), aucune modification enregistrée."
            }
            return "Import terminé : \(created) formation(s) créée(s), \(updated) mise(s) à jour, \(rejected.count) rejetée(s)."
        }
    }

    /// - Parameters:
    ///   - parseErrors: the lines the file reader could not turn into records.
    func run(_ records: [FormationRecord], parseErrors: [LineError] = [], skipInvalid: Bool = false,
             progress: any ProgressReporter = SilentProgress()) async throws -> Report {
        var report = Report(rejected: parseErrors)

        // The organisations named by the records.
        let keys = Set(records.flatMap { [$0.organisation, $0.responsable].compactMap { $0 } })
        let organisations = try await resolve(keys)
        // The national diplomas named by CFD, to fill in a title, a type or a level left out.
        let cfds = Set(records.compactMap { $0.cfd.flatMap { try? CFD($0).value } })
        var diplomas: [String: DiplomeReferenceDTO] = [:]
        for cfd in cfds { diplomas[cfd] = try await ReferenceLookup(db: db).diplome(cfd: cfd) }

        var checked: [(record: FormationRecord, input: FormationInput)] = []
        for var record in records {
            func reject(_ reason: String) { report.rejected.append(record.error(reason)) }
            guard let key = record.organisation else {
                reject("organisation : ni UAI ni SIRET n'indique l'organisation qui donne la formation.")
                continue
            }
            guard let organisationID = organisations[key] else {
                reject("organisation : aucune organisation n'a \(key).")
                continue
            }
            var responsableID: UUID?
            if let key = record.responsable {
                guard let id = organisations[key] else {
                    reject("organisation responsable : aucune organisation n'a \(key).")
                    continue
                }
                responsableID = id == organisationID ? nil : id
            }
            if let cfd = record.cfd.flatMap({ try? CFD($0).value }), let diploma = diplomas[cfd] {
                if record.intitule == nil { record.intitule = "\(diploma.sigle) \(diploma.intitule)" }
                if record.typeDiplome == nil { record.typeDiplome = diploma.typeDiplome }
                if record.niveauSortie == nil, record.typeDiplome == nil { record.niveauSortie = String(diploma.niveau) }
                if record.rncp == nil { record.rncp = diploma.rncp }
            }
            var reader = InputReader(form: record.form(organisationID: organisationID, responsableID: responsableID), mode: .create)
            let input = FormationInput.read(&reader)
            if reader.hasErrors {
                reject(reader.errors.map { "\($0.field) : \($0.detail)" }.joined(separator: " ; "))
                continue
            }
            checked.append((record, input))
        }
        report.rejected.sort { $0.line < $1.line }
        guard report.rejected.isEmpty || skipInvalid else { return report }

        let existing = Set(try await existingIDs(checked.compactMap(\.record.identifiant)))
        let work = checked
        let (created, updated) = try await db.transaction { db -> (Int, Int) in
            let service = FormationService(db: db, caller: caller)
            var created = 0, updated = 0
            for (index, item) in work.enumerated() {
                if let id = item.record.identifiant, existing.contains(id) {
                    _ = try await service.update(id, item.input)
                    updated += 1
                } else {
                    _ = try await service.create(item.input, id: item.record.identifiant)
                    created += 1
                }
                progress.step("Formations", done: index + 1, total: work.count)
            }
            return (created, updated)
        }
        report.created = created
        report.updated = updated
        report.applied = true
        return report
    }

    private func resolve(_ keys: Set<FormationRecord.OrganisationKey>) async throws -> [FormationRecord.OrganisationKey: UUID] {
        var result: [FormationRecord.OrganisationKey: UUID] = [:]
        var uais: [String: FormationRecord.OrganisationKey] = [:], sirets: [String: FormationRecord.OrganisationKey] = [:]
        for key in keys {
            switch key {
            case .uai(let raw): if let uai = try? UAI(raw) { uais[uai.value] = key }
            case .siret(let raw): if let siret = try? SIRET(raw) { sirets[siret.value] = key }
            case .id: break
            }
        }
        for chunk in Array(uais.keys).chunked(500) {
            for organisation in try await Organisation.query(on: db).filter(\.$uai ~~ chunk).all() {
                if let uai = organisation.uai, let key = uais[uai] { result[key] = organisation.id }
            }
        }
        for chunk in Array(sirets.keys).chunked(500) {
            for organisation in try await Organisation.query(on: db).filter(\.$siret ~~ chunk).all() {
                if let siret = organisation.siret, let key = sirets[siret] { result[key] = organisation.id }
            }
        }
        let ids = keys.compactMap { if case .id(let id) = $0 { id } else { nil } }
        for chunk in ids.chunked(500) {
            for id in try await Organisation.query(on: db).filter(\.$id ~~ chunk).all(\.$id) { result[.id(id)] = id }
        }
        return result
    }

    private func existingIDs(_ ids: [UUID]) async throws -> [UUID] {
        var found: [UUID] = []
        for chunk in ids.chunked(500) {
            found += try await Formation.query(on: db).filter(\.$id ~~ chunk).all(\.$id)
        }
        return found
    }
}

extension Array {
    /// The array cut into pieces of at most `size` elements.
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
