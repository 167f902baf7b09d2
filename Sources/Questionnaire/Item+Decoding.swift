import Definitions

extension Questionnaire {
    /// Decodes one further item:
    ///
    /// ```yaml
    /// - name: members            # ASCII, ≤ 32 characters
    ///   label: 家庭常住人口（人）
    ///   type: number             # tier | single | number | text
    ///   required: true           # default true
    ///   range: [1, 20]           # number: inclusive bounds, either may be ~
    ///   decimals: 0              # number: digits after the point (default 0)
    ///   choices: {1: 有, 2: 没有} # single: code → label
    ///   max_length: 200          # text
    ///   when: q_school == 1      # asked only when this holds (names earlier items)
    /// ```
    /// - Parameters:
    ///   - known: names already taken (units, own_town, earlier items).
    ///   - earlier: items defined before this one, which a `when` may read.
    static func item(_ node: YAMLValue, scale: Scale, known: Set<String>, earlier: [String]) throws(DefinitionError) -> Item {
        let m = try node.mapping()
        try m.allowOnly(["name", "label", "type", "required", "when", "range", "decimals", "choices", "max_length"])
        let nameNode = try m.require("name")
        let name = try nameNode.string()
        guard isIdentifier(name, allowHyphen: false) else {
            throw nameNode.error("item name '\(name)' is not an ASCII variable name",
                                 hint: "use at most 32 letters, digits or '_', starting with a letter (SPSS and Stata need this)")
        }
        guard !Questionnaire.reservedNames.contains(name) else {
            throw nameNode.error("item name '\(name)' is reserved for a column of entry files and exports", hint: "choose another name")
        }
        guard !known.contains(name) else {
            throw nameNode.error("item name '\(name)' is used twice (units are named by their ids)", hint: "give every item its own name")
        }
        let label = try m.require("label").string()
        let typeNode = try m.require("type")
        let type = try typeNode.string()
        let allowedByType: [String: [String]] = [
            "tier": [], "single": ["choices"], "number": ["range", "decimals"], "text": ["max_length"],
        ]
        guard let specific = allowedByType[type] else {
            throw typeNode.error("unknown item type '\(type)'", hint: "the types are tier, single, number, text")
        }
        for key in ["range", "decimals", "choices", "max_length"] where m[key] != nil && !specific.contains(key) {
            throw (m[key] ?? node).error("'\(key)' does not apply to a \(type) item", hint: "remove it or change the type")
        }
        let kind: ItemKind
        switch type {
        case "single": kind = .single(choices: try choices(m.require("choices")))
        case "number":
            var minimum: Double?
            var maximum: Double?
            if let rangeNode = m["range"] {
                let bounds = try rangeNode.sequence()
                guard bounds.count == 2 else { throw rangeNode.error("a range has two bounds", hint: "write range: [1, 20] (~ for no bound)") }
                minimum = bounds[0].isNull ? nil : try bounds[0].double()
                maximum = bounds[1].isNull ? nil : try bounds[1].double()
                if let minimum, let maximum, minimum > maximum {
                    throw rangeNode.error("the range's lower bound exceeds its upper bound", hint: "write [low, high]")
                }
            }
            let decimals = try m.optionalInt("decimals") ?? 0
            guard (0...9).contains(decimals) else {
                throw (m["decimals"] ?? node).error("decimals must be 0–9", hint: "0 means whole numbers")
            }
            kind = .number(minimum: minimum, maximum: maximum, decimals: decimals)
        case "text":
            let maxLength = try m.optionalInt("max_length")
            if let maxLength, maxLength < 1 { throw (m["max_length"] ?? node).error("max_length must be positive") }
            kind = .text(maxLength: maxLength)
        default:
            kind = .tier
        }
        var when: Condition?
        if let whenNode = m["when"] {
            let text = try whenNode.string()
            do {
                when = try Condition(parsing: text)
            } catch {
                throw whenNode.error("cannot read the condition '\(text)': \(error.message)",
                                     hint: "write e.g. members >= 3, q_use in [1, 2], a == 1 and b != 2")
            }
            for referenced in when?.names ?? [] where !earlier.contains(referenced) {
                let hint = known.contains(referenced) || referenced == name
                    ? "a condition can only read items that come before it"
                    : "the items before it are \(earlier.suffix(8).joined(separator: ", "))"
                throw whenNode.error("the condition reads '\(referenced)', which is not an earlier item", hint: hint)
            }
        }
        return Item(name: name, label: label, kind: kind, required: try m.optionalBool("required") ?? true, when: when)
    }

    /// `choices:` as `{1: 有, 2: 没有}` or a list of `{code, label}`.
    static func choices(_ node: YAMLValue) throws(DefinitionError) -> [Choice] {
        var choices: [Choice] = []
        if case .sequence = node.node {
            for entry in try node.sequence() {
                let m = try entry.mapping()
                try m.allowOnly(["code", "label"])
                choices.append(Choice(code: try m.require("code").int(), label: try m.require("label").string()))
            }
        } else {
            for (key, value) in try node.mapping().entries {
                guard let code = Int(key) else {
                    throw value.error("choice code '\(key)' is not a whole number", hint: "write choices as code: label, e.g. 1: 有")
                }
                choices.append(Choice(code: code, label: try value.string()))
            }
        }
        guard choices.count >= 2 else { throw node.error("a single-choice item needs at least two choices") }
        guard Set(choices.map(\.code)).count == choices.count else {
            throw node.error("a choice code is used twice", hint: "give every choice its own code")
        }
        return choices
    }
}
