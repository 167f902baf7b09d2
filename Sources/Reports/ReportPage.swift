import Formats
import Markup

/// `report.html`: one self-contained page in Chinese with the survey's disclosure facts, the
/// ranked scores, tier distributions and satisfaction rates as SVG charts, the composite ranking
/// with grades and reasons, and the table of every unit's results.
extension ReportContent {
    /// The page's HTML. Feedback sheets are linked at `feedbackLinks` (unit → relative path).
    func reportPage(feedbackLinks: [String: String]) -> String {
        var body = "<header><h1>\(escapeHTML(request.title))</h1>"
        var meta: [String] = []
        if let issued = request.issued { meta.append("发布日期：\(issued.chinese)") }
        meta.append("由 \(request.generator) 生成")
        body += "<p class=\"meta\">\(escapeHTML(meta.joined(separator: " · ")))</p></header>\n"
        var sections: [(id: String, title: String, html: String)] = []
        sections.append(("survey", "调查概况", surveySection()))
        sections.append(("scores", "满意度得分", partSection { set in
            figure(scoreChart(set), caption: "点为满意度得分（0–100分），横线为95%置信区间；两单位的区间互不重叠时，得分差别在统计上显著，区间重叠较多时，名次先后不宜视为确定。")
        }))
        if let distribution {
            sections.append(("tiers", "满意度档次分布", distribution.groups.map { g in
                heading(g.map(ColumnNames.group), when: distribution.groups.count > 1 || g != nil)
                    + figure(tierChart(g, distribution), caption: "条内数字为各档次在全部回答中的加权占比（%），含“不了解”等特殊回答；n为回答人数。")
            }.joined(separator: "\n")))
        }
        sections.append(("rates", "满意率", partSection { set in
            figure(rateChart(set), caption: "满意率为满意各档次的加权占比；满意率低于60%的单位（红色），其主要负责人取消年度评优资格。") + lowRateNote(set)
        }))
        if let composite {
            sections.append(("composite", "综合考评结果", compositeSection(composite, feedbackLinks: feedbackLinks)))
        }
        sections.append(("table", "附表：各单位公众评议结果", partSection { set in scoreTable(set) }))
        sections.append(("notes", "说明", notesSection()))
        let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        body += "<nav><ol>" + sections.map { "<li><a href=\"#\($0.id)\">\(escapeHTML($0.title))</a></li>" }.joined() + "</ol></nav>\n"
        for (i, section) in sections.enumerated() {
            body += "<section id=\"\(section.id)\"><h2>\(numerals[min(i, numerals.count - 1)])、\(escapeHTML(section.title))</h2>\n\(section.html)\n</section>\n"
        }
        return htmlPage(title: request.title, body: body)
    }

    /// One part per score set, each with a heading when there are several.
    private func partSection(_ part: (ScoreSet) -> String) -> String {
        scoreSets.map { set in heading(set.label, when: scoreSets.count > 1) + part(set) }.joined(separator: "\n")
    }

    private func heading(_ text: String?, when shown: Bool) -> String {
        shown ? "<h3>\(escapeHTML(text ?? "综合"))</h3>\n" : ""
    }

    private func figure(_ svg: String, caption: String) -> String {
        "<figure>\(svg)<figcaption>\(escapeHTML(caption))</figcaption></figure>"
    }

    private func lowRateNote(_ set: ScoreSet) -> String {
        let low = set.ranked.filter { $0.rate < ScoresFormat.lowRateBelow }
        guard !low.isEmpty else { return "<p class=\"note\">所有单位的满意率均不低于60%。</p>" }
        let names = low.map { "\(units.name($0.unit))（\(percent($0.rate))）" }.joined(separator: "、")
        return "<p class=\"alarm\">满意率低于60%的单位：\(escapeHTML(names))。</p>"
    }

    // MARK: survey facts

