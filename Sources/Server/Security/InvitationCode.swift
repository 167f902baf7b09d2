import Crypto
import Foundation

/// Access codes for online self-completion: 10 random symbols and a check symbol from a
/// 31-symbol alphabet (digits and capital letters without I, L, O, U and V, so that none is read
/// as another), printed in groups as `7KQ4-M2XD-9PH`: 31¹⁰ ≈ 2⁴⁹·⁵ codes. The check symbol is a
/// weighted sum of the others modulo 31 (a prime), so a mistyped symbol or two neighbouring
/// symbols swapped are told apart from a wrong code. Codes come from the system's secure random
/// generator, never from a seed: they are keys, not a draw. The store keeps only their hash.
enum InvitationCode {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTWXYZ")
    static let symbols = 10

    /// A new code (11 symbols, without separators).
    static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        let values = (0..<symbols).map { _ in Int.random(in: 0..<alphabet.count, using: &rng) }
        return String((values + [check(values)]).map { alphabet[$0] })
    }

    static func check(_ values: [Int]) -> Int {
        values.enumerated().reduce(0) { ($0 + ($1.offset + 1) * $1.element) % alphabet.count }
    }

    /// `7KQ4-M2XD-9PH`, for letters and screens.
    static func grouped(_ code: String) -> String {
        let c = Array(code)
        return [String(c[0..<4]), String(c[4..<8]), String(c[8...])].joined(separator: "-")
    }

    enum Reading: Equatable {
        /// A well-formed code, normalised.
        case code(String)
        /// The right length, but the check symbol does not fit: a symbol mistyped.
        case mistyped
        /// Not a code at all (length, characters).
        case malformed
    }

    /// What someone typed: case, full-width forms, spaces and dashes do not matter; O is read
    /// as 0 and I or L as 1.
    static func read(_ typed: String) -> Reading {
        var values: [Int] = []
        for scalar in typed.unicodeScalars {
            var v = scalar.value
            if (0xFF01...0xFF5E).contains(v) { v -= 0xFEE0 }  // full-width ASCII
            guard let ascii = Unicode.Scalar(v) else { return .malformed }
            var ch = Character(ascii).uppercased().first ?? " "
            if " -_.\u{3000}".contains(ch) || v == 0x30FC || v == 0x2014 { continue }
            if ch == "O" { ch = "0" }
            if ch == "I" || ch == "L" { ch = "1" }
            guard let index = alphabet.firstIndex(of: ch) else { return .malformed }
            values.append(index)
        }
        guard values.count == symbols + 1 else { return .malformed }
        guard check(Array(values.prefix(symbols))) == values[symbols] else { return .mistyped }
        return .code(String(values.map { alphabet[$0] }))
    }

    /// The hash the store keeps: SHA-256 of the normalised code, hex.
    static func hash(_ code: String) -> String {
        SHA256.hash(data: Array("pingyi invitation\u{0}\(code)".utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
