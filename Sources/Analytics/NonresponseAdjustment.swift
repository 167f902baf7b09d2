public import Formats
public import Tables

/// Non-response adjustment of design weights within weighting classes.
///
/// The unit is the sample slot: a sampled case together with the reserves that replaced it
/// (followed through `replaces`). A slot is eligible unless its case was found not eligible; it
/// responded when the sampled case or one of its reserves has a counted form. In each class
/// (default: the stage-1 stratum of the sampled case) the respondents' weights are multiplied by
///   Σ weights of eligible slots / Σ weights of responding slots,
/// so respondents carry the weight of the class's non-respondents. A reserve takes its slot's
/// weight. Unknown-eligibility slots are counted as eligible (conservative).
public struct NonresponseAdjustment: Sendable {
    public struct ClassFactor: Sendable, Equatable {
        public var name: String
        public var slots: Int
        public var responding: Int
        public var factor: Double
    }

    /// Adjusted weight of every responding case (by case id).
    public var weights: [String: Double]
    public var classes: [ClassFactor]

    public init(cases table: Table, classColumn: String = CasesFormat.defaultClasses) throws(AnalyticsError) {
        let id, role, replaces, disposition, entered, weight, klass: Column
        do {
            try CasesFormat.format.check(table)
            id = try table.column(CasesFormat.caseID, purpose: "the case")
            role = try table.column(CasesFormat.role, purpose: "sample or reserve")
            replaces = try table.column(CasesFormat.replaces, purpose: "the case a reserve replaced")
            disposition = try table.column(CasesFormat.disposition, purpose: "the case disposition")
            entered = try table.column(CasesFormat.entered, purpose: "whether a form was counted")
            weight = try table.column(CasesFormat.weight, purpose: "the design weight")
            klass = try table.column(classColumn, purpose: "the weighting class")
        } catch { throw .input(error) }
        var rowOf: [String: Int] = [:]
        for r in 0..<table.rowCount { rowOf[id.string(r) ?? ""] = r }
        // The sampled case each row belongs to.
        func slot(of row: Int) throws(AnalyticsError) -> Int {
            var r = row
            var hops = 0
            while role.string(r) == CaseRole.reserve.rawValue {
                guard let target = replaces.string(r), let next = rowOf[target] else {
                    throw .data(file: table.source, line: table.line(of: r), message: "reserve \(id.string(r) ?? "") replaces no known case",
                                hint: "export the case file again with pingyi responses export --format cases")
                }
                r = next
                hops += 1
                if hops > table.rowCount { break }
            }
            return r
        }
        var eligible: [String: Double] = [:]
        var responding: [String: Double] = [:]
        var slots: [String: Int] = [:]
        var answered: [String: Int] = [:]
        var order: [String] = []
        var respondents: [(id: String, slot: Int)] = []
        var slotResponded = Set<Int>()
        for r in 0..<table.rowCount {
            let s = try slot(of: r)
            if entered.string(r) == CasesFormat.enteredYes {
                respondents.append((id.string(r) ?? "", s))
                slotResponded.insert(s)
            }
        }
        for r in 0..<table.rowCount where role.string(r) != CaseRole.reserve.rawValue {
            guard let w = weight.number(r) else {
                throw .data(file: table.source, line: table.line(of: r), message: "the weight is empty", hint: "export the case file again")
            }
            let name = klass.string(r) ?? ""
            if slots[name] == nil { order.append(name) }
            slots[name, default: 0] += 1
            if disposition.string(r) != Disposition.notEligible.rawValue { eligible[name, default: 0] += w }
            if slotResponded.contains(r) {
                responding[name, default: 0] += w
                answered[name, default: 0] += 1
            }
        }
        var factors: [String: Double] = [:]
        classes = []
        for name in order {
            let f = (responding[name] ?? 0) > 0 ? (eligible[name] ?? 0) / (responding[name] ?? 1) : .nan
            factors[name] = f
            classes.append(ClassFactor(name: name, slots: slots[name] ?? 0, responding: answered[name] ?? 0, factor: f))
        }
        weights = [:]
        for (caseID, s) in respondents {
            let w = weight.number(s) ?? 0
            weights[caseID] = w * (factors[klass.string(s) ?? ""] ?? .nan)
        }
    }
}
