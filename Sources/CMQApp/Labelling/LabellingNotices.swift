import CMQDomain
import Fluent
import Foundation

/// Who is told about a dossier: the body whose step it reaches (the CAEN of the campus's académie, the CREFOP of
/// its région, the national bodies), and, at the decision, the campus team and the région académique. Called in
/// the transaction of the change.
struct LabellingNotices {
    let db: any Database
    let caller: Caller

    func changed(_ loaded: LabellingService.Loaded, event: LabellingEvent, stepsBefore: Set<String>) async throws {
        let campus = loaded.campus
        let dossierID = try loaded.record.requireID()
        let path = LabellingURL.dossier(dossierID).path
        let notifier = Notifier(db: db, caller: caller)
        for step in loaded.dossier.currentSteps where !stepsBefore.contains(step.code) {
            guard let instance = step.kind.instance else { continue }
            try await notifier.notify(try await Self.accounts(of: instance, campus: campus, on: db), .init(
                kind: .dossierStep, title: "Dossier à examiner : \(campus.nom)",
                text: "Le dossier de labellisation du campus « \(campus.nom) » attend maintenant l'étape « \(step.libelle) ».",
                path: path))
        }
        if case .decision(let decision) = event {
            let text: String
            if let period = decision.labelPeriod {
                text = "Le campus « \(campus.nom) » est labellisé\(period.excellence ? " avec la mention Excellence" : "") pour \(period.durationYears) an\(period.durationYears > 1 ? "s" : ""), jusqu'au \(period.end.frenchLong)."
            } else {
                text = "La décision sur le dossier de labellisation du campus « \(campus.nom) » est rendue : le label n'est pas accordé."
            }
            let campusID = try campus.requireID()
            let region = try await User.query(on: db).filter(\.$role == .regionAcademique).filter(\.$regionCode == campus.regionCode).all(\.$id)
            try await notifier.notify(try await Notifier.team(ofCampus: campusID, on: db) + region.compactMap { $0 }, .init(
                kind: .decision, title: "Décision de labellisation : \(campus.nom)", text: text, path: path))
        }
    }

    /// The accounts of a body for a campus: its académie's CAEN, its région's CREFOP, the national bodies.
    static func accounts(of instance: Instance, campus: Campus, on db: any Database) async throws -> [UUID] {
        let query = User.query(on: db).filter(\.$role == .instance).filter(\.$instance == instance)
        switch instance.territory {
        case .academie: query.filter(\.$academieCode == campus.academieCode)
        case .region: query.filter(\.$regionCode == campus.regionCode)
        case .national: break
        }
        return try await query.all(\.$id).compactMap { $0 }
    }
}
