import CMQDomain
import Testing

@Suite("Network compliance")
struct NetworkComplianceTests {
    let support = NetworkMember(name: "Lycée professionnel Condorcet", kind: .lyceeProfessionnel, isPublic: true, role: .etablissementSupport)
    let company = NetworkMember(name: "Valeo", kind: .entreprise, isPublic: false, role: .partenaire)
    let university = NetworkMember(name: "Université de Picardie Jules Verne", kind: .universite, isPublic: true, role: .membre)
    let lab = NetworkMember(name: "Laboratoire des technologies innovantes", kind: .laboratoireRecherche, isPublic: true, role: .partenaire)

    var complete: [NetworkMember] { [support, company, university, lab] }

    func check(_ rule: ComplianceCheck.Rule, _ members: [NetworkMember], on day: CalendarDay = CalendarDay(iso: "2025-01-01")!) -> ComplianceCheck {
        NetworkCompliance(members: members, on: day).checks.first { $0.rule == rule }!
    }

    @Test("a complete network passes every check, in the order of the cahier des charges")
    func complete_network() {
        let compliance = NetworkCompliance(members: complete)
        #expect(compliance.isCompliant)
        #expect(compliance.checks.map(\.rule) == [.etablissementSupport, .eple, .entreprise, .enseignementSuperieur, .laboratoireRecherche])
        #expect(check(.etablissementSupport, complete).explanation == "L'établissement support est « Lycée professionnel Condorcet » (lycée professionnel).")
    }

    @Test("an empty network fails every check and says why")
    func empty() {
        let compliance = NetworkCompliance(members: [])
        #expect(!compliance.isCompliant)
        #expect(compliance.checks.allSatisfy { !$0.passed })
        #expect(compliance.checks[0].explanation == "Aucun établissement support n'est désigné.")
    }

    @Test("two supports fail the first check, naming both")
    func twoSupports() {
        var second = university
        second.role = .etablissementSupport
        let result = check(.etablissementSupport, complete + [second])
        #expect(!result.passed)
        #expect(result.explanation.contains("2 établissements supports"))
        #expect(result.explanation.contains("Université de Picardie Jules Verne"))
    }

    @Test("the support must be a training establishment")
    func supportMustTrain() {
        var companySupport = company
        companySupport.role = .etablissementSupport
        let result = check(.etablissementSupport, [companySupport, university, lab])
        #expect(!result.passed)
        #expect(result.explanation.contains("doit être un établissement de formation"))
    }

    @Test("a private lycée is not an EPLE")
    func eple() {
        var privateSupport = support
        privateSupport.isPublic = false
        #expect(!check(.eple, [privateSupport, company, university, lab]).passed)
        #expect(check(.eple, complete).passed)
        let agricole = NetworkMember(name: "Lycée agricole", kind: .lyceeAgricole, isPublic: true, role: .membre)
        #expect(check(.eple, [agricole]).passed)
    }

    @Test("a professional branch is not a company; an IUT or an engineering school is higher education")
    func kinds() {
        let branch = NetworkMember(name: "UIMM", kind: .brancheProfessionnelle, isPublic: false, role: .partenaire)
        #expect(!check(.entreprise, [branch]).passed)
        let iut = NetworkMember(name: "IUT de l'Aisne", kind: .iut, isPublic: true, role: .membre)
        #expect(check(.enseignementSuperieur, [iut]).passed)
        let school = NetworkMember(name: "École centrale", kind: .ecoleIngenieurs, isPublic: true, role: .membre)
        #expect(check(.enseignementSuperieur, [school]).passed)
        let platform = NetworkMember(name: "Innovaltech", kind: .plateformeTechnologique, isPublic: false, role: .partenaire)
        #expect(!check(.laboratoireRecherche, [platform]).passed)
    }

    @Test("members who left, or have not joined yet, don't count")
    func dates() {
        var formerLab = lab
        formerLab.until = CalendarDay(iso: "2020-06-30")
        #expect(!check(.laboratoireRecherche, [support, company, university, formerLab]).passed)
        var futureCompany = company
        futureCompany.since = CalendarDay(iso: "2030-01-01")
        #expect(!check(.entreprise, [support, futureCompany]).passed)
        #expect(check(.entreprise, [support, futureCompany], on: CalendarDay(iso: "2031-01-01")!).passed)
    }

    @Test("passed checks name what was found")
    func explanations() {
        let secondCompany = NetworkMember(name: "Saint-Gobain", kind: .entreprise, isPublic: false, role: .partenaire)
        #expect(check(.entreprise, complete + [secondCompany]).explanation == "Entreprise : « Valeo » et 1 autre.")
    }
}
