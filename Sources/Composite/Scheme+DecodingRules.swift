import Definitions

/// Decoding of the rules around the components: bonus and penalty tables, deductions, vetoes,
/// the satisfaction-rate rule, grading and flags.
extension Scheme {
    static func decodeTable(_ node: YAMLValue, defaultLabel: String, classes: [String]) throws(DefinitionError) -> PointsTable {
        let map = try node.mapping()
        try map.allowOnly(["label", "cap", "classes", "groups", "codes"])
        let cap = try positive(map, "cap")
        var groups: [CodeGroup] = []
        for item in try map["groups"]?.sequence() ?? [] {
            let g = try item.mapping()
            try g.allowOnly(["id", "label", "highest_only", "cap"])
            let id = try asciiID(g.require("id"))
            if groups.contains(where: { $0.id == id }) { throw item.error("group '\(id)' is defined twice") }
            groups.append(CodeGroup(id: id, label: try g.require("label").string(),
                                    highestOnly: try g.optionalBool("highest_only") ?? false, cap: try positive(g, "cap")))
        }
        var codes: [PointsCode] = []
        let codeNodes = try map.require("codes").sequence()
        if codeNodes.isEmpty { throw try map.require("codes").error("the table has no codes") }
        for item in codeNodes {
            let c = try item.mapping()
            try c.allowOnly(["code", "label", "points", "group"])
            let code = try asciiID(c.require("code"))
            if codes.contains(where: { $0.code == code }) {
                throw try c.require("code").error("code '\(code)' appears twice in the table", hint: "give each code its own id")
            }
            let group = try c.optionalString("group")
            if let group, !groups.contains(where: { $0.id == group }) {
                throw try c.require("group").error("unknown group '\(group)'",
                                                   hint: groups.isEmpty ? "declare it under groups" : "the groups are \(groups.map(\.id).joined(separator: ", "))")
            }
            codes.append(PointsCode(code: code, label: try c.require("label").string(),
                                    points: try decodePoints(c.require("points")), group: group))
        }
        return PointsTable(label: try map.optionalString("label") ?? defaultLabel, cap: cap,
                           classes: try classList(map, known: classes), groups: groups, codes: codes)
    }

    /// `points: 2` (fixed) or `points: {min: 2, max: 5}` (the event gives its points).
    static func decodePoints(_ node: YAMLValue) throws(DefinitionError) -> PointsRule {
        if let map = try? node.mapping() {
            try map.allowOnly(["min", "max"])
            let low = try map.optionalDouble("min") ?? 0
            let high = try map.optionalDouble("max")
            if low < 0 { throw node.error("min must not be negative") }
            if let high, high < low { throw node.error("max \(number(high)) is below min \(number(low))") }
            return .range(min: low, max: high)
        }
        let points = try node.double()
        if !(points > 0) {
            throw node.error("points must be greater than 0, found \(number(points))", hint: "penalties are written as positive points too")
        }
        return .fixed(points)
    }

    static func decodeDeductions(_ node: YAMLValue, classes: [String]) throws(DefinitionError) -> [Deduction] {
        var out: [Deduction] = []
        for item in try node.sequence() {
            let map = try item.mapping()
            try map.allowOnly(["id", "label", "cap", "classes"])
            let id = try asciiID(map.require("id"))
            if Scheme.reservedIDs.contains(id) { throw try map.require("id").error("'\(id)' is a column of RESULT.csv", hint: "choose another id") }
            if out.contains(where: { $0.id == id }) { throw item.error("deduction '\(id)' is defined twice") }
            out.append(Deduction(id: id, label: try map.require("label").string(), cap: try positive(map, "cap"),
                                 classes: try classList(map, known: classes)))
        }
        return out
    }

    static func decodeVetoes(_ node: YAMLValue, classes: [UnitClass]) throws(DefinitionError) -> [Veto] {
        var out: [Veto] = []
        for item in try node.sequence() {
            let map = try item.mapping()
            try map.allowOnly(["code", "label", "withdraw", "assign", "classes"])
            let code = try asciiID(map.require("code"))
            if out.contains(where: { $0.code == code }) { throw item.error("veto '\(code)' is defined twice") }
            let applies = try classList(map, known: classes.map(\.id))
            let withdraw = try map.optionalStrings("withdraw") ?? []
            let assign = try map.optionalString("assign")
            if assign != nil && !withdraw.isEmpty {
                throw item.error("veto '\(code)' has both withdraw and assign", hint: "assign fixes the grade; withdraw only removes grades")
            }
            try checkGrades(withdraw + (assign.map { [$0] } ?? []), at: item, classes: classes, applies: applies)
            out.append(Veto(code: code, label: try map.require("label").string(), withdraw: withdraw, assign: assign, classes: applies))
        }
        return out
    }

    static func decodeRateRule(_ node: YAMLValue, classes: [UnitClass]) throws(DefinitionError) -> RateRule {
        let map = try node.mapping()
        try map.allowOnly(["below", "label", "withdraw", "classes"])
        let below = try map.require("below").double()
        if !(below > 0 && below <= 1) {
            throw try map.require("below").error("below must be a rate between 0 and 100%, found \(number(below))", hint: "write e.g. 60%")
        }
        let applies = try classList(map, known: classes.map(\.id))
        let withdraw = try map.optionalStrings("withdraw") ?? []
        try checkGrades(withdraw, at: node, classes: classes, applies: applies)
        return RateRule(below: below, label: try map.require("label").string(), withdraw: withdraw, classes: applies)
    }

