import Crypto
import Foundation

/// Replaces an INE by a keyed hash at import: HMAC-SHA256 of the INE (as normalised by `INE`) under the secret of
/// `CMQ_PSEUDONYM_KEY`, written as 64 lower-case hexadecimal characters. The same INE gives the same pseudonym
/// under the same key, so the steps a learner took in several establishments meet; without the key nobody can
/// tell which INE a pseudonym stands for (the INE space is small enough that an unkeyed hash would be reversed
/// by trying every INE). Changing the key cuts every pathway in two: keep it with the database's backups.
public struct Pseudonymiser: Sendable {
    /// The shortest secret accepted, in characters (about 190 bits of a random base-64 secret).
    public static let minimumKeyLength = 32

    public struct KeyError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    private let key: SymmetricKey

    public init(secret: String) throws(KeyError) {
        guard secret.count >= Self.minimumKeyLength else {
            throw KeyError(description: "CMQ_PSEUDONYM_KEY doit compter au moins \(Self.minimumKeyLength) caractères (par exemple : openssl rand -base64 48).")
        }
        key = SymmetricKey(data: Data(secret.utf8))
    }

    /// The learner's pseudonym.
    public func pseudonym(_ ine: INE) -> String { digest(ine.value) }

    /// HMAC-SHA256 of a text under the key, in hexadecimal (the pseudonym of an INE; the key's fingerprint).
    public func digest(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }
}
