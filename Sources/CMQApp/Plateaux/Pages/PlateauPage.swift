import CMQDomain
import Fluent
import Vapor

/// What a platform's page shows: its items, hours, closures and rules, the week of availability, and the booking
/// form for an account that may book (or why it may not).
enum PlateauPage {
    struct EquipementRow: Encodable {
        var nom: String
        var categorie: String
        var quantite: Int
        var securite: Bool
    }

    struct HoursRow: Encodable {
        var jour: String
        var plages: String
    }

    struct RulesBlock: Encodable {
        var approvalRequired: Bool
        var notice: String?
        var maximumDuration: String?
        var openToCampuses: Bool
        var openToCompanies: Bool
    }

    /// The booking form, its values and faults, its fields grouped as the page shows them.
    struct BookingForm: Encodable {
        var action: String
        var organisationName: String?
        var who: [FormField]
        var what: [FormField]
        var slot: [FormField]
        var safety: [FormField]
        var safetyItems: String
        var series: [FormField]
        var policies: [OptionItem]
        var slotErrors: [String]
        var errors: [ErrorLink]
        var approvalRequired: Bool
    }

    struct Context: Encodable {
        var page: PageMeta
        var id: String
        var nom: String
        var description: String
        var adresse: String
        var owner: LinkItem
        var campus: LinkItem
        var equipements: [EquipementRow]
        var hours: [HoursRow]
        var closures: [String]
        var rules: RulesBlock
        var calendarURL: String
        var apiURL: String
        var week: WeekView
        var form: BookingForm?
        /// Why there is no form: not signed in, a role that does not book, an organisation the rules leave out.
        var formNote: String?
        var signInURL: String?
        /// For whoever cannot book here yet: who may, whom to ask, how to get an account.
        var access: Access?
        var notice: String?
        var editURL: String?
        var deleteURL: String?
    }

    static func load(_ loaded: PlateauService.Loaded, week weekDay: CalendarDay, target: BookingTarget, state: FormState, notice: String?,
                     caller: Caller, on db: any Database) async throws -> Context {
        let plateau = loaded.plateau
        let today = caller.today
        let monday = weekDay.mondayOfWeek
        let days = try await BookingQueries.availability(loaded, days: monday...monday.adding(days: 6), target: target, on: db)
        let week = WeekView(plateau: plateau, days: days, target: target, today: today) { day in
            PlateauxURL.week(plateau.id, day: day, equipement: target.equipementID)
        }
        let rights = Rights(caller, .plateau(loaded.scope))
        let (form, note) = try await bookingForm(loaded, state: state, caller: caller, on: db)
        let rules = plateau.rules
        let context = Context(
            page: PageMeta(title: (state.errors.isEmpty ? "" : "Erreur : ") + "Plateau technique \(plateau.nom)",
                           description: plateau.description.isEmpty ? nil : plateau.description, section: "campus"),
            id: plateau.id.uuidString.lowercased(), nom: plateau.nom, description: plateau.description, adresse: plateau.adresse,
            owner: LinkItem(label: loaded.owner.nom, url: RegistryURL.organisation(plateau.organisationID).path),
            campus: LinkItem(label: loaded.campus.nom, url: RegistryURL.campus(plateau.campusID).path),
            equipements: plateau.equipements.map {
                EquipementRow(nom: $0.nom, categorie: $0.categorie, quantite: $0.quantite, securite: $0.requiresSafetyTraining)
            },
            hours: Weekday.allCases.map { day in
                HoursRow(jour: day.label.capitalizingFirstLetter,
                         plages: plateau.openingHours.intervals(on: day).map(\.text).joined(separator: ", "))
            },
            closures: plateau.closures.filter { $0.last >= today }.map { "\($0.french.capitalizingFirstLetter) : \($0.explanation)" },
            rules: RulesBlock(
                approvalRequired: rules.approvalRequired,
                notice: rules.minimumNoticeHours > 0 ? "\(rules.minimumNoticeHours) heure\(rules.minimumNoticeHours > 1 ? "s" : "")" : nil,
                maximumDuration: rules.maximumDurationMinutes.map { UsageStatistics.hoursText(minutes: $0) },
                openToCampuses: rules.openTo.contains(.allCampuses), openToCompanies: rules.openTo.contains(.companies)),
            calendarURL: PlateauxURL.apiCalendar(plateau.id).path, apiURL: PlateauxURL.apiPlateau(plateau.id).path,
            week: week, form: form, formNote: note,
            signInURL: caller.actor == nil ? AccountsURL.login.path(query: ["retour": PlateauxURL.page(plateau.id).path]) : nil,
            access: form == nil ? try await Self.access(loaded, on: db) : nil,
            notice: notice,
            editURL: rights.update ? PlateauxURL.edit(plateau.id).path : nil,
            deleteURL: rights.delete ? PlateauxURL.delete(plateau.id).path : nil)
        return context
    }

    struct Access: Encodable {
        var owner: String
        var ownerURL: String
        var telephone: String?
        var telephoneURI: String?
        var siteWeb: String?
        var campus: String
        var campusURL: String
        var team: [TeamContact]
        var openToCompanies: Bool
        var requestURL: String
    }

    struct TeamContact: Encodable {
        var nom: String
        var role: String
        var email: String?
    }

