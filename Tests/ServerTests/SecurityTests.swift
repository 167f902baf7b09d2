import Foundation
import Server
import Testing

@Suite("Password hashes and tokens")
struct SecurityTests {
    @Test func passwordsVerifyOnlyAgainstTheirOwnSaltedHash() throws {
        let hasher = PasswordHasher(iterations: 1000)
        let hash = try hasher.hash("正确的密码-1")
        let parts = hash.split(separator: "$")
        #expect(parts.count == 4 && parts[0] == "pbkdf2-sha256" && parts[1] == "1000")
        #expect(Data(base64Encoded: String(parts[2]))?.count == 16 && Data(base64Encoded: String(parts[3]))?.count == 32)
        #expect(hasher.verify("正确的密码-1", against: hash))
        #expect(!hasher.verify("正确的密码-2", against: hash))
        // Salted: the same password hashes differently each time; the iteration count travels with the hash.
        #expect(try hasher.hash("正确的密码-1") != hash)
        #expect(PasswordHasher(iterations: 5000).verify("正确的密码-1", against: hash))
        for malformed in ["", "pbkdf2-sha256$0$AA==$AA==", "md5$1000$x$y", "pbkdf2-sha256$1000$***$***"] {
            #expect(!hasher.verify("", against: malformed))
        }
        #expect(PasswordHasher().iterations == 600_000)
    }

    @Test func tokensAreRandomAndStoredAsTheirSHA256() {
        let tokens = (0..<200).map { _ in Tokens.make() }
        #expect(Set(tokens).count == 200)
        #expect(tokens.allSatisfy { $0.count == 43 && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } })
        // FIPS 180-2 test vector.
        #expect(Tokens.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
