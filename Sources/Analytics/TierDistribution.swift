import Formats
import Tables

/// Weighted shares of every answer code per unit (and `by` value), special codes included: the
/// stacked bars of a report. Columns: `unit[,by],tier,label,n,share`.
public enum TierDistribution {
    public struct Row: Sendable, Equatable {
        public var unit: String
        public var by: String?
        public var tier: Int
        public var label: String
        /// Unweighted answers with this code.
        public var n: Int
        /// Weighted share among all the unit's answers.
        public var share: Double
    }

    public static func compute(_ design: SurveyDesign, weights: [Double]? = nil, labels: [Int: String]) throws(AnalyticsError) -> [Row] {
        let scorer = Scorer(design: design, options: ScoreOptions(scoring: TierScoring(scores: [:], satisfied: [], dontKnow: [])))
        let weights = weights ?? design.caseWeight
        var rows: [Row] = []
        for domain in try scorer.makeDomains(includingUnscored: true) {
            var total = 0.0
            var byCode: [Int: (n: Int, w: Double)] = [:]
            for r in domain.rows {
                let code = design.rowTier[r]
                guard code >= 0 else { continue }
                let w = weights[Int(design.rowCase[r])]
                total += w
                byCode[code, default: (0, 0)].n += 1
                byCode[code, default: (0, 0)].w += w
            }
            for code in byCode.keys.sorted() {
                let entry = byCode[code] ?? (0, 0)
                rows.append(Row(unit: domain.unit, by: domain.by, tier: code, label: labels[code] ?? "",
                                n: entry.n, share: total > 0 ? entry.w / total : .nan))
            }
        }
        return rows
    }

    public static func csv(_ rows: [Row], by: String?) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRow(DistributionFormat.header(by: by))
        for row in rows {
            writer.writeRow([row.unit] + (by != nil ? [row.by ?? ""] : []) + [String(row.tier), row.label, String(row.n), formatDecimal(row.share),
                                                                          DistributionFormat.format.tag])
        }
        return writer.bytes
    }
}
