/// One unit's score before ranking: component contributions, bonus, penalty and deductions after
/// caps, the public component and its uncertainty, and the grades the unit has lost or been given.
struct UnitScore: Sendable {
    let unit: Int
    let classID: String
    /// Points each top-level component adds to the score (value × points / 100).
    var contributions: [String: Double] = [:]
    /// Points deducted per deduction, after caps.
    var deductions: [String: Double] = [:]
    var bonus = 0.0
    var penalty = 0.0
    /// The score before rounding.
    var raw = 0.0
    /// The public component's value (0–100), its standard error and satisfaction rate.
    var publicValue: Double?
    var publicSE: Double?
    /// The public component's value in each replicate (when the inputs have replicates).
    var publicReplicates: [Double]?
    var rate: Double?
    /// The public component's weight in the score: its points / 100.
    var publicWeight = 0.0
    /// Grades the unit cannot get, with the reason.
    var withdrawn: [String: String] = [:]
    /// A grade fixed by a veto, with the reason.
    var assigned: (grade: String, reason: String)?
    var notes: [String] = []
}

extension Scheme {
    /// Scores one unit: `Σ top-level contributions + bonus − penalty − deductions`, where a
    /// component's value is `Σ child fraction × child value` and a leaf's value combines its
    /// periods (`Σ term weight × mean of the term's periods`).
    func score(_ data: UnitData, at index: Int) -> UnitScore {
        var result = UnitScore(unit: index, classID: data.classID)
        guard let unitClass = unitClass(data.classID) else { return result }
        for component in unitClass.components {
            let contribution = value(of: component, data) * component.points / 100
            result.contributions[component.id] = contribution
            result.raw += contribution
        }
        if let leaf = unitClass.publicLeaf {
            let combined = combinePublic(leaf, data)
            result.publicValue = combined.score
            result.publicSE = combined.se
            result.rate = combined.rate
            result.publicReplicates = combinedReplicates(leaf, data)
            result.publicWeight = leaf.points / 100
        }
        applyDeductions(data, to: &result)
        applyPoints(.bonus, data, to: &result)
        applyPoints(.penalty, data, to: &result)
        result.raw += result.bonus - result.penalty - result.deductions.values.reduce(0, +)
        applyVetoes(data, to: &result)
        applyRateRule(to: &result)
        return result
    }

    func value(of component: Component, _ data: UnitData) -> Double {
        if !component.isLeaf {
            return component.children.reduce(0) { $0 + $1.fraction * value(of: $1, data) }
        }
        if component.source == .public {
            return combinePublic(component, data).score
        }
        if component.periods.isEmpty {
            return data.values[ValueKey(component: component.id, period: "")] ?? 0
        }
        return component.periods.reduce(0) { sum, term in
            let mean = term.periods.reduce(0) { $0 + (data.values[ValueKey(component: component.id, period: $1)] ?? 0) } / Double(term.periods.count)
            return sum + term.weight * mean
        }
    }

    /// The public component over its periods: score `Σ wₜ s̄ₜ`, rate likewise, and standard error
    /// `√(Σ wₜ² · Σₚ seₚ² / kₜ²)` for a term averaging kₜ periods — periods are independent surveys.
    func combinePublic(_ leaf: Component, _ data: UnitData) -> (score: Double, se: Double?, rate: Double?) {
        let terms = leaf.periods.isEmpty ? [PeriodWeight(periods: [""], weight: 1, label: nil)] : leaf.periods
        var score = 0.0
        var variance: Double? = 0
        var rate: Double? = 0
        for term in terms {
            let k = Double(term.periods.count)
            for period in term.periods {
                let cell = data.publicScores[period]
                score += term.weight * (cell?.score ?? 0) / k
                if let se = cell?.se, let v = variance { variance = v + term.weight * term.weight * se * se / (k * k) } else { variance = nil }
                if let r = cell?.rate, let sum = rate { rate = sum + term.weight * r / k } else { rate = nil }
            }
        }
        return (score, variance.map { $0.squareRoot() }, rate)
    }

    /// The public component in each replicate, combined over periods as ``combinePublic(_:_:)``
    /// combines the scores; a replicate without the unit's respondents keeps the period's score.
    func combinedReplicates(_ leaf: Component, _ data: UnitData) -> [Double]? {
        let terms = leaf.periods.isEmpty ? [PeriodWeight(periods: [""], weight: 1, label: nil)] : leaf.periods
        var result: [Double]? = nil
        for term in terms {
            let k = Double(term.periods.count)
            for period in term.periods {
                guard let cell = data.publicScores[period], let values = cell.replicates else { return nil }
                if result == nil { result = [Double](repeating: 0, count: values.count) }
                guard result?.count == values.count else { return nil }
                for r in values.indices {
                    let v = values[r].isNaN ? cell.score : values[r]
                    result?[r] += term.weight * v / k
                }
            }
        }
        return result
    }

