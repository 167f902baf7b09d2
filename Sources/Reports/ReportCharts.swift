import Formats
/// The charts of the report, built from its content.
extension ReportContent {
    /// "（城镇居民户）" when the report has several parts, else nothing.
    func suffix(_ set: ScoreSet) -> String {
        scoreSets.count > 1 ? "（\(set.label)）" : ""
    }

    /// Rank as printed: the file's rank when scored with ranks, else the position in the ranking.
    func rankText(_ score: PublicScore, position: Int) -> String {
        score.rank.map(String.init) ?? String(position)
    }

    private var classLegend: [(category: Int, label: String)] {
        let classes = scoredClasses
        return classes.count > 1 ? classes.enumerated().map { ($0.offset, classLabel($0.element)) } : []
    }

    private func category(_ unit: String) -> Int {
        unitClass(unit).flatMap { scoredClasses.firstIndex(of: $0) } ?? 0
    }

    /// Satisfaction scores with 95 % intervals, ranked.
    func scoreChart(_ set: ScoreSet) -> String {
        let ranked = set.ranked
        let axis = IntervalChart.axis(over: ranked.flatMap { [$0.scoreLow, $0.score] }, floor: 0, ceiling: 100,
                                      label: { fixed($0, 0) }, steps: [5, 10, 20])
        let rows = ranked.enumerated().map { i, s in
            IntervalChart.Row(rank: rankText(s, position: i + 1), label: units.name(s.unit), value: s.score, low: s.scoreLow, high: s.scoreHigh,
                              valueText: "\(fixed(s.score, 1))（\(fixed(s.scoreLow, 1))–\(fixed(s.scoreHigh, 1))）",
                              category: category(s.unit), flagged: false)
        }
        let chart = IntervalChart(title: "满意度得分及95%置信区间\(suffix(set))", rows: rows, axis: axis, legend: classLegend, reference: nil)
        return chart.svg(description: "各单位满意度得分（0–100分）由高到低排列，点为得分，横线为95%置信区间。")
    }

    /// Satisfaction rates with 95 % intervals and the 60 % line, in the order of the scores.
    func rateChart(_ set: ScoreSet) -> String {
        let ranked = set.ranked
        let axis = IntervalChart.axis(over: ranked.flatMap { [$0.rateLow, $0.rate] }, floor: 0, ceiling: 1, include: 0.5,
                                      label: { percent($0, 0) }, steps: [0.05, 0.1, 0.2])
        let rows = ranked.enumerated().map { i, s in
            IntervalChart.Row(rank: rankText(s, position: i + 1), label: units.name(s.unit), value: s.rate, low: s.rateLow, high: s.rateHigh,
                              valueText: "\(percent(s.rate))（\(percent(s.rateLow))–\(percent(s.rateHigh))）",
                              category: category(s.unit), flagged: s.rate < ScoresFormat.lowRateBelow)
        }
        let chart = IntervalChart(title: "满意率及95%置信区间\(suffix(set))", rows: rows, axis: axis, legend: classLegend,
                                  reference: (ScoresFormat.lowRateBelow, "60%：低于此线取消评优资格"))
        return chart.svg(description: "各单位满意率，按满意度得分排序；虚线为60%，低于60%的单位以红色标出。")
    }

    /// Colours of the tiers: satisfied tiers green, unsatisfied ones orange to red, special codes
    /// grey (by the scale when given; otherwise tiers in code order along the same ramp).
    func tierColors(_ tiers: [TierLabel]) -> [Int: String] {
        var colors: [Int: String] = [:]
        guard let scale else {
            let ramp = Array(Palette.satisfied.prefix(3)) + Palette.unsatisfied(2) + Palette.specials
            for (i, tier) in tiers.enumerated() { colors[tier.code] = ramp[i % ramp.count] }
            return colors
        }
        let satisfied = tiers.filter { scale.tier(code: $0.code)?.satisfied == true }
        let unsatisfied = tiers.filter { scale.tier(code: $0.code)?.satisfied == false }
        let special = tiers.filter { scale.tier(code: $0.code) == nil }
        for (i, tier) in satisfied.enumerated() { colors[tier.code] = Palette.satisfied[min(i, Palette.satisfied.count - 1)] }
        for (tier, color) in zip(unsatisfied, Palette.unsatisfied(unsatisfied.count)) { colors[tier.code] = color }
        for (i, tier) in special.enumerated() { colors[tier.code] = Palette.specials[i % Palette.specials.count] }
        return colors
    }

