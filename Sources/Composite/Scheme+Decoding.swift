import Definitions

extension Scheme {
    /// Reads and validates a scheme file.
    /// - Throws: ``CompositeError`` located at the YAML node that is wrong (file, line, column,
    ///   key path), e.g. weights that do not add up, an unknown class or grade, a repeated id.
    public static func load(path: String, name: String? = nil) throws(CompositeError) -> Scheme {
        do throws(DefinitionError) {
            return try decode(YAMLValue.load(path: path, name: name))
        } catch {
            throw CompositeError(error)
        }
    }

    /// Parses and validates scheme text (tests, and schemes held in memory).
    public static func parse(_ text: String, file: String) throws(CompositeError) -> Scheme {
        do throws(DefinitionError) {
            return try decode(YAMLValue.parse(text, file: file))
        } catch {
            throw CompositeError(error)
        }
    }

    static func decode(_ root: YAMLValue) throws(DefinitionError) -> Scheme {
        let map = try root.mapping()
        try map.allowOnly(["scheme", "label", "reference", "decimals", "classes", "bonus", "penalty", "deductions", "vetoes", "rate_rule"])
        let id = try asciiID(map.require("scheme"))
        let label = try map.require("label").string()
        let decimals = try map.optionalInt("decimals") ?? 2
        if !(0...6).contains(decimals) {
            throw try map.require("decimals").error("decimals must be between 0 and 6, found \(decimals)", hint: "bureaus publish scores with 2 decimals")
        }
        let classNodes = try map.require("classes").sequence()
        if classNodes.isEmpty { throw try map.require("classes").error("the scheme has no classes", hint: "list at least one class of units") }
        var classes: [UnitClass] = []
        for node in classNodes {
            let unitClass = try decodeClass(node)
            if classes.contains(where: { $0.id == unitClass.id }) {
                throw node.error("class '\(unitClass.id)' is defined twice", hint: "give each class its own id")
            }
            classes.append(unitClass)
        }
        let classIDs = classes.map(\.id)
        let deductions = try map["deductions"].map { v throws(DefinitionError) in try decodeDeductions(v, classes: classIDs) } ?? []
        for deduction in deductions {
            for unitClass in classes where unitClass.component(deduction.id) != nil {
                throw try map.require("deductions").error("deduction '\(deduction.id)' has the id of a component of class '\(unitClass.id)'",
                                                          hint: "give the deduction its own id")
            }
        }
        let bonus = try map["bonus"].map { v throws(DefinitionError) in try decodeTable(v, defaultLabel: "加分", classes: classIDs) }
        let penalty = try map["penalty"].map { v throws(DefinitionError) in try decodeTable(v, defaultLabel: "减分", classes: classIDs) }
        let vetoes = try map["vetoes"].map { v throws(DefinitionError) in try decodeVetoes(v, classes: classes) } ?? []
        let rateRule = try map["rate_rule"].map { v throws(DefinitionError) in try decodeRateRule(v, classes: classes) }
        return Scheme(id: id, label: label, reference: try map.optionalString("reference"), decimals: decimals, file: root.file,
                      classes: classes, bonus: bonus, penalty: penalty, deductions: deductions, vetoes: vetoes, rateRule: rateRule)
    }

    static func decodeClass(_ node: YAMLValue) throws(DefinitionError) -> UnitClass {
        let map = try node.mapping()
        try map.allowOnly(["id", "label", "components", "grading", "flags"])
        let id = try asciiID(map.require("id"))
        let componentsNode = try map.require("components")
        let components = try decodeComponents(componentsNode, parentPoints: 100, parentPeriods: [], owner: "class '\(id)'")
        // Ids are unique across the whole tree, and never a RESULT.csv column name.
        var seen: Set<String> = []
        for component in components.flatMap(\.flattened) {
            if !seen.insert(component.id).inserted {
                throw componentsNode.error("component id '\(component.id)' is used twice in class '\(id)'", hint: "give each component its own id")
            }
        }
        if components.flatMap(\.flattened).filter({ $0.isLeaf && $0.source == .public }).count > 1 {
            throw componentsNode.error("class '\(id)' has more than one component with source: public",
                                       hint: "the public-evaluation scores feed one component; nest the others under it")
        }
        let grading = try map["grading"].map { v throws(DefinitionError) in try decodeGrading(v) }
        let flags = try map["flags"].map { v throws(DefinitionError) in try decodeFlags(v) } ?? []
        return UnitClass(id: id, label: try map.require("label").string(), components: components, grading: grading, flags: flags)
    }

