import Formats
import Stats
public import Tables

/// Permanent random numbers: one uniform number in (0, 1) for every unit of every stage of a
/// design, drawn once (seeded) and kept in a file beside the frame (``Formats/RegistryFormat``),
/// so that draws over time can be coordinated (``CoordinationSpec``). Units that join the frame
/// later get new numbers; the others keep theirs.
public struct PRNRegistry: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var column: String
        public var unit: String
        public var prn: Double
    }

    /// In file order.
    public private(set) var entries: [Entry]
    private var lookup: [String: [String: Double]]

    public init(entries: [Entry]) {
        self.entries = entries
        var lookup: [String: [String: Double]] = [:]
        for e in entries { lookup[e.column, default: [:]][e.unit] = e.prn }
        self.lookup = lookup
    }

    /// The unit's number, or nil when the registry has none for it.
    public func number(column: String, unit: String) -> Double? { lookup[column]?[unit] }

    public func csv() -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRow(RegistryFormat.header)
        for e in entries { writer.writeRow([e.column, e.unit, formatDecimal(e.prn), RegistryFormat.format.tag]) }
        return writer.bytes
    }

    /// Reads a registry, checking every number is in (0, 1) and no unit is given twice.
    public static func read(path: String) throws(SamplingError) -> PRNRegistry {
        let table: Table
        do {
            table = try TableFile.read(path: path)
            try RegistryFormat.format.check(table)
        } catch { throw .frame(error) }
        func column(_ name: String) throws(SamplingError) -> Column {
            do { return try table.column(name, purpose: "a registry column") } catch { throw .frame(error) }
        }
        let columns = try column(RegistryFormat.column), units = try column(RegistryFormat.unit), prns = try column(RegistryFormat.prn)
        var entries: [Entry] = []
        var seen = Set<String>()
        for r in 0..<table.rowCount {
            guard let c = columns.string(r), let u = units.string(r) else {
                throw .frame(TablesError(.value, file: path, line: table.line(of: r), message: "a registry row needs its column and unit",
                                         hint: "make the registry with pingyi sample registry"))
            }
            guard let x = prns.numericValue(r), x > 0, x < 1 else {
                throw .frame(TablesError(.value, file: path, line: table.line(of: r), column: (table.index(of: RegistryFormat.prn) ?? 0) + 1,
                                         message: "field prn: '\(prns.string(r) ?? "")' is not a number between 0 and 1",
                                         hint: "make the registry with pingyi sample registry; never edit its numbers"))
            }
            guard seen.insert(c + "\u{1F}" + u).inserted else {
                throw .frame(TablesError(.value, file: path, line: table.line(of: r), message: "\(c) '\(u)' has two numbers",
                                         hint: "keep one row per unit; never edit the registry by hand"))
            }
            entries.append(Entry(column: c, unit: u, prn: x))
        }
        return PRNRegistry(entries: entries)
    }

    /// A registry for every unit of every stage of `design` among the frame's participating
    /// rows: the numbers of `previous` kept, new units given new ones (seeded, in frame order).
    /// - Returns: the registry, how many numbers were added and how many kept.
    public static func make(design: Design, table: Table, seed: UInt32, previous: PRNRegistry? = nil) throws(SamplingError)
        -> (registry: PRNRegistry, added: Int, kept: Int)
    {
        let sampler = Sampler(design: design, table: table)
        let rows = try sampler.participatingRows()
        let rng: RandomSource
        do { rng = try RandomSource(seed: seed) } catch { throw .draw(file: "registry", line: nil, message: error.message, hint: "") }
        var entries = previous?.entries ?? []
        var known = Set(entries.map { $0.column + "\u{1F}" + $0.unit })
        var added = 0
        var columns: [String] = []
        for stage in design.stages where !columns.contains(stage.unit) { columns.append(stage.unit) }
        for name in columns {
            let column: Column
            do { column = try table.column(name, purpose: "a stage's unit column") } catch { throw .frame(error) }
            for r in rows {
                guard let value = column.string(r) else { continue }
                guard known.insert(name + "\u{1F}" + value).inserted else { continue }
                entries.append(Entry(column: name, unit: value, prn: Self.fine(rng)))
                added += 1
            }
        }
        return (PRNRegistry(entries: entries), added, entries.count - added)
    }

    /// A uniform number in (0, 1) on a grid of 2⁻⁵³ from two draws, so that the numbers of a
    /// province's twenty million households do not tie (one draw has only 2³² values).
    static func fine(_ rng: RandomSource) -> Double {
        let high = Double(rng.integer(below: 1 << 26)), low = Double(rng.integer(below: 1 << 27))
        return (high * 134_217_728 + low + 0.5) / 9_007_199_254_740_992
    }
}
