import CMQDomain
import Foundation
import Testing

@Suite("Actions: who may do what")
struct ActionsAccessTests {
    let campus = UUID(), otherCampus = UUID(), organiser = UUID(), otherMember = UUID()

    func scope(published: Bool, campus: UUID? = nil, region: String = "32") -> Resource.ActionScope {
        Resource.ActionScope(campusID: campus ?? self.campus, regionCode: region, organiserIDs: [organiser], isPublished: published)
    }

    func may(_ actor: Actor?, _ action: Action, _ resource: Resource) -> Bool { AccessPolicy.decide(actor, action, resource).isAllowed }

    @Test("the public reads published actions only, never the registrants, and writes nothing")
    func publicVisitor() {
        #expect(may(nil, .read, .campusAction(scope(published: true))))
        #expect(!may(nil, .read, .campusAction(scope(published: false))))
        #expect(!may(nil, .create, .campusAction(scope(published: false))))
        #expect(!may(nil, .read, .actionRegistrations(scope(published: true))))
    }

    @Test("the campus team manages its campus's actions and registrants, not another campus's")
    func team() {
        let team = Actor(userID: UUID(), role: .equipeCampus, campusID: campus)
        for action in [Action.create, .update, .delete, .read] {
            #expect(may(team, action, .campusAction(scope(published: false))))
            #expect(!may(team, action, .campusAction(scope(published: false, campus: otherCampus))))
        }
        #expect(may(team, .read, .actionRegistrations(scope(published: true))))
        #expect(!may(team, .read, .actionRegistrations(scope(published: true, campus: otherCampus))))
        #expect(may(team, .read, .campusAction(scope(published: true, campus: otherCampus))))
    }

    @Test("an organising member manages the actions it organises; another member only reads published ones")
    func members() {
        let member = Actor(userID: UUID(), role: .membre, organisationID: organiser)
        let other = Actor(userID: UUID(), role: .membre, organisationID: otherMember)
        #expect(may(member, .create, .campusAction(scope(published: false))))
        #expect(may(member, .update, .campusAction(scope(published: true))))
        #expect(may(member, .read, .actionRegistrations(scope(published: true))))
        #expect(!may(other, .update, .campusAction(scope(published: true))))
        #expect(!may(other, .read, .campusAction(scope(published: false))))
        #expect(may(other, .read, .campusAction(scope(published: true))))
        #expect(AccessPolicy.decide(other, .update, .campusAction(scope(published: true)))
                == .denied("Vous ne gérez que les actions dont votre organisation est organisatrice."))
    }

    @Test("the région reads its campuses' actions (drafts included), writes none, and does not see registrants")
    func region() {
        let hdf = Actor(userID: UUID(), role: .regionAcademique, regionCode: "32")
        #expect(may(hdf, .read, .campusAction(scope(published: false))))
        #expect(!may(hdf, .read, .campusAction(scope(published: false, region: "84"))))
        #expect(!may(hdf, .update, .campusAction(scope(published: false))))
        #expect(!may(hdf, .read, .actionRegistrations(scope(published: true))))
    }

    @Test("the national level sees and does everything; an instance nothing")
    func nationalAndInstance() {
        let admin = Actor(userID: UUID(), role: .administrateurNational)
        #expect(may(admin, .update, .campusAction(scope(published: false, region: "84"))))
        #expect(may(admin, .read, .actionRegistrations(scope(published: false, region: "84"))))
        let cnee = Actor(userID: UUID(), role: .instance, instance: .cnee)
        #expect(!may(cnee, .read, .campusAction(scope(published: false))))
        #expect(may(cnee, .read, .campusAction(scope(published: true))))
    }
}
