import Formats
import Composite
import Markup

/// The feedback sheet (考评情况反馈单, seed 004 §四(五)4) of one unit: its score components,
/// the deductions with their reasons, its rank and grade, its public-evaluation result, and the
/// deadline for asking for a review (复核) — `reviewDays` working days after the sheet is issued.
extension ReportContent {
    func feedbackSheet(_ row: UnitResult, in table: CompositeTable) -> String {
        let scheme = table.scheme
        let places = scheme.decimals
        let name = units.name(row.unit)
        let classRows = table.rows(ofClass: row.unitClass)
        var body = "<div class=\"sheet\">\n<h1>考评情况反馈单</h1>\n<p class=\"meta\">\(escapeHTML(request.title))</p>\n"
        body += factTable([
            ("被考评单位", "\(name)（\(row.unit)）"),
            ("类别", scheme.classLabel(row.unitClass) ?? row.unitClass),
            ("考评方案", scheme.label),
        ])

        body += "<h2>一、考评得分</h2>\n"
        var scoreTable = HTMLTable(header: ["项目", "权重", "得分"])
        for component in scheme.componentLabels(ofClass: row.unitClass) {
            let sub = component.children.map { "\($0.label)\($0.written)" }.joined(separator: "、")
            scoreTable.add([.text(component.label + (sub.isEmpty ? "" : "（\(sub)）")), .number(component.written),
                            .number(fixed(row.contributions[component.id] ?? 0, places))])
        }
        for deduction in scheme.deductionLabels where scheme.deduction(deduction.id, appliesTo: row.unitClass) {
            let cap = deduction.cap.map { "（上限\(fixed($0, places))分）" } ?? ""
            scoreTable.add([.text("\(deduction.label)扣分\(cap)"), .text(""), .number(signed(-(row.deductions[deduction.id] ?? 0), places))])
        }
        if let label = scheme.bonusLabel { scoreTable.add([.text(label), .text(""), .number(signed(row.bonus, places))]) }
        if let label = scheme.penaltyLabel { scoreTable.add([.text(label), .text(""), .number(signed(-row.penalty, places))]) }
        scoreTable.add([.text("综合得分", className: "total"), .text(""), .number(fixed(row.score, places), className: "total")])
        body += scoreTable.html

        body += "<h2>二、扣分事项及依据</h2>\n"
        body += row.notes.isEmpty ? "<p>无扣分、加减分事项。</p>\n" : "<ol>" + row.notes.map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ol>\n"

        body += "<h2>三、排名和等次</h2>\n"
        var standing: [(String, String)] = [("类内排名", "第\(row.rank)名（共\(classRows.count)个单位）")]
        let grades = scheme.gradeNames(ofClass: row.unitClass)
        standing.append(("等次", row.grade ?? (grades.isEmpty ? "本方案按得分排名，不评定等次" : "未评定")))
        if let se = row.scoreSE {
            var uncertainty = "综合得分的标准误\(fixed(se, 2))分（来自公众评议的抽样误差）"
            if let p = row.pGrade, !grades.isEmpty { uncertainty += "；按抽样误差模拟，等次发生变动的概率约为\(percent(p, 0))" }
            standing.append(("不确定性", uncertainty))
        }
        body += factTable(standing)

        let publicResults = scoreSets.compactMap { set in set.score(unit: row.unit).map { (set, $0) } }
        if !publicResults.isEmpty {
            body += "<h2>四、公众评议</h2>\n"
            var table = HTMLTable(header: ["调查对象", "有效样本", "满意度得分", "95%置信区间", "满意率", "95%置信区间", "名次"])
            for (set, s) in publicResults {
                let rank = s.rank.map { rank in "\(rank)" + (s.rankLow.flatMap { low in s.rankHigh.map { "（\(low)–\($0)）" } } ?? "") } ?? "—"
                table.add([.text(set.label), .number(String(s.n)), .number(fixed(s.score, 1)), .number("\(fixed(s.scoreLow, 1))–\(fixed(s.scoreHigh, 1))"),
                           .number(percent(s.rate), className: s.rate < ScoresFormat.lowRateBelow ? "alarm" : nil), .number("\(percent(s.rateLow))–\(percent(s.rateHigh))"),
                           .number(rank)])
            }
            body += table.html
            if publicResults.contains(where: { $0.1.rate < ScoresFormat.lowRateBelow }) {
                body += "<p class=\"alarm\">满意率低于60%。</p>\n"
            }
        }

        body += "<h2>\(publicResults.isEmpty ? "四" : "五")、复核</h2>\n"
        if let issued = request.issued, let deadline = request.reviewDeadline {
            body += "<p class=\"review\">如对考评结果有异议，请在接到本反馈单的\(request.reviewDays)个工作日内，即最迟于<strong>\(escapeHTML(deadline.chinese))</strong>，"
            body += "填写《考评复核申请表》向\(escapeHTML(request.issuer))提请复核；逾期未复核视同自动放弃。</p>\n"
            body += factTable([("下发日期", issued.chinese), ("复核截止", deadline.chinese), ("下发单位", request.issuer)])
        }
        body += "<p class=\"sign\">被考评单位签收：____________　　日期：____________</p>\n</div>"
        return htmlPage(title: "考评情况反馈单 \(name)", body: body, extraStyle: FeedbackSheetStyle.css)
    }

    /// "+0.50", "−1.00", "0.00".
    private func signed(_ value: Double, _ places: Int) -> String {
        let text = fixed(abs(value), places)
        if Double(text) == 0 { return text }
        return (value < 0 ? "−" : "+") + text
    }
}

enum FeedbackSheetStyle {
    static let css = """
        .sheet { max-width: 720px; margin: 0 auto; }
        .sheet h1 { text-align: center; font-size: 24px; letter-spacing: 6px; }
        .sheet p.meta { text-align: center; }
        .sheet h2 { font-size: 16px; border-bottom: 1px solid var(--line); margin-top: 22px; }
        .sheet table.data { width: 100%; }
        td.total { font-weight: 700; }
        p.review { border: 1px solid var(--ink); padding: 8px 12px; }
        p.sign { margin-top: 36px; text-align: right; }
        @media print { @page { size: A4; margin: 18mm; } .sheet h2 { break-before: auto; } }
        """
}