    /// The units of one by value of the distribution in the order of the scores of the same group
    /// (or the overall scores), units without scores last by id; and those scores, ranked.
    func distributionOrder(_ group: String?, _ distribution: DistributionFile) -> (units: [String], ranked: [PublicScore]) {
        let ranked = (scoreSets.first { $0.group == group } ?? overall)?.ranked ?? []
        let position = Dictionary(ranked.enumerated().map { ($1.unit, $0) }, uniquingKeysWith: { a, _ in a })
        let units = distribution.units(in: group).sorted { a, b in (position[a] ?? Int.max, a) < (position[b] ?? Int.max, b) }
        return (units, ranked)
    }

    /// The tier distribution of every unit of one by value as 100 % bars, in the order of the
    /// scores of the same respondent group (or the overall scores; units without scores last).
    func tierChart(_ group: String?, _ distribution: DistributionFile) -> String {
        let colors = tierColors(distribution.tiers)
        let (units, ranked) = distributionOrder(group, distribution)
        let position = Dictionary(ranked.enumerated().map { ($1.unit, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = units.map { unit in
            let cells = distribution.cells(unit: unit, by: group) ?? [:]
            let segments = distribution.tiers.map { tier in
                let share = cells[tier.code]?.share ?? 0
                return StackedBarChart.Segment(value: share, color: colors[tier.code] ?? "#999999", name: "\(tier.label) \(percent(share))",
                                               text: fixed(share * 100, 0))
            }
            let n = cells.values.reduce(0) { $0 + $1.n }
            let rank = position[unit].map { rankText(ranked[$0], position: $0 + 1) } ?? ""
            return StackedBarChart.Row(rank: rank, label: self.units.name(unit), segments: segments, deducted: 0, endText: "n=\(n)", flagged: false)
        }
        let title = group.map { "（\(ColumnNames.group($0))）" } ?? (scoreSets.count > 1 ? "（综合）" : "")
        let chart = StackedBarChart(title: "满意度档次分布\(title)", rows: rows,
                                    legend: distribution.tiers.map { (colors[$0.code] ?? "#999999", $0.label) },
                                    high: 1, step: 0.1, tickLabel: { percent($0, 0) })
        return chart.svg(description: "各单位全部回答中各档次（含不了解等特殊回答）的加权占比，按满意度得分排序；条内数字为百分比。")
    }

    /// The composite scores of one class: contributions stacked, the bonus after them, and the
    /// deductions and penalty struck out at the end; the score and grade printed after the bar.
    func compositeChart(_ table: CompositeTable, classID: String) -> String {
        let components = table.scheme.componentLabels(ofClass: classID)
        let rows = table.rows(ofClass: classID).map { row in
            var segments = components.enumerated().map { k, c in
                StackedBarChart.Segment(value: row.contributions[c.id] ?? 0, color: Palette.category(k),
                                        name: "\(c.label) \(fixed(row.contributions[c.id] ?? 0, 2))分", text: fixed(row.contributions[c.id] ?? 0, 1))
            }
            segments.append(.init(value: row.bonus, color: "#38a169", name: "加分 \(fixed(row.bonus, 2))分", text: nil))
            let deducted = row.penalty + row.deductions.values.reduce(0, +)
            return StackedBarChart.Row(rank: String(row.rank), label: units.name(row.unit), segments: segments, deducted: deducted,
                                       endText: "\(fixed(row.score, table.scheme.decimals))\(row.grade.map { " " + $0 } ?? "")",
                                       flagged: false)
        }
        var legend = components.enumerated().map { (Palette.category($0.offset), "\($0.element.label)（\($0.element.written)）") }
        legend += [("#38a169", "加分"), ("#fed7d7", "扣分、减分")]
        let high = max(100, table.rows(ofClass: classID).map { $0.score + $0.penalty + $0.deductions.values.reduce(0, +) }.max() ?? 100)
        let chart = StackedBarChart(title: "综合考评得分构成：\(table.scheme.classLabel(classID) ?? classID)", rows: rows, legend: legend,
                                    high: (high / 10).rounded(.up) * 10, step: 10, tickLabel: { fixed($0, 0) })
        return chart.svg(description: "各单位综合得分按名次排列：各构成折算后的得分依次相接，加分在后，扣分和减分以红框标出；条后为综合得分和等次。")
    }
}
