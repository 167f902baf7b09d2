#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The character encodings bureau frames arrive in.
///
/// Chinese Excel saves "CSV (逗号分隔)" in the system code page, GBK/GB18030; its "CSV UTF-8"
/// option writes UTF-8 with a byte-order mark; other tools write plain UTF-8. GB18030 is a superset
/// of GBK and GB2312, so one decoder reads all three.
public enum TextEncoding: String, Sendable, CaseIterable, Codable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case gb18030 = "gb18030"

    /// Parses a user's spelling: `utf-8`, `utf8`, `utf-8-bom`, `gb18030`, `gbk`, `gb2312`, `cp936`.
    public init?(name: String) {
        switch String(name.lowercased().map { $0 == "_" ? "-" : $0 }) {
        case "utf-8", "utf8": self = .utf8
        case "utf-8-bom", "utf8-bom", "utf-8-sig": self = .utf8BOM
        case "gb18030", "gbk", "gb2312", "cp936", "gb-18030": self = .gb18030
        default: return nil
        }
    }
}

/// Detection and conversion to UTF-8, the encoding every parser in pingyi works on.
///
/// UTF-8 input is not validated here in a separate pass: the CSV reader checks the bytes of every
/// field as it converts them (numbers are ASCII by construction; text is checked as it is copied)
/// and reports the first invalid byte, or falls back to GB18030 when detecting. Delimiters, quotes
/// and line feeds never occur inside GB18030 multi-byte characters, so finding record and field
/// boundaries does not depend on which of the two encodings the file is in.
enum TextDecoder {
    /// Bytes checked up front when detecting: enough to catch a GB18030 header or first rows.
    static let prefixLength = 1 << 16

    /// UTF-8 bytes ready to parse, with where the text starts (after a BOM).
    struct Decoded {
        var text: ByteBuffer
        var offset: Int
        var encoding: TextEncoding
        /// The encoding was guessed as UTF-8 from a prefix: if a later byte proves otherwise, the
        /// reader may decode the file as GB18030 instead.
        var tentative: Bool
    }

    /// With `requested == nil` the encoding is detected: a UTF-8 byte-order mark means UTF-8 with
    /// BOM; a first 64 KiB that is valid UTF-8 means UTF-8 (tentatively); otherwise GB18030.
    static func decode(_ raw: ByteBuffer, requested: TextEncoding?, file: String) throws(TablesError) -> Decoded {
        let hasBOM = raw.count >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF
        if raw.count >= 2, (raw[0] == 0xFF && raw[1] == 0xFE) || (raw[0] == 0xFE && raw[1] == 0xFF) {
            throw TablesError(.encoding, file: file, line: 1, column: 1,
                              message: "the file is UTF-16 (Excel's \"Unicode text\"), which is not supported",
                              hint: "save it from Excel as \"CSV UTF-8\" or \"CSV (逗号分隔)\"")
        }
        switch requested {
        case .gb18030:
            return Decoded(text: try transcodeGB18030(raw, file: file), offset: 0, encoding: .gb18030, tentative: false)
        case .utf8, .utf8BOM:
            return Decoded(text: raw, offset: hasBOM ? 3 : 0, encoding: hasBOM ? .utf8BOM : .utf8, tentative: false)
        case nil:
            if hasBOM {
                return Decoded(text: raw, offset: 3, encoding: .utf8BOM, tentative: false)
            }
            // Check a prefix, ending at the start of a sequence so no character is cut.
            var end = min(raw.count, prefixLength)
            var back = 0
            while end < raw.count, back < 3, raw[end] & 0xC0 == 0x80 {
                end -= 1
                back += 1
            }
            if firstInvalidUTF8(raw.base, from: 0, to: end) == nil {
                return Decoded(text: raw, offset: 0, encoding: .utf8, tentative: true)
            }
            return try decodeAsGB18030(raw, invalidUTF8At: firstInvalidUTF8(raw.base, from: 0, to: end) ?? 0, file: file)
        }
    }

    /// Decodes a file that proved not to be UTF-8 as GB18030; if that fails too, the error points
    /// at the first byte that is not UTF-8.
    static func decodeAsGB18030(_ raw: ByteBuffer, invalidUTF8At bad: Int, file: String) throws(TablesError) -> Decoded {
        do {
            return Decoded(text: try transcodeGB18030(raw, file: file), offset: 0, encoding: .gb18030, tentative: false)
        } catch {
            // Neither encoding reads the whole file. When GB18030 reads further than UTF-8 (a
            // GB18030 file with one damaged character), its failure is the place to look at.
            if let line = error.line, let column = error.column, line > raw.location(of: bad).line {
                throw TablesError(.encoding, file: file, line: line, column: column,
                                  message: "\(error.message): the file reads as GB18030 (GBK) up to here, and is not UTF-8",
                                  hint: "correct or retype the damaged character, or re-save the file as \"CSV UTF-8\"")
            }
            throw invalidUTF8(raw, at: bad, file: file, detecting: true)
        }
    }

