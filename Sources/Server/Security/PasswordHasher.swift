import Crypto
import _CryptoExtras
import Foundation

/// Salted slow password hashes: PBKDF2-HMAC-SHA256 with a random 16-byte salt, written as
/// `pbkdf2-sha256$ITERATIONS$SALT$HASH` (salt and hash in base64), so a hash made with other
/// settings still verifies.
///
/// The default, 600,000 iterations, is OWASP's 2023 advice for PBKDF2-HMAC-SHA256 (about a
/// third of a second here): slow enough that a stolen users table resists guessing, fast
/// enough for a sign-in. Tests use fewer.
public struct PasswordHasher: Sendable {
    public let iterations: Int

    public static let defaultIterations = 600_000

    public init(iterations: Int = PasswordHasher.defaultIterations) {
        self.iterations = iterations
    }

    /// A new hash of `password`.
    public func hash(_ password: String) throws -> String {
        let salt = SymmetricKey(size: .init(bitCount: 128)).withUnsafeBytes { Data($0) }
        let derived = try PasswordHasher.derive(password, salt: salt, iterations: iterations)
        return "pbkdf2-sha256$\(iterations)$\(salt.base64EncodedString())$\(derived.base64EncodedString())"
    }

    /// Whether `password` matches `stored` (compared in constant time). A malformed hash never
    /// matches.
    public func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds > 0,
              let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
              let derived = try? PasswordHasher.derive(password, salt: salt, iterations: rounds) else { return false }
        return constantTimeEqual(Array(derived), Array(expected))
    }

    static func derive(_ password: String, salt: Data, iterations: Int) throws -> Data {
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32,
                                                     unsafeUncheckedRounds: iterations)
        return key.withUnsafeBytes { Data($0) }
    }
}

/// Random tokens and their hashes: session cookies, CSRF tokens, API tokens.
public enum Tokens {
    /// A new random token: 32 bytes from the system's secure generator, base64url without padding.
    public static func make() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        return SymmetricKey(size: .bits256).withUnsafeBytes { bytes in
            // 32 bytes = 256 bits, written 6 bits per character (43 characters, no padding).
            var out: [UInt8] = []
            out.reserveCapacity(43)
            var buffer: UInt32 = 0, bits = 0
            for byte in bytes {
                buffer = buffer << 8 | UInt32(byte)
                bits += 8
                while bits >= 6 {
                    bits -= 6
                    out.append(alphabet[Int(buffer >> UInt32(bits) & 63)])
                }
            }
            if bits > 0 { out.append(alphabet[Int(buffer << UInt32(6 - bits) & 63)]) }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The SHA-256 of a token, in hex: what the store keeps instead of the token.
    public static func hash(_ token: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(token.utf8)) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Whether two byte strings are equal, in time that depends only on their lengths.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for i in a.indices { difference |= a[i] ^ b[i] }
    return difference == 0
}

/// Whether two texts are equal, compared in constant time.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    constantTimeEqual(Array(a.utf8), Array(b.utf8))
}
