import Foundation

/// A fragment of HTML, for the server's pages and the reports alike. Text interpolated into it is
/// escaped (`\(name)`); fragments are not (`\(otherFragment)`), so markup is built from literals
/// and escaped values only.
public struct HTML: ExpressibleByStringInterpolation, Sendable, Equatable {
    public private(set) var text: String

    public init(stringLiteral value: String) {
        text = value
    }

    public init(stringInterpolation: StringInterpolation) {
        text = stringInterpolation.text
    }

    /// Markup from trusted text (never from a request or the store).
    public init(trusted text: String) {
        self.text = text
    }

    public static let empty: HTML = ""

    public struct StringInterpolation: StringInterpolationProtocol {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) { text += literal }
        public mutating func appendInterpolation(_ value: String) { text += escapeHTML(value) }
        public mutating func appendInterpolation(_ value: String?) { text += escapeHTML(value ?? "") }
        public mutating func appendInterpolation(_ value: Int) { text += String(value) }
        public mutating func appendInterpolation(_ fragment: HTML) { text += fragment.text }
        public mutating func appendInterpolation(_ fragments: [HTML]) { for f in fragments { text += f.text } }
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'` (element text, SVG text and quoted attribute values): the
/// one escaping of every page and report.
public func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}

/// A value as JSON safe inside a `<script>` element: `<`, `>`, `&` and the line separators
/// U+2028/2029 are written as `\u` escapes, so no text can close the element.
public func scriptJSON<T: Encodable>(_ value: T) -> HTML {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let json = try? encoder.encode(value) else { return HTML(trusted: "null") }
    // Byte by byte (a scalar-by-scalar copy cost a call screen a fifth of its time): `<`, `>`,
    // `&` and the line and paragraph separators (E2 80 A8/A9) become escapes, all else is copied.
    var out: [UInt8] = []
    out.reserveCapacity(json.count + 64)
    var i = json.startIndex
    while i < json.endIndex {
        let b = json[i]
        switch b {
        case UInt8(ascii: "<"): out += Array("\\u003c".utf8)
        case UInt8(ascii: ">"): out += Array("\\u003e".utf8)
        case UInt8(ascii: "&"): out += Array("\\u0026".utf8)
        case 0xE2 where i + 2 < json.endIndex && json[i + 1] == 0x80 && (json[i + 2] == 0xA8 || json[i + 2] == 0xA9):
            out += Array((json[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
            i += 2
        default: out.append(b)
        }
        i += 1
    }
    return HTML(trusted: String(decoding: out, as: UTF8.self))
}
