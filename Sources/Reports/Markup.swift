import Foundation
import Markup


/// `value` with exactly `places` decimals ("85.30"); "—" for NaN or infinity.
func fixed(_ value: Double, _ places: Int) -> String {
    guard value.isFinite else { return "—" }
    let text = String(format: "%.\(places)f", value)
    return text == "-0" || text.hasPrefix("-0.") && Double(text) == 0 ? String(text.dropFirst()) : text
}

/// A proportion as a percentage with `places` decimals ("87.5%").
func percent(_ proportion: Double, _ places: Int = 1) -> String {
    proportion.isFinite ? fixed(proportion * 100, places) + "%" : "—"
}

/// SVG coordinates: at most two decimals, no trailing zeros.
func coordinate(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}

/// An SVG drawing built element by element, rendered inline in HTML (no namespace attribute is
/// needed there, so the page names no outside address).
struct SVGDrawing {
    let width: Double
    let height: Double
    private var elements: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    enum Anchor: String {
        case start, middle, end
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
                       className: String? = nil, title: String? = nil) {
        var attributes = "x=\"\(coordinate(x))\" y=\"\(coordinate(y))\" width=\"\(coordinate(max(width, 0)))\" height=\"\(coordinate(max(height, 0)))\" fill=\"\(fill)\""
        if let stroke { attributes += " stroke=\"\(stroke)\"" }
        if let className { attributes += " class=\"\(className)\"" }
        if let title {
            elements.append("<rect \(attributes)><title>\(escapeHTML(title))</title></rect>")
        } else {
            elements.append("<rect \(attributes)/>")
        }
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil,
                       className: String? = nil) {
        var attributes = "x1=\"\(coordinate(x1))\" y1=\"\(coordinate(y1))\" x2=\"\(coordinate(x2))\" y2=\"\(coordinate(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(coordinate(width))\""
        if let dash { attributes += " stroke-dasharray=\"\(dash)\"" }
        if let className { attributes += " class=\"\(className)\"" }
        elements.append("<line \(attributes)/>")
    }

    mutating func circle(cx: Double, cy: Double, r: Double, fill: String, className: String? = nil, title: String? = nil) {
        var attributes = "cx=\"\(coordinate(cx))\" cy=\"\(coordinate(cy))\" r=\"\(coordinate(r))\" fill=\"\(fill)\""
        if let className { attributes += " class=\"\(className)\"" }
        if let title {
            elements.append("<circle \(attributes)><title>\(escapeHTML(title))</title></circle>")
        } else {
            elements.append("<circle \(attributes)/>")
        }
    }

    mutating func text(_ content: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12, fill: String = "#222",
                       bold: Bool = false, className: String? = nil) {
        var attributes = "x=\"\(coordinate(x))\" y=\"\(coordinate(y))\" font-size=\"\(coordinate(size))\" fill=\"\(fill)\""
        if anchor != .start { attributes += " text-anchor=\"\(anchor.rawValue)\"" }
        if bold { attributes += " font-weight=\"bold\"" }
        if let className { attributes += " class=\"\(className)\"" }
        elements.append("<text \(attributes)>\(escapeHTML(content))</text>")
    }

    /// The `<svg>` element with a title and description for screen readers.
    func render(title: String, description: String, className: String) -> String {
        var out = "<svg class=\"\(className)\" viewBox=\"0 0 \(coordinate(width)) \(coordinate(height))\" width=\"\(coordinate(width))\" height=\"\(coordinate(height))\" role=\"img\">"
        out += "<title>\(escapeHTML(title))</title><desc>\(escapeHTML(description))</desc>\n"
        out += elements.joined(separator: "\n")
        out += "\n</svg>"
        return out
    }
}

/// Colours of the charts: classes of units, components of the composite, satisfaction tiers.
enum Palette {
    /// Distinct colours for categories (classes of units, components).
    static let categories = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b7791f", "#2c7a7b", "#97266d", "#4a5568"]
    /// Satisfied tiers from the best down (dark to light green).
    static let satisfied = ["#1f7a4d", "#3f9d68", "#7cc08e", "#b5dcb9"]
    /// Unsatisfied tiers from the mildest to the worst: the worst is always red.
    static func unsatisfied(_ count: Int) -> [String] {
        switch count {
        case 0: []
        case 1: ["#d64532"]
        case 2: ["#f0a35e", "#d64532"]
        default: ["#f0a35e"] + Array(repeating: "#e07a4f", count: count - 3) + ["#d64532", "#8b1e1e"]
        }
    }
    /// Special codes (don't know, refused, not applicable, invalid).
    static let specials = ["#a0aec0", "#cbd5e0", "#718096", "#e2e8f0"]
    static let alarm = "#c53030"
    static let grid = "#e2e8f0"
    static let band = "#f7fafc"

    static func category(_ i: Int) -> String {
        categories[i % categories.count]
    }

    /// Whether dark text reads better than white on `color` (#rrggbb).
    static func isLight(_ color: String) -> Bool {
        let hex = color.dropFirst()
        guard hex.count == 6, let value = Int(hex, radix: 16) else { return true }
        let r = Double((value >> 16) & 0xFF), g = Double((value >> 8) & 0xFF), b = Double(value & 0xFF)
        return 0.299 * r + 0.587 * g + 0.114 * b > 150
    }
}
