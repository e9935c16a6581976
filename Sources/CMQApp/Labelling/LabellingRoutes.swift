import Vapor

/// Labelling: the dossiers' pages in the back-office, the withdrawal of a label; the API of dossiers, labels
/// (open data) and référentiels.
struct LabellingRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        typealias U = LabellingURL
        let gestion = doors.signedIn(routes)
        let dossiers = DossierPagesController()
        gestion.get(U.dossiers, use: dossiers.list)
        gestion.get(U.dossiersCSV, use: dossiers.csv)
        gestion.post(U.dossiers, use: dossiers.open)
        gestion.get(U.dossier(nil), use: dossiers.page)
        gestion.post(U.dossierStep(nil, .sections), use: dossiers.saveSections)
        gestion.post(U.dossierStep(nil, .depot), use: dossiers.deposit)
        gestion.post(U.dossierStep(nil, .avis), use: dossiers.giveOpinion)
        gestion.post(U.dossierStep(nil, .notes), use: dossiers.score)
        gestion.post(U.dossierStep(nil, .decision), use: dossiers.decide)
        gestion.post(U.dossierStep(nil, .abandon), use: dossiers.abandon)
        gestion.post(U.pieces(nil), body: .collect(maxSize: "21mb"), use: dossiers.upload)
        gestion.post(U.pieceRemoval(dossier: nil, piece: nil), use: dossiers.removePiece)
        gestion.post(U.labelWithdrawal(nil), use: dossiers.withdraw)

        let api = doors.api(routes)
        let labelling = LabellingAPIController()
        api.get(U.apiReferentiels, use: labelling.referentiels)
        api.get(U.apiDossiers, use: labelling.list)
        api.post(U.apiDossiers, use: labelling.create)
        api.get(U.apiDossier(nil), use: labelling.get)
        api.patch(U.apiDossier(nil), use: labelling.update)
        api.post(U.apiDeposit(nil), use: labelling.deposit)
        api.get(U.apiOpinions(nil), use: labelling.opinions)
        api.post(U.apiOpinions(nil), use: labelling.giveOpinion)
        api.get(U.apiEvaluations(nil), use: labelling.evaluations)
        api.post(U.apiEvaluations(nil), use: labelling.score)
        api.post(U.apiDecision(nil), use: labelling.decide)
        api.post(U.apiAbandon(nil), use: labelling.abandon)
        api.get(U.apiHistory(nil), use: labelling.history)
        api.post(U.apiPieces(nil), body: .collect(maxSize: "21mb"), use: labelling.attach)
        api.get(U.apiPiece(dossier: nil, piece: nil), use: labelling.download)
        api.delete(U.apiPiece(dossier: nil, piece: nil), use: labelling.detach)
        api.get(U.apiLabels, use: labelling.listLabels)
        api.get(U.apiLabelsCSV, use: labelling.labelsCSV)
        api.get(U.apiLabelsJSON, use: labelling.listLabels)
        api.post(U.apiLabelWithdrawal(nil), use: labelling.withdraw)
    }
}
