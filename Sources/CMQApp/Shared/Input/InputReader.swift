import CMQDomain
import Foundation

/// What a request says about one field: nothing (keep it), or a new value (`nil` clears it).
public enum Update<Value: Sendable>: Sendable {
    case unchanged
    case set(Value)

    public var newValue: Value? {
        if case .set(let value) = self { return value }
        return nil
    }
}

/// An optional value, whatever its type (to flatten `Update<T?>`).
public protocol OptionalInputValue {
    associatedtype Wrapped
    var optional: Wrapped? { get }
}

extension Optional: OptionalInputValue {
    public var optional: Wrapped? { self }
}

extension Update where Value: OptionalInputValue {
    /// The value given, or nil when the field was absent or cleared (a create reads both the same way).
    public var value: Value.Wrapped? { newValue?.optional ?? nil }
}

/// Reads the fields of a JSON object (an API body) or of a submitted HTML form, checks each one, and
/// collects every fault, so that one answer lists them all. Services receive only checked values.
public struct InputReader: Sendable {
    public enum Mode: Sendable { case create, update }

    let object: [String: JSONValue]
    let mode: Mode
    /// HTML forms send every value as text: read "true", "on", "12.5" as a boolean or a number.
    let textValues: Bool
    private(set) var errors: [FieldError] = []
    private var readKeys: Set<String> = []

    public init(object: [String: JSONValue], mode: Mode, textValues: Bool = false) {
        self.object = object
        self.mode = mode
        self.textValues = textValues
    }

    /// A reader for HTML form fields (all strings; an empty field means "no value").
    public init(form: [String: String], mode: Mode) {
        self.init(object: form.mapValues { .string($0) }, mode: mode, textValues: true)
    }

    public mutating func fail(_ field: String, _ detail: String) {
        errors.append(FieldError(field, detail))
    }

    public var hasErrors: Bool { !errors.isEmpty }

    /// Throws every fault found, and refuses fields that are not part of the resource.
    public mutating func finish(ignoring extra: Set<String> = []) throws(AppError) {
        if !textValues {
            for key in object.keys.sorted() where !readKeys.contains(key) && !extra.contains(key) {
                fail(key, "Le champ « \(key) » n'existe pas pour cette ressource.")
            }
        }
        if !errors.isEmpty { throw .validation(errors) }
    }

    /// The raw value, `nil` for an absent field, `.null` for null or an empty text.
    private mutating func raw(_ key: String, required: Bool) -> JSONValue? {
        readKeys.insert(key)
        var value: JSONValue? = object[key]
        if case .string(let text)? = value, text.trimmingSpace().isEmpty { value = .null }
        // A form sends every field it shows: a missing one is an empty one (an unticked box).
        if textValues, value == nil { value = .null }
        guard required else { return value }
        switch value {
        case nil:
            if mode == .create { fail(key, "Le champ « \(key) » est obligatoire.") }
            return nil
        case .null?:
            fail(key, mode == .create || textValues ? "Le champ « \(key) » est obligatoire." : "Le champ « \(key) » ne peut pas être vide.")
            return nil
        default:
            return value
        }
    }

    private mutating func typeFault(_ key: String, expected: String, got: JSONValue) {
        fail(key, "Le champ « \(key) » doit être \(expected), pas \(got.typeName).")
    }

    public mutating func text(_ key: String, required: Bool = false, maxLength: Int = 200) -> Update<String?> {
        guard let value = raw(key, required: required) else { return .unchanged }
        switch value {
        case .null: return .set(nil)
        case .string(let text):
            let trimmed = text.trimmingSpace()
            // An API body is held to the OpenAPI document's maxLength: the value as sent, code point by code point.
            // A form's text is counted as its writer sees it (an accent or a line break is one character).
            let length = textValues ? trimmed.count : text.codePointCount
            guard length <= maxLength else {
                fail(key, "Le champ « \(key) » ne doit pas dépasser \(maxLength) caractères (il en compte \(length)).")
                return .unchanged
            }
            return .set(trimmed)
        default:
            typeFault(key, expected: "une chaîne de caractères", got: value)
            return .unchanged
        }
    }

