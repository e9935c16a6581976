import CMQDomain
import Fluent
import Foundation

/// The audit trail in words: the French name of each field, values as people know them (names instead of
/// identifiers, labels instead of codes, « oui » / « non »), and the address of the item an entry is about.
enum AuditVocabulary {
    /// The kinds of items the trail records, by their key, in French.
    static let entities: [(key: String, label: String)] = [
        ("campus", "Campus"), ("organisation", "Organisation"), ("membre", "Membre d'un réseau"), ("equipe", "Équipe d'un campus"),
        ("utilisateur", "Compte"), ("formation", "Formation"), ("dossier", "Dossier de labellisation"), ("label", "Label"),
        ("plateau", "Plateau technique"), ("reservation", "Réservation"),
        ("parcours", "Parcours d'un établissement (envoi annuel)"), ("parcours-effacement", "Effacement de parcours"),
        ("action", "Action d'un campus"), ("inscription", "Inscription à une action"),
        ("indicateur-valeur", "Valeur d'un indicateur"), ("indicateur-cible", "Cible d'un indicateur"),
        ("temoignage", "Témoignage (Ma réussite pro)"), ("consentement", "Consentement à un témoignage"),
        ("concours-edition", "Édition du concours « Ma réussite pro »"), ("concours-categorie", "Catégorie du concours"),
        ("concours-jure", "Juré du concours"), ("concours-candidature", "Candidature au concours"),
    ]

    static func entity(_ key: String) -> String {
        entities.first { $0.key == key }?.label ?? key
    }

    static let fields: [String: String] = [
        "nom": "Nom", "intitule": "Intitulé", "organisation": "Organisation", "campus": "Campus", "plateau": "Plateau technique",
        "equipement": "Équipement", "filiere": "Filière", "academie": "Académie", "region": "Région académique",
        "departement": "Département", "description": "Description", "siteWeb": "Site web", "formeJuridique": "Forme juridique",
        "dateCreation": "Date de création", "type": "Type", "public": "Public", "lyceeDesMetiers": "Lycée des métiers", "uai": "UAI",
        "siret": "SIRET", "adresse": "Adresse", "codePostal": "Code postal", "commune": "Commune", "latitude": "Latitude",
        "longitude": "Longitude", "telephone": "Téléphone", "role": "Rôle", "depuis": "Depuis", "jusquA": "Jusqu'au",
        "email": "Adresse électronique", "instance": "Instance", "typeDiplome": "Type de diplôme", "niveauEntree": "Niveau d'entrée",
        "niveauSortie": "Niveau de sortie", "cfd": "Code formation diplôme", "rncp": "RNCP", "romes": "Codes ROME", "duree": "Durée",
        "capacite": "Capacité", "modalite": "Modalité", "datesDebut": "Rentrées", "lien": "Lien", "statuts": "Statuts",
        "referentiel": "Référentiel", "nature": "Nature", "labelDemande": "Label demandé", "dureeDemandee": "Durée demandée (ans)",
        "sections": "Sections du projet", "statut": "Statut", "debut": "Début", "fin": "Fin", "excellence": "Excellence",
        "retraitLe": "Retiré le", "retraitMotif": "Motif du retrait", "horaires": "Horaires", "validation": "Validation des demandes",
        "preavisHeures": "Préavis (heures)", "ouvertA": "Ouvert à", "dureeMaximaleMinutes": "Durée maximale (minutes)",
        "creneau": "Créneau", "objet": "Objet", "participants": "Participants", "details": "Précisions", "motif": "Motif",
        "decision": "Décision", "anneeScolaire": "Année scolaire", "etapes": "Étapes de parcours",
        "etapesSupprimees": "Étapes de parcours supprimées", "conservesDepuis": "Parcours conservés depuis",
        "titre": "Titre", "resume": "Description courte", "audiences": "Publics", "niveaux": "Niveaux", "lieuType": "Lieu",
        "inscription": "Inscription", "accessibilite": "Accessibilité", "moderation": "Publication", "bilan": "Bilan",
        "action": "Action", "personnes": "Personnes", "categorie": "Catégorie", "etat": "État",
        "code": "Code de l'indicateur", "annee": "Année scolaire", "valeur": "Valeur", "initiale": "Valeur initiale",
        "cible": "Cible", "echeance": "Échéance",
        "prenom": "Prénom", "noteInterne": "Note interne", "video": "Vidéo", "sousTitres": "Sous-titres", "donneLe": "Donné le",
        "portees": "Portée", "expireLe": "Expire le", "retireLe": "Retiré le", "temoignage": "Témoignage",
        "depotsOuverture": "Ouverture des dépôts", "depotsCloture": "Clôture des dépôts", "juryAcademiqueCloture": "Fin des jurys académiques",
        "juryNationalCloture": "Fin du jury national", "voteOuverture": "Ouverture du vote", "voteCloture": "Clôture du vote",
        "resultats": "Résultats", "grille": "Grille de notation", "placesNationales": "Places au jury national", "edition": "Édition",
        "niveau": "Niveau du jury", "utilisateur": "Compte",
    ]

