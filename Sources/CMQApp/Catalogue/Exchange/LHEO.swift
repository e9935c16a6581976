import CMQDomain
import Foundation
import XMLCoder

/// LHEO 2.3 (Langage Harmonisé d'Échange d'informations sur l'Offre de formation), the French standard for
/// exchanging training offers: `lheo → offres → formation → action → session`, each element in the order
/// of the standard's sequences. What LHEO has no element for (statuses, filière, CFD, diploma type, capacity,
/// UAI) travels in `extras`, as the standard provides, so that a file exported by cmq imports back whole.
enum LHEO {
    static let namespace = "http://lheo.gouv.fr/2.3"
    /// The FORMACODE "public visé" code written on every action (all publics), with its version.
    static let publicViseCode = "80056"
    static let formacodeVersion = "V12"
    /// A session whose dates are unknown: the standard's "00000000".
    static let unknownDate = "00000000"
    /// What `contenu-formation` says when a formation has no description.
    static let noDescription = "Non renseigné."

    struct Document: Codable, Equatable {
        var offres: Offres
    }

    struct Offres: Codable, Equatable {
        var formation: [Formation]?
    }

    struct Text: Codable, Equatable, DynamicNodeEncoding, DynamicNodeDecoding {
        var value: String
        var ref: String?
        var info: String?

        init(_ value: String, ref: String? = nil, info: String? = nil) {
            self.value = value
            self.ref = ref
            self.info = info
        }

        enum CodingKeys: String, CodingKey {
            case value = ""
            case ref, info
        }

        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
            key.stringValue == "" ? .element : .attribute
        }