    private func surveySection() -> String {
        var html = ""
        if surveys.isEmpty {
            html += "<p class=\"note\">未提供抽样清单（pingyi sample 写出的 manifest），抽样设计从略。</p>"
        }
        for survey in surveys {
            let m = survey.manifest
            var facts: [(String, String)] = []
            facts.append(("抽样框", "\(baseName(m.frame.file))（\(m.frame.rows.map { "\($0)行，" } ?? "")SHA-256 \(m.frame.sha256.prefix(16))…）"))
            if !survey.design.filter.isEmpty {
                facts.append(("范围", survey.design.filter.map { "\(ColumnNames.label($0.column))为\($0.values.joined(separator: "或"))" }.joined(separator: "，")))
            }
            facts.append(("抽样设计", survey.stageDescriptions.joined()))
            facts.append(("样本量", "样本\(survey.sample)个，备用\(survey.reserves)个，\(m.strata.count)层"))
            facts.append(("随机数", "\(m.rng)，种子\(m.seed)（可用 pingyi sample verify 复核名单）"))
            facts.append(("名单", "\(baseName(m.list.file))（\(m.list.rows.map { "\($0)行，" } ?? "")SHA-256 \(m.list.sha256.prefix(16))…）"))
            html += "<h3>\(escapeHTML(survey.design.name))</h3>\n" + factTable(facts)
        }
        html += "<h3>调查实施</h3>\n" + factTable([
            ("调查时间", request.fieldwork ?? "未提供"),
            ("加权方法", request.weighting ?? "未提供"),
            ("误差范围", marginText()),
        ])
        if let rates {
            html += "<h3>回答率（AAPOR标准）</h3>\n" + ratesTable(rates)
            html += "<p class=\"note\">I 完成访问，P 部分完成，R 拒访或中断，NC 未接触，O 其他未访问，U 资格未知，NE 不合格。"
            html += "RR1 = I ÷ (I+P+R+NC+O+U)；RR3 将资格未知者按 e 折算；COOP1 = I ÷ (I+P+R+O)；REF1 = R ÷ (I+P+R+NC+O+U)；CON1 = (I+P+R+O) ÷ (I+P+R+NC+O+U)。</p>"
        } else {
            html += "<p class=\"note\">未提供回答率（pingyi rates 的输出）。</p>"
        }
        return html
    }

    /// The last component of a path.
    private func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    private func ratesTable(_ rates: RatesFile) -> String {
        let shown = [RatesFormat.e] + RatesFormat.headline
        var table = HTMLTable(header: ["组别", "样本"] + RatesFormat.counts + shown)
        for row in rates.rows {
            var cells: [HTMLTable.Cell] = [.text(ColumnNames.group(row.group))]
            cells += RatesFile.countColumns.map { .number(String(row.counts[$0] ?? 0)) }
            cells += shown.map { .number(row.rates[$0].map { percent($0) } ?? "—") }
            table.add(cells)
        }
        return table.html
    }