    static func field(_ key: String) -> String { fields[key] ?? key }

    /// The identifiers an entry names (organisations, campuses, platforms), to look their names up at once.
    static func identifiers(in entries: [AuditEntry]) -> Set<UUID> {
        var ids: Set<UUID> = []
        for entry in entries {
            for (key, change) in entry.decodedChanges where ["organisation", "campus", "plateau"].contains(key) {
                for value in [change.avant, change.apres] { if let id = value.flatMap(UUID.init(uuidString:)) { ids.insert(id) } }
            }
        }
        return ids
    }

    /// The names of the organisations, campuses and platforms among `ids`.
    static func names(_ ids: Set<UUID>, on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let list = Array(ids)
        var names: [UUID: String] = [:]
        for organisation in try await Organisation.query(on: db).filter(\.$id ~~ list).field(\.$id).field(\.$nom).all() { names[organisation.id!] = organisation.nom }
        for campus in try await Campus.query(on: db).filter(\.$id ~~ list).field(\.$id).field(\.$nom).all() { names[campus.id!] = campus.nom }
        for plateau in try await PlateauRecord.query(on: db).filter(\.$id ~~ list).field(\.$id).field(\.$nom).all() { names[plateau.id!] = plateau.nom }
        return names
    }

    /// A value as people read it; long texts (a dossier's sections, opening hours) are shortened.
    static func value(_ raw: String?, field: String, entity: String, names: [UUID: String]) -> String {
        guard let raw, !raw.isEmpty else { return "—" }
        if let id = UUID(uuidString: raw) { return names[id] ?? "élément supprimé" }
        let label: String? = switch field {
        case "filiere": Filiere(slug: raw)?.label
        case "type": entity == "action" ? ActionType(rawValue: raw)?.label : OrganisationKind(rawValue: raw)?.label
        case "moderation": Moderation(rawValue: raw)?.label
        case "etat": RegistrationState(rawValue: raw)?.label
        case "inscription": RegistrationMode(rawValue: raw)?.label
        case "lieuType": ActionPlaceKind(rawValue: raw)?.label
        case "categorie": RegistrantCategory(rawValue: raw)?.label
        case "audiences": raw.split(separator: ",").map { ActionAudience(rawValue: String($0))?.label ?? String($0) }.joined(separator: ", ")
        case "formeJuridique": LegalForm(rawValue: raw)?.label
        case "role":
            switch entity {
            case "membre": MembershipRole(rawValue: raw)?.label
            case "equipe": TeamRole(rawValue: raw)?.label
            case "utilisateur": Role(rawValue: raw)?.label
            default: nil
            }
        case "statut":
            switch entity {
            case "reservation": BookingStatus(rawValue: raw)?.label
            case "dossier": DossierStatus.Kind(rawValue: raw)?.label
            case "action": ActionStatus(rawValue: raw)?.label
            default: nil
            }
        case "objet": BookingPurpose(rawValue: raw)?.label
        case "typeDiplome": DiplomaType(rawValue: raw)?.label
        case "modalite": Modality(rawValue: raw)?.label
        case "statuts": raw.split(separator: ",").map { LearnerStatus(rawValue: String($0))?.label ?? String($0) }.joined(separator: ", ")
        case "instance": Instance(rawValue: raw)?.label
        case "nature": DossierKind(rawValue: raw)?.label
        case "labelDemande": RequestedLabel(rawValue: raw)?.label
        case "academie": TerritoryCatalog.shared.academie(code: raw)?.nom
        case "region": TerritoryCatalog.shared.region(code: raw)?.nom
        case "departement": TerritoryCatalog.shared.departement(code: raw).map { "\($0.nom) (\($0.code))" }
        case "niveauEntree", "niveauSortie": Int(raw).flatMap(Level.init(number:))?.label
        default: nil
        }
        if let label { return label }
        switch raw {
        case "true": return "oui"
        case "false": return "non"
        default: break
        }
        return raw.count > 160 ? String(raw.prefix(157)) + "…" : raw
    }

    /// The page of the item an entry is about, when it has one.
    static func url(entity: String, id: UUID, changes: [String: FieldChange]) -> String? {
        switch entity {
        case "campus": return RegistryURL.campus(id).path
        case "organisation": return RegistryURL.organisation(id).path
        case "formation": return CatalogueURL.formation(id).path
        case "dossier": return LabellingURL.dossier(id).path
        case "plateau": return PlateauxURL.page(id).path
        case "reservation": return PlateauxURL.bookings.path + "#reservation-\(id.uuidString.lowercased())"
        case "membre", "equipe":
            let campus = changes["campus"].flatMap { $0.apres ?? $0.avant }.flatMap(UUID.init(uuidString:))
            return campus.map { RegistryURL.campus($0).path }
        default: return nil
        }
    }
}
