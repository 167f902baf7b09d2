/// Reads the composite inputs row by row against a scheme, throwing at the first problem.
struct InputReader {
    let scheme: Scheme
    var units: [UnitData] = []
    var index: [String: Int] = [:]
    /// The public-scores file for each period ("" when one file covers all), for messages.
    var publicFiles: [String: String] = [:]

    init(scheme: Scheme) {
        self.scheme = scheme
    }

    // MARK: Components (C.csv)

    mutating func readComponents(_ input: InputTable) throws(CompositeError) {
        var duplicates = DuplicateCheck()
        for row in 0..<input.rowCount {
            let unit = try input.required("unit", row)
            let classID = try input.required("class", row)
            guard let unitClass = scheme.unitClass(classID) else {
                throw input.error(row, field: "class", "unknown class '\(classID)' (unit \(unit))",
                                  hint: "the classes of scheme \(scheme.id) are \(scheme.classIDs.joined(separator: ", "))")
            }
            let u = try unitIndex(unit, classID: classID, input: input, row: row)
            guard let componentID = input.text("component", row) else {
                if input.text("value", row) != nil {
                    throw input.error(row, field: "component", "is empty but the row has a value (unit \(unit))",
                                      hint: "name the component, or leave value empty to only declare the unit")
                }
                continue
            }
            let period = input.text("period", row) ?? ""
            try duplicates.check([unit, componentID, period], in: input, row: row,
                                 what: "unit \(unit), component \(componentID)\(period.isEmpty ? "" : ", period \(period)")")
            let value = try input.requiredNumber("value", row)
            if !(0...100).contains(value) {
                throw input.error(row, field: "value", "\(number(value)) is outside 0–100 (unit \(unit), component \(componentID))",
                                  hint: "values are on the 100-point basis (百分制); convert them first")
            }
            if let deduction = scheme.deductions.first(where: { $0.id == componentID }) {
                guard deduction.classes.isEmpty || deduction.classes.contains(classID) else {
                    throw input.error(row, field: "component", "deduction '\(componentID)' does not apply to class '\(classID)' (unit \(unit))",
                                      hint: "it applies to \(deduction.classes.joined(separator: ", "))")
                }
                if !period.isEmpty {
                    throw input.error(row, field: "period", "deduction '\(componentID)' has no periods (unit \(unit))", hint: "leave period empty")
                }
                units[u].deductions[componentID] = value
                continue
            }
            let component = try leaf(componentID, of: unitClass, input: input, row: row, unit: unit)
            guard component.source != .public else {
                throw input.error(row, field: "component", "component '\(componentID)' takes its values from the public scores (unit \(unit))",
                                  hint: "give them with --public (pingyi score output), not in the components file")
            }
            try checkPeriod(period, of: component, input: input, row: row, unit: unit)
            if !component.allowed.isEmpty && !component.allowed.contains(where: { $0.contains(value) }) {
                let ranges = component.allowed.map { "\($0.label) \($0.min == $0.max ? number($0.min) : "\(number($0.min))–\(number($0.max))")" }
                throw input.error(row, field: "value", "\(number(value)) is not a value component '\(componentID)' can take (unit \(unit))",
                                  hint: "the values are \(ranges.joined(separator: ", "))")
            }
            let key = ValueKey(component: componentID, period: period)
            units[u].values[key] = value
            units[u].origins[key] = "\(input.file):\(input.line(row))"
        }
    }

    /// The index of `unit`, adding it on first sight; a unit keeps one class.
    mutating func unitIndex(_ unit: String, classID: String, input: InputTable, row: Int) throws(CompositeError) -> Int {
        if let i = index[unit] {
            if units[i].classID != classID {
                throw input.error(row, field: "class", "unit \(unit) is '\(classID)' here but '\(units[i].classID)' on line \(units[i].line)",
                                  hint: "a unit belongs to one class")
            }
            return i
        }
        index[unit] = units.count
        units.append(UnitData(id: unit, classID: classID, line: input.line(row)))
        return units.count - 1
    }

    /// The index of a unit the components file declared.
    func knownUnit(_ input: InputTable, _ row: Int) throws(CompositeError) -> Int {
        let unit = try input.required("unit", row)
        guard let i = index[unit] else {
            throw input.error(row, field: "unit", "unknown unit '\(unit)'",
                              hint: "every unit must be listed with its class in the components file")
        }
        return i
    }

    /// A leaf component of the unit's class.
    func leaf(_ id: String, of unitClass: UnitClass, input: InputTable, row: Int, unit: String) throws(CompositeError) -> Component {
        guard let component = unitClass.component(id) else {
            let known = unitClass.leaves.map(\.id) + scheme.deductions.filter { $0.classes.isEmpty || $0.classes.contains(unitClass.id) }.map(\.id)
            throw input.error(row, field: "component", "unknown component '\(id)' for class '\(unitClass.id)' (unit \(unit))",
                              hint: "the components are \(known.joined(separator: ", "))")
        }
        guard component.isLeaf else {
            throw input.error(row, field: "component", "component '\(id)' is made of \(component.children.map(\.id).joined(separator: ", ")) (unit \(unit))",
                              hint: "give values for those")
        }
        return component
    }

