import CMQDomain
import Fluent
import Foundation
import NIOPosix

/// "Ma réussite pro" in the demo: the four generated clips of `Data/demo/temoignages/` (their pages say they are demo
/// content), on the first campus with a member organisation: two published (an adult; a minor with both parents'
/// consents), one waiting because a parent's consent is missing (not publishable), one refused in moderation.
/// Everything goes through `TemoignageService`, as the API would.
struct DemoTemoignages {
    let db: any Database
    let clock: AppClock

    struct Spec {
        var clip: String
        var extension_: String
        var titre: String
        var prenom: String
        var texte: String
        var age: String
        var holders: Int
        var consents: [ConsentRole]
        var decision: TemoignageService.Decision?
        var poster = false
    }

    static let specs: [Spec] = [
        Spec(clip: "soudure-lea", extension_: "webm", titre: "Du CAP au bac pro soudage", prenom: "Léa",
             texte: "Léa a choisi la soudure après un stage de troisième. Elle prépare aujourd'hui un bac pro en alternance.",
             age: "majeur", holders: 0, consents: [.personne], decision: .publish(note: nil), poster: true),
        Spec(clip: "cuisine-yanis", extension_: "mp4", titre: "Apprenti cuisinier, et fier de l'être", prenom: "Yanis",
             texte: "Yanis raconte son apprentissage en CAP cuisine et ce que lui apprend chaque service.",
             age: "mineur", holders: 2, consents: [.personne, .representant1, .representant2], decision: .publish(note: nil)),
        Spec(clip: "maintenance-ines", extension_: "webm", titre: "La maintenance, un métier d'avenir", prenom: "Inès",
             texte: "Inès explique pourquoi elle a poursuivi en BTS après son bac pro.",
             age: "mineur", holders: 2, consents: [.personne, .representant1], decision: nil),
        Spec(clip: "logistique-hugo", extension_: "mp4", titre: "Chef d'équipe à 24 ans", prenom: "Hugo",
             texte: "Hugo, ancien élève de bac pro logistique, encadre aujourd'hui une équipe.",
             age: "majeur", holders: 0, consents: [.personne],
             decision: .refuse(motif: "Le nom de l'entreprise apparaît à l'image : merci de flouter le logo.", note: "Démonstration d'un refus.")),
    ]

    func load() async throws -> Int {
        var campusWithMember: (Campus, UUID)?
        for campus in try await Campus.query(on: db).sort(\.$nom).all() {
            if let member = try await Membership.query(on: db).filter(\.$campus.$id == campus.requireID()).first() {
                campusWithMember = (campus, member.$organisation.id)
                break
            }
        }
        guard let (campus, organisation) = campusWithMember else { return 0 }
        var caller = Caller(actor: nil, author: AuditAuthor(userID: nil, label: "cmq demo (ligne de commande)", displayName: TemoignageService.demoAuthor),
                            isOperator: true, clock: clock)
        caller.notifies = false
        let service = TemoignageService(db: db, caller: caller)
        let pool = NIOThreadPool.singleton
        let given = clock.today.adding(days: -20)
        for spec in Self.specs {
            let input = TemoignageInput(campusID: try campus.requireID(), titre: spec.titre, prenom: spec.prenom, texte: spec.texte, formationID: nil,
                                        etablissementID: organisation, categorie: nil, age: spec.age, dateNaissance: nil, titulairesAutorite: spec.holders)
            let id = try await service.submit(input).0.id
            _ = try await service.attachVideo(id, try Self.file("\(spec.clip).\(spec.extension_)"), pool: pool)
            _ = try await service.attachCaptions(id, try Self.file("\(spec.clip).vtt"), pool: pool)
            if spec.poster { _ = try await service.attachPoster(id, try Self.file("\(spec.clip).png"), pool: pool) }
            for role in spec.consents {
                let consent = ConsentInput(role: role, donneLe: given, portees: [.publication, .concours], expireLe: nil,
                                           courriel: "consentement.\(spec.clip)@exemple.fr")
                _ = try await service.recordConsent(id, consent, proof: nil, pool: pool)
            }
            if let decision = spec.decision { _ = try await service.moderate(id, decision) }
        }
        return Self.specs.count
    }

    /// A shipped clip, read in place (never removed: it is not a temporary upload).
    static func file(_ name: String) throws -> SpooledUpload {
        let path = Resources.dataURL("demo/temoignages/\(name)").path
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber
        return SpooledUpload(path: path, size: size?.uint64Value ?? 0)
    }
}
