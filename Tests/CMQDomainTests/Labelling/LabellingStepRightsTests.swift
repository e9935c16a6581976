import CMQDomain
import Foundation
import Testing

/// Which steps of the procedure each account may take: the dossier's state, the access policy's territory and
/// the part its role plays (the dossier page shows exactly these forms; the service refuses the others).
@Suite("Labelling procedure: who takes each step")
struct LabellingStepRightsTests {
    typealias F = LabellingFixtures

    static let campus = UUID()
    /// A 2014 dossier of a campus of the Hauts-de-France (région 32, académie d'Amiens 20), assigned to its bodies.
    static let resource = Resource.dossier(campusID: campus, regionCode: "32", academieCode: "20", bodies: Set(F.r2014.instances))

    static func actor(_ role: Role, instance: Instance? = nil, region: String? = nil, campus: UUID? = nil, academie: String? = nil) -> Actor {
        Actor(userID: UUID(), role: role, regionCode: region, campusID: campus, instance: instance, academieCode: academie)
    }

    @Test("a draft: the région and the administrator edit, deposit, abandon; the team, an instance, nobody: nothing")
    func draft() throws {
        let dossier = try F.draft(F.r2014)
        let writer: Set<ProcedureAction> = [.edition, .depot, .abandon]
        #expect(dossier.steps(for: Self.actor(.regionAcademique, region: "32"), dossier: Self.resource) == writer)
        #expect(dossier.steps(for: Self.actor(.administrateurNational), dossier: Self.resource) == writer)
        #expect(dossier.steps(for: Self.actor(.regionAcademique, region: "52"), dossier: Self.resource).isEmpty)
        #expect(dossier.steps(for: Self.actor(.equipeCampus, campus: Self.campus), dossier: Self.resource).isEmpty)
        #expect(dossier.steps(for: Self.actor(.instance, instance: .caen, region: "32", academie: "20"), dossier: Self.resource).isEmpty)
        #expect(dossier.steps(for: nil, dossier: Self.resource).isEmpty)
    }

    @Test("deposited: each body its own opinion, the région only the abandon; an instance never edits")
    func deposited() throws {
        var dossier = try F.draft(F.r2014)
        try F.apply(&dossier, .depot(date: F.day("2013-02-01")))
        #expect(dossier.steps(for: Self.actor(.instance, instance: .caen, region: "32", academie: "20"), dossier: Self.resource) == [.avis(.caen)])
        #expect(dossier.steps(for: Self.actor(.instance, instance: .caen, region: "32", academie: "19"), dossier: Self.resource).isEmpty)
        #expect(dossier.steps(for: Self.actor(.instance, instance: .crefop, region: "32"), dossier: Self.resource) == [.avis(.crefop)])
        #expect(dossier.steps(for: Self.actor(.regionAcademique, region: "32"), dossier: Self.resource) == [.abandon])
        #expect(dossier.steps(for: Self.actor(.administrateurNational), dossier: Self.resource) == [.avis(.caen), .avis(.crefop), .abandon])
        let caen = Self.actor(.instance, instance: .caen, region: "32", academie: "20")
        #expect(AccessPolicy.decide(caen, .edition, in: F.r2014) == .denied("Le dossier est rédigé par la région académique."))
        #expect(AccessPolicy.decide(caen, .avis(.crefop), in: F.r2014) == .denied("Vous ne pouvez donner que l'avis de votre propre instance."))
    }

    @Test("the expertise: the experts score and close it; the decision is the administrator's alone")
    func expertiseAndDecision() throws {
        var dossier = try F.draft(F.r2014)
        try F.apply(&dossier, .depot(date: F.day("2013-02-01")))
        try F.apply(&dossier, .avis(F.avis(.caen, "2013-03-01")))
        try F.apply(&dossier, .avis(F.avis(.crefop, "2013-03-05")))
        let expert = Self.actor(.instance, instance: .groupeExperts)
        #expect(dossier.steps(for: expert, dossier: Self.resource) == [.notation, .clotureExpertise])
        #expect(dossier.steps(for: Self.actor(.administrateurNational), dossier: Self.resource) == [.clotureExpertise, .abandon])
        let ready = try F.readyForDecision2014()
        #expect(ready.steps(for: Self.actor(.administrateurNational), dossier: Self.resource) == [.decision, .abandon])
        #expect(ready.steps(for: Self.actor(.regionAcademique, region: "32"), dossier: Self.resource) == [.abandon])
        #expect(ready.steps(for: expert, dossier: Self.resource).isEmpty)
    }
}
