import CMQDomain
import Fluent
import Vapor

/// One demo account per role, so that each role can be tried. Passwords are random and printed once at
/// creation (or all taken from `CMQ_DEMO_PASSWORD`); none is written in the code.
enum DemoAccounts {
    struct Created: Sendable {
        var email: String
        var role: Role
        var password: String
    }

    static func create(on db: any Database, passwords: AsyncPasswordHasher, fixedPassword: String?) async throws -> [Created] {
        let campus = try await Campus.query(on: db).filter(\.$nom == "Métallurgie et plasturgie").first()
        let condorcet = try await Organisation.query(on: db).filter(\.$uai == "0020079A").first()
        let service = UserService(db: db, passwords: passwords, caller: .demo())
        // The CAEN account is the académie d'Amiens's (code 20): it gives its opinion on that académie's dossiers only.
        let plan: [(String, String, Role, String?, UUID?, UUID?, Instance?)] = [
            ("administrateur@cmq.test", "Administration nationale (démo)", .administrateurNational, nil, nil, nil, nil),
            ("region.hauts-de-france@cmq.test", "Région académique Hauts-de-France (démo)", .regionAcademique, "32", nil, nil, nil),
            ("equipe.metallurgie@cmq.test", "Équipe du campus Métallurgie et plasturgie (démo)", .equipeCampus, nil, campus?.id, nil, nil),
            ("membre.condorcet@cmq.test", "Lycée Condorcet de Saint-Quentin (démo)", .membre, nil, nil, condorcet?.id, nil),
            ("caen.amiens@cmq.test", "CAEN de l'académie d'Amiens (démo)", .instance, nil, nil, nil, .caen),
            // The contest's jurors (teachers of a member lycée): their seats are data of each edition (DemoConcours).
            (DemoConcours.academieJuror, "Juré académique du concours (démo)", .membre, nil, nil, condorcet?.id, nil),
            (DemoConcours.nationalJuror, "Juré national du concours (démo)", .membre, nil, nil, condorcet?.id, nil),
        ]
        var created: [Created] = []
        for (email, name, role, region, campusID, organisationID, instance) in plan {
            if role == .equipeCampus, campusID == nil { continue }
            if role == .membre, organisationID == nil { continue }
            guard try await User.query(on: db).filter(\.$email == email).first() == nil else { continue }
            let password = fixedPassword ?? UserService.randomPassword()
            _ = try await service.create(.init(email: email, nom: name, role: role, region: region, campusID: campusID,
                                               organisationID: organisationID, instance: instance,
                                               academie: instance == .caen ? "20" : nil, password: password))
            created.append(Created(email: email, role: role, password: password))
        }
        return created
    }

    /// The accounts as a table for the console (passwords shown once).
    static func describe(_ accounts: [Created], passwordsFromEnvironment: Bool) -> String {
        guard !accounts.isEmpty else { return "" }
        var lines = ["Comptes de démonstration (un par rôle)\(passwordsFromEnvironment ? ", mot de passe : CMQ_DEMO_PASSWORD" : " ; mots de passe affichés une seule fois") :"]
        for account in accounts {
            lines.append("  \(account.role.label.padding(toLength: 26, withPad: " ", startingAt: 0)) \(account.email)\(passwordsFromEnvironment ? "" : "  \(account.password)")")
        }
        return lines.joined(separator: "\n")
    }
}
