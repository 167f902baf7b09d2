import Formats
public import Composite
public import Tables

/// A RESULT.csv read together with the scheme it was computed with.
public struct CompositeTable: Sendable {
    public let file: String
    public let scheme: Scheme
    /// Units by class (scheme order), then rank, then unit id; notes are RESULT.csv's split at "；".
    public let rows: [UnitResult]

    /// The classes present, in scheme order.
    public var classIDs: [String] {
        scheme.classIDs.filter { id in rows.contains { $0.unitClass == id } }
    }

    public func rows(ofClass id: String) -> [UnitResult] {
        rows.filter { $0.unitClass == id }
    }

    public func row(unit: String) -> UnitResult? {
        rows.first { $0.unit == unit }
    }

    /// Reads RESULT.csv. Its columns must be those `pingyi composite` writes for `scheme`: every
    /// top-level component and deduction id of the scheme, and nothing else besides the fixed
    /// columns. Every class is one of the scheme's and agrees with the units file; every unit is
    /// in the units file and appears once.
    public static func read(path: String, scheme: Scheme, units: UnitDirectory, options: CSVOptions = CSVOptions()) throws(ReportError) -> CompositeTable {
        typealias F = CompositeResultFormat
        let input = try CSVInput(path: path, options: options, role: "the composite result (pingyi composite output)", required: F.fixed,
                                 format: F.format)
        let components = uniqued(scheme.classIDs.flatMap { scheme.componentLabels(ofClass: $0).map(\.id) })
        let deductions = scheme.deductionLabels.map(\.id)
        let schemeHint = "give the RESULT.csv that pingyi composite wrote with --scheme \(scheme.file)"
        for name in components + deductions where !input.has(name) {
            throw ReportError(file: input.file, line: 1, message: "no column '\(name)', which scheme \(scheme.id) has", hint: schemeHint)
        }
        let allowed = Set(F.fixed + components + deductions + F.optional)
        if let extra = input.table.names.first(where: { !allowed.contains($0) }) {
            throw ReportError(file: input.file, line: 1, message: "column '\(extra)' is not a component or deduction of scheme \(scheme.id)",
                              hint: schemeHint)
        }
        var rows: [UnitResult] = []
        var seen: [String: Int] = [:]
        for row in input.rows {
            let unit = try input.requiredText(row, F.unit)
            try units.check(unit, in: input, row: row, field: F.unit)
            if let first = seen[unit] {
                throw input.error(row, F.unit, "unit \(unit) is listed twice (also on line \(first))", hint: schemeHint)
            }
            seen[unit] = input.table.line(of: row)
            let classID = try input.requiredText(row, F.unitClass)
            guard scheme.classLabel(classID) != nil else {
                throw input.error(row, F.unitClass, "'\(classID)' is not a class of scheme \(scheme.id) (unit \(unit))",
                                  hint: "the classes are \(scheme.classIDs.joined(separator: ", ")); \(schemeHint)")
            }
            if let listed = units[unit]?.unitClass, listed != classID, let file = units.file {
                throw input.error(row, F.unitClass, "unit \(unit) is in class '\(classID)' here but '\(listed)' in \(file)",
                                  hint: "give the units file and RESULT.csv of the same evaluation")
            }
            var contributions: [String: Double] = [:]
            for component in scheme.componentLabels(ofClass: classID) {
                contributions[component.id] = try input.number(row, component.id) ?? 0
            }
            var deducted: [String: Double] = [:]
            for id in deductions where scheme.deduction(id, appliesTo: classID) {
                deducted[id] = try input.number(row, id) ?? 0
            }
            guard let rank = try input.count(row, F.rank), rank >= 1 else {
                throw input.error(row, F.rank, "is empty or 0 (unit \(unit))", hint: schemeHint)
            }
            let notes = (input.text(row, F.notes) ?? "").split(separator: Character(F.notesSeparator)).map { String($0).trimmedSpaces }.filter { !$0.isEmpty }
            var result = UnitResult(
                unit: unit, class: classID, score: try input.requiredNumber(row, F.score), rank: rank, grade: input.text(row, F.grade),
                contributions: contributions, deductions: deducted,
                bonus: try input.number(row, F.bonus) ?? 0, penalty: try input.number(row, F.penalty) ?? 0,
                scoreSE: try input.number(row, F.scoreSE), pGrade: try input.number(row, F.pGrade, in: 0...1, hint: schemeHint),
                notes: notes)
            result.rankLow = try input.count(row, F.rankLow)
            result.rankHigh = try input.count(row, F.rankHigh)
            result.tieGroup = try input.count(row, F.tieGroup)
            rows.append(result)
        }
        if rows.isEmpty {
            throw ReportError(file: input.file, line: 2, message: "the composite result has no rows", hint: schemeHint)
        }
        let order = Dictionary(uniqueKeysWithValues: scheme.classIDs.enumerated().map { ($1, $0) })
        rows.sort { a, b in
            (order[a.unitClass] ?? 0, a.rank, a.unit) < (order[b.unitClass] ?? 0, b.rank, b.unit)
        }
        return CompositeTable(file: input.file, scheme: scheme, rows: rows)
    }
}

/// The values without repeats, in first-seen order.
func uniqued(_ values: [String]) -> [String] {
    var seen: Set<String> = []
    return values.filter { seen.insert($0).inserted }
}