    /// The error for an invalid UTF-8 byte at `offset`.
    static func invalidUTF8(_ text: ByteBuffer, at offset: Int, file: String, detecting: Bool) -> TablesError {
        let (line, column) = text.location(of: offset)
        if detecting {
            return TablesError(.encoding, file: file, line: line, column: column,
                               message: "invalid byte \(hexByte(text[offset])): the file is neither UTF-8 nor GB18030/GBK",
                               hint: "re-save it as \"CSV UTF-8\", or name its encoding with --encoding")
        }
        return TablesError(.encoding, file: file, line: line, column: column,
                           message: "invalid UTF-8 byte \(hexByte(text[offset]))",
                           hint: "the file may be GBK/GB18030: try --encoding gb18030, or re-save it as UTF-8")
    }

    /// The offset of the first byte in `start..<end` that does not start or continue a valid UTF-8
    /// sequence lying wholly inside the range, or nil. Overlong forms, surrogates and code points
    /// above U+10FFFF are invalid (RFC 3629).
    static func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        firstInvalidUTF8(p, from: start, to: end, rules: leadRules)
    }

    /// As above, with the lead-byte table passed in so hot loops fetch it once.
    @inline(__always)
    static func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, rules: UnsafePointer<UInt32>) -> Int? {
        var i = start
        while i < end {
            // ASCII fast path, eight bytes at a time.
            while i + 8 <= end {
                let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            guard i < end else { break }
            let b0 = p[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            // Lead byte → sequence length and the allowed range of the second byte.
            let rule = rules[Int(b0)]
            let length = Int(rule & 0xFF)
            guard length != 0, i + length <= end else { return i }
            let b1 = p[i + 1]
            guard b1 >= UInt8(truncatingIfNeeded: rule >> 8), b1 <= UInt8(truncatingIfNeeded: rule >> 16) else { return i }
            if length >= 3, p[i + 2] & 0xC0 != 0x80 { return i }
            if length == 4, p[i + 3] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }

    /// Converts GB18030 (and so GBK and GB2312) to UTF-8 with the C library's iconv.
    static func transcodeGB18030(_ raw: ByteBuffer, file: String) throws(TablesError) -> ByteBuffer {
        let converter = iconv_open("UTF-8", "GB18030")
        guard converter != iconv_t(bitPattern: -1) else {
            throw TablesError(.encoding, file: file, message: "this system's iconv cannot decode GB18030",
                              hint: "convert the file to UTF-8 first (e.g. iconv -f GB18030 -t UTF-8)")
        }
        defer { iconv_close(converter) }
        // A GB18030 character of 2 bytes becomes at most 3 UTF-8 bytes, one of 4 bytes at most 4:
        // twice the input is always enough.
        let capacity = raw.count * 2
        let out = ByteBuffer.allocate(count: capacity)
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(raw.base).assumingMemoryBound(to: CChar.self)
        var inLeft = raw.count
        var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.base).assumingMemoryBound(to: CChar.self)
        var outLeft = capacity
        let result = iconv(converter, &inPtr, &inLeft, &outPtr, &outLeft)
        if result == -1 || inLeft != 0 {
            let offset = raw.count - inLeft
            let (line, column) = raw.location(of: offset)
            throw TablesError(.encoding, file: file, line: line, column: column,
                              message: "invalid GB18030 byte sequence starting with \(hexByte(raw[min(offset, raw.count - 1)]))",
                              hint: "the file may be UTF-8: try --encoding utf-8, or re-save it from Excel")
        }
        let produced = capacity - outLeft
        let text = ByteBuffer.allocate(count: produced)
        text.base.update(from: out.base, count: produced)
        return text
    }
}

/// "0x" and two upper-case hex digits.
func hexByte(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16, uppercase: true)
    return byte < 16 ? "0x0" + digits : "0x" + digits
}

extension TextDecoder {
    /// For each lead byte: sequence length (0 = not a lead byte) | lowest second byte << 8 |
    /// highest second byte << 16 (RFC 3629; table 3-7 of the Unicode standard). Allocated once
    /// for the life of the process.
    nonisolated(unsafe) static let leadRules: UnsafePointer<UInt32> = {
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
        for (i, rule) in leadRuleValues.enumerated() { table[i] = rule }
        return UnsafePointer(table)
    }()
}

private let leadRuleValues: [UInt32] = (0..<256).map { b -> UInt32 in
    func rule(_ length: UInt32, _ lower: UInt32, _ upper: UInt32) -> UInt32 { length | lower << 8 | upper << 16 }
    switch b {
    case 0xC2...0xDF: return rule(2, 0x80, 0xBF)
    case 0xE0: return rule(3, 0xA0, 0xBF)
    case 0xE1...0xEC, 0xEE...0xEF: return rule(3, 0x80, 0xBF)
    case 0xED: return rule(3, 0x80, 0x9F)
    case 0xF0: return rule(4, 0x90, 0xBF)
    case 0xF1...0xF3: return rule(4, 0x80, 0xBF)
    case 0xF4: return rule(4, 0x80, 0x8F)
    default: return 0
    }
}
