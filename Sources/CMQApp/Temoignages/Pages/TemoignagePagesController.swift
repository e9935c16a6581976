import CMQDomain
import Fluent
import Vapor

struct WithdrawalPageContext: Encodable {
    var page: PageMeta
    var titre: String
    var action: String
    var delai: Int
    var done: Bool
}

/// The testimonies' public pages.
struct TemoignagePagesController {
    @Sendable func gallery(req: Request) async throws -> View {
        try await req.view.render("temoignages/galerie", try await TemoignageGallery.context(req))
    }

    @Sendable func page(req: Request) async throws -> View {
        try await req.view.render("temoignages/temoignage", try await TemoignageGallery.page(req))
    }

    /// The private withdrawal link: what withdrawing does, and the button.
    @Sendable func withdrawalForm(req: Request) async throws -> View {
        let token = try req.parameters.require("jeton")
        let record = try await Self.record(token: token, on: req.db)
        return try await req.view.render("temoignages/retrait", WithdrawalPageContext(
            page: PageMeta(title: "Retirer votre consentement", section: "temoignages"), titre: record.titre,
            action: TemoignagesURL.withdrawal(token).path, delai: req.application.cmqConfig.temoignageDeletionDays,
            done: record.etat == .retire || req.query[String.self, at: "fait"] == "1"))
    }

    @Sendable func withdraw(req: Request) async throws -> Response {
        let token = try req.parameters.require("jeton")
        let motif = try? req.content.get(String.self, at: "motif")
        guard (motif?.count ?? 0) <= 500 else { throw AppError.validation([FieldError("motif", "La précision compte 500 caractères au plus.")]) }
        _ = try await TemoignageService.withdrawByLink(token: token, motif: motif?.trimmingCharacters(in: .whitespacesAndNewlines), db: req.db, clock: req.application.clock)
        return req.redirect(to: TemoignagesURL.withdrawal(token).path(query: ["fait": "1"]), redirectType: .normal)
    }

    static func record(token: String, on db: any Database) async throws -> TemoignageRecord {
        guard token.count == 64, token.allSatisfy(\.isHexDigit),
              let record = try await TemoignageRecord.query(on: db).filter(\.$jetonRetrait == TemoignageService.hash(token)).first() else {
            throw AppError.notFound("Ce lien de retrait n'est pas valide.")
        }
        return record
    }
}
