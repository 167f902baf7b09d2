extension Design {
    /// The design as YAML that ``Design/parse(_:file:)`` reads back to the same design: what the
    /// workbench writes when a design is edited in its form (a shipped file's comments are not
    /// kept; the values are).
    public func yaml() -> String {
        var out = "name: \(yamlScalar(name))\n"
        if let group { out += "group: \(yamlScalar(group))\n" }
        if let frame { out += "frame: \(yamlScalar(frame))\n" }
        if !filter.isEmpty {
            out += "filter: {" + filter.map { "\(yamlScalar($0.column)): \(yamlFlow($0.values))" }.joined(separator: ", ") + "}\n"
        }
        out += "id: \(yamlScalar(id))\n"
        out += "case-prefix: \(yamlScalar(casePrefix))\n"
        out += "stages:\n"
        for stage in stages {
            out += "  - unit: \(yamlScalar(stage.unit))\n"
            if !stage.strata.isEmpty { out += "    strata: \(yamlFlow(stage.strata))\n" }
            if !stage.order.isEmpty { out += "    order: \(yamlFlow(stage.order))\n" }
            if stage.serpentine { out += "    serpentine: true\n" }
            out += "    method: \(stage.method.rawValue)\n"
            if case .column(let column) = stage.size { out += "    size: \(yamlScalar(column))\n" }
            if let rule = stage.certainty {
                out += "    certainty: {column: \(yamlScalar(rule.column)), at-least: \(yamlNumber(rule.minimum))}\n"
            }
            out += "    allocation: \(stage.allocation.yaml)\n"
            if stage.reserve > 0 { out += "    reserve: \(stage.reserve)\n" }
            if stage.takeAll { out += "    take-all: true\n" }
        }
        if let coordination {
            out += "coordination: {registry: \(yamlScalar(coordination.registry)), rotate: \(coordination.rotate)}\n"
        }
        return out
    }
}

extension Allocation {
    /// The allocation as a YAML flow mapping (`{total: 240, rule: proportional, min: 12}`).
    var yaml: String {
        switch self {
        case .perStratum(let n): "{per-stratum: \(n)}"
        case .perUnit(let n): "{per-unit: \(n)}"
        case .explicit(let sizes):
            "{sizes: {" + sizes.keys.sorted().map { "\(yamlScalar($0)): \(sizes[$0] ?? 0)" }.joined(separator: ", ") + "}}"
        case let .total(n, rule, minimum, sd):
            "{total: \(n), rule: \(rule.rawValue), min: \(minimum)" + (sd.map { ", neyman-sd: \(yamlScalar($0))" } ?? "") + "}"
        }
    }
}

/// `[a, b]` with each item a scalar.
func yamlFlow(_ values: [String]) -> String {
    "[" + values.map(yamlScalar).joined(separator: ", ") + "]"
}

/// A whole number without a fraction, else the shortest decimal that reads back the same.
func yamlNumber(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
}

/// A string as a YAML scalar: plain when YAML reads it back as the same string, else
/// double-quoted with `\` and `"` escaped (so `是`, `3`, `true`, `a: b` and `[x]` stay text).
func yamlScalar(_ text: String) -> String {
    let special: Set<Character> = [":", "#", "{", "}", "[", "]", ",", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "\\", "?", "-"]
    let lower = text.lowercased()
    let reserved = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"]
    let plain = !text.isEmpty && text.first != " " && text.last != " " && !text.contains(where: { special.contains($0) || $0.isNewline || $0 == "\t" })
        && !reserved.contains(lower) && Double(text) == nil && Int(text) == nil
        && !(text.first.map { $0.isNumber || $0 == "." || $0 == "+" } ?? false)
    if plain { return text }
    var out = "\""
    for c in text.unicodeScalars {
        switch c {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default: out.unicodeScalars.append(c)
        }
    }
    return out + "\""
}
