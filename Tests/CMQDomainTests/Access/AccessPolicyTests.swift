import CMQDomain
import Foundation
import Testing

@Suite("Access policy")
struct AccessPolicyTests {
    let campusID = UUID(), otherCampusID = UUID(), organisationID = UUID()

    func actor(_ role: Role, region: String? = nil, campus: UUID? = nil, organisation: UUID? = nil, instance: Instance? = nil) -> Actor {
        Actor(userID: UUID(), role: role, regionCode: region, campusID: campus, organisationID: organisation, instance: instance)
    }

    @Test("the public reads public things and writes nothing")
    func publicVisitor() {
        #expect(AccessPolicy.decide(nil, .read, .campus(id: campusID, regionCode: "32")).isAllowed)
        #expect(!AccessPolicy.decide(nil, .update, .campus(id: campusID, regionCode: "32")).isAllowed)
        #expect(!AccessPolicy.decide(nil, .read, .auditTrail).isAllowed)
    }

    @Test("the national administrator may do everything")
    func national() {
        let admin = actor(.administrateurNational)
        for resource in [Resource.campus(id: nil, regionCode: "11"), .auditTrail, .accounts, .organisation(id: organisationID, campuses: [])] {
            #expect(AccessPolicy.decide(admin, .delete, resource).isAllowed)
        }
    }

    @Test("a région académique acts on the campuses of its académies only")
    func region() {
        let hdf = actor(.regionAcademique, region: "32")
        #expect(AccessPolicy.decide(hdf, .create, .campus(id: nil, regionCode: "32")).isAllowed)
        #expect(AccessPolicy.decide(hdf, .delete, .campus(id: campusID, regionCode: "32")).isAllowed)
        #expect(AccessPolicy.decide(hdf, .update, .campus(id: campusID, regionCode: "52")) == .denied("Ce campus n'appartient pas à votre région académique."))
        #expect(AccessPolicy.decide(hdf, .update, .network(campusID: campusID, regionCode: "32")).isAllowed)
        let inHDF = Resource.organisation(id: organisationID, campuses: [.init(id: campusID, regionCode: "32")])
        let elsewhere = Resource.organisation(id: organisationID, campuses: [.init(id: campusID, regionCode: "52")])
        #expect(AccessPolicy.decide(hdf, .update, inHDF).isAllowed)
        #expect(!AccessPolicy.decide(hdf, .update, elsewhere).isAllowed)
        #expect(!AccessPolicy.decide(hdf, .read, .auditTrail).isAllowed)
    }

    @Test("a campus team changes its campus and network, but neither creates nor deletes campuses")
    func team() {
        let team = actor(.equipeCampus, campus: campusID)
        #expect(AccessPolicy.decide(team, .update, .campus(id: campusID, regionCode: "32")).isAllowed)
        #expect(!AccessPolicy.decide(team, .delete, .campus(id: campusID, regionCode: "32")).isAllowed)
        #expect(!AccessPolicy.decide(team, .update, .campus(id: otherCampusID, regionCode: "32")).isAllowed)
        #expect(AccessPolicy.decide(team, .update, .network(campusID: campusID, regionCode: "32")).isAllowed)
        #expect(!AccessPolicy.decide(team, .update, .network(campusID: otherCampusID, regionCode: "32")).isAllowed)
        #expect(AccessPolicy.decide(team, .create, .organisation(id: nil, campuses: [])).isAllowed)
        #expect(!AccessPolicy.decide(team, .update, .organisation(id: organisationID, campuses: [])).isAllowed)
    }

    @Test("a member changes its own organisation only")
    func member() {
        let member = actor(.membre, organisation: organisationID)
        #expect(AccessPolicy.decide(member, .update, .organisation(id: organisationID, campuses: [])).isAllowed)
        #expect(!AccessPolicy.decide(member, .delete, .organisation(id: organisationID, campuses: [])).isAllowed)
        #expect(!AccessPolicy.decide(member, .update, .organisation(id: UUID(), campuses: [])).isAllowed)
        #expect(!AccessPolicy.decide(member, .update, .campus(id: campusID, regionCode: "32")).isAllowed)
    }

