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
    let json = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    var out = ""
    for c in json.unicodeScalars {
        switch c {
        case "<": out += "\\u003c"
        case ">": out += "\\u003e"
        case "&": out += "\\u0026"
        case "\u{2028}": out += "\\u2028"
        case "\u{2029}": out += "\\u2029"
        default: out.unicodeScalars.append(c)
        }
    }
    return HTML(trusted: out)
}
