import CMQDomain
import Foundation
import Testing

@Suite("Plateaux: the booking rules of a platform")
struct PlateauxBookingRulesTests {
    typealias F = PlateauxFixtures

    func reasons(_ plateau: Plateau, _ request: BookingRequest, now: Date? = nil) throws -> [String] {
        plateau.refusals(for: request, now: try now ?? F.now()).map(\.message)
    }

    @Test("a request within the rules is accepted by the rules")
    func accepted() throws {
        let plateau = try F.plateau()
        let request = F.request(try F.range("2026-11-23", "08:00", "12:00"))
        #expect(try reasons(plateau, request).isEmpty)
        #expect(throws: Never.self) { try plateau.check(request, now: try F.now()) }
    }

    @Test("the minimum notice")
    func notice() throws {
        let plateau = try F.plateau(rules: PlateauRules(minimumNoticeHours: 48))
        let request = F.request(try F.range("2026-11-23", "08:00", "10:00"))
        #expect(try reasons(plateau, request, now: F.at("2026-11-23T06:00").date)
            == ["Le créneau commence dans 2 heures : le plateau demande un préavis de 48 heures."])
        #expect(try reasons(plateau, request, now: F.at("2026-11-23T07:15").date)
            == ["Le créneau commence dans 45 minutes : le plateau demande un préavis de 48 heures."])
        #expect(try reasons(plateau, request, now: F.at("2026-11-21T08:00").date).isEmpty)
        #expect(try reasons(plateau, request, now: F.at("2026-11-23T08:00").date)
            == ["Le créneau commence le lundi 23 novembre 2026 à 08:00 : cette date est passée."])
    }

    @Test("closures")
    func closure() throws {
        let plateau = try F.plateau()
        #expect(try reasons(plateau, F.request(F.range("2026-12-23", "09:00", "11:00")))
            == ["Le plateau est fermé du 22 décembre 2026 au 2 janvier 2027 (vacances)."])
        let holiday = try Closure(from: F.day("2026-11-11"), to: F.day("2026-11-11"), reason: .autre, motif: "jour férié")
        #expect(try reasons(F.plateau(closures: [holiday]), F.request(F.range("2026-11-11", "09:00", "11:00")))
            == ["Le plateau est fermé le 11 novembre 2026 (jour férié)."])
    }

    @Test("opening hours")
    func openingHours() throws {
        let plateau = try F.plateau()
        #expect(try reasons(plateau, F.request(F.range("2026-11-23", "19:00", "21:00")))
            == ["Le créneau du lundi 23 novembre 2026 de 19:00 à 21:00 est en dehors des heures d'ouverture (lundi : 08:00–12:00, 13:30–18:00)."])
        #expect(try reasons(plateau, F.request(F.range("2026-11-23", "11:00", "14:00")))
            == ["Le créneau du lundi 23 novembre 2026 de 11:00 à 14:00 est en dehors des heures d'ouverture (lundi : 08:00–12:00, 13:30–18:00)."])
        #expect(try reasons(plateau, F.request(F.range("2026-11-29", "10:00", "12:00")))
            == ["Le créneau du dimanche 29 novembre 2026 de 10:00 à 12:00 est en dehors des heures d'ouverture (dimanche : fermé)."])
    }

    @Test("the maximum duration")
    func maximumDuration() throws {
        let plateau = try F.plateau(rules: PlateauRules(maximumDurationMinutes: 8 * 60))
        #expect(try reasons(plateau, F.request(F.range("2026-11-28", "08:00", "18:00")))
            == ["La durée de 10 h dépasse la durée maximale de 8 h."])
        #expect(try reasons(plateau, F.request(F.range("2026-11-28", "08:00", "16:00"))).isEmpty)
        let short = try F.plateau(rules: PlateauRules(maximumDurationMinutes: 90))
        #expect(try reasons(short, F.request(F.range("2026-11-23", "08:00", "09:45")))
            == ["La durée de 1 h 45 dépasse la durée maximale de 1 h 30."])
    }

    @Test("who may book: the campus's members by default, other campuses and companies when the owner opens it")
    func access() throws {
        let creneau = try F.range("2026-11-23", "08:00", "10:00")
        let outsider = F.booker(F.cfa, kind: .cfa, campuses: [F.otherCampus])
        let company = F.booker(F.entreprise, kind: .entreprise, campuses: [])
        let closed = try F.plateau()
        #expect(try reasons(closed, F.request(creneau, booker: outsider)) == ["Ce plateau est réservé aux membres du campus."])
        #expect(try reasons(closed, F.request(creneau, booker: company)) == ["Ce plateau est réservé aux membres du campus."])
        #expect(try reasons(closed, F.request(creneau, booker: F.booker(F.entreprise, kind: .entreprise))).isEmpty)

        let campuses = try F.plateau(rules: PlateauRules(openTo: [.allCampuses]))
        #expect(try reasons(campuses, F.request(creneau, booker: outsider)).isEmpty)
        #expect(try reasons(campuses, F.request(creneau, booker: company))
            == ["Ce plateau est réservé aux membres des campus des métiers et des qualifications."])

        let companies = try F.plateau(rules: PlateauRules(openTo: [.companies]))
        #expect(try reasons(companies, F.request(creneau, booker: company)).isEmpty)
        #expect(try reasons(companies, F.request(creneau, booker: outsider)) == ["Ce plateau est réservé aux membres du campus et aux entreprises."])
        #expect(companies.rules.openTo == [.campusMembers, .companies])
    }

    @Test("participants and the safety training of the equipment")
    func participantsAndTraining() throws {
        let plateau = try F.plateau()
        let creneau = try F.range("2026-11-23", "08:00", "10:00")
        #expect(try reasons(plateau, F.request(creneau, participants: 0)) == ["Le nombre de participants doit être d'au moins 1."])
        #expect(try reasons(plateau, F.request(creneau, target: .equipement(F.presse)))
            == ["L'équipement « Presse à injecter » demande une formation à la sécurité : confirmez-la."])
        #expect(try reasons(plateau, F.request(creneau, target: .equipement(F.presse), training: true)).isEmpty)
        // The whole platform includes the press.
        #expect(try reasons(plateau, F.request(creneau, target: .plateau))
            == ["L'équipement « Presse à injecter » demande une formation à la sécurité : confirmez-la."])
        #expect(try reasons(plateau, F.request(creneau, target: .equipement(F.id(999)))) == ["L'équipement demandé ne fait pas partie de ce plateau."])
        #expect(BookingRefusal.safetyTrainingNotConfirmed(equipements: ["Presse à injecter", "Tour"]).message
            == "Les équipements « Presse à injecter » et « Tour » demandent une formation à la sécurité : confirmez-la.")
    }

    @Test("every reason is given at once, in a fixed order, and thrown together")
    func allReasons() throws {
        let plateau = try F.plateau(rules: PlateauRules(minimumNoticeHours: 48, maximumDurationMinutes: 60))
        let request = F.request(try F.range("2026-12-23", "19:00", "21:00"), target: .equipement(F.presse),
                                booker: F.booker(F.entreprise, kind: .entreprise, campuses: []), participants: 0)
        let expected = [
            "Le créneau commence dans 4 heures : le plateau demande un préavis de 48 heures.",
            "Le plateau est fermé du 22 décembre 2026 au 2 janvier 2027 (vacances).",
            "Le créneau du mercredi 23 décembre 2026 de 19:00 à 21:00 est en dehors des heures d'ouverture (mercredi : 08:00–12:00, 13:30–18:00).",
            "La durée de 2 h dépasse la durée maximale de 1 h.",
            "Ce plateau est réservé aux membres du campus.",
            "Le nombre de participants doit être d'au moins 1.",
            "L'équipement « Presse à injecter » demande une formation à la sécurité : confirmez-la.",
        ]
        let now = try F.at("2026-12-23T15:00").date
        #expect(try reasons(plateau, request, now: now) == expected)
        let error = #expect(throws: BookingError.self) { try plateau.check(request, now: now) }
        #expect(error?.reasons == expected)
        #expect(error?.message == expected.joined(separator: " "))
        #expect(error?.isConflict == false)
    }

    @Test("bad rules are refused")
    func badRules() {
        #expect(throws: PlateauError.negativeNotice(-1)) { try PlateauRules(minimumNoticeHours: -1) }
        #expect(throws: PlateauError.nonPositiveMaximumDuration(0)) { try PlateauRules(maximumDurationMinutes: 0) }
        #expect(PlateauError.negativeNotice(-1).message == "Le préavis minimal ne peut pas être négatif.")
    }

    @Test("a platform needs a name and valid equipment")
    func validation() throws {
        var plateau = try F.plateau()
        #expect(throws: Never.self) { try plateau.validate() }
        plateau.equipements.append(Equipement(id: F.presse, nom: "Presse à injecter"))
        #expect(throws: PlateauError.duplicateEquipment("Presse à injecter")) { try plateau.validate() }
        plateau.equipements = [Equipement(id: F.presse, nom: "Presse", quantite: 0)]
        #expect(throws: PlateauError.equipmentQuantity(name: "Presse", quantity: 0)) { try plateau.validate() }
        plateau.nom = " "
        #expect(throws: PlateauError.missingPlateauName) { try plateau.validate() }
    }

    @Test("the platform's JSON form")
    func plateauCodable() throws {
        let plateau = try F.plateau(rules: PlateauRules(approvalRequired: false, minimumNoticeHours: 48, maximumDurationMinutes: 480, openTo: [.companies]))
        let data = try JSONEncoder().encode(plateau)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["id", "campus", "organisation", "nom", "description", "adresse", "equipements", "horaires", "fermetures", "regles"])
        let regles = try #require(object["regles"] as? [String: Any])
        #expect(regles["ouvertA"] as? [String] == ["membres-campus", "entreprises"])
        #expect(regles["preavisHeures"] as? Int == 48)
        let equipement = try #require((object["equipements"] as? [[String: Any]])?.first)
        #expect(equipement["formationSecurite"] as? Bool == true)
        #expect(try JSONDecoder().decode(Plateau.self, from: data) == plateau)
    }
}
