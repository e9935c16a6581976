import CMQDomain
import Foundation
import XMLCoder

/// LHEO 2.3 (Langage Harmonisé d'Échange d'informations sur l'Offre de formation), the French standard for
/// exchanging training offers: `lheo → offres → formation → action → session`, each element in the order
/// of the standard's sequences. What LHEO has no element for (statuses, filière, CFD, diploma type, capacity,
/// UAI) travels in `extras`, as the standard provides, so that a file exported by cmq imports back whole.
///
/// Written files are valid against the official schema (`Tests/CMQAppTests/Fixtures/lheo/lheo-2.3.xsd`,
/// checked with `xmllint` in the tests and in CI): names longer than LHEO's 50-character `nom` and `ligne`
/// are shortened there (`LHEOText.shortened`) and kept whole in `nom-organisme`, `raison-sociale` and
/// `denomination`; an optional SIRET is left out when unknown; a formation whose responsible organisation has
/// no SIRET (which LHEO requires) is not written (see `FormationExport`). Read files may be LHEO 2.2 or 2.3.

enum LHEO {
    static let namespace = "http://lheo.gouv.fr/2.3"
    /// The namespaces cmq reads: LHEO 2.3 and 2.2 (whose documents are 2.3 documents with the older name).
    static let readableNamespaces = ["http://lheo.gouv.fr/2.3", "http://www.lheo.org/2.2", "http://lheo.gouv.fr/2.2", "http://www.lheo.org/2.3"]
    /// LHEO's short text fields (`nom`, `ligne`, `ville`) and the longer ones.
    static let shortField = 50
    static let titleField = 255
    static let textField = 3000
    /// The FORMACODE "public visé" code written on every action (all publics), with its version.
    static let publicViseCode = "80056"
    static let formacodeVersion = "V12"
    /// A session whose dates are unknown: the standard's "00000000".
    static let unknownDate = "00000000"
    /// What `contenu-formation` says when a formation has no description.
    static let noDescription = "Non renseigné."

    struct Document: Codable, Equatable, DynamicNodeEncoding, DynamicNodeDecoding {
        var xmlns: String?
        var offres: Offres

        init(offres: Offres) {
            self.offres = offres
        }

        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding { key.stringValue == "xmlns" ? .attribute : .element }
        static func nodeDecoding(for key: any CodingKey) -> XMLDecoder.NodeDecoding { key.stringValue == "xmlns" ? .attribute : .element }
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
        init(info: String?, extra: [Text]?) {
            self.info = info
            self.extra = extra
        }

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
        /// The full name of the place (up to 255 characters), when `ligne` had to shorten it.
        var denomination: String?
        var ligne: [String]
        var codepostal: String
        var ville: String
        var departement: String?
    }

    struct Coordonnees: Codable, Equatable {
        var nom: String?
        var ligne: [String]?
        var adresse: Adresse?
        var web: Web?
    }

    /// `coordonnees-organisme`: the organisation's details, wrapped in `coordonnees` as the schema says.
    struct CoordonneesOrganisme: Codable, Equatable {
        var coordonnees: Coordonnees
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
        var lieuDeFormation: [Contact]?
        var modalitesEntreesSorties: Int
        var urlAction: Web?
        var session: [Session]
        var dureeIndicative: String?
        var organismeFormateur: OrganismeFormateur?
        var extras: [Extras]?

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
        var coordonneesOrganisme: CoordonneesOrganisme
        var contactOrganisme: Contact
        var extras: [Extras]?

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
        var extras: [Extras]?

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

    /// An organisation's address: its street in lines of 50 characters, its full name as `denomination`
    /// when the lines had to shorten it.
    private static func address(of organisation: Party) -> Adresse {
        let street = organisation.adresse.map { LHEOText.lines($0, limit: shortField, count: 4) } ?? []
        let lines = street.isEmpty ? [LHEOText.shortened(organisation.nom, limit: shortField)] : street
        let denomination = organisation.nom.count > shortField ? String(organisation.nom.prefix(titleField)) : nil
        let postcode = organisation.codePostal.flatMap { $0.count == 5 && $0.allSatisfy(\.isNumber) ? $0 : nil } ?? "00000"
        let departement = organisation.departementCode.flatMap { (2...3).contains($0.count) ? $0 : nil }
        return Adresse(denomination: denomination, ligne: lines, codepostal: postcode,
                       ville: LHEOText.shortened(organisation.commune ?? "Non renseignée", limit: shortField), departement: departement)
    }

    private static func coordinates(of organisation: Party) -> Coordonnees {
        Coordonnees(nom: LHEOText.shortened(organisation.nom, limit: shortField), ligne: nil, adresse: address(of: organisation),
                    web: organisation.siteWeb.flatMap { (3...400).contains($0.count) ? Web(urlweb: [$0]) : nil })
    }

