public import Tables

/// Writes a draw as the respondent list: the frame's own columns, then for each stage k
/// `stage{k}_stratum, stage{k}_unit, stage{k}_prob, stage{k}_N, stage{k}_n`, then `prob` (the
/// product of the stage probabilities), `weight` (1/prob), `role`, `reserve_rank`,
/// `reserve_group`, `reserve_prob`, `case_id`, and `replicate` when several were drawn.
///
/// A reserve carries the probabilities it takes on when it replaces a sampled unit of its group
/// (those of the units it may replace: n/N at an equal-probability stage); `reserve_prob` is its
/// own probability of being drawn as a reserve.
public enum SampleList {
    /// The columns pingyi adds after the frame's.
    public static func addedColumns(stages: Int, replicates: Int) -> [String] {
        var names: [String] = []
        for k in 1...stages {
            names += ["stage\(k)_stratum", "stage\(k)_unit", "stage\(k)_prob", "stage\(k)_N", "stage\(k)_n"]
        }
        names += ["prob", "weight", "role", "reserve_rank", "reserve_group", "reserve_prob", "case_id"]
        if replicates > 1 { names.append("replicate") }
        return names
    }

    /// The list as CSV bytes (UTF-8, LF).
    public static func csv(_ draw: SampleDraw, frame: Table, replicates: Int) -> [UInt8] {
        var writer = CSVWriter()
        writer.reserve(draw.rows.count * 256)
        writer.writeRow(frame.names + addedColumns(stages: draw.stageCount, replicates: replicates))
        for row in draw.rows {
            var fields: [String?] = frame.columns.map { $0.string(row.frameRow) }
            for stage in row.stages {
                fields += [stage.stratum, stage.unit, number(stage.probability), String(stage.population), String(stage.drawn)]
            }
            let p = row.probability
            fields += [number(p), number(1 / p), row.role.rawValue, row.reserveRank.map(String.init),
                       row.reserveGroup, row.reserveProbability.map(number), row.caseID]
            if replicates > 1 { fields.append(String(row.replicate)) }
            writer.writeRow(fields)
        }
        return writer.bytes
    }

    /// Shortest text that reads back to the same double.
    static func number(_ value: Double) -> String {
        formatDecimal(value)
    }
}