    /// Decodes one level of components and checks that their shares add up: weights to 1
    /// (100 %), or points to the parent's points (100 at the top).
    static func decodeComponents(_ node: YAMLValue, parentPoints: Double, parentPeriods: [PeriodWeight],
                                 owner: String) throws(DefinitionError) -> [Component] {
        let items = try node.sequence()
        if items.isEmpty { throw node.error("\(owner) has no components", hint: "list its components with their weights or points") }
        var usesPoints: Bool?
        var total = 0.0
        var out: [Component] = []
        for item in items {
            let map = try item.mapping()
            try map.allowOnly(["id", "label", "weight", "points", "periods", "source", "components", "allowed"])
            let id = try asciiID(map.require("id"))
            if Scheme.reservedIDs.contains(id) {
                throw try map.require("id").error("'\(id)' is a column of RESULT.csv and cannot be a component id", hint: "choose another id")
            }
            let weight = try map.optionalDouble("weight")
            let points = try map.optionalDouble("points")
            let share: Double
            let written: String
            switch (weight, points) {
            case (let w?, nil):
                share = w
                written = percent(w)
            case (nil, let p?):
                share = p
                written = "\(number(p))分"
            default:
                throw item.error("component '\(id)' needs either weight (e.g. 80%) or points (e.g. 60)", hint: "give exactly one of them")
            }
            let isPoints = points != nil
            if let usesPoints, usesPoints != isPoints {
                throw item.error("component '\(id)' mixes \(isPoints ? "points" : "weights") with the \(usesPoints ? "points" : "weights") of its siblings",
                                 hint: "give every component of \(owner) a weight, or every one points")
            }
            usesPoints = isPoints
            if !(share > 0) {
                throw try map.require(isPoints ? "points" : "weight").error("must be greater than 0, found \(number(share))")
            }
            total += share
            let fraction = isPoints ? share / parentPoints : share
            let absolute = parentPoints * fraction
            let periods: [PeriodWeight]
            if let periodsNode = map["periods"] {
                periods = try decodePeriods(periodsNode, componentPoints: absolute, owner: id)
            } else {
                periods = parentPeriods
            }
            var children: [Component] = []
            if let childNode = map["components"] {
                children = try decodeComponents(childNode, parentPoints: absolute, parentPeriods: periods, owner: "component '\(id)'")
            }
            var source = Source.components
            if let sourceNode = map["source"] {
                guard children.isEmpty else {
                    throw sourceNode.error("component '\(id)' has sub-components, so its value comes from them", hint: "put source on a sub-component")
                }
                let text = try sourceNode.string()
                guard let s = Source(rawValue: text) else {
                    throw sourceNode.error("unknown source '\(text)'", hint: "the sources are components, indicators, public")
                }
                source = s
            }
            var allowed: [AllowedRange] = []
            if let allowedNode = map["allowed"] {
                guard children.isEmpty else { throw allowedNode.error("allowed values belong on a component without sub-components") }
                allowed = try decodeAllowed(allowedNode)
            }
            out.append(Component(id: id, label: try map.require("label").string(), fraction: fraction, points: absolute,
                                 written: written, periods: children.isEmpty ? periods : [], source: source,
                                 children: children, allowed: allowed))
        }
        if usesPoints == true {
            if abs(total - parentPoints) > 1e-6 {
                throw node.error("the points of the components of \(owner) add up to \(number(total)); they must add up to \(number(parentPoints))",
                                 hint: parentPoints == 100 ? "the whole score is 100 points (百分制)" : "the points of \(owner)")
            }
        } else if abs(total - 1) > 1e-6 {
            throw node.error("the weights of the components of \(owner) add up to \(percent(total)); they must add up to 100%",
                             hint: "correct the weights so that they add up to 1 (100%)")
        }
        return out
    }