    /// A free text for one of LHEO's 3,000-character elements.
    private static func longText(_ text: String) -> String {
        LHEOText.shortened(text, limit: textField)
    }

    /// Whether LHEO can carry this organisation as the one responsible for a formation: it requires a SIRET.
    static func canBeResponsible(_ organisation: Organisation) -> Bool {
        canBeResponsible(siret: organisation.siret)
    }

    /// Whether LHEO can carry an organisation with this SIRET as the one responsible for a formation.
    static func canBeResponsible(siret: String?) -> Bool {
        siret.map { $0.count == 14 && $0.allSatisfy(\.isNumber) } ?? false
    }

    /// An organisation as LHEO writes it.
    struct Party: Sendable, Equatable {
        var id: UUID?
        var nom: String
        var uai: String?
        var siret: String?
        var adresse: String?
        var codePostal: String?
        var commune: String?
        var departementCode: String?
        var siteWeb: String?
    }

    /// What a LHEO formation is written from: the formation's own columns, its statuses and ROME codes, the
    /// organisation that gives it and the responsible one (when another). Built from models, or read straight
    /// from the tables for exports (`FormationTableRows.lheoSources`): both write the same bytes.
    struct Source: Sendable, Equatable {
        var id: UUID?
        var intitule: String
        var filiere: String?
        var typeDiplome: String?
        var niveauEntree: Int?
        var niveauSortie: Int
        var cfd: String?
        var rncp: String?
        var duree: String?
        var capacite: Int?
        var modalite: String
        var datesDebut: String?
        var description: String?
        var lien: String?
        var createdAt: Date?
        var updatedAt: Date?
        /// Sorted by their codes.
        var statuses: [LearnerStatus]
        /// Sorted.
        var romes: [String]
        var organisation: Party
        var responsable: Party?
    }

    /// The LHEO form of a formation (with its organisation, statuses and ROME codes loaded). The responsible
    /// organisation (`responsable`, or the one that gives the formation) must have a SIRET: `canBeResponsible`.
    static func formation(_ formation: CMQApp.Formation, responsable: Organisation?) -> Formation {
        self.formation(Source(formation, responsable: responsable))
    }

    /// The LHEO form of a formation. Its responsible organisation (`responsable`, or the one that gives the
    /// formation) must have a SIRET: `canBeResponsible`.
    static func formation(_ formation: Source) -> Formation {
        let organisation = formation.organisation
        let owner = formation.responsable ?? organisation
        let id = formation.id?.uuidString.lowercased()
        let statuses = formation.statuses
        let romes = formation.romes
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
        let initial = statuses.contains(.scolaire) || statuses.contains(.etudiant)
        let action = Action(
            numero: id, rythmeFormation: "Temps plein",
            codePublicVise: [Text(publicViseCode, ref: formacodeVersion)],
            niveauEntreeObligatoire: 0,
            modalitesAlternance: statuses.contains(.apprenti) ? "Formation en apprentissage : alternance entre le centre de formation et l'entreprise." : "Sans objet.",
            modalitesEnseignement: modality, conditionsSpecifiques: "Aucune.", priseEnChargeFraisPossible: 0,
            lieuDeFormation: [Contact(coordonnees: coordinates(of: organisation))], modalitesEntreesSorties: 0,
            urlAction: nil, session: sessions, dureeIndicative: formation.duree.map { String($0.prefix(150)) },
            organismeFormateur: organisation.siret.flatMap { siret in
                siret.count == 14 ? OrganismeFormateur(siretFormateur: SIRETBox(SIRET: siret), raisonSocialeFormateur: String(organisation.nom.prefix(250))) : nil
            },
            extras: [Extras(cmq: [("statuts", statuses.map(\.rawValue).joined(separator: ",")), ("capacite", formation.capacite.map(String.init)),
                                  ("modalite", formation.modalite)]),
                     // ONISEP's marker of initial training, which other readers of LHEO know.
                     Extras(info: typeFormationInfo, extra: [Text(initial ? "1" : "0", info: initialInfo)])])
        return Formation(
            numero: id,
            datecrea: formation.createdAt.map { compactDate(CalendarDay(date: $0).iso) },
            datemaj: formation.updatedAt.map { compactDate(CalendarDay(date: $0).iso) },
            domaineFormation: Domaine(codeROME: romes.isEmpty ? nil : Array(romes.prefix(5))),
            intituleFormation: LHEOText.shortened(formation.intitule, limit: titleField),
            objectifFormation: longText("Préparer \(type.map { "le diplôme « \($0.label) »" } ?? "la formation") : \(formation.intitule)."),
            resultatsAttendus: level.map { "Qualification : \($0.label)." } ?? "Qualification.",
            contenuFormation: formation.description.map(longText) ?? noDescription,
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
                nomOrganisme: String(owner.nom.prefix(250)), raisonSociale: String(owner.nom.prefix(250)),
                coordonneesOrganisme: CoordonneesOrganisme(coordonnees: coordinates(of: owner)),
                contactOrganisme: Contact(coordonnees: Coordonnees(nom: LHEOText.shortened(owner.nom, limit: shortField), ligne: nil, adresse: nil, web: nil)),
                extras: [Extras(cmq: [("uai", owner.uai), ("identifiant", owner.uai == nil && owner.siret == nil ? owner.id?.uuidString.lowercased() : nil)])]),
            extras: [Extras(cmq: [("uai-formateur", organisation.uai), ("siret-formateur", organisation.siret),
                                  ("identifiant-formateur", organisation.uai == nil && organisation.siret == nil ? organisation.id?.uuidString.lowercased() : nil),
                                  ("cfd", formation.cfd), ("intitule", formation.intitule.count > titleField ? formation.intitule : nil),
                                  ("description", formation.description.flatMap { $0.count > textField ? $0 : nil }),
                                  ("type-diplome", formation.typeDiplome), ("filiere", formation.filiere), ("romes", romes.joined(separator: ","))])])
    }