    static func decodeGrading(_ node: YAMLValue) throws(DefinitionError) -> Grading {
        let map = try node.mapping()
        try map.allowOnly(["ties", "grades", "fail"])
        var ties = TiePolicy.exclude
        if let tiesNode = map["ties"] {
            let text = try tiesNode.string()
            guard let policy = TiePolicy(rawValue: text) else {
                throw tiesNode.error("unknown tie rule '\(text)'", hint: "ties is exclude (the quota is never exceeded) or include (all tied units get the grade)")
            }
            ties = policy
        }
        var tiers: [GradeTier] = []
        let gradeNodes = try map.require("grades").sequence()
        if gradeNodes.isEmpty { throw try map.require("grades").error("grading lists no grades") }
        for (i, item) in gradeNodes.enumerated() {
            let g = try item.mapping()
            try g.allowOnly(["grade", "share", "count", "min_score"])
            let grade = try g.require("grade").string()
            if tiers.contains(where: { $0.grade == grade }) { throw item.error("grade '\(grade)' appears twice") }
            var quota: Quota?
            if let share = try g.optionalDouble("share") {
                if !(share > 0 && share <= 1) { throw try g.require("share").error("share must be between 0 and 100%, found \(number(share))") }
                quota = .share(share)
            }
            if let countNode = g["count"] {
                if quota != nil { throw countNode.error("grade '\(grade)' has both share and count", hint: "give one of them") }
                quota = try decodeCount(countNode)
            }
            let minScore = try g.optionalDouble("min_score")
            if i == gradeNodes.count - 1 && (quota != nil || minScore != nil) {
                throw item.error("the last grade '\(grade)' takes every unit left, so it has no share, count or min_score",
                                 hint: "add the grade for the remaining units at the end")
            }
            tiers.append(GradeTier(grade: grade, quota: quota, minScore: minScore))
        }
        var fail: FailRule?
        if let failNode = map["fail"] {
            let f = try failNode.mapping()
            try f.allowOnly(["grade", "below", "last_two_years"])
            let rule = FailRule(grade: try f.require("grade").string(), below: try f.optionalDouble("below"),
                                lastTwoYears: try f.optionalBool("last_two_years") ?? false)
            if rule.below == nil && !rule.lastTwoYears {
                throw failNode.error("fail needs below: SCORE or last_two_years: true")
            }
            fail = rule
        }
        return Grading(grades: tiers, ties: ties, fail: fail)
    }

    /// `count: 2`, or `count: {min: 3, max: 5}` (先进等次取3-5名).
    static func decodeCount(_ node: YAMLValue) throws(DefinitionError) -> Quota {
        if let map = try? node.mapping() {
            try map.allowOnly(["min", "max"])
            let high = try map.require("max").int()
            let low = try map.optionalInt("min") ?? 0
            if low < 0 || high < low { throw node.error("count needs 0 ≤ min ≤ max, found min \(low), max \(high)") }
            return .count(min: low, max: high)
        }
        let count = try node.int()
        if count < 0 { throw node.error("count must not be negative") }
        return .count(min: count, max: count)
    }

    static func decodeFlags(_ node: YAMLValue) throws(DefinitionError) -> [Flag] {
        var out: [Flag] = []
        for item in try node.sequence() {
            let map = try item.mapping()
            try map.allowOnly(["note", "below", "top", "bottom"])
            let flag = Flag(note: try map.require("note").string(), below: try map.optionalDouble("below"),
                            top: try map.optionalInt("top"), bottom: try map.optionalInt("bottom"))
            if flag.below == nil && flag.top == nil && flag.bottom == nil { throw item.error("a flag needs below: SCORE, top: N or bottom: N") }
            for key in ["top", "bottom"] where (try map.optionalInt(key) ?? 1) < 1 {
                throw try map.require(key).error("\(key) must be at least 1")
            }
            out.append(flag)
        }
        return out
    }

    // MARK: Helpers

    /// `classes: [town, department]`, each a known class; absent: every class.
    static func classList(_ map: YAMLMapping, known: [String]) throws(DefinitionError) -> [String] {
        guard let node = map["classes"] else { return [] }
        let list = try node.strings()
        for id in list where !known.contains(id) {
            throw node.error("unknown class '\(id)'", hint: "the classes are \(known.joined(separator: ", "))")
        }
        return list
    }

    /// Every grade named must be a grade of at least one class the rule applies to.
    static func checkGrades(_ grades: [String], at node: YAMLValue, classes: [UnitClass], applies: [String]) throws(DefinitionError) {
        let scope = classes.filter { applies.isEmpty || applies.contains($0.id) }
        let known = scope.flatMap { $0.grading?.gradeNames ?? [] }
        for grade in grades where !known.contains(grade) {
            throw node.error("unknown grade '\(grade)'",
                             hint: known.isEmpty ? "the classes it applies to have no grading" : "the grades are \(uniqued(known).joined(separator: ", "))")
        }
    }

    static func positive(_ map: YAMLMapping, _ key: String) throws(DefinitionError) -> Double? {
        guard let value = try map.optionalDouble(key) else { return nil }
        if !(value > 0) { throw try map.require(key).error("\(key) must be greater than 0, found \(number(value))") }
        return value
    }
}

func uniqued(_ values: [String]) -> [String] {
    var seen: Set<String> = []
    return values.filter { seen.insert($0).inserted }
}