    /// "满意度得分95%置信区间的半宽：中位数±6.2分（4.1–9.8分）；满意率：中位数±8.0个百分点（…）".
    private func marginText() -> String {
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return .nan }
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        let scores = overall?.scores ?? allScores
        let scoreHalf = scores.map { ($0.scoreHigh - $0.scoreLow) / 2 }.filter(\.isFinite)
        let rateHalf = scores.map { ($0.rateHigh - $0.rateLow) / 2 * 100 }.filter(\.isFinite)
        let n = scores.map(\.n)
        return "每单位有效样本\(n.min() ?? 0)–\(n.max() ?? 0)人；满意度得分95%置信区间半宽中位数±\(fixed(median(scoreHalf), 1))分"
            + "（\(fixed(scoreHalf.min() ?? .nan, 1))–\(fixed(scoreHalf.max() ?? .nan, 1))分），满意率±\(fixed(median(rateHalf), 1))个百分点"
            + "（\(fixed(rateHalf.min() ?? .nan, 1))–\(fixed(rateHalf.max() ?? .nan, 1))）"
    }

    // MARK: tables and notes

    private func scoreTable(_ set: ScoreSet) -> String {
        let ranks = set.scores.contains { $0.rank != nil }
        var header = ["名次", "单位", "类别", "有效样本", "不了解", "满意度得分", "95%置信区间", "满意率", "95%置信区间", "设计效应"]
        if ranks { header += ["名次区间", "进入前25%的概率"] }
        var table = HTMLTable(header: header)
        for (i, s) in set.ranked.enumerated() {
            let flag = s.rate < ScoresFormat.lowRateBelow ? "alarm" : nil
            var cells: [HTMLTable.Cell] = [
                .number(rankText(s, position: i + 1)), .text(units.name(s.unit), className: flag.map { "name " + $0 } ?? "name"), .text(unitClass(s.unit).map(classLabel) ?? ""),
                .number(String(s.n)), .number(s.dontKnow.map { percent($0) } ?? "—"),
                .number(fixed(s.score, 1)),
                .number("\(fixed(s.scoreLow, 1))–\(fixed(s.scoreHigh, 1))" + (s.isUnstable ? "＊" : ""), className: s.isUnstable ? "unstable" : nil),
                .number(percent(s.rate), className: flag), .number("\(percent(s.rateLow))–\(percent(s.rateHigh))"),
                .number(s.deff.map { fixed($0, 2) } ?? "—"),
            ]
            if ranks {
                cells.append(.number(s.rankLow.flatMap { low in s.rankHigh.map { "\(low)–\($0)" } } ?? "—"))
                cells.append(.number(s.pTopQuarter.map { percent($0, 0) } ?? "—"))
            }
            table.add(cells)
        }
        return table.html
    }

    private func notesSection() -> String {
        var notes = [
            "满意度得分为各档次分值的加权平均（百分制）；满意率为满意各档次（如满意、比较满意、基本满意）的加权占比。“不了解/说不清”不计入分母，其占比单列。",
            "标准误按抽样设计计算（分层、多阶段、有限总体校正），95%置信区间按 t 分布（自由度见附表导出的 report.xlsx）。样本量小时误差范围较大，名次相近的单位不宜简单比较。",
        ]
        // A rate interval that is not symmetric about the rate was made on the logit scale.
        if allScores.contains(where: { abs(($0.rateHigh - $0.rate) - ($0.rate - $0.rateLow)) > 1e-9 }) {
            notes.append("满意率的95%置信区间在 logit 尺度上计算后换回百分比（与 R 的 svyciprop 方法 xlogit 相同），因此不超出 0–100%，且在满意率接近 100% 时上下不对称。")
        }
        if allScores.contains(where: { $0.rank != nil }) {
            notes.append("名次区间和进入前25%的概率由重复抽样（bootstrap）模拟得到。")
        }
        let unstable = allScores.filter(\.isUnstable)
        if !unstable.isEmpty {
            let names = uniqued(unstable.map { units.name($0.unit) }).prefix(12).joined(separator: "、")
            notes.append("标＊的区间只有不到 8 个自由度（样本只来自很少几个村或社区，例如各镇对本镇的评价），估计很不稳定，区间按 t 分布因此很宽，不宜据此排名或评定等次："
                         + names + (unstable.count > 12 ? "等" : "") + "。增加所抽的村（社区）数才能缩小误差，所需数目可用 pingyi sample size --per-cluster 计算。")
        }
        if composite != nil {
            notes.append("综合得分按考评方案计算，各构成先折算为百分制再加权；扣分事项及依据、排名和等次见各单位的考评情况反馈单。")
        }
        notes.append("本报告的图表由 pingyi 生成，数据见同一目录下的 report.xlsx。")
        return "<ol class=\"note\">" + notes.map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ol>"
    }
}
