import CMQDomain
import Fluent
import Foundation

/// The label status of campuses (en projet, dossier en instruction, labellisé jusqu'au …, Excellence, expiré,
/// retiré), from their labels and their open dossier, on a given day.
struct CampusLabels {
    let db: any Database

    /// The status of every campus that has a label or a dossier; the others are "en projet".
    func statuses(on today: CalendarDay) async throws -> [UUID: LabelStatus] {
        var periods: [UUID: [LabelPeriod]] = [:]
        for label in try await LabelRecord.query(on: db).all() {
            if let period = label.period { periods[label.$campus.id, default: []].append(period) }
        }
        var open: [UUID: DossierStatus] = [:]
        for dossier in try await DossierRecord.query(on: db).filter(\.$statut ~~ DossierRecord.openStatuses).all() {
            open[dossier.$campus.id] = dossier.openStatus
        }
        var result: [UUID: LabelStatus] = [:]
        for campus in Set(periods.keys).union(open.keys) {
            result[campus] = LabelStatus.of(labels: periods[campus] ?? [], openDossier: open[campus], on: today)
        }
        return result
    }

    func status(of campusID: UUID, on today: CalendarDay) async throws -> LabelStatus {
        let periods = try await LabelRecord.query(on: db).filter(\.$campus.$id == campusID).all().compactMap(\.period)
        let dossier = try await DossierRecord.query(on: db).filter(\.$campus.$id == campusID).filter(\.$statut ~~ DossierRecord.openStatuses).first()
        return LabelStatus.of(labels: periods, openDossier: dossier?.openStatus, on: today)
    }

    /// The campuses whose status is of that kind.
    func campuses(withStatus kind: LabelStatus.Kind, on today: CalendarDay) async throws -> [UUID] {
        let statuses = try await statuses(on: today)
        if kind == .enProjet {
            let all = try await Campus.query(on: db).all(\.$id)
            return all.filter { (statuses[$0] ?? .enProjet).kind == .enProjet }
        }
        return statuses.filter { $0.value.kind == kind }.map(\.key)
    }
}
