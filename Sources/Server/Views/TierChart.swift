import Foundation
import Questionnaire
import Markup

/// A small inline SVG chart of a unit's answers: one bar, 100 % wide, split into the scale's
/// codes in the order of the form (tiers from green to red, special codes in greys), each part
/// as wide as its share of the answers, with its count and share in a tooltip.
enum TierChart {
    static let width = 320.0
    static let height = 16.0

    /// Colours of the tiers, best first, and of the special codes.
    static let tierColours = ["#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fc8d59", "#d73027"]
    static let specialColours = ["#bdbdbd", "#969696", "#737373", "#525252"]

    static func colour(_ code: Int, in scale: Scale) -> String {
        if let i = scale.tiers.firstIndex(where: { $0.code == code }) {
            // Spread the tiers over the palette: the first is the best, the last the worst.
            let n = scale.tiers.count
            let at = n == 1 ? 0 : Int((Double(i) / Double(n - 1) * Double(tierColours.count - 1)).rounded())
            return tierColours[at]
        }
        if let i = scale.specials.firstIndex(where: { $0.code == code }) { return specialColours[i % specialColours.count] }
        return "#6a3d9a"
    }

    /// The bar of one unit's counts by keyed value.
    static func bar(_ counts: [String: Int], scale: Scale) -> HTML {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return "<span class=\"muted\">尚无回答</span>" }
        var x = 0.0
        var parts: [HTML] = []
        let order = scale.codes.map(String.init) + counts.keys.filter { k in !scale.codes.map(String.init).contains(k) }.sorted()
        for code in order {
            guard let n = counts[code], n > 0 else { continue }
            let w = width * Double(n) / Double(total)
            let label = Int(code).flatMap { scale.label(code: $0) } ?? "代码 \(code)"
            let share = String(format: "%.1f", 100 * Double(n) / Double(total))
            let fill = Int(code).map { colour($0, in: scale) } ?? "#6a3d9a"
            parts.append(HTML(trusted: "<rect x=\"\(format(x))\" y=\"0\" width=\"\(format(w))\" height=\"\(format(height))\" fill=\"\(fill)\">")
                + "<title>\(label)：\(n)（\(share)%）</title></rect>")
            x += w
        }
        return HTML(trusted: "<svg class=\"bar\" width=\"\(format(width))\" height=\"\(format(height))\" viewBox=\"0 0 \(format(width)) \(format(height))\" role=\"img\">")
            + "<title>\(total) 个回答</title>\(parts)</svg>"
    }

    /// The colour key of the scale.
    static func legend(_ scale: Scale) -> HTML {
        let keys = scale.codes.map { code -> HTML in
            HTML(trusted: "<svg width=\"12\" height=\"12\"><rect width=\"12\" height=\"12\" fill=\"\(colour(code, in: scale))\"></rect></svg> ")
                + "\(code) \(scale.label(code: code) ?? "") "
        }
        return "\(keys)"
    }

    private static func format(_ v: Double) -> String { String(format: "%.1f", v) }
}

extension HTML {
    static func + (a: HTML, b: HTML) -> HTML { HTML(trusted: a.text + b.text) }
}