    public mutating func bool(_ key: String, required: Bool = false) -> Update<Bool?> {
        guard let value = raw(key, required: required) else { return .unchanged }
        switch value {
        case .null: return .set(textValues ? false : nil)
        case .bool(let flag): return .set(flag)
        case .string(let text) where textValues:
            switch text.lowercased() {
            case "true", "on", "1", "oui": return .set(true)
            case "false", "off", "0", "non": return .set(false)
            default:
                fail(key, "Le champ « \(key) » doit valoir oui ou non.")
                return .unchanged
            }
        default:
            typeFault(key, expected: "un booléen (true ou false)", got: value)
            return .unchanged
        }
    }

    public mutating func number(_ key: String, required: Bool = false, range: ClosedRange<Double>) -> Update<Double?> {
        guard let value = raw(key, required: required) else { return .unchanged }
        let number: Double
        switch value {
        case .null: return .set(nil)
        case .number(let n): number = n
        case .string(let text) where textValues:
            guard let n = Double(text.replacingOccurrences(of: ",", with: ".").trimmingCharacters(in: .whitespaces)) else {
                fail(key, "Le champ « \(key) » doit être un nombre.")
                return .unchanged
            }
            number = n
        default:
            typeFault(key, expected: "un nombre", got: value)
            return .unchanged
        }
        guard range.contains(number) else {
            fail(key, "Le champ « \(key) » doit être compris entre \(range.lowerBound.formatted) et \(range.upperBound.formatted).")
            return .unchanged
        }
        return .set(number)
    }

    /// A whole number within a range.
    public mutating func integer(_ key: String, required: Bool = false, range: ClosedRange<Int>) -> Update<Int?> {
        guard case .set(let value) = number(key, required: required, range: Double(range.lowerBound)...Double(range.upperBound)) else { return .unchanged }
        guard let value else { return .set(nil) }
        guard value == value.rounded() else {
            fail(key, "Le champ « \(key) » doit être un nombre entier.")
            return .unchanged
        }
        return .set(Int(value))
    }