    @Test("an instance changes nothing in the registry; an account without its scope is refused")
    func instanceAndScope() {
        #expect(!AccessPolicy.decide(actor(.instance, instance: .caen), .update, .campus(id: campusID, regionCode: "32")).isAllowed)
        let incomplete = actor(.regionAcademique)
        guard case .denied(let reason) = AccessPolicy.decide(incomplete, .update, .campus(id: campusID, regionCode: "32")) else {
            Issue.record("an account without its région must be refused")
            return
        }
        #expect(reason.contains("doit être rattaché à une région académique"))
    }
    @Test("activity reports: the team writes and transmits, its région reads and acknowledges, nobody else reads")
    func activityReports() {
        let report = Resource.activityReport(campusID: campusID, regionCode: "32")
        let review = Resource.activityReportReview(campusID: campusID, regionCode: "32")
        let team = actor(.equipeCampus, campus: campusID), otherTeam = actor(.equipeCampus, campus: otherCampusID)
        let hdf = actor(.regionAcademique, region: "32"), paca = actor(.regionAcademique, region: "93")
        #expect(AccessPolicy.decide(team, .read, report).isAllowed && AccessPolicy.decide(team, .update, report).isAllowed)
        #expect(!AccessPolicy.decide(team, .update, review).isAllowed)
        #expect(!AccessPolicy.decide(team, .delete, report).isAllowed)
        #expect(!AccessPolicy.decide(otherTeam, .read, report).isAllowed)
        #expect(AccessPolicy.decide(hdf, .read, report).isAllowed && AccessPolicy.decide(hdf, .update, review).isAllowed)
        #expect(!AccessPolicy.decide(hdf, .update, report).isAllowed)
        #expect(!AccessPolicy.decide(paca, .read, report).isAllowed && !AccessPolicy.decide(paca, .update, review).isAllowed)
        #expect(!AccessPolicy.decide(nil, .read, report).isAllowed)
        #expect(!AccessPolicy.decide(actor(.membre, organisation: organisationID), .read, report).isAllowed)
        #expect(!AccessPolicy.decide(actor(.instance, region: "32", instance: .crefop), .read, report).isAllowed)
        #expect(AccessPolicy.decide(actor(.administrateurNational), .update, review).isAllowed)
    }

    @Test("dashboards: the whole of a région's is for its staff and the national level, the national one for the national level; nobody writes")
    func dashboards() {
        let hdf = actor(.regionAcademique, region: "32"), paca = actor(.regionAcademique, region: "93")
        let admin = actor(.administrateurNational)
        #expect(AccessPolicy.decide(hdf, .read, .dashboard(regionCode: "32")).isAllowed)
        #expect(!AccessPolicy.decide(paca, .read, .dashboard(regionCode: "32")).isAllowed)
        #expect(!AccessPolicy.decide(hdf, .read, .dashboard(regionCode: nil)).isAllowed)
        #expect(!AccessPolicy.decide(hdf, .update, .dashboard(regionCode: "32")).isAllowed)
        #expect(AccessPolicy.decide(admin, .read, .dashboard(regionCode: nil)).isAllowed && AccessPolicy.decide(admin, .read, .dashboard(regionCode: "32")).isAllowed)
        for other in [nil, actor(.equipeCampus, campus: campusID), actor(.membre, organisation: organisationID), actor(.instance, region: "32", instance: .crefop)] {
            #expect(!AccessPolicy.decide(other, .read, .dashboard(regionCode: "32")).isAllowed)
            #expect(!AccessPolicy.decide(other, .read, .dashboard(regionCode: nil)).isAllowed)
        }
    }

    @Test("platforms: the owner's members, the campus team and the région manage them; the public reads them")
    func platforms() {
        let campus = UUID(), owner = UUID(), other = UUID()
        let plateau = Resource.plateau(.init(campusID: campus, regionCode: "32", organisationID: owner))
        #expect(AccessPolicy.decide(nil, .read, plateau).isAllowed)
        #expect(!AccessPolicy.decide(nil, .update, plateau).isAllowed)
        for action in [Action.create, .update, .delete] {
            #expect(AccessPolicy.decide(actor(.membre, organisation: owner), action, plateau).isAllowed)
            #expect(!AccessPolicy.decide(actor(.membre, organisation: other), action, plateau).isAllowed)
            #expect(AccessPolicy.decide(actor(.equipeCampus, campus: campus), action, plateau).isAllowed)
            #expect(!AccessPolicy.decide(actor(.equipeCampus, campus: UUID()), action, plateau).isAllowed)
            #expect(AccessPolicy.decide(actor(.regionAcademique, region: "32"), action, plateau).isAllowed)
            #expect(!AccessPolicy.decide(actor(.regionAcademique, region: "11"), action, plateau).isAllowed)
            #expect(!AccessPolicy.decide(actor(.instance, instance: .caen), action, plateau).isAllowed)
        }
    }