    func applyDeductions(_ data: UnitData, to result: inout UnitScore) {
        for deduction in deductions where deduction.classes.isEmpty || deduction.classes.contains(data.classID) {
            let given = data.deductions[deduction.id] ?? 0
            var counted = given
            if let cap = deduction.cap, given > cap {
                counted = cap
                result.notes.append("\(deduction.label)扣\(number(given))分，按上限扣\(number(cap))分")
            } else if given > 0 {
                result.notes.append("\(deduction.label)扣\(number(given))分")
            }
            result.deductions[deduction.id] = counted
        }
    }

    /// Adds up a unit's bonus or penalty events: codes of a `highest_only` group count once per
    /// item at their highest points, then group caps, then the table's cap.
    func applyPoints(_ kind: EventKind, _ data: UnitData, to result: inout UnitScore) {
        guard let table = table(kind) else { return }
        let events = data.events.filter { $0.kind == kind }
        guard !events.isEmpty else { return }
        var counted: [(code: PointsCode, points: Double)] = []
        var bestByItem: [String: Int] = [:]
        for event in events {
            guard let code = table.code(event.code) else { continue }
            let points: Double
            switch code.points {
            case .fixed(let p): points = p
            case .range: points = event.points ?? 0
            }
            if let groupID = code.group, let group = table.group(groupID), group.highestOnly {
                let key = groupID + "\u{1F}" + (event.item ?? "")
                if let i = bestByItem[key] {
                    let new = (code: code, points: points)
                    let (kept, dropped) = counted[i].points >= points ? (counted[i], new) : (new, counted[i])
                    counted[i] = kept
                    result.notes.append("\(group.label)：\(event.item.map { "“\($0)”" } ?? "")计\(kept.code.label)\(number(kept.points))分，不计\(dropped.code.label)\(number(dropped.points))分")
                    continue
                }
                bestByItem[key] = counted.count
            }
            counted.append((code, points))
        }
        var total = 0.0
        var byGroup: [String: Double] = [:]
        for entry in counted {
            if let g = entry.code.group { byGroup[g, default: 0] += entry.points } else { total += entry.points }
        }
        for group in table.groups {
            guard let sum = byGroup[group.id] else { continue }
            if let cap = group.cap, sum > cap {
                result.notes.append("\(group.label)合计\(number(sum))分，按上限计\(number(cap))分")
                total += cap
            } else {
                total += sum
            }
        }
        let detail = counted.map { "\($0.code.label)\(number($0.points))分" }.joined(separator: "，")
        if let cap = table.cap, total > cap {
            result.notes.append("\(table.label)\(number(total))分（\(detail)），按上限计\(number(cap))分")
            total = cap
        } else {
            result.notes.append("\(table.label)\(number(total))分（\(detail)）")
        }
        if kind == .bonus { result.bonus = total } else { result.penalty = total }
    }

    func applyVetoes(_ data: UnitData, to result: inout UnitScore) {
        for event in data.events where event.kind == .veto {
            guard let veto = vetoes.first(where: { $0.code == event.code }) else { continue }
            if let grade = veto.assign {
                let reason = "一票否决：\(veto.label)，评为\(grade)"
                if result.assigned == nil { result.assigned = (grade, reason) }
                result.notes.append(reason)
            } else if veto.withdraw.isEmpty {
                result.notes.append(veto.label)
            } else {
                let reason = "一票否决：\(veto.label)，取消\(veto.withdraw.joined(separator: "、"))资格"
                for grade in veto.withdraw where result.withdrawn[grade] == nil { result.withdrawn[grade] = reason }
                result.notes.append(reason)
            }
        }
    }

    func applyRateRule(to result: inout UnitScore) {
        guard let rule = rateRule, rule.classes.isEmpty || rule.classes.contains(result.classID),
              let rate = result.rate, rate < rule.below else { return }
        let reason = "满意率\(number((rate * 1000).rounded() / 10))%低于\(percent(rule.below))：\(rule.label)"
        for grade in rule.withdraw where result.withdrawn[grade] == nil { result.withdrawn[grade] = reason }
        result.notes.append(reason)
    }
}