    /// ONISEP's `extras` that says whether a formation is initial training.
    static let typeFormationInfo = "type-formation"
    static let initialInfo = "formation-initiale"

    /// The start of a document, before its formations.
    static let documentStart = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<lheo xmlns=\"\(namespace)\">\n<offres>\n"
    /// The end of a document, after its formations.
    static let documentEnd = "</offres>\n</lheo>\n"

    /// One `<formation>` element, to be written between `documentStart` and `documentEnd` (a file is written
    /// formation by formation, never held whole).
    static func element(_ formation: Formation) throws -> Data {
        let encoder = XMLEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        var data = try encoder.encode(formation, withRootKey: "formation")
        data.append(0x0A)
        return data
    }

    /// A whole document (tests and small files).
    static func encode(_ formations: [Formation]) throws -> Data {
        var data = Data(documentStart.utf8)
        for formation in formations { data += try element(formation) }
        data += Data(documentEnd.utf8)
        return data
    }

    // MARK: - LHEO → cmq

    struct FileError: Error, CustomStringConvertible {
        var description: String
    }

    static func decode(_ data: Data) throws(FileError) -> Document {
        // Values are not trimmed by the decoder: it would drop the spaces between a text and an entity ("R & D"
        // would come back "R&D"); the whitespace between elements is dropped instead.
        let decoder = XMLDecoder(trimValueWhitespaces: false, removeWhitespaceElements: true)
        let document: Document
        do {
            document = try decoder.decode(Document.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            let path = (context.codingPath.map(\.stringValue) + [key.stringValue]).filter { Int($0) == nil && !$0.hasPrefix("Index") }.joined(separator: " → ")
            throw FileError(description: "Le fichier LHEO est incomplet : l'élément obligatoire « \(path) » manque.")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).filter { Int($0) == nil && !$0.hasPrefix("Index") }.joined(separator: " → ")
            throw FileError(description: "Le fichier LHEO est mal formé\(path.isEmpty ? "" : " (\(path))") : \(context.debugDescription)")
        } catch {
            throw FileError(description: "Le fichier n'est pas un document XML LHEO lisible : \(error.localizedDescription)")
        }
        if let xmlns = document.xmlns, !readableNamespaces.contains(xmlns) {
            throw FileError(description: "L'espace de noms « \(xmlns) » n'est pas celui de LHEO 2.2 ou 2.3 (attendu : \(namespace)).")
        }
        return document
    }

    /// An address as LHEO's readers write it: a bare host (`www.exemple.fr/page`) gets the `http://` it implies.
    static func webAddress(_ raw: String?) -> String? {
        guard let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        let lowered = text.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") { return text }
        if lowered.hasPrefix("//") { return "http:" + text }
        return "http://" + text
    }

    /// The records of a LHEO document, one per formation (its first action carries the organisation and the
    /// sessions). Positions are "formation N" in document order.
    ///
    /// - Parameter organisation: the organisation that gives every formation of the file and is responsible for
    ///   it (`cmq import formations --organisation`), instead of those the file names.
    static func records(_ document: Document, organisation given: FormationRecord.OrganisationKey? = nil) -> [FormationRecord] {
        (document.offres.formation ?? []).enumerated().map { index, formation in record(formation, rank: index + 1, organisation: given) }
    }

