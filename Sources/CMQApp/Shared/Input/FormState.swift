import CMQDomain
import Foundation
import LeafKit
import Vapor

// The pieces every back-office form shares: reading a submitted form, putting its values and faults back
// beside their fields, and answering a submission (303 on success, the form again on a fault).

// MARK: - Submitted values

/// The values of a back-office form: its single fields by name, and the rows of its repeated groups
/// (the team of a campus, posted as `equipe[0][nom]`, `equipe[0][role]`…).
struct FormValues: Sendable, Equatable {
    var fields: [String: String] = [:]
    /// Rows in their order on the page, blank rows left out.
    var rows: [String: [[String: String]]] = [:]

    init(fields: [String: String] = [:], rows: [String: [[String: String]]] = [:]) {
        self.fields = fields
        self.rows = rows
    }

    /// Reads an `application/x-www-form-urlencoded` body. A row whose cells are all blank is dropped,
    /// so that the rows kept line up with the faults the services report (`equipe[1].email`).
    init(_ req: Request) throws {
        let body = try req.content.decode([String: FormNode].self)
        for (name, node) in body {
            switch node {
            case .text(let value):
                fields[name] = value
            case .parts(let indexed):
                rows[name] = indexed
                    .compactMap { index, row -> (Int, [String: String])? in
                        guard let position = Int(index), case .parts(let cells) = row else { return nil }
                        return (position, cells.compactMapValues(\.text))
                    }
                    .sorted { $0.0 < $1.0 }
                    .map(\.1)
                    .filter { row in row.values.contains { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } }
            }
        }
    }

    func value(_ path: FieldPath) -> String {
        guard let group = path.group else { return fields[path.key] ?? "" }
        let groupRows = rows[group] ?? []
        return groupRows.indices.contains(path.index) ? groupRows[path.index][path.key] ?? "" : ""
    }
}

/// One value of a url-encoded body: a text, or the parts of a bracketed name (`equipe[0][nom]`).
private enum FormNode: Decodable {
    case text(String)
    case parts([String: FormNode])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .parts(try container.decode([String: FormNode].self))
        }
    }

    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }
}

extension InputReader {
    /// A reader for a submitted form with repeated groups: each group is read as an array of objects, as the API
    /// sends it, so that the services check a form exactly as they check a JSON body.
    init(form values: FormValues, mode: Mode) {
        var object = values.fields.mapValues(JSONValue.string)
        for (group, rows) in values.rows {
            object[group] = .array(rows.map { .object($0.mapValues(JSONValue.string)) })
        }
        self.init(object: object, mode: mode, textValues: true)
    }
}

// MARK: - Fields and their faults

/// Where a field sits in a form, named as the services name their faults: `nom`, or `equipe[0].nom` in a row.
struct FieldPath: Hashable, Sendable {
    var key: String
    var group: String?
    var index: Int

    init(_ key: String) {
        self.key = key
        self.group = nil
        self.index = 0
    }

    init(_ key: String, in group: String, row index: Int) {
        self.key = key
        self.group = group
        self.index = index
    }

    /// The name of the field in a `FieldError`.
    var fault: String { group.map { "\($0)[\(index)].\(key)" } ?? key }
    /// The name of the HTML control.
    var htmlName: String { group.map { "\($0)[\(index)][\(key)]" } ?? key }
    /// The id of the HTML control, the target of the error summary's links.
    var htmlID: String { "champ-" + (group.map { "\($0)-\(index + 1)-\(key)" } ?? key) }
}

/// One control of a back-office form, with the value to show and the fault to show beside it.
struct FormField: Encodable {
    enum Kind: String, Encodable {
        case text, textarea, select, checkbox, date, url, email, tel, decimal

        /// The `type` of an `<input>` of this kind; a decimal is a text with a decimal keypad, so that "49,85" is accepted.
        var inputType: String {
            switch self {
            case .date, .url, .email, .tel: rawValue
            default: "text"
            }
        }
    }

    var kind: Kind
    var fault: String
    var id: String
    var name: String
    var label: String
    var hint: String?
    var value: String
    var checked: Bool
    var options: [OptionItem]
    var required: Bool
    var error: String?
    var errorID: String
    var inputType: String
    var inputMode: String?
    /// The legend of the row the field belongs to ("Personne 2"), which the error summary names.
    var row: String?
}

/// A row of a repeated group (one person of a team), in its own fieldset.
struct FormGroup: Encodable {
    var legend: String
    var fields: [FormField]

    init(legend: String, fields: [FormField]) {
        self.legend = legend
        self.fields = fields.map { field in
            var field = field
            field.row = legend
            return field
        }
    }
}

/// A fieldset of a form: its fields, or its rows (the people of a team).
struct FormSection: Encodable {
    var legend: String
    var hint: String?
    var fields: [FormField] = []
    var groups: [FormGroup] = []
}

struct ErrorLink: Encodable {
    var href: String?
    var text: String
}

/// A link of a breadcrumb or of a list; the current page has no address.
struct LinkItem: Encodable {
    var label: String
    var url: String?
}

/// What a form shows: the values submitted (or stored) and the faults found in them.
struct FormState {
    var values: FormValues
    var errors: [FieldError] = []

    static let checkedValues: Set<String> = ["on", "true", "1", "oui"]

