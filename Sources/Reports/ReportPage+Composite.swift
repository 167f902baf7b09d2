import Markup
/// The composite section of `report.html`: per class, the chart of score components and the
/// ranking table with grades, reasons and links to the feedback sheets.
extension ReportContent {
    func compositeSection(_ table: CompositeTable, feedbackLinks: [String: String]) -> String {
        let scheme = table.scheme
        var html = "<p>考评方案：\(escapeHTML(scheme.label))\(scheme.reference.map { "（\(escapeHTML($0))）" } ?? "")。得分保留\(scheme.decimals)位小数，按类别分别排名。</p>\n"
        if table.rows.contains(where: { $0.rankLow != nil }) {
            html += "<p>标准误、名次区间（95%）和等次变动概率由评议得分的自助法重复样本得出：每个重复样本重新计算所有单位的得分、排名和等次，同一批受访者评议的单位一同变动。相邻单位的先后在重复样本中颠倒超过 2.5% 的，标为“统计上并列”。</p>\n"
        } else if table.rows.contains(where: { $0.scoreSE != nil }) {
            html += "<p>标准误和等次变动概率按正态近似，各单位的评议得分视为相互独立（未提供重复样本）。</p>\n"
        }
        for classID in table.classIDs {
            html += "<h3>\(escapeHTML(scheme.classLabel(classID) ?? classID))</h3>\n"
            html += "<figure>\(compositeChart(table, classID: classID))<figcaption>条为各构成折算后的得分，红框为扣分和减分，条后为综合得分和等次。</figcaption></figure>\n"
            html += compositeTable(table, classID: classID, feedbackLinks: feedbackLinks)
        }
        return html
    }

    /// The columns a class's ranking shows: its components, the deductions that apply to it.
    func compositeColumns(_ table: CompositeTable, classID: String) -> (components: [ComponentColumn], deductions: [ComponentColumn]) {
        let components = table.scheme.componentLabels(ofClass: classID).map { ComponentColumn(id: $0.id, label: "\($0.label)（\($0.written)）") }
        let deductions = table.scheme.deductionLabels.filter { table.scheme.deduction($0.id, appliesTo: classID) }
            .map { ComponentColumn(id: $0.id, label: "\($0.label)扣分") }
        return (components, deductions)
    }

    private func compositeTable(_ table: CompositeTable, classID: String, feedbackLinks: [String: String]) -> String {
        let (components, deductions) = compositeColumns(table, classID: classID)
        let uncertain = table.rows.contains { $0.scoreSE != nil }
        let graded = !table.scheme.gradeNames(ofClass: classID).isEmpty
        let replicated = table.rows.contains { $0.rankLow != nil }
        var header = ["名次"] + (replicated ? ["名次区间"] : []) + ["单位", "综合得分"] + components.map(\.label) + deductions.map(\.label) + ["加分", "减分"]
        if graded { header.append("等次") }
        if uncertain { header.append("标准误") }
        if uncertain && graded { header.append("等次变动概率") }
        header += ["说明", "反馈单"]
        var html = HTMLTable(header: header, className: "data wide")
        let places = table.scheme.decimals
        for row in table.rows(ofClass: classID) {
            var cells: [HTMLTable.Cell] = [.number(String(row.rank))]
            if replicated {
                let interval = row.rankLow.map { low in row.rankHigh.map { low == $0 ? String(low) : "\(low)–\($0)" } ?? "" } ?? ""
                cells.append(.number(interval))
            }
            cells += [.text(units.name(row.unit), className: "name"), .number(fixed(row.score, places))]
            cells += components.map { .number(fixed(row.contributions[$0.id] ?? 0, places)) }
            cells += deductions.map { .number(fixed(row.deductions[$0.id] ?? 0, places)) }
            cells += [.number(fixed(row.bonus, places)), .number(fixed(row.penalty, places))]
            if graded { cells.append(.text(row.grade ?? "—", className: "name")) }
            if uncertain { cells.append(.number(row.scoreSE.map { fixed($0, 2) } ?? "—")) }
            if uncertain && graded { cells.append(.number(row.pGrade.map { percent($0, 0) } ?? "—")) }
            let tie = row.tieGroup.map { group in
                let others = table.rows(ofClass: classID).filter { $0.tieGroup == group && $0.unit != row.unit }.map { units.name($0.unit) }
                return "统计上并列（与\(others.joined(separator: "、"))无法区分先后）"
            }
            cells.append(.text(((tie.map { [$0] } ?? []) + row.notes).joined(separator: "；"), className: "notes"))
            cells.append(feedbackLinks[row.unit].map { .markup("<a class=\"name\" href=\"\(escapeHTML($0))\">查看</a>") } ?? .text(""))
            html.add(cells)
        }
        return html.html
    }
}

/// A column of the composite tables: a component or deduction id with its Chinese header.
struct ComponentColumn {
    let id: String
    let label: String
}
