public import Tables
import Formats

/// Writes a draw as the respondent list: the frame's own columns, then for each stage k
/// `stage{k}_stratum, stage{k}_unit, stage{k}_prob, stage{k}_N, stage{k}_n`, then `prob` (the
/// product of the stage probabilities), `weight` (1/prob), `role`, `reserve_rank`,
/// `reserve_group`, `reserve_prob`, `case_id`, and `replicate` when several were drawn.
///
/// A reserve carries the probabilities it takes on when it replaces a sampled unit of its group
/// (those of the units it may replace: n/N at an equal-probability stage); `reserve_prob` is its
/// own probability of being drawn as a reserve.
/// The columns are ``RespondentListFormat``'s; the cells below are written in its order.
public enum SampleList {

    /// The list as CSV bytes (UTF-8, LF).
    public static func csv(_ draw: SampleDraw, frame: Table, replicates: Int) -> [UInt8] {
        var writer = CSVWriter()
        writer.reserve(draw.rows.count * 256)
        writer.writeRow(frame.names + RespondentListFormat.addedColumns(stages: draw.stageCount, replicates: replicates))
        let cells = frame.columns.map(CellWriter.init)
        // Stage values repeat down the list (same stratum, same village): format them once.
        var numbers: [Double: String] = [:]
        func number(_ x: Double) -> String {
            if let s = numbers[x] { return s }
            let s = formatDecimal(x)
            numbers[x] = s
            return s
        }
        for row in draw.rows {
            for (i, cell) in cells.enumerated() {
                if i > 0 { writer.writeDelimiter() }
                cell.write(row.frameRow, to: &writer)
            }
            for stage in row.stages {
                for field in [stage.stratum, stage.unit, number(stage.probability), String(stage.population), String(stage.drawn)] {
                    writer.writeDelimiter()
                    writer.writeField(field)
                }
            }
            let p = row.probability
            // RespondentListFormat.tail: prob, weight, role, reserve_rank, reserve_group, reserve_prob, case_id.
            let tail: [String?] = [number(p), number(1 / p), row.role.rawValue, row.reserveRank.map(String.init),
                                   row.reserveGroup, row.reserveProbability.map(number), row.caseID]
            for field in tail {
                writer.writeDelimiter()
                if let field { writer.writeField(field) }
            }
            if replicates > 1 {
                writer.writeDelimiter()
                writer.writeField(String(row.replicate))
            }
            writer.endRow()
        }
        return writer.bytes
    }

    /// Shortest text that reads back to the same double.
    static func number(_ value: Double) -> String {
        formatDecimal(value)
    }
}

/// Writes one frame column's cells without going through `String` for integers and text.
private struct CellWriter {
    let column: Column

    init(_ column: Column) { self.column = column }

    func write(_ row: Int, to writer: inout CSVWriter) {
        if column.isMissing(row) { return }
        switch column.values {
        case .integer(let v): writer.writeInteger(v[row])
        case .decimal(let v): writer.writeField(formatDecimal(v[row]))
        case .text(let t): t.withBytes(row) { writer.writeField(bytes: $0) }
        }
    }
}