    /// A field of the form. Its faults come from the services, which name fields by their API key: in the message
    /// the key gives way to the label the user sees (« dateCreation » → « Date de création »).
    func field(_ path: FieldPath, _ label: String, _ kind: FormField.Kind = .text, hint: String? = nil, required: Bool = false,
               blank: String? = nil, choices: [(value: String, label: String)] = []) -> FormField {
        let value = values.value(path)
        let messages = messages(for: path, label: label)
        var options = blank.map { [OptionItem(value: "", label: $0, selected: value.isEmpty)] } ?? []
        options += choices.map { OptionItem(value: $0.value, label: $0.label, selected: $0.value == value) }
        return FormField(
            kind: kind, fault: path.fault, id: path.htmlID, name: path.htmlName, label: label, hint: hint,
            value: value, checked: Self.checkedValues.contains(value.lowercased()), options: options, required: required,
            error: messages.isEmpty ? nil : messages.joined(separator: " "), errorID: path.htmlID + "-erreur",
            inputType: kind.inputType,
            inputMode: kind == .decimal ? "decimal" : nil, row: nil)
    }

    /// The faults of a field, worded with its label rather than its API key.
    func messages(for path: FieldPath, label: String) -> [String] {
        errors.filter { $0.field == path.fault }.map {
            $0.detail.replacingOccurrences(of: "champ « \(path.key) »", with: "champ « \(label) »")
        }
    }

    /// The error summary: every fault, linked to its field when the form shows it, in the order of the page.
    /// `extraTargets` are controls the page shows above `fields` (the radio buttons of the network page).
    func summary(of fields: [FormField], linking extraTargets: [String: (href: String, label: String)] = [:]) -> [ErrorLink] {
        let byFault = Dictionary(fields.map { ($0.fault, $0) }, uniquingKeysWith: { first, _ in first })
        var position = Dictionary(fields.enumerated().map { ($0.element.fault, $0.offset) }, uniquingKeysWith: { first, _ in first })
        for fault in extraTargets.keys { position[fault] = -1 }
        return errors
            .enumerated()
            .sorted { (position[$0.element.field] ?? Int.max, $0.offset) < (position[$1.element.field] ?? Int.max, $1.offset) }
            .map { _, error in
                if let field = byFault[error.field] {
                    let text = Self.naming(field.label, in: field.error ?? error.detail)
                    return ErrorLink(href: "#" + field.id, text: field.row.map { "\($0) : \(text)" } ?? text)
                }
                if let target = extraTargets[error.field] {
                    let detail = error.detail.replacingOccurrences(of: "champ « \(error.field) »", with: "champ « \(target.label) »")
                    return ErrorLink(href: "#" + target.href, text: Self.naming(target.label, in: detail))
                }
                return ErrorLink(href: nil, text: error.detail)
            }
    }

    /// A fault as the summary lists it: it must say which field it is about.
    static func naming(_ label: String, in message: String) -> String {
        message.contains("« \(label) »") ? message : "\(label) : \(message)"
    }
}

/// A create or edit page: the form, its fieldsets and, after a refused submission, the summary of its faults.
struct FormPageContext: Encodable {
    var page: PageMeta
    var breadcrumb: [LinkItem]
    var heading: String
    var action: String
    var submitLabel: String
    var cancelURL: String
    var sections: [FormSection]
    var errors: [ErrorLink]

    init(title: String, breadcrumb: [LinkItem], action: String, submitLabel: String, cancelURL: String,
         state: FormState, sections: [FormSection]) {
        let fields = sections.flatMap { $0.fields + $0.groups.flatMap(\.fields) }
        self.errors = state.summary(of: fields)
        self.page = PageMeta(title: errors.isEmpty ? title : "Erreur : \(title)", section: "gestion")
        self.breadcrumb = breadcrumb
        self.heading = title
        self.action = action
        self.submitLabel = submitLabel
        self.cancelURL = cancelURL
        self.sections = sections
    }
}

// MARK: - Answering a submission

/// Faults to show beside the fields of a form, with the status of the page that shows them again.
struct FormRefusal: Error {
    var errors: [FieldError]
    var status: HTTPResponseStatus

    /// A conflict with what exists (a UAI already taken, an organisation already in the network), shown at `field`.
    static func conflict(_ detail: String, at field: String) -> FormRefusal {
        FormRefusal(errors: [FieldError(field, detail)], status: .conflict)
    }
}

extension Request {
    /// Runs a form's write, then redirects (303) to the address it returns. When the services refuse the values —
    /// invalid fields (422) or a conflict with what exists (409) — nothing has been written, and the form is shown
    /// again with every submitted value and each fault beside its field.
    func submitForm(_ values: FormValues, show: (FormState) async throws -> View,
                    write: () async throws -> String) async throws -> Response {
        let refusal: FormRefusal
        do {
            return redirect(to: try await write(), redirectType: .normal)
        } catch let error as FormRefusal {
            refusal = error
        } catch AppError.validation(let errors) {
            refusal = FormRefusal(errors: errors, status: .unprocessableEntity)
        } catch AppError.conflict(let detail) {
            refusal = FormRefusal(errors: [FieldError("", detail)], status: .conflict)
        }
        let view = try await show(FormState(values: values, errors: refusal.errors))
        return try await view.encodeResponse(status: refusal.status, for: self)
    }
}

// MARK: - Notices after a redirect

/// `#queryFlag("supprime")`: whether the page's address carries `supprime=1`. There is no session yet: a back-office
/// action tells the page it redirects to what it did this way, and the page's template words the notice.
struct QueryFlagTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        try ctx.requireParameterCount(1)
        guard let name = ctx.parameters[0].string else {
            throw LeafError(.unknownError("#queryFlag expects the name of a query parameter"))
        }
        return .bool(ctx.request?.query[String.self, at: name] == "1")
    }
}
