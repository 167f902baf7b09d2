import Crypto
import Tables
import Foundation

/// What a draw was made from, recorded beside the list so that anyone can re-draw it and check
/// that it was not hand-picked (`pingyi sample verify`). Paths are relative to the manifest's
/// folder. Nothing time-dependent is recorded: the same inputs and seed give the same manifest,
/// byte for byte.
public struct Manifest: Codable, Sendable, Equatable {
    public struct FileRecord: Codable, Sendable, Equatable {
        public var file: String
        public var sha256: String
        public var rows: Int?
        /// The list's format (``Formats/RespondentListFormat/manifestTag``, `respondent-list/2`);
        /// nil in manifests written before formats were versioned.
        public var format: String?

        public init(file: String, sha256: String, rows: Int?, format: String? = nil) {
            self.file = file
            self.sha256 = sha256
            self.rows = rows
            self.format = format
        }
    }

    public var tool: String
    public var design: FileRecord
    public var frame: FileRecord
    public var encoding: String
    public var seed: UInt32
    public var rng: String
    public var replicates: Int
    public var list: FileRecord
    public var strata: [StratumCount]
    /// A coordinated draw's registry of permanent random numbers and rotation (nil otherwise).
    public var coordination: CoordinationRecord? = nil

    public struct CoordinationRecord: Codable, Sendable, Equatable {
        public var registry: FileRecord
        /// The rotation drawn, 1 for the first (`pingyi sample --rotation`).
        public var rotation: Int
        public var rotate: String
    }

    /// Pretty JSON with sorted keys and a final line feed.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }

    public static func decode(path: String) throws(SamplingError) -> Manifest {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingInput(file: path, what: "manifest") }
        let data: Data
        do {
            data = Data(try readTextFile(path: path).utf8)
        } catch {
            throw .frame(error)
        }
        do {
            return try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw .verification(file: path, message: "not a pingyi draw manifest (\(error.localizedDescription))",
                                hint: "give the .manifest.json written by pingyi sample")
        }
    }
}

/// SHA-256 of bytes, as lower-case hex.
public func sha256Hex(_ bytes: some Collection<UInt8>) -> String {
    SHA256.hash(data: Array(bytes)).map { b in
        let s = String(b, radix: 16)
        return b < 16 ? "0" + s : s
    }.joined()
}

/// SHA-256 of a file's bytes, or nil when it cannot be read.
///
/// The file is read a block at a time, so that hashing a frame of gigabytes beside a draw takes
/// no more memory than the block.
public func sha256Hex(file path: String) -> String? {
    var hasher = SHA256()
    do {
        try FileBytes.forEachBlock(path: path) { hasher.update(bufferPointer: $0) }
    } catch {
        return nil
    }
    return hasher.finalize().map { b in
        let s = String(b, radix: 16)
        return b < 16 ? "0" + s : s
    }.joined()
}

/// `path` written relative to `directory` when both are on the same tree; absolute otherwise.
public func relativePath(_ path: String, from directory: String) -> String {
    let target = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
    let base = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL.pathComponents
    var common = 0
    while common < min(target.count, base.count) && target[common] == base[common] { common += 1 }
    guard common > 1 || (target.first == "/" && base.first == "/" && common == 1) else {
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }
    let ups = Array(repeating: "..", count: base.count - common)
    let rest = Array(target[common...])
    let parts = ups + rest
    return parts.isEmpty ? "." : parts.joined(separator: "/")
}
