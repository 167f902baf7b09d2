/// A titled table of a scheme's outline (`pingyi scheme check`); the first row is the header
/// (empty for a table of label–value pairs).
public struct OutlineSection: Sendable, Equatable {
    public let title: String
    public let rows: [[String]]
    /// Columns holding numbers (to right-align).
    public let numericColumns: Set<Int>
}

extension Scheme {
    /// The scheme in Chinese, as tables: overview, each class's components and grading, the
    /// bonus and penalty tables, deductions, vetoes and the satisfaction-rate rule.
    public func outline() -> [OutlineSection] {
        var sections: [OutlineSection] = []
        var overview = [["方案", "\(label)（\(id)）"]]
        if let reference { overview.append(["依据", reference]) }
        overview.append(["计分", "百分制，各构成先折算为100分再加权；得分保留\(decimals)位小数，排名与等次按保留后的得分"])
        sections.append(OutlineSection(title: "方案", rows: overview, numericColumns: []))
        for unitClass in classes {
            var rows = [["构成", "名称", "权重", "占总分", "期次", "数据来源"]]
            for component in unitClass.components { outlineRows(component, depth: 0, into: &rows) }
            sections.append(OutlineSection(title: "类别 \(unitClass.label)（\(unitClass.id)）：构成", rows: rows, numericColumns: [2, 3]))
            sections.append(OutlineSection(title: "类别 \(unitClass.label)（\(unitClass.id)）：等次", rows: gradingRows(unitClass), numericColumns: []))
        }
        for (kind, table) in [(EventKind.bonus, bonus), (.penalty, penalty)] {
            guard let table else { continue }
            let grouped = table.codes.contains { $0.group != nil }
            var rows = [["代码", "名称", "分值"] + (grouped ? ["组"] : [])]
            for code in table.codes {
                let points: String
                switch code.points {
                case .fixed(let p): points = number(p)
                case .range(let low, let high): points = high.map { "\(number(low))–\(number($0))" } ?? "≥\(number(low))"
                }
                rows.append([code.code, code.label, points] + (grouped ? [code.group ?? "—"] : []))
            }
            for group in table.groups {
                var what = group.highestOnly ? "同一项工作只按最高层级计一次" : "合并计分"
                if let cap = group.cap { what += "，上限\(number(cap))分" }
                rows.append(["组 \(group.id)", group.label, "", what])
            }
            let cap = table.cap.map { "上限\(number($0))分" } ?? "不设上限"
            sections.append(OutlineSection(title: "\(table.label)表（\(kind.rawValue)，\(cap)，适用：\(scope(table.classes))）",
                                           rows: rows, numericColumns: [2]))
        }
        if !deductions.isEmpty {
            var rows = [["扣分项", "名称", "上限", "适用"]]
            for d in deductions { rows.append([d.id, d.label, d.cap.map(number) ?? "不设上限", scope(d.classes)]) }
            sections.append(OutlineSection(title: "扣分（在组件数据文件中按单位填写扣分）", rows: rows, numericColumns: [2]))
        }
        if !vetoes.isEmpty {
            var rows = [["代码", "情形", "后果", "适用"]]
            for v in vetoes {
                let effect = v.assign.map { "评为\($0)" } ?? (v.withdraw.isEmpty ? "仅提示" : "取消\(v.withdraw.joined(separator: "、"))资格")
                rows.append([v.code, v.label, effect, scope(v.classes)])
            }
            sections.append(OutlineSection(title: "一票否决（veto）", rows: rows, numericColumns: []))
        }
        if let rule = rateRule {
            let effect = rule.withdraw.isEmpty ? "仅提示" : "取消\(rule.withdraw.joined(separator: "、"))资格"
            sections.append(OutlineSection(title: "满意率规则", rows: [
                ["条件", "公众评议满意率低于\(percent(rule.below))"], ["后果", "\(effect)：\(rule.label)"], ["适用", scope(rule.classes)],
            ], numericColumns: []))
        }
        return sections
    }

    private func outlineRows(_ component: Component, depth: Int, into rows: inout [[String]]) {
        let indent = String(repeating: "  ", count: depth)
        let source: String
        if !component.isLeaf {
            source = "由下级构成加权"
        } else {
            switch component.source {
            case .components: source = "组件数据"
            case .indicators: source = "指标计分（达标满分，未达标按比例）"
            case .public: source = "公众评议得分（pingyi score）"
            }
        }
        rows.append([indent + component.id, component.label, component.written, "\(number(component.points))分",
                     periodsText(component.periods), source])
        if !component.allowed.isEmpty {
            let values = component.allowed.map { "\($0.label) \($0.min == $0.max ? number($0.min) : "\(number($0.min))–\(number($0.max))")" }
            rows.append(["", "  限定取值：\(values.joined(separator: "，"))"])
        }
        for child in component.children { outlineRows(child, depth: depth + 1, into: &rows) }
    }

    private func periodsText(_ periods: [PeriodWeight]) -> String {
        guard !periods.isEmpty else { return "—" }
        if periods.count > 4, periods.allSatisfy({ $0.periods.count == 1 && abs($0.weight - periods[0].weight) < 1e-9 }) {
            return "\(periods[0].periods[0])…\(periods[periods.count - 1].periods[0]) 各\(number((periods[0].weight * 10000).rounded() / 100))%"
        }
        return periods.map { term in
            let name = term.periods.count == 1 ? term.periods[0] : "\(term.periods.joined(separator: "、"))平均"
            return "\(name) \(number((term.weight * 10000).rounded() / 100))%"
        }.joined(separator: "；")
    }

    private func gradingRows(_ unitClass: UnitClass) -> [[String]] {
        guard let grading = unitClass.grading else {
            return [["等次", "方案未规定等次，只在本类内排名"]] + unitClass.flags.map { ["提示", $0.text] }
        }
        var rows = [["等次", "条件"]]
        if let fail = grading.fail {
            var conditions: [String] = []
            if let below = fail.below { conditions.append("得分低于\(number(below))分") }
            if fail.lastTwoYears { conditions.append("连续两年排名最后（需上年结果）") }
            rows.append([fail.grade, conditions.joined(separator: "或") + "（优先于以下各等）"])
        }
        for (k, tier) in grading.grades.enumerated() {
            var conditions: [String] = []
            switch tier.quota {
            case .share(let share)?: conditions.append("名额为本类单位数的\(percent(share))（四舍五入）")
            case .count(let low, let high)? where low == high: conditions.append("名额\(high)名")
            case .count(let low, let high)?: conditions.append("名额\(low)–\(high)名")
            case nil: break
            }
            if let min = tier.minScore { conditions.append("得分不低于\(number(min))分") }
            if k == grading.grades.count - 1 { conditions.append("其余单位") }
            rows.append([tier.grade, conditions.joined(separator: "，且")])
        }
        rows.append(["排名", "本类内按得分从高到低，同分同名次"])
        rows.append(["并列", grading.ties == .exclude
                         ? "名额边界同分且名额不足时，同分单位均不评该等次，并提示研究决定"
                         : "名额边界同分且名额不足时，同分单位均评该等次（超出名额），并提示"])
        rows += unitClass.flags.map { ["提示", $0.text] }
        return rows
    }

    private func scope(_ classes: [String]) -> String {
        classes.isEmpty ? "全部类别" : classes.joined(separator: "、")
    }
}