    /// A list of texts (a JSON array of strings; in a form, values separated by commas).
    public mutating func texts(_ key: String, required: Bool = false, maxCount: Int = 50) -> Update<[String]> {
        guard let value = raw(key, required: required) else { return .unchanged }
        switch value {
        case .null:
            if required { fail(key, "Le champ « \(key) » doit contenir au moins une valeur."); return .unchanged }
            return .set([])
        case .string(let text) where textValues:
            return .set(text.split(separator: ",").map { String($0).trimmingSpace(newlines: false) }.filter { !$0.isEmpty })
        case .array(let items):
            var result: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item else {
                    fail("\(key)[\(index)]", "Chaque valeur de « \(key) » doit être une chaîne de caractères.")
                    continue
                }
                result.append(text.trimmingSpace())
            }
            if result.count > maxCount { fail(key, "Le champ « \(key) » compte trop de valeurs (au plus \(maxCount)).") }
            if required, result.isEmpty { fail(key, "Le champ « \(key) » doit contenir au moins une valeur.") }
            return .set(result)
        default:
            typeFault(key, expected: "un tableau de chaînes", got: value)
            return .unchanged
        }
    }

    /// A value among a closed list (filière slug, organisation kind…), with the list in the message.
    public mutating func choice<E>(_ key: String, _ type: E.Type, required: Bool = false) -> Update<E?>
    where E: RawRepresentable & CaseIterable & Sendable, E.RawValue == String {
        guard case .set(let text) = self.text(key, required: required, maxLength: 100) else { return .unchanged }
        guard let text else { return .set(nil) }
        guard let value = E(rawValue: text) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            fail(key, "La valeur « \(text) » du champ « \(key) » n'est pas reconnue ; valeurs possibles : \(allowed).")
            return .unchanged
        }
        return .set(value)
    }

    public mutating func day(_ key: String, required: Bool = false) -> Update<CalendarDay?> {
        guard case .set(let text) = self.text(key, required: required, maxLength: 10) else { return .unchanged }
        guard let text else { return .set(nil) }
        guard let day = CalendarDay(iso: text) else {
            fail(key, "Le champ « \(key) » doit être une date au format AAAA-MM-JJ (par exemple 2013-09-01), pas « \(text) ».")
            return .unchanged
        }
        return .set(day)
    }

    public mutating func uuid(_ key: String, required: Bool = false) -> Update<UUID?> {
        guard case .set(let text) = self.text(key, required: required, maxLength: 36) else { return .unchanged }
        guard let text else { return .set(nil) }
        guard let id = UUID(canonical: text) else {
            fail(key, "Le champ « \(key) » doit être un identifiant (UUID), pas « \(text) ».")
            return .unchanged
        }
        return .set(id)
    }

    /// A national code (UAI, SIRET…) checked by its domain type; the domain's French message is reported.
    public mutating func code<Code: Sendable>(_ key: String, required: Bool = false, parse: (String) throws(IdentifierError) -> Code) -> Update<Code?> {
        guard case .set(let text) = self.text(key, required: required, maxLength: 40) else { return .unchanged }
        guard let text else { return .set(nil) }
        do {
            return .set(try parse(text))
        } catch {
            fail(key, error.message)
            return .unchanged
        }
    }

    /// A web address: http or https only.
    public mutating func url(_ key: String) -> Update<String?> {
        guard case .set(let text) = self.text(key, maxLength: 300) else { return .unchanged }
        guard let text else { return .set(nil) }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            fail(key, "Le champ « \(key) » doit être une adresse web complète commençant par https:// ou http://.")
            return .unchanged
        }
        return .set(text)
    }

    /// An email address: something@domain.tld, without spaces.
    public mutating func email(_ key: String, required: Bool = false) -> Update<String?> {
        guard case .set(let text) = self.text(key, required: required, maxLength: 254) else { return .unchanged }
        guard let text else { return .set(nil) }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !text.contains(where: \.isWhitespace) else {
            fail(key, "Le champ « \(key) » doit être une adresse électronique valide (par exemple prenom.nom@ac-amiens.fr).")
            return .unchanged
        }
        return .set(text)
    }

    /// A value the domain decodes itself (opening hours, closures, rules): its French decoding message on failure.
    /// - Parameter knownKeys: for an object, the only fields it may hold (another is refused as at the top level).
    public mutating func decoded<Value: Decodable & Sendable>(_ key: String, _ type: Value.Type, required: Bool = false,
                                                               knownKeys: Set<String>? = nil) -> Update<Value?> {
        guard let value = raw(key, required: required) else { return .unchanged }
        if value == .null { return .set(nil) }
        if let knownKeys, case .object(let fields) = value {
            let unknown = fields.keys.filter { !knownKeys.contains($0) }.sorted()
            for field in unknown { fail("\(key).\(field)", "Le champ « \(key).\(field) » n'existe pas pour cette ressource.") }
            if !unknown.isEmpty { return .unchanged }
        }
        do {
            return .set(try JSONDecoder().decode(Value.self, from: try JSONEncoder().encode(value)))
        } catch let DecodingError.dataCorrupted(context) {
            // The domain's messages are French; Foundation's (an unknown enumeration value) are not.
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            fail(key, context.debugDescription.hasPrefix("Cannot") || context.debugDescription.hasPrefix("The given")
                 ? "La valeur de « \(key)\(path) » n'est pas permise." : context.debugDescription)
        } catch let DecodingError.keyNotFound(missing, _) {
            fail(key, "Le champ « \(key) » doit indiquer « \(missing.stringValue) ».")
        } catch let DecodingError.typeMismatch(_, context) {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            fail(key, "La valeur de « \(key)\(path) » n'a pas le type attendu.")
        } catch {
            fail(key, "La valeur de « \(key) » est illisible.")
        }
        return .unchanged
    }

    /// A nested array of objects, each read by `readElement` with field names prefixed by `key[index].`. `null` is
    /// an empty array where the API's document says so (`nullEmpties`), a type fault elsewhere.
    public mutating func objects<Element: Sendable>(_ key: String, nullEmpties: Bool = false,
                                                    readElement: (inout InputReader) -> Element?) -> Update<[Element]> {
        guard let value = raw(key, required: false) else { return .unchanged }
        switch value {
        case .null where nullEmpties: return .set([])
        case .array(let items):
            var result: [Element] = []
            for (index, item) in items.enumerated() {
                guard case .object(let fields) = item else {
                    fail("\(key)[\(index)]", "Chaque élément de « \(key) » doit être un objet.")
                    continue
                }
                var nested = InputReader(object: fields, mode: .create, textValues: textValues)
                let element = readElement(&nested)
                try? nested.finish()
                errors += nested.errors.map { FieldError("\(key)[\(index)].\($0.field)", $0.detail) }
                if let element, nested.errors.isEmpty { result.append(element) }
            }
            return .set(result)
        default:
            typeFault(key, expected: "un tableau", got: value)
            return .unchanged
        }
    }
}

extension Double {
    var formatted: String {
        self == rounded() ? String(Int(self)) : String(self)
    }
}