    /// Whom to contact to book this platform: its owner (telephone, site), the campus team (with the addresses
    /// they chose to publish), and the form to ask for an account.
    static func access(_ loaded: PlateauService.Loaded, on db: any Database) async throws -> Access {
        let team = try await TeamMember.query(on: db).filter(\.$campus.$id == loaded.plateau.campusID).sort(\.$position).all()
        let owner = loaded.owner
        return Access(owner: owner.nom, ownerURL: RegistryURL.organisation(loaded.plateau.organisationID).path,
                      telephone: owner.telephone, telephoneURI: owner.telephone.flatMap { try? PhoneNumber($0).telURI },
                      siteWeb: owner.siteWeb.flatMap(PublicReferences.web),
                      campus: loaded.campus.nom, campusURL: RegistryURL.campus(loaded.plateau.campusID).path,
                      team: team.map { TeamContact(nom: $0.nom, role: $0.role.label, email: $0.email) },
                      openToCompanies: loaded.plateau.rules.openTo.contains(.companies),
                      requestURL: AccountsURL.accessRequest.path)
    }

    /// The form for an account that may book (a member for its organisation, the national administrator for any
    /// organisation of the campus), or the reason why there is none.
    private static func bookingForm(_ loaded: PlateauService.Loaded, state: FormState, caller: Caller, on db: any Database) async throws -> (BookingForm?, String?) {
        guard let actor = caller.actor else { return (nil, nil) }
        let plateau = loaded.plateau
        var organisationField: FormField?
        var organisationName: String?
        switch actor.role {
        case .administrateurNational:
            let members = try await PlateauPagesQueries.activeMembers(of: plateau.campusID, today: caller.today, on: db)
            organisationField = state.field(FieldPath("organisationId"), "Organisation qui réserve", .select, required: true,
                                            blank: "Choisir une organisation du réseau",
                                            choices: members.map { ($0.id!.uuidString.lowercased(), $0.nom) })
        case .membre:
            guard let organisationID = actor.organisationID, let organisation = try await Organisation.find(organisationID, on: db) else {
                return (nil, nil)
            }
            let booker = try await BookerDirectory.booker(organisation: organisation, personID: actor.userID, today: caller.today, on: db)
            guard plateau.rules.allows(booker, onCampus: plateau.campusID) else {
                return (nil, BookingRefusal.notOpenTo(plateau.rules.openTo).message)
            }
            organisationName = organisation.nom
        case .regionAcademique, .equipeCampus, .instance:
            if case .denied(let reason) = AccessPolicy.decide(actor, .create, .booking(plateau: loaded.scope, bookerOrganisationID: plateau.organisationID)) {
                return (nil, reason)
            }
        }
        let training = plateau.equipements.filter(\.requiresSafetyTraining).map(\.nom)
        var start = state.field(FieldPath("debut"), "Début", hint: "Heure, par exemple 08:30", required: true)
        start.inputType = "time"
        var end = state.field(FieldPath("fin"), "Fin", hint: "Heure, par exemple 12:00", required: true)
        end.inputType = "time"
        var day = state.field(FieldPath("jour"), "Jour", .date, hint: "Au format AAAA-MM-JJ si le navigateur ne propose pas de calendrier", required: true)
        day.inputType = "date"
        var participants = state.field(FieldPath("participants"), "Nombre de participants", required: true)
        participants.inputType = "number"
        participants.inputMode = "numeric"
        var weeks = state.field(FieldPath("semaines"), "Répéter chaque semaine pendant",
                                hint: "Nombre de semaines, de 2 à \(PlateauError.maximumSeriesWeeks) ; laissez vide pour une seule réservation")
        weeks.inputType = "number"
        weeks.inputMode = "numeric"
        let policy = state.values.value(FieldPath("politique"))
        let what = [
            state.field(FieldPath("equipement"), "Équipement", .select,
                        choices: [("", "Plateau entier (tous les équipements)")]
                            + plateau.equipements.map { ($0.id.uuidString.lowercased(), $0.nom + ($0.requiresSafetyTraining ? " (formation à la sécurité requise)" : "")) }),
            state.field(FieldPath("objet"), "Objet", .select, required: true, blank: "Choisir l'objet",
                        choices: BookingPurpose.allCases.map { ($0.rawValue, $0.label) }),
            participants,
            state.field(FieldPath("details"), "Précisions", .textarea, hint: "Formation, groupe, besoins particuliers…"),
        ]
        let safety = training.isEmpty ? [] : [state.field(FieldPath("formationSecuriteConfirmee"),
                                                          "Je confirme que les participants ont suivi la formation à la sécurité requise", .checkbox)]
        let who = [organisationField].compactMap { $0 }
        let slot = [day, start, end]
        let form = BookingForm(
            action: PlateauxURL.book(plateau.id).path, organisationName: organisationName, who: who, what: what, slot: slot, safety: safety,
            safetyItems: training.joined(separator: ", "), series: [weeks],
            policies: SeriesPolicy.allCases.map { OptionItem(value: $0.rawValue, label: $0.label, selected: $0.rawValue == policy) },
            slotErrors: state.errors.filter { $0.field == "creneau" }.map(\.detail),
            errors: state.summary(of: who + what + slot + safety + [weeks], linking: ["creneau": (href: "reservation-creneau", label: "Créneau")]),
            approvalRequired: plateau.rules.approvalRequired)
        return (form, nil)
    }

    // MARK: - Booking
}
