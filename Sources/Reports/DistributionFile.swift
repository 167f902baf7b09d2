import Formats
public import Composite
public import Tables

/// One satisfaction tier (or special code) as the distribution file gives it.
public struct TierLabel: Sendable, Equatable, Hashable {
    public let code: Int
    public let label: String
}

/// The tier distributions of `pingyi score --distribution`: for each unit (and by value), the
/// unweighted count and weighted share (0–1, among all answers of the unit, special codes
/// included) of every tier code.
public struct DistributionFile: Sendable {
    public struct Cell: Sendable, Equatable {
        public let n: Int
        public let share: Double
    }

    public let file: String
    /// The by column's name, if the distributions are split (`unit,group,tier,…`).
    public let by: String?
    /// The by values in order of first appearance; `[nil]` without a by column.
    public let groups: [String?]
    /// Every code in the file with its label, in code order.
    public let tiers: [TierLabel]
    private let cells: [String: [Int: Cell]]

    /// The unit's cells by tier code; nil when the file has no rows for it.
    public func cells(unit: String, by group: String?) -> [Int: Cell]? {
        cells[DistributionFile.key(unit, group)]
    }

    /// The units with rows, by by value ("" without a by column), in file order.
    let unitsByGroup: [String: [String]]

    /// The units with rows for a by value, in file order.
    public func units(in group: String?) -> [String] {
        unitsByGroup[group ?? ""] ?? []
    }

    static func key(_ unit: String, _ group: String?) -> String {
        unit + "\u{1F}" + (group ?? "")
    }

    /// Reads `unit[,BY],tier,label,n,share` (the by column is the second when it is not `tier`).
    /// Every unit must be in the units file (or, without one, among `scored`); a code keeps one
    /// label; a unit's shares add up to 1 (± 0.005).
    public static func read(path: String, units: UnitDirectory, scored: Set<String>, options: CSVOptions = CSVOptions()) throws(ReportError) -> DistributionFile {
        let role = "the distribution file (pingyi score --distribution)"
        typealias F = DistributionFormat
        let input = try CSVInput(path: path, options: options, role: role, required: [F.unit, F.tier, F.label, F.n, F.share], format: F.format)
        let by = F.byColumn(in: input.table.names)
        var groups: [String?] = by == nil ? [nil] : []
        var unitsByGroup: [String: [String]] = [:]
        var labels: [Int: (label: String, line: Int)] = [:]
        var cells: [String: [Int: Cell]] = [:]
        var firstLine: [String: Int] = [:]
        for row in input.rows {
            let unit = try input.requiredText(row, F.unit)
            let group = try by.map { (name) throws(ReportError) in try input.requiredText(row, name) }
            if units.file != nil {
                try units.check(unit, in: input, row: row, field: F.unit)
            } else if !scored.contains(unit) {
                throw input.error(row, F.unit, "unit \(unit) is not in the scores",
                                  hint: "give the --distribution file written by the same pingyi score run as --scores")
            }
            let code = try input.requiredNumber(row, F.tier)
            guard code == code.rounded(), abs(code) < 1e6 else {
                throw input.error(row, F.tier, "\(formatDecimal(code)) is not a tier code", hint: "tier codes are whole numbers (1, 2, …)")
            }
            let tier = Int(code)
            let label = try input.requiredText(row, F.label)
            if let known = labels[tier], known.label != label {
                throw input.error(row, F.label, "tier \(tier) is '\(label)' here but '\(known.label)' on line \(known.line)",
                                  hint: "one distribution file holds answers on one scale")
            }
            labels[tier] = labels[tier] ?? (label, input.table.line(of: row))
            let key = DistributionFile.key(unit, group)
            if cells[key]?[tier] != nil {
                throw input.rowError(row, "tier \(tier) of unit \(unit) is given twice", hint: "keep one row per unit and tier")
            }
            let n = try input.count(row, F.n) ?? 0
            let share = try input.number(row, F.share, in: 0...1, hint: "shares are proportions 0–1") ?? 0
            if cells[key] == nil {
                if let group, unitsByGroup[group] == nil { groups.append(group) }
                unitsByGroup[group ?? "", default: []].append(unit)
            }
            cells[key, default: [:]][tier] = Cell(n: n, share: share)
            firstLine[key] = firstLine[key] ?? input.table.line(of: row)
        }
        for (key, unitCells) in cells {
            let total = unitCells.values.reduce(0) { $0 + $1.share }
            if abs(total - 1) > 0.005 {
                let unit = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).first.map(String.init) ?? key
                throw ReportError(file: input.file, line: firstLine[key],
                                  message: "the shares of unit \(unit) add up to \(formatDecimal((total * 10000).rounded() / 10000)), not 1",
                                  hint: "shares are among all answers of the unit, special codes included; give pingyi score --distribution output")
            }
        }
        let tiers = labels.keys.sorted().map { TierLabel(code: $0, label: labels[$0]?.label ?? "") }
        return DistributionFile(file: input.file, by: by, groups: groups, tiers: tiers, cells: cells, unitsByGroup: unitsByGroup)
    }
}