        static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding {
            key.stringValue == "" ? .element : .attribute
        }
    }

    struct Extras: Codable, Equatable, DynamicNodeEncoding, DynamicNodeDecoding {
        var info: String?
        var extra: [Text]?

        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding { key.stringValue == "info" ? .attribute : .element }
        static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding { key.stringValue == "info" ? .attribute : .element }

        /// The extras of cmq: `<extras info="cmq"><extra info="cfd">…</extra>…</extras>`.
        init(cmq values: [(String, String?)]) {
            info = "cmq"
            extra = values.compactMap { key, value in value.map { Text($0, info: key) } }
        }

        func value(_ key: String) -> String? {
            extra?.first { $0.info == key }?.value
        }
    }

    struct Domaine: Codable, Equatable {
        var codeROME: [String]?

        enum CodingKeys: String, CodingKey { case codeROME = "code-ROME" }
    }

    struct Adresse: Codable, Equatable {
        var ligne: [String]
        var codepostal: String
        var ville: String
        var departement: String?
    }

    struct Coordonnees: Codable, Equatable {
        var nom: String?
        var adresse: Adresse?
        var web: Web?
    }

    struct Web: Codable, Equatable {
        var urlweb: [String]
    }

    struct Contact: Codable, Equatable {
        var coordonnees: Coordonnees
    }

    struct Certification: Codable, Equatable {
        var codeRNCP: String?

        enum CodingKeys: String, CodingKey { case codeRNCP = "code-RNCP" }
    }

    struct SIRETBox: Codable, Equatable {
        var SIRET: String
    }

    struct Periode: Codable, Equatable {
        var debut: String
        var fin: String
    }

    struct Session: Codable, Equatable, DynamicNodeEncoding, DynamicNodeDecoding {
        var numero: String?
        var periode: Periode
        var adresseInscription: Contact2

        struct Contact2: Codable, Equatable {
            var adresse: Adresse
        }

        enum CodingKeys: String, CodingKey {
            case numero, periode
            case adresseInscription = "adresse-inscription"
        }

        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding { key.stringValue == "numero" ? .attribute : .element }
        static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding { key.stringValue == "numero" ? .attribute : .element }
    }

    struct OrganismeFormateur: Codable, Equatable {
        var siretFormateur: SIRETBox
        var raisonSocialeFormateur: String

        enum CodingKeys: String, CodingKey {
            case siretFormateur = "SIRET-formateur"
            case raisonSocialeFormateur = "raison-sociale-formateur"
        }
    }

    struct Action: Codable, Equatable, DynamicNodeEncoding, DynamicNodeDecoding {
        var numero: String?
        var rythmeFormation: String
        var codePublicVise: [Text]
        var niveauEntreeObligatoire: Int
        var modalitesAlternance: String
        var modalitesEnseignement: Int
        var conditionsSpecifiques: String
        var priseEnChargeFraisPossible: Int
        var lieuDeFormation: Contact
        var modalitesEntreesSorties: Int
        var urlAction: Web?
        var session: [Session]
        var dureeIndicative: String?
        var organismeFormateur: OrganismeFormateur?
        var extras: Extras?

        enum CodingKeys: String, CodingKey {
            case numero
            case rythmeFormation = "rythme-formation"
            case codePublicVise = "code-public-vise"
            case niveauEntreeObligatoire = "niveau-entree-obligatoire"
            case modalitesAlternance = "modalites-alternance"
            case modalitesEnseignement = "modalites-enseignement"
            case conditionsSpecifiques = "conditions-specifiques"
            case priseEnChargeFraisPossible = "prise-en-charge-frais-possible"
            case lieuDeFormation = "lieu-de-formation"
            case modalitesEntreesSorties = "modalites-entrees-sorties"
            case urlAction = "url-action"
            case session
            case dureeIndicative = "duree-indicative"
            case organismeFormateur = "organisme-formateur"
            case extras
        }

        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding { key.stringValue == "numero" ? .attribute : .element }
        static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding { key.stringValue == "numero" ? .attribute : .element }
    }

    struct OrganismeResponsable: Codable, Equatable {
        var numeroActivite: String
        var siretOrganismeFormation: SIRETBox
        var nomOrganisme: String
        var raisonSociale: String
        var coordonneesOrganisme: Coordonnees
        var contactOrganisme: Contact
        var extras: Extras?

        enum CodingKeys: String, CodingKey {
            case numeroActivite = "numero-activite"
            case siretOrganismeFormation = "SIRET-organisme-formation"
            case nomOrganisme = "nom-organisme"
            case raisonSociale = "raison-sociale"
            case coordonneesOrganisme = "coordonnees-organisme"
            case contactOrganisme = "contact-organisme"
            case extras
        }
    }

    struct Formation: Codable, Equatable, DynamicNodeEncoding, DynamicNodeDecoding {
        var numero: String?
        var datecrea: String?
        var datemaj: String?
        var domaineFormation: Domaine
        var intituleFormation: String
        var objectifFormation: String
        var resultatsAttendus: String
        var contenuFormation: String
        var certifiante: Int
        var contactFormation: Contact
        var parcoursDeFormation: Int
        var codeNiveauEntree: Int
        var certification: [Certification]?
        var codeNiveauSortie: Int?
        var urlFormation: Web?
        var action: [Action]
        var organismeFormationResponsable: OrganismeResponsable
        var extras: Extras?

        enum CodingKeys: String, CodingKey {
            case numero, datecrea, datemaj
            case domaineFormation = "domaine-formation"
            case intituleFormation = "intitule-formation"
            case objectifFormation = "objectif-formation"
            case resultatsAttendus = "resultats-attendus"
            case contenuFormation = "contenu-formation"
            case certifiante
            case contactFormation = "contact-formation"
            case parcoursDeFormation = "parcours-de-formation"
            case codeNiveauEntree = "code-niveau-entree"
            case certification
            case codeNiveauSortie = "code-niveau-sortie"
            case urlFormation = "url-formation"
            case action
            case organismeFormationResponsable = "organisme-formation-responsable"
            case extras
        }

        static let attributes: Set<String> = ["numero", "datecrea", "datemaj"]
        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding { attributes.contains(key.stringValue) ? .attribute : .element }
        static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding { attributes.contains(key.stringValue) ? .attribute : .element }
    }

    // MARK: - cmq → LHEO

    static func compactDate(_ iso: String) -> String { iso.replacingOccurrences(of: "-", with: "") }

    static func isoDate(_ compact: String) -> String? {
        guard compact.count == 8, compact != unknownDate, compact.allSatisfy(\.isNumber) else { return nil }
        let characters = Array(compact)
        return String(characters[0..<4]) + "-" + String(characters[4..<6]) + "-" + String(characters[6..<8])
    }

    private static func address(of organisation: Organisation) -> Adresse {
        Adresse(ligne: [organisation.adresse ?? organisation.nom], codepostal: organisation.codePostal ?? "00000",
                ville: organisation.commune ?? "Non renseignée", departement: organisation.departementCode)
    }

    private static func coordinates(of organisation: Organisation) -> Coordonnees {
        Coordonnees(nom: organisation.nom, adresse: address(of: organisation), web: organisation.siteWeb.map { Web(urlweb: [$0]) })
    }

    /// The LHEO form of a formation (with its organisation, statuses and ROME codes loaded).
    static func formation(_ formation: CMQApp.Formation, responsable: Organisation?) -> Formation {
        let organisation = formation.organisation
        let owner = responsable ?? organisation
        let id = formation.id?.uuidString.lowercased()
        let statuses = formation.learnerStatuses
        let romes = (formation.$romes.value ?? []).map(\.code).sorted()
        let level = Level(number: formation.niveauSortie)
        let type = formation.typeDiplome.flatMap(DiplomaType.init(rawValue:))
        let days = formation.datesDebut?.split(separator: ",").map(String.init) ?? []
        let sessions = (days.isEmpty ? [nil] : days.map(Optional.some)).enumerated().map { index, day in
            Session(numero: id.map { "\($0)-\(index + 1)" }, periode: Periode(debut: day.map(compactDate) ?? unknownDate, fin: unknownDate),
                    adresseInscription: .init(adresse: address(of: organisation)))
        }
        let modality: Int = switch Modality(rawValue: formation.modalite) ?? .presentiel {
        case .presentiel: 0
        case .mixte: 1
        case .distance: 2
        }
        let action = Action(
            numero: id, rythmeFormation: "Temps plein",
            codePublicVise: [Text(publicViseCode, ref: formacodeVersion)],
            niveauEntreeObligatoire: 0,
            modalitesAlternance: statuses.contains(.apprenti) ? "Formation en apprentissage : alternance entre le centre de formation et l'entreprise." : "Sans objet.",
            modalitesEnseignement: modality, conditionsSpecifiques: "Aucune.", priseEnChargeFraisPossible: 0,
            lieuDeFormation: Contact(coordonnees: coordinates(of: organisation)), modalitesEntreesSorties: 0,
            urlAction: nil, session: sessions, dureeIndicative: formation.duree,
            organismeFormateur: organisation.siret.map { OrganismeFormateur(siretFormateur: SIRETBox(SIRET: $0), raisonSocialeFormateur: organisation.nom) },
            extras: Extras(cmq: [("statuts", statuses.map(\.rawValue).joined(separator: ",")), ("capacite", formation.capacite.map(String.init)),
                                 ("modalite", formation.modalite)]))
        return Formation(
            numero: id,
            datecrea: formation.createdAt.map { compactDate(CalendarDay(date: $0).iso) },
            datemaj: formation.updatedAt.map { compactDate(CalendarDay(date: $0).iso) },
            domaineFormation: Domaine(codeROME: romes.isEmpty ? nil : Array(romes.prefix(5))),
            intituleFormation: formation.intitule,
            objectifFormation: "Préparer \(type.map { "le diplôme « \($0.label) »" } ?? "la formation") : \(formation.intitule).",
            resultatsAttendus: level.map { "Qualification : \($0.label)." } ?? "Qualification.",
            contenuFormation: formation.description ?? noDescription,
            certifiante: (formation.rncp != nil || formation.cfd != nil) ? 1 : 0,
            contactFormation: Contact(coordonnees: coordinates(of: organisation)),
            parcoursDeFormation: 1,
            codeNiveauEntree: formation.niveauEntree.flatMap(Level.init(number:)).map(LHEOLevel.code(for:)) ?? 0,
            certification: formation.rncp.map { [Certification(codeRNCP: $0.filter(\.isNumber))] },
            codeNiveauSortie: level.map(LHEOLevel.code(for:)),
            urlFormation: formation.lien.map { Web(urlweb: [$0]) },
            action: [action],
            // The standard requires the training body's declaration number (numéro de déclaration d'activité),
            // which cmq does not hold: eleven zeros say "not known" to the readers of the file.
            organismeFormationResponsable: OrganismeResponsable(
                numeroActivite: "00000000000", siretOrganismeFormation: SIRETBox(SIRET: owner.siret ?? ""),
                nomOrganisme: owner.nom, raisonSociale: owner.nom, coordonneesOrganisme: coordinates(of: owner),
                contactOrganisme: Contact(coordonnees: Coordonnees(nom: owner.nom, adresse: nil, web: nil)),
                extras: Extras(cmq: [("uai", owner.uai), ("identifiant", owner.uai == nil && owner.siret == nil ? owner.id?.uuidString.lowercased() : nil)])),
            extras: Extras(cmq: [("uai-formateur", organisation.uai), ("siret-formateur", organisation.siret),
                                 ("identifiant-formateur", organisation.uai == nil && organisation.siret == nil ? organisation.id?.uuidString.lowercased() : nil),
                                 ("cfd", formation.cfd),
                                 ("type-diplome", formation.typeDiplome), ("filiere", formation.filiere), ("romes", romes.joined(separator: ","))]))
    }

    static func encode(_ formations: [Formation]) throws -> Data {
        let encoder = XMLEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        return try encoder.encode(Document(offres: Offres(formation: formations)), withRootKey: "lheo",
                                  rootAttributes: ["xmlns": namespace], header: XMLHeader(version: 1.0, encoding: "UTF-8"))
    }

    // MARK: - LHEO → cmq

    struct FileError: Error, CustomStringConvertible {
        var description: String
    }

    static func decode(_ data: Data) throws(FileError) -> Document {
        let decoder = XMLDecoder()
        decoder.trimValueWhitespaces = true
        do {
            return try decoder.decode(Document.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            let path = (context.codingPath.map(\.stringValue) + [key.stringValue]).filter { Int($0) == nil && !$0.hasPrefix("Index") }.joined(separator: " → ")
            throw FileError(description: "Le fichier LHEO est incomplet : l'élément obligatoire « \(path) » manque.")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).filter { Int($0) == nil && !$0.hasPrefix("Index") }.joined(separator: " → ")
            throw FileError(description: "Le fichier LHEO est mal formé\(path.isEmpty ? "" : " (\(path))") : \(context.debugDescription)")
        } catch {
            throw FileError(description: "Le fichier n'est pas un document XML LHEO lisible : \(error.localizedDescription)")
        }
    }

    /// The records of a LHEO document, one per formation (its first action carries the organisation and the
    /// sessions). Positions are "formation N" in document order.
    static func records(_ document: Document) -> [FormationRecord] {
        (document.offres.formation ?? []).enumerated().map { index, formation in
            var record = FormationRecord(line: index + 1, place: "formation \(index + 1)")
            let extras = formation.extras
            let action = formation.action.first
            record.identifiant = formation.numero.flatMap(UUID.init(uuidString:))
            let responsableSIRET = formation.organismeFormationResponsable.siretOrganismeFormation.SIRET.trimmingCharacters(in: .whitespaces)
            let responsableUAI = formation.organismeFormationResponsable.extras?.value("uai")
            let responsableID = formation.organismeFormationResponsable.extras?.value("identifiant").flatMap(UUID.init(uuidString:))
            if let uai = extras?.value("uai-formateur") {
                record.organisation = .uai(uai)
            } else if let siret = action?.organismeFormateur?.siretFormateur.SIRET ?? extras?.value("siret-formateur") {
                record.organisation = .siret(siret)
            } else if let id = extras?.value("identifiant-formateur").flatMap(UUID.init(uuidString:)) {
                record.organisation = .id(id)
            } else if let uai = responsableUAI {
                record.organisation = .uai(uai)
            } else if !responsableSIRET.isEmpty {
                record.organisation = .siret(responsableSIRET)
            }
            let responsable: FormationRecord.OrganisationKey? = responsableUAI.map { .uai($0) } ?? (responsableSIRET.isEmpty ? nil : .siret(responsableSIRET))
                ?? responsableID.map { .id($0) }
            record.responsable = responsable == record.organisation ? nil : responsable
            record.intitule = formation.intituleFormation
            record.filiere = extras?.value("filiere")
            record.typeDiplome = extras?.value("type-diplome")
            record.niveauEntree = LHEOLevel.level(forCode: formation.codeNiveauEntree).map { String($0.number) }
            record.niveauSortie = formation.codeNiveauSortie.flatMap(LHEOLevel.level(forCode:)).map { String($0.number) }
            record.cfd = extras?.value("cfd")
            record.rncp = formation.certification?.first?.codeRNCP.map { "RNCP" + $0 }
            let romes = extras?.value("romes").map { $0.split(separator: ",").map(String.init) } ?? formation.domaineFormation.codeROME ?? []
            record.romes = romes
            record.duree = action?.dureeIndicative
            record.statuts = action?.extras?.value("statuts")?.split(separator: ",").map(String.init)
                ?? ((action?.modalitesAlternance.localizedCaseInsensitiveContains("apprentissage") ?? false) ? ["apprenti"] : ["formation-continue"])
            record.capacite = action?.extras?.value("capacite")
            record.modalite = action?.extras?.value("modalite") ?? {
                switch action?.modalitesEnseignement {
                case 1: "mixte"
                case 2: "distance"
                default: "presentiel"
                }
            }()
            record.datesDebut = (action?.session ?? []).compactMap { isoDate($0.periode.debut) }
            record.description = formation.contenuFormation == noDescription ? nil : formation.contenuFormation
            record.lien = formation.urlFormation?.urlweb.first
            return record
        }
    }
}