    func checkPeriod(_ period: String, of component: Component, input: InputTable, row: Int, unit: String) throws(CompositeError) {
        let periods = component.periodIDs
        if periods.isEmpty {
            if !period.isEmpty {
                throw input.error(row, field: "period", "component '\(component.id)' has no periods, found '\(period)' (unit \(unit))",
                                  hint: "leave period empty")
            }
        } else if !periods.contains(period) {
            throw input.error(row, field: "period",
                              period.isEmpty ? "is empty but component '\(component.id)' has periods (unit \(unit))"
                                  : "unknown period '\(period)' for component '\(component.id)' (unit \(unit))",
                              hint: "its periods are \(periods.joined(separator: ", "))")
        }
    }

    // MARK: Indicators (I.csv)

    mutating func readIndicators(_ input: InputTable) throws(CompositeError) {
        var duplicates = DuplicateCheck()
        var sums: [Int: [ValueKey: (earned: Double, points: Double, line: Int)]] = [:]
        for row in 0..<input.rowCount {
            let u = try knownUnit(input, row)
            let unit = units[u].id
            guard let unitClass = scheme.unitClass(units[u].classID) else { continue }
            let component: Component
            if let id = input.text("component", row) {
                component = try leaf(id, of: unitClass, input: input, row: row, unit: unit)
                guard component.source == .indicators else {
                    throw input.error(row, field: "component", "component '\(id)' is not scored from indicators (unit \(unit))",
                                      hint: "give its value in the components file, or write source: indicators in the scheme")
                }
            } else {
                let candidates = unitClass.leaves.filter { $0.source == .indicators }
                guard candidates.count == 1 else {
                    throw input.rowError(row, candidates.isEmpty
                                             ? "class '\(unitClass.id)' has no component with source: indicators (unit \(unit))"
                                             : "class '\(unitClass.id)' has several indicator components (\(candidates.map(\.id).joined(separator: ", ")))",
                                         hint: candidates.isEmpty ? "check the unit's class" : "add a component column")
                }
                component = candidates[0]
            }
            let period = input.text("period", row) ?? ""
            try checkPeriod(period, of: component, input: input, row: row, unit: unit)
            let indicator = try input.required("indicator", row)
            try duplicates.check([unit, component.id, period, indicator], in: input, row: row,
                                 what: "unit \(unit), indicator \(indicator)\(period.isEmpty ? "" : ", period \(period)")")
            let points = try input.requiredNumber("points", row)
            if !(points > 0) {
                throw input.error(row, field: "points", "must be greater than 0, found \(number(points)) (unit \(unit), indicator \(indicator))")
            }
            let target = try input.requiredNumber("target", row)
            let actual = try input.requiredNumber("actual", row)
            let direction = try input.required("direction", row)
            let achieved: Double
            switch direction {
            case "higher":
                guard target > 0 else {
                    throw input.error(row, field: "target", "must be greater than 0 when higher is better, found \(number(target)) (unit \(unit), indicator \(indicator))",
                                      hint: "express the indicator so that its target is positive")
                }
                achieved = Indicator.higher(target: target, actual: actual)
            case "lower":
                guard target >= 0, actual >= 0 else {
                    throw input.rowError(row, "target and actual must not be negative when lower is better (unit \(unit), indicator \(indicator))")
                }
                achieved = Indicator.lower(target: target, actual: actual)
            default:
                throw input.error(row, field: "direction", "'\(direction)' is not higher or lower (unit \(unit), indicator \(indicator))",
                                  hint: "write higher when more is better, lower when less is better (emissions, complaints)")
            }
            let key = ValueKey(component: component.id, period: period)
            if let origin = units[u].origins[key] {
                throw input.rowError(row, "unit \(unit), component \(component.id)\(period.isEmpty ? "" : ", period \(period)") already has a value (\(origin))",
                                     hint: "give it either scored in the components file or as indicators, not both")
            }
            var sum = sums[u, default: [:]][key] ?? (0, 0, input.line(row))
            sum.earned += points * achieved
            sum.points += points
            sums[u, default: [:]][key] = sum
        }
        for (u, byKey) in sums {
            for (key, sum) in byKey {
                units[u].values[key] = 100 * sum.earned / sum.points
                units[u].origins[key] = "\(input.file):\(sum.line)"
            }
        }
    }
}

/// Indicator scoring (指标评估): meeting or beating the target earns full points, falling short the
/// proportional share (“达到及超过标准值的计满分，低于标准值的按实际完成比例折算计分”).
enum Indicator {
    /// Higher is better: `min(1, max(0, actual / target))`; `target > 0`.
    static func higher(target: Double, actual: Double) -> Double {
        min(1, max(0, actual / target))
    }

    /// Lower is better (emissions, complaints): 1 when `actual ≤ target`, else `target / actual`.
    static func lower(target: Double, actual: Double) -> Double {
        actual <= target ? 1 : target / actual
    }
}
