import Formats
import Composite
import Spreadsheet

/// `report.xlsx`: sheets 满意度得分 (scores), 综合考评 (composite results, when given),
/// 档次分布 (tier distributions, when given) and 回答率 (response rates, when given); Chinese
/// headers in a frozen first row with filters, scores with one decimal, rates as percentages.
extension ReportContent {
    func workbook() throws(ReportError) -> [UInt8] {
        do {
            // Created on the day the report is issued, so that the same inputs give the same bytes.
            return try Workbook.bytes(created: request.issued.map { $0.daysSinceEpoch * 86_400 }) { book throws(WorkbookError) in
                try scoresSheet(book)
                if let composite { try compositeSheet(book, composite) }
                if let distribution { try distributionSheet(book, distribution) }
                if let rates { try ratesSheet(book, rates) }
            }
        } catch {
            throw ReportError(.usage, file: "report.xlsx", message: "cannot write the workbook: \(error.message)",
                              hint: "check free disk space and the temporary folder")
        }
    }

    private func scoresSheet(_ book: Workbook) throws(WorkbookError) {
        let sheet = try book.addSheet("满意度得分")
        let ranks = allScores.contains { $0.rank != nil }
        let parts = scoreSets.count > 1
        var header = ["单位代码", "单位", "类别"]
        if parts { header.append("调查对象") }
        header += ["有效样本", "不了解占比", "满意度得分", "得分标准误", "得分95%下限", "得分95%上限",
                   "满意率", "满意率标准误", "满意率95%下限", "满意率95%上限", "设计效应"]
        if ranks { header += ["名次", "名次下限", "名次上限", "进入前25%的概率"] }
        header += ["自由度", "满意率低于60%"]
        sheet.header(header)
        for (c, width) in [10.0, 18, 14].enumerated() { sheet.width(c, width) }
        var r = 1
        for set in scoreSets {
            for s in set.ranked {
                var c = 0
                func put(_ text: String?) { sheet.write(r, c, text); c += 1 }
                func put(_ value: Double?, _ style: CellStyle) { sheet.write(r, c, value, style: style); c += 1 }
                put(s.unit)
                put(units.name(s.unit))
                put(unitClass(s.unit).map(classLabel))
                if parts { put(set.label) }
                put(Double(s.n), .integer)
                put(s.dontKnow, .percent(1))
                put(s.score, .decimal(1))
                put(s.scoreSE, .decimal(2))
                put(s.scoreLow, .decimal(1))
                put(s.scoreHigh, .decimal(1))
                put(s.rate, .percent(1))
                put(s.rateSE, .percent(2))
                put(s.rateLow, .percent(1))
                put(s.rateHigh, .percent(1))
                put(s.deff, .decimal(2))
                if ranks {
                    put(s.rank.map(Double.init), .integer)
                    put(s.rankLow.map(Double.init), .integer)
                    put(s.rankHigh.map(Double.init), .integer)
                    put(s.pTopQuarter, .percent(0))
                }
                put(s.df.map(Double.init), .integer)
                put(s.rate < ScoresFormat.lowRateBelow ? "是" : nil)
                r += 1
            }
        }
    }

    private func compositeSheet(_ book: Workbook, _ table: CompositeTable) throws(WorkbookError) {
        let sheet = try book.addSheet("综合考评")
        let scheme = table.scheme
        var components: [ComponentColumn] = []
        var deductions: [ComponentColumn] = []
        for classID in table.classIDs {
            let columns = compositeColumns(table, classID: classID)
            components += columns.components.filter { c in !components.contains { $0.id == c.id } }
            deductions += columns.deductions.filter { d in !deductions.contains { $0.id == d.id } }
        }
        let uncertain = table.rows.contains { $0.scoreSE != nil }
        var header = ["类别", "名次", "单位代码", "单位", "综合得分"] + components.map(\.label) + deductions.map(\.label) + ["加分", "减分", "等次"]
        if uncertain { header += ["得分标准误", "等次变动概率"] }
        header.append("说明")
        sheet.header(header)
        sheet.width(0, 14)
        sheet.width(3, 18)
        sheet.width(header.count - 1, 60)
        let style = CellStyle.decimal(scheme.decimals)
        for (i, row) in table.rows.enumerated() {
            let r = i + 1
            sheet.write(r, 0, scheme.classLabel(row.unitClass) ?? row.unitClass)
            sheet.write(r, 1, row.rank)
            sheet.write(r, 2, row.unit)
            sheet.write(r, 3, units.name(row.unit))
            sheet.write(r, 4, row.score, style: style)
            var c = 5
            for column in components {
                sheet.write(r, c, row.contributions[column.id], style: style)
                c += 1
            }
            for column in deductions {
                sheet.write(r, c, row.deductions[column.id], style: style)
                c += 1
            }
            sheet.write(r, c, row.bonus, style: style)
            sheet.write(r, c + 1, row.penalty, style: style)
            sheet.write(r, c + 2, row.grade)
            c += 3
            if uncertain {
                sheet.write(r, c, row.scoreSE, style: .decimal(4))
                sheet.write(r, c + 1, row.pGrade, style: .percent(1))
                c += 2
            }
            sheet.write(r, c, row.notes.joined(separator: "；"), style: .wrapped)
        }
    }

    private func distributionSheet(_ book: Workbook, _ distribution: DistributionFile) throws(WorkbookError) {
        let sheet = try book.addSheet("档次分布")
        var header = ["单位代码", "单位"]
        let split = distribution.by != nil
        if split { header.append("调查对象") }
        let fixedColumns = header.count
        header += distribution.tiers.map { "\($0.label)（人）" } + ["合计（人）"] + distribution.tiers.map { "\($0.label)（占比）" }
        sheet.header(header)
        sheet.width(1, 18)
        var r = 1
        for group in distribution.groups {
            for unit in distributionOrder(group, distribution).units {
                guard let cells = distribution.cells(unit: unit, by: group) else { continue }
                sheet.write(r, 0, unit)
                sheet.write(r, 1, units.name(unit))
                if split { sheet.write(r, 2, group.map(ColumnNames.group)) }
                var c = fixedColumns
                for tier in distribution.tiers {
                    sheet.write(r, c, cells[tier.code]?.n ?? 0)
                    c += 1
                }
                sheet.write(r, c, cells.values.reduce(0) { $0 + $1.n })
                c += 1
                for tier in distribution.tiers {
                    sheet.write(r, c, cells[tier.code]?.share ?? 0, style: .percent(1))
                    c += 1
                }
                r += 1
            }
        }
    }

    private func ratesSheet(_ book: Workbook, _ rates: RatesFile) throws(WorkbookError) {
        let sheet = try book.addSheet("回答率")
        let countNames = ["样本数", "完成访问 I", "部分完成 P", "拒访 R", "未接触 NC", "其他 O", "资格未知 U", "不合格 NE"]
        sheet.header(["组别"] + countNames + RatesFile.rateColumns)
        sheet.width(0, 18)
        for (i, row) in rates.rows.enumerated() {
            sheet.write(i + 1, 0, ColumnNames.group(row.group))
            for (k, name) in RatesFile.countColumns.enumerated() {
                sheet.write(i + 1, 1 + k, row.counts[name])
            }
            for (k, name) in RatesFile.rateColumns.enumerated() {
                sheet.write(i + 1, 1 + RatesFile.countColumns.count + k, row.rates[name], style: .percent(1))
            }
        }
    }
}
