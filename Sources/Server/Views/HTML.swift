import Foundation

/// A fragment of HTML. Text interpolated into it is escaped (`\(name)`); fragments are not
/// (`\(otherFragment)`), so markup is built from literals and escaped values only.
struct HTML: ExpressibleByStringInterpolation, Sendable, Equatable {
    private(set) var text: String

    init(stringLiteral value: String) {
        text = value
    }

    init(stringInterpolation: StringInterpolation) {
        text = stringInterpolation.text
    }

    /// Markup from trusted text (never from a request or the store).
    init(trusted text: String) {
        self.text = text
    }

    static let empty: HTML = ""

    struct StringInterpolation: StringInterpolationProtocol {
        var text = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        mutating func appendLiteral(_ literal: String) { text += literal }
        mutating func appendInterpolation(_ value: String) { text += escapeHTML(value) }
        mutating func appendInterpolation(_ value: String?) { text += escapeHTML(value ?? "") }
        mutating func appendInterpolation(_ value: Int) { text += String(value) }
        mutating func appendInterpolation(_ fragment: HTML) { text += fragment.text }
        mutating func appendInterpolation(_ fragments: [HTML]) { for f in fragments { text += f.text } }
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'` (element text and quoted attribute values).
func escapeHTML(_ text: String) -> String {
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
func scriptJSON<T: Encodable>(_ value: T) -> HTML {
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
