import Formats
public import Composite
public import Tables

/// An evaluated unit (被评单位) from `datasets/units.csv`.
public struct EvaluatedUnit: Sendable, Equatable {
    /// ASCII id (`D01`, `T03`).
    public let id: String
    /// Chinese name (`市政府办`).
    public let name: String
    /// Class id (`department`, `town`), if the file has a class column.
    public let unitClass: String?
}

/// The evaluated units by id, read from a units file (`unit_id,unit,class[,tasks,points]`).
/// Without a file, every id is its own name and no id is checked.
public struct UnitDirectory: Sendable {
    /// The file the units came from; nil when none was given.
    public let file: String?
    private let units: [String: EvaluatedUnit]
    /// The line of each unit in the file, for messages.
    private let lines: [String: Int]

    /// No units file: names are ids.
    public static let idsOnly = UnitDirectory(file: nil, units: [:], lines: [:])

    private init(file: String?, units: [String: EvaluatedUnit], lines: [String: Int]) {
        self.file = file
        self.units = units
        self.lines = lines
    }

    /// Reads a units file; `unit_id` and `unit` are required, ids must be unique.
    public static func read(path: String, options: CSVOptions = CSVOptions()) throws(ReportError) -> UnitDirectory {
        let input = try CSVInput(path: path, options: options, role: "the units file (datasets/units.csv)", required: [UnitsFormat.unitID, UnitsFormat.unit])
        var units: [String: EvaluatedUnit] = [:]
        var lines: [String: Int] = [:]
        for row in input.rows {
            let id = try input.requiredText(row, UnitsFormat.unitID)
            if let first = lines[id] {
                throw input.error(row, UnitsFormat.unitID, "\(id) is listed twice (also on line \(first))", hint: "keep one row per unit")
            }
            units[id] = EvaluatedUnit(id: id, name: try input.requiredText(row, UnitsFormat.unit), unitClass: input.text(row, UnitsFormat.unitClass))
            lines[id] = input.table.line(of: row)
        }
        return UnitDirectory(file: input.file, units: units, lines: lines)
    }

    public subscript(_ id: String) -> EvaluatedUnit? { units[id] }

    /// The unit's Chinese name, or its id when unknown.
    public func name(_ id: String) -> String {
        units[id]?.name ?? id
    }

    /// Throws when a units file was given and lacks `id`, naming the input's file, line and field.
    func check(_ id: String, in input: CSVInput, row: Int, field: String) throws(ReportError) {
        guard let file, units[id] == nil else { return }
        throw input.error(row, field, "unit \(id) is not in \(file)",
                          hint: "give the --units file of the units that were scored, or correct the id")
    }
}
