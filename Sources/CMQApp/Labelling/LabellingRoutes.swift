import Vapor

/// Labelling: the dossiers' pages in the back-office, the withdrawal of a label; the API of dossiers, labels
/// (open data) and référentiels.
struct LabellingRoutes: RouteCollection {
    let doors: RouteDoors

    func boot(routes: any RoutesBuilder) throws {
        let gestion = doors.gestion(routes)
        let dossiers = DossierPagesController()
        gestion.get("dossiers", use: dossiers.list)
        gestion.post("dossiers", use: dossiers.open)
        gestion.get("dossiers", ":dossierID", use: dossiers.page)
        gestion.post("dossiers", ":dossierID", "sections", use: dossiers.saveSections)
        gestion.post("dossiers", ":dossierID", "depot", use: dossiers.deposit)
        gestion.post("dossiers", ":dossierID", "avis", use: dossiers.giveOpinion)
        gestion.post("dossiers", ":dossierID", "notes", use: dossiers.score)
        gestion.post("dossiers", ":dossierID", "decision", use: dossiers.decide)
        gestion.post("dossiers", ":dossierID", "abandon", use: dossiers.abandon)
        gestion.on(.POST, "dossiers", ":dossierID", "pieces", body: .collect(maxSize: "21mb"), use: dossiers.upload)
        gestion.post("dossiers", ":dossierID", "pieces", ":pieceID", "retirer", use: dossiers.removePiece)
        gestion.post("labels", ":labelID", "retrait", use: dossiers.withdraw)

        let api = doors.api(routes)
        let labelling = LabellingAPIController()
        api.get("referentiels", "labellisation", use: labelling.referentiels)
        api.get("dossiers", use: labelling.list)
        api.post("dossiers", use: labelling.create)
        api.get("dossiers", ":dossierID", use: labelling.get)
        api.patch("dossiers", ":dossierID", use: labelling.update)
        api.post("dossiers", ":dossierID", "depot", use: labelling.deposit)
        api.get("dossiers", ":dossierID", "avis", use: labelling.opinions)
        api.post("dossiers", ":dossierID", "avis", use: labelling.giveOpinion)
        api.get("dossiers", ":dossierID", "evaluations", use: labelling.evaluations)
        api.post("dossiers", ":dossierID", "evaluations", use: labelling.score)
        api.post("dossiers", ":dossierID", "decision", use: labelling.decide)
        api.post("dossiers", ":dossierID", "abandon", use: labelling.abandon)
        api.get("dossiers", ":dossierID", "historique", use: labelling.history)
        api.on(.POST, "dossiers", ":dossierID", "pieces", body: .collect(maxSize: "21mb"), use: labelling.attach)
        api.get("dossiers", ":dossierID", "pieces", ":pieceID", use: labelling.download)
        api.delete("dossiers", ":dossierID", "pieces", ":pieceID", use: labelling.detach)
        api.get("labels", use: labelling.listLabels)
        api.get("labels.csv", use: labelling.labelsCSV)
        api.get("labels.json", use: labelling.listLabels)
        api.post("labels", ":labelID", "retrait", use: labelling.withdraw)
    }
}
