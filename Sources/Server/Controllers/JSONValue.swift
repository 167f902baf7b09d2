/// A JSON document read by a small RFC 8259 parser: the API's form requests are read with it
/// rather than with `JSONDecoder`, whose Codable machinery cost a fifth of the server's time under
/// load. Object members keep their order; numbers keep their text.
enum JSONValue: Equatable {
    case null
    case bool(Bool)
    /// The number as written (e.g. `3`, `-0.5`, `1e2`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)), (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// Why a text is not JSON, and where (a 0-based byte offset).
    struct SyntaxError: Error, Equatable {
        let offset: Int
        let expected: String
        var description: String { "not JSON: \(expected) at byte \(offset + 1)" }
    }

    /// Parses one JSON value filling the whole of `bytes` (white space around it allowed).
    static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var parser = Parser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at == bytes.count else { throw SyntaxError(offset: parser.at, expected: "the end of the text") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0
        /// Deeper nesting than any form request needs is refused (and keeps the stack small).
        static let maximumDepth = 64

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { at < bytes.count ? bytes[at] : nil }

        mutating func skipSpace() {
            while let b = current, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { at += 1 }
        }

        func failure(_ expected: String) -> SyntaxError { SyntaxError(offset: at, expected: expected) }

        mutating func value(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth < Parser.maximumDepth else { throw failure("at most \(Parser.maximumDepth) levels of nesting") }
            switch current {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case let b? where b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39): return .number(try number())
            default: throw failure("a value")
            }
        }

        mutating func literal(_ word: String) throws(SyntaxError) {
            for b in word.utf8 {
                guard current == b else { throw failure("'\(word)'") }
                at += 1
            }
        }

        mutating func object(depth: Int) throws(SyntaxError) -> JSONValue {
            at += 1
            var members: [(key: String, value: JSONValue)] = []
            skipSpace()
            if current == UInt8(ascii: "}") {
                at += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw failure("a member name in double quotes") }
                let key = try string()
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw failure("':' after a member name") }
                at += 1
                skipSpace()
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                switch current {
                case UInt8(ascii: ","): at += 1
                case UInt8(ascii: "}"): at += 1; return .object(members)
                default: throw failure("',' or '}' in an object")
                }
            }
        }

        mutating func array(depth: Int) throws(SyntaxError) -> JSONValue {
            at += 1
            var elements: [JSONValue] = []
            skipSpace()
            if current == UInt8(ascii: "]") {
                at += 1
                return .array(elements)
            }
            while true {
                skipSpace()
                elements.append(try value(depth: depth + 1))
                skipSpace()
                switch current {
                case UInt8(ascii: ","): at += 1
                case UInt8(ascii: "]"): at += 1; return .array(elements)
                default: throw failure("',' or ']' in an array")
                }
            }
        }

        /// A number's text, checked against the JSON grammar.
        mutating func number() throws(SyntaxError) -> String {
            let start = at
            func digits(_ p: inout Parser) -> Int {
                let from = p.at
                while let b = p.current, b >= 0x30 && b <= 0x39 { p.at += 1 }
                return p.at - from
            }
            if current == UInt8(ascii: "-") { at += 1 }
            if current == UInt8(ascii: "0") {
                at += 1
            } else if digits(&self) == 0 {
                throw failure("a digit")
            }
            if current == UInt8(ascii: ".") {
                at += 1
                guard digits(&self) > 0 else { throw failure("a digit after '.'") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                at += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { at += 1 }
                guard digits(&self) > 0 else { throw failure("a digit in the exponent") }
            }
            return String(decoding: bytes[start..<at], as: UTF8.self)
        }

        /// A string's text, escapes resolved; the bytes must be valid UTF-8.
        mutating func string() throws(SyntaxError) -> String {
            at += 1
            let start = at
            // The common case: no escapes, so the bytes are the text.
            while let b = current, b != UInt8(ascii: "\""), b != UInt8(ascii: "\\"), b >= 0x20 { at += 1 }
            if current == UInt8(ascii: "\"") {
                let text = try utf8(start..<at)
                at += 1
                return text
            }
            var out = Array(bytes[start..<at])
            while true {
                guard let b = current else { throw failure("a closing '\"'") }
                switch b {
                case UInt8(ascii: "\""):
                    at += 1
                    return try utf8(out)
                case UInt8(ascii: "\\"):
                    at += 1
                    try escape(into: &out)
                case ..<0x20:
                    throw failure("no control character inside a string (write it as an escape)")
                default:
                    out.append(b)
                    at += 1
                }
            }
        }

        mutating func escape(into out: inout [UInt8]) throws(SyntaxError) {
            guard let e = current else { throw failure("an escape") }
            at += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    // A surrogate pair: the low half must follow as \uDC00–\uDFFF.
                    guard current == UInt8(ascii: "\\"), at + 1 < bytes.count, bytes[at + 1] == UInt8(ascii: "u") else {
                        throw failure("the second half of a surrogate pair")
                    }
                    at += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure("the second half of a surrogate pair") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw failure("a first half before the second half of a surrogate pair")
                }
                guard let s = Unicode.Scalar(scalar) else { throw failure("a Unicode scalar") }
                out.append(contentsOf: Array(String(Character(s)).utf8))
            default:
                at -= 1
                throw failure("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
            }
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard let b = current else { throw failure("four hex digits") }
                let d: UInt8
                switch b {
                case 0x30...0x39: d = b - 0x30
                case 0x41...0x46: d = b - 0x41 + 10
                case 0x61...0x66: d = b - 0x61 + 10
                default: throw failure("four hex digits")
                }
                v = v << 4 | UInt32(d)
                at += 1
            }
            return v
        }

        func utf8(_ range: Range<Int>) throws(SyntaxError) -> String {
            try utf8(bytes[range])
        }

        func utf8(_ text: some Collection<UInt8>) throws(SyntaxError) -> String {
            guard let s = String(validating: text, as: UTF8.self) else { throw failure("UTF-8 text in a string") }
            return s
        }
    }
}
