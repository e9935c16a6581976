import CMQDomain

/// The SIRETs of the demo's organisations. The DEPP files give the establishments' UAI but not their SIRET, and
/// LHEO (the exchange format of training offers) requires the responsible organisation's SIRET: the demo gives
/// every organisation an invented one, so that its catalogue exports as LHEO like a real one.
///
/// They are demo data, not the organisations' real numbers (the DEPP files do not give them, and a real company's
/// SIRET is never borrowed): the SIREN is `000` followed by the organisation's rank (from 1, five digits) and its key, which marks the
/// number as the demo's (`isDemo`; the demo's summary and the README say so); the SIREN and the whole SIRET pass Luhn,
/// as real ones do, so that the number passes every check a real one passes.
enum DemoSIRET {
    /// What the SIRETs of the demo start with.
    static let prefix = "000"
    /// How many organisations can have one (the rank, from 1, takes five digits).
    static let capacity = 99_999

    /// The invented SIRET of the demo organisation of this rank (0 ..< `capacity`).
    static func make(rank: Int) throws(DemoError) -> String {
        guard (0..<capacity).contains(rank) else {
            throw DemoError.invalid("plus de \(capacity) organisations : les SIRET fictifs du jeu de démonstration sont épuisés")
        }
        let sirenBody = prefix + String(String(100_000 + rank + 1).dropFirst())
        let siren = sirenBody + String(luhnKey(sirenBody))
        let siretBody = siren + "0001"
        return siretBody + String(luhnKey(siretBody))
    }

    /// Whether a SIRET is one of the demo's invented ones.
    static func isDemo(_ siret: String?) -> Bool {
        siret?.hasPrefix(prefix) ?? false
    }

    /// The digit that makes `digits` followed by it pass Luhn.
    static func luhnKey(_ digits: String) -> Int {
        var sum = 0
        // The key takes the rightmost place: the digit before it is doubled, and every other one leftwards.
        for (index, character) in digits.reversed().enumerated() {
            let digit = Int(String(character))!
            if index % 2 == 0 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return (10 - sum % 10) % 10
    }
}
