import Formats
public import Composite
public import Tables

/// AAPOR outcome rates of one group of cases (`pingyi rates` output): case counts by final
/// disposition — I complete, P partial, R refusal and break-off, NC non-contact, O other,
/// U unknown eligibility, NE not eligible — `e` (the estimated share of eligible cases among
/// those of unknown eligibility), and the response (RR1–RR6), cooperation (COOP1–COOP4),
/// refusal (REF1–REF3) and contact (CON1–CON3) rates as proportions (AAPOR Standard
/// Definitions, 2023).
public struct ResponseRateRow: Sendable, Equatable {
    /// The group id; `all` for the total row.
    public let group: String
    /// Counts by column name (`cases`, `I`, `P`, `R`, `NC`, `O`, `U`, `NE`).
    public let counts: [String: Int]
    /// Rates by column name (`e`, `RR1`, …, `CON3`); nil where the file leaves a cell empty
    /// (a rate whose denominator is 0).
    public let rates: [String: Double]
}

/// A `pingyi rates --out RATES.csv` file.
public struct RatesFile: Sendable {
    public static let countColumns = [RatesFormat.cases] + RatesFormat.counts
    public static let rateColumns = [RatesFormat.e] + RatesFormat.rates

    public let file: String
    public let rows: [ResponseRateRow]

    /// The `all` row, or the only row.
    public var total: ResponseRateRow? {
        rows.first { $0.group == RatesFormat.total } ?? (rows.count == 1 ? rows.first : nil)
    }

    /// Reads the file; every count and rate column is required, rates lie in 0–1, groups are
    /// unique.
    public static func read(path: String, options: CSVOptions = CSVOptions()) throws(ReportError) -> RatesFile {
        let input = try CSVInput(path: path, options: options, role: "the response-rates file (pingyi rates output)",
                                 required: [RatesFormat.group] + countColumns + rateColumns, format: RatesFormat.format)
        var rows: [ResponseRateRow] = []
        var seen: [String: Int] = [:]
        for row in input.rows {
            let group = try input.requiredText(row, RatesFormat.group)
            if let first = seen[group] {
                throw input.error(row, RatesFormat.group, "group \(group) is given twice (also on line \(first))", hint: "keep one row per group")
            }
            seen[group] = input.table.line(of: row)
            var counts: [String: Int] = [:]
            for name in countColumns {
                guard let value = try input.count(row, name) else {
                    throw input.error(row, name, "is empty (group \(group))", hint: "give pingyi rates output")
                }
                counts[name] = value
            }
            var rates: [String: Double] = [:]
            for name in rateColumns {
                rates[name] = try input.number(row, name, in: 0...1, hint: "rates are proportions 0–1 (0.45 for 45 %); give pingyi rates output")
            }
            rows.append(ResponseRateRow(group: group, counts: counts, rates: rates))
        }
        if rows.isEmpty {
            throw ReportError(file: input.file, line: 2, message: "the response-rates file has no rows", hint: "give pingyi rates output")
        }
        return RatesFile(file: input.file, rows: rows)
    }
}