    /// Period terms: a mapping `H1: 50%`, a list of ids (equal weights), a list of
    /// `{period: Q4, weight: 60%}` / `{average: [Q1, Q2, Q3], weight: 40%}`, or `none`.
    /// Weights add up to 1, or to the component's points (奇台: 半年 30 + 年终 60 of 90).
    static func decodePeriods(_ node: YAMLValue, componentPoints: Double, owner: String) throws(DefinitionError) -> [PeriodWeight] {
        var terms: [(periods: [String], weight: Double, label: String?, node: YAMLValue)] = []
        if let text = try? node.string() {
            guard text == "none" else { throw node.error("periods must be a list, a mapping or none, found '\(text)'") }
            return []
        } else if let map = try? node.mapping() {
            for (key, value) in map.entries {
                terms.append(([try periodID(key, at: value)], try value.double(), nil, value))
            }
        } else {
            let items = try node.sequence()
            if items.allSatisfy({ (try? $0.string()) != nil }) {
                for item in items {
                    terms.append(([try periodID(item.string(), at: item)], 1 / Double(items.count), nil, item))
                }
            } else {
                for item in items {
                    let map = try item.mapping()
                    try map.allowOnly(["period", "average", "weight", "label"])
                    let ids: [String]
                    if let single = try map.optionalString("period") {
                        ids = [single]
                    } else if let many = try map.optionalStrings("average"), !many.isEmpty {
                        ids = many
                    } else {
                        throw item.error("a period term needs period: ID or average: [IDs]")
                    }
                    var checked: [String] = []
                    for id in ids { checked.append(try periodID(id, at: item)) }
                    terms.append((checked, try map.require("weight").double(), try map.optionalString("label"), item))
                }
            }
        }
        if terms.isEmpty { throw node.error("component '\(owner)' lists no periods", hint: "list its periods or write periods: none") }
        var seen: Set<String> = []
        for term in terms {
            if !(term.weight > 0) { throw term.node.error("a period weight must be greater than 0") }
            for id in term.periods where !seen.insert(id).inserted {
                throw term.node.error("period '\(id)' appears twice in component '\(owner)'")
            }
        }
        let total = terms.reduce(0) { $0 + $1.weight }
        let scale: Double
        if abs(total - 1) <= 1e-6 {
            scale = 1
        } else if abs(total - componentPoints) <= 1e-6 {
            scale = componentPoints
        } else {
            throw node.error("the period weights of component '\(owner)' add up to \(number(total)); they must add up to 100% or to the component's \(number(componentPoints)) points",
                             hint: "correct the weights")
        }
        return terms.map { PeriodWeight(periods: $0.periods, weight: $0.weight / scale, label: $0.label) }
    }

    static func decodeAllowed(_ node: YAMLValue) throws(DefinitionError) -> [AllowedRange] {
        var out: [AllowedRange] = []
        for item in try node.sequence() {
            let map = try item.mapping()
            try map.allowOnly(["label", "value", "min", "max"])
            let label = try map.require("label").string()
            if let value = try map.optionalDouble("value") {
                out.append(AllowedRange(label: label, min: value, max: value))
            } else {
                let low = try map.require("min").double()
                let high = try map.require("max").double()
                if low > high { throw item.error("min \(number(low)) is above max \(number(high))") }
                out.append(AllowedRange(label: label, min: low, max: high))
            }
        }
        if out.isEmpty { throw node.error("allowed lists no values") }
        return out
    }

    // MARK: Names

    /// A lower-case ASCII id: letters, digits, '-' and '_'.
    static func asciiID(_ node: YAMLValue) throws(DefinitionError) -> String {
        let text = try node.string()
        let ok = !text.isEmpty && text.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
        }
        guard ok else {
            throw node.error("'\(text)' is not an id", hint: "ids are lower-case ASCII letters, digits, '-' and '_' (put Chinese in label)")
        }
        return text
    }

    static func periodID(_ text: String, at node: YAMLValue) throws(DefinitionError) -> String {
        let ok = !text.isEmpty && text.utf8.allSatisfy { b in
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
        }
        guard ok else { throw node.error("'\(text)' is not a period id", hint: "period ids are ASCII, e.g. H1, Y, Q1, M01") }
        return text
    }
}

/// "80%", "12.5%": a fraction written as a percentage for messages and tables.
func percent(_ fraction: Double) -> String {
    "\(number(fraction * 100))%"
}

/// A number without needless decimals: 90, 0.5, 12.5; rounded to 6 significant decimals.
func number(_ value: Double) -> String {
    let rounded = (value * 1e6).rounded() / 1e6
    if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
    var text = "\(rounded)"
    if text.contains("e") { text = "\(value)" }
    return text
}