    @Test("bookings: members book for their organisation; the owner's side accepts; either side cancels; the public never sees who booked")
    func bookings() {
        let campus = UUID(), owner = UUID(), booker = UUID(), stranger = UUID()
        let booking = Resource.booking(plateau: .init(campusID: campus, regionCode: "32", organisationID: owner), bookerOrganisationID: booker)
        let asBooker = actor(.membre, organisation: booker), asOwner = actor(.membre, organisation: owner), asStranger = actor(.membre, organisation: stranger)
        let team = actor(.equipeCampus, campus: campus), region = actor(.regionAcademique, region: "32")
        #expect(!AccessPolicy.decide(nil, .read, booking).isAllowed)
        // create = book
        #expect(AccessPolicy.decide(asBooker, .create, booking).isAllowed)
        #expect(!AccessPolicy.decide(asStranger, .create, booking).isAllowed)
        #expect(!AccessPolicy.decide(team, .create, booking).isAllowed)
        #expect(!AccessPolicy.decide(region, .create, booking).isAllowed)
        // update = accept or refuse
        #expect(AccessPolicy.decide(asOwner, .update, booking).isAllowed)
        #expect(AccessPolicy.decide(team, .update, booking).isAllowed)
        #expect(!AccessPolicy.decide(asBooker, .update, booking).isAllowed)
        #expect(!AccessPolicy.decide(region, .update, booking).isAllowed)
        #expect(!AccessPolicy.decide(actor(.equipeCampus, campus: UUID()), .update, booking).isAllowed)
        // delete = cancel; read = who booked
        for action in [Action.delete, .read] {
            #expect(AccessPolicy.decide(asBooker, action, booking).isAllowed)
            #expect(AccessPolicy.decide(asOwner, action, booking).isAllowed)
            #expect(AccessPolicy.decide(team, action, booking).isAllowed)
            #expect(!AccessPolicy.decide(asStranger, action, booking).isAllowed)
            #expect(!AccessPolicy.decide(actor(.instance, instance: .cnee), action, booking).isAllowed)
        }
        #expect(AccessPolicy.decide(region, .read, booking).isAllowed)
        #expect(!AccessPolicy.decide(actor(.regionAcademique, region: "11"), .read, booking).isAllowed)
        #expect(AccessPolicy.decide(actor(.administrateurNational), .update, booking).isAllowed)
    }

    @Test("the contest: the national administrator manages it; a campus team enters its own testimonies; jurors mark; any account votes; results public on their date")
    func concours() {
        let admin = actor(.administrateurNational), team = actor(.equipeCampus, campus: campusID), otherTeam = actor(.equipeCampus, campus: otherCampusID)
        let member = actor(.membre, organisation: organisationID), region = actor(.regionAcademique, region: "32")
        let caen = Actor(userID: UUID(), role: .instance, regionCode: "32", instance: .caen, academieCode: "20")
        // editions, categories, juries
        for action in [Action.create, .update, .delete] {
            #expect(AccessPolicy.decide(admin, action, .concours).isAllowed)
            for other in [team, member, region, caen] {
                #expect(AccessPolicy.decide(other, action, .concours) == .denied("Le concours « Ma réussite pro » (éditions, catégories, jurys) est géré par l'administrateur national."))
            }
            #expect(!AccessPolicy.decide(nil, action, .concours).isAllowed)
        }
        #expect(AccessPolicy.decide(nil, .read, .concours).isAllowed)
        // entries: the campus team of the testimony's campus
        let published = Resource.TemoignageScope(campusID: campusID, regionCode: "32", memberOrganisationIDs: [organisationID], submitterID: nil, isPublished: true)
        var unpublished = published
        unpublished.isPublished = false
        #expect(AccessPolicy.decide(team, .create, .concoursCandidature(published)).isAllowed)
        #expect(AccessPolicy.decide(admin, .create, .concoursCandidature(published)).isAllowed)
        #expect(AccessPolicy.decide(otherTeam, .create, .concoursCandidature(published)) == .denied("Vous n'inscrivez au concours que les témoignages de votre campus."))
        #expect(!AccessPolicy.decide(member, .create, .concoursCandidature(published)).isAllowed)
        #expect(!AccessPolicy.decide(region, .create, .concoursCandidature(published)).isAllowed)
        #expect(AccessPolicy.decide(nil, .read, .concoursCandidature(published)).isAllowed)
        #expect(!AccessPolicy.decide(nil, .read, .concoursCandidature(unpublished)).isAllowed)
        // marks: a juror of the edition, whatever their role; nobody else, not even the administrator
        for juror in [member, team, caen, admin] {
            #expect(AccessPolicy.decide(juror, .update, .concoursNotes(isJuror: true)).isAllowed)
            #expect(!AccessPolicy.decide(juror, .update, .concoursNotes(isJuror: false)).isAllowed)
        }
        #expect(!AccessPolicy.decide(member, .delete, .concoursNotes(isJuror: true)).isAllowed)
        #expect(!AccessPolicy.decide(nil, .update, .concoursNotes(isJuror: true)).isAllowed)
        // the vote: any signed-in account, never anonymous; a vote is not changed
        for voter in [member, team, region, caen, admin] { #expect(AccessPolicy.decide(voter, .create, .concoursVote).isAllowed) }
        #expect(AccessPolicy.decide(nil, .create, .concoursVote) == .denied("Vous devez vous connecter pour faire cela."))
        #expect(!AccessPolicy.decide(member, .delete, .concoursVote).isAllowed)
        // results: public once published; before, the administrator only
        #expect(AccessPolicy.decide(nil, .read, .concoursResultats(isPublished: true)).isAllowed)
        #expect(!AccessPolicy.decide(nil, .read, .concoursResultats(isPublished: false)).isAllowed)
        #expect(!AccessPolicy.decide(member, .read, .concoursResultats(isPublished: false)).isAllowed)
        #expect(AccessPolicy.decide(admin, .read, .concoursResultats(isPublished: false)).isAllowed)
    }
}