    /// The record of one formation of a document, the `rank`-th.
    private static func record(_ formation: Formation, rank: Int, organisation given: FormationRecord.OrganisationKey?) -> FormationRecord {
        var record = FormationRecord(line: rank, place: "formation \(rank)")
        let extras = cmqExtras(formation.extras)
        let action = formation.action.first
        let actionExtras = cmqExtras(action?.extras)
        let responsableExtras = cmqExtras(formation.organismeFormationResponsable.extras)
        record.identifiant = formation.numero.flatMap(UUID.init(uuidString:))
        if let given {
            record.organisation = given
        } else {
            let responsableSIRET = formation.organismeFormationResponsable.siretOrganismeFormation.SIRET.trimmingCharacters(in: .whitespaces)
            let responsableUAI = responsableExtras?.value("uai")
            let responsableID = responsableExtras?.value("identifiant").flatMap(UUID.init(uuidString:))
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
        }
        // cmq writes plain text; other publishers may write LHEO's XHTML subset.
        let writtenByCMQ = extras != nil
        func text(_ value: String) -> String { writtenByCMQ ? value : LHEOText.plainText(value) }
        record.intitule = extras?.value("intitule") ?? text(formation.intituleFormation)
        record.filiere = extras?.value("filiere")
        record.typeDiplome = extras?.value("type-diplome")
        let exit = formation.codeNiveauSortie.flatMap(LHEOLevel.level(forCode:))
        record.niveauEntree = LHEOLevel.level(forCode: formation.codeNiveauEntree).map { String($0.number) }
        record.niveauSortie = exit.map { String($0.number) }
        record.cfd = extras?.value("cfd")
        record.rncp = formation.certification?.compactMap(\.codeRNCP).first.map { "RNCP" + $0 }
        let romes = extras?.value("romes").map { $0.split(separator: ",").map(String.init) } ?? formation.domaineFormation.codeROME ?? []
        record.romes = romes
        record.duree = action?.dureeIndicative
        record.statuts = actionExtras?.value("statuts")?.split(separator: ",").map(String.init) ?? statuses(of: action, level: exit)
        record.capacite = actionExtras?.value("capacite")
        record.modalite = actionExtras?.value("modalite") ?? {
            switch action?.modalitesEnseignement {
            case 1: "mixte"
            case 2: "distance"
            default: "presentiel"
            }
        }()
        record.datesDebut = (action?.session ?? []).compactMap { isoDate($0.periode.debut) }
        let description = extras?.value("description") ?? text(formation.contenuFormation)
        record.description = description == noDescription || description.isEmpty ? nil : description
        record.lien = webAddress(formation.urlFormation?.urlweb.first ?? action?.urlAction?.urlweb.first)
        return record
    }

    /// cmq's own extras among those of an element.
    private static func cmqExtras(_ extras: [Extras]?) -> Extras? {
        extras?.first { $0.info == "cmq" }
    }

    /// The statuses of a file that does not carry cmq's: apprenticeship when the action says so; initial
    /// training (scolaire up to level 4, étudiant above) when ONISEP's `type-formation` extras mark it; otherwise
    /// formation continue, LHEO's default audience.
    static func statuses(of action: Action?, level: Level?) -> [String] {
        if action?.modalitesAlternance.localizedCaseInsensitiveContains("apprentissage") ?? false {
            return [LearnerStatus.apprenti.rawValue]
        }
        let initial = action?.extras?.first { $0.info == typeFormationInfo }?.value(initialInfo)
        if initial == "1" {
            return [(level.map { $0.number <= 4 } ?? true) ? LearnerStatus.scolaire.rawValue : LearnerStatus.etudiant.rawValue]
        }
        return [LearnerStatus.formationContinue.rawValue]
    }
}

extension LHEO.Party {
    init(_ organisation: Organisation) {
        self.init(id: organisation.id, nom: organisation.nom, uai: organisation.uai, siret: organisation.siret, adresse: organisation.adresse,
                  codePostal: organisation.codePostal, commune: organisation.commune, departementCode: organisation.departementCode,
                  siteWeb: organisation.siteWeb)
    }
}

extension LHEO.Source {
    /// A formation model with its organisation, statuses and ROME codes loaded.
    init(_ formation: CMQApp.Formation, responsable: Organisation?) {
        self.init(id: formation.id, intitule: formation.intitule, filiere: formation.filiere, typeDiplome: formation.typeDiplome,
                  niveauEntree: formation.niveauEntree, niveauSortie: formation.niveauSortie, cfd: formation.cfd, rncp: formation.rncp,
                  duree: formation.duree, capacite: formation.capacite, modalite: formation.modalite, datesDebut: formation.datesDebut,
                  description: formation.description, lien: formation.lien, createdAt: formation.createdAt, updatedAt: formation.updatedAt,
                  statuses: formation.learnerStatuses, romes: (formation.$romes.value ?? []).map(\.code).sorted(),
                  organisation: LHEO.Party(formation.organisation), responsable: responsable.map(LHEO.Party.init))
    }
}
