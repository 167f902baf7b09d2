import Testing
@testable import Reports

/// report.html: SVG charts made here, Chinese labels, hand-computed geometry, nothing from outside.
@Suite("report.html")
struct ReportPageTests {
    let content: ReportContent
    let html: String

    init() throws {
        content = try ReportContent.load(Support.request())
        html = content.reportPage(feedbackLinks: ["D01": "feedback/D01.html"])
    }

    /// The text of the n-th `<svg>…</svg>` of the page.
    func chart(_ n: Int) -> String {
        let parts = html.components(separatedBy: "<svg ")
        guard n + 1 < parts.count, let end = parts[n + 1].range(of: "</svg>") else { return "" }
        return String(parts[n + 1][..<end.lowerBound])
    }

    @Test func selfContained() {
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        for outside in ["http:", "https:", "//", "<script", "src=", "url(", "@import", "<link"] {
            #expect(!html.contains(outside), "found \(outside)")
        }
        #expect(html.contains("\"Noto Sans CJK SC\", \"Noto Sans SC\""))
    }

    @Test func chartsAreSVG() {
        // scores, tiers, rates, and one composite chart per class (部门, 乡镇).
        #expect(html.components(separatedBy: "<svg ").count - 1 == 5)
        #expect(html.components(separatedBy: "</svg>").count - 1 == 5)
        #expect(chart(0).contains("<title>满意度得分及95%置信区间</title>"))
        #expect(chart(1).contains("<title>满意度档次分布</title>"))
        #expect(chart(2).contains("<title>满意率及95%置信区间</title>"))
        #expect(chart(3).contains("<title>综合考评得分构成：部门</title>"))
        #expect(chart(4).contains("<title>综合考评得分构成：乡镇</title>"))
    }

    @Test func scoreChartRanksUnitsWithTheirIntervals() {
        let svg = chart(0)
        // Best first: D01 80, T01 75, D02 70, T02 65, D03 60.
        let names = ["市政府办", "城关街道", "市信访局", "东城街道", "市发改局"]
        let positions = names.compactMap { svg.range(of: ">\($0)</text>")?.lowerBound }
        #expect(positions.count == 5 && positions == positions.sorted())
        // Axis 50–100 (lowest interval end 50, steps of 5) over x = 210…720: x(v) = 210 + (v − 50) × 10.2.
        #expect(svg.contains(#"cx="516" cy="#))                       // D01's score 80
        #expect(svg.contains(#"x1="454.8" y1="65.5" x2="577.2" y2="65.5""#)) // D01's interval 74–86, first row
        #expect(svg.contains(">80.0（74.0–86.0）</text>"))
        #expect(svg.contains(">50</text>") && svg.contains(">100</text>") && !svg.contains(">45</text>"))
        // Two classes: a legend.
        #expect(svg.contains(">部门</text>") && svg.contains(">乡镇</text>"))
    }

    @Test func rateChartDrawsTheSixtyPercentLineAndFlagsUnitsBelowIt() {
        let svg = chart(2)
        #expect(svg.contains("class=\"reference\""))
        #expect(svg.contains("60%：低于此线取消评优资格"))
        #expect(svg.contains("fill=\"#c53030\">55.0%（41.0%–69.0%）</text>"))
        #expect(svg.contains("fill=\"#2d3748\">90.0%（82.0%–98.0%）</text>"))
        #expect(html.contains("满意率低于60%的单位：市发改局（55.0%）。"))
    }

    @Test func tierChartStacksSharesInScaleColours() {
        let svg = chart(1)
        // D01: 满意 50 % of 570 px from x = 210, dark green; 不满意 in red; 不了解 grey.
        #expect(svg.contains(#"x="210" y="#) && svg.contains(##"width="285" height="13" fill="#1f7a4d""##))
        #expect(svg.contains("<title>市政府办 满意 50.0%</title>"))
        #expect(svg.contains("fill=\"#d64532\""))
        #expect(svg.contains(">不了解/说不清</text>"))
        #expect(svg.contains(">n=63</text>"))
    }

    @Test func compositeShowsComponentsDeductionsGradesAndReasons() {
        let svg = chart(3)
        #expect(svg.contains(">85.00 优秀</text>"))
        #expect(svg.contains("<title>市政府办 扣减 2.00分</title>"))
        #expect(svg.contains(">工作实绩（70分）</text>"))
        #expect(html.contains("<th>察访核验扣分</th>"))
        #expect(html.contains("察访核验扣3分，按上限扣2分；评为优秀：排名第1名"))
        #expect(html.contains("<a class=\"name\" href=\"feedback/D01.html\">查看</a>"))
        #expect(chart(4).contains(">82.50</text>"))
    }

    @Test func disclosureWithoutManifestsSaysWhatIsMissing() {
        #expect(html.contains("未提供抽样清单"))
        #expect(html.contains("<th>调查时间</th><td>未提供</td>"))
        #expect(html.contains("每单位有效样本40–70人；满意度得分95%置信区间半宽中位数±8.0分（6.0–10.0分），满意率±10.0个百分点（8.0–14.0）"))
        #expect(html.contains("<td>城镇居民户</td><td class=\"num\">100</td>"))
        #expect(html.contains("<td class=\"num\">50.4%</td>"))
    }

    @Test func scoresSplitByGroupGetAChartEach() throws {
        var request = ReportRequest(scores: [try Support.file("scores.csv", """
            unit,group,n,score,score_se,score_low,score_high,rate,rate_low,rate_high
            D01,urban,30,80,3,74,86,0.9,0.82,0.98
            D01,rural,20,70,4,62,78,0.5,0.4,0.6

            """)])
        request.units = Support.fixture("units.csv")
        let page = try ReportContent.load(request).reportPage(feedbackLinks: [:])
        #expect(page.contains("<title>满意度得分及95%置信区间（城镇居民户）</title>"))
        #expect(page.contains("<title>满意率及95%置信区间（农村居民户）</title>"))
        #expect(page.components(separatedBy: "<svg ").count - 1 == 4)
        #expect(!page.contains("综合考评"))
    }

    @Test func overallAndGroupScoresTogether() throws {
        var request = Support.request()
        request.scores.append(try Support.file("by-group.csv", """
            unit,group,n,score,score_se,score_low,score_high,rate,rate_low,rate_high
            D01,urban,30,84,3,78,90,0.5,0.4,0.6
            D01,rural,20,70,4,62,78,0.9,0.8,1

            """))
        let content = try ReportContent.load(request)
        #expect(content.scoreSets.map(\.label) == ["综合", "城镇居民户", "农村居民户"])
        let page = content.reportPage(feedbackLinks: [:])
        #expect(page.components(separatedBy: "<svg ").count - 1 == 3 + 1 + 3 + 2)
        #expect(page.contains("<h3>综合</h3>\n<figure><svg class=\"chart interval-chart\""))
        #expect(page.contains("<title>满意度得分及95%置信区间（综合）</title>"))
        #expect(page.contains("<title>满意率及95%置信区间（城镇居民户）</title>"))
        #expect(page.contains("满意率低于60%的单位：市政府办（50.0%）。"))
        let table = try #require(content.composite)
        let sheet = content.feedbackSheet(try #require(table.row(unit: "D01")), in: table)
        #expect(sheet.contains("<td>综合</td><td class=\"num\">60</td><td class=\"num\">80.0</td>"))
        #expect(sheet.contains("<td>城镇居民户</td><td class=\"num\">30</td><td class=\"num\">84.0</td><td class=\"num\">78.0–90.0</td><td class=\"num alarm\">50.0%</td>"))
        #expect(sheet.contains("<td>农村居民户</td>"))
    }

    @Test func markupIsEscaped() throws {
        var request = Support.request()
        request.title = "<b>评议 & 报告</b>"
        let page = try ReportContent.load(request).reportPage(feedbackLinks: [:])
        #expect(page.contains("<h1>&lt;b&gt;评议 &amp; 报告&lt;/b&gt;</h1>"))
        #expect(!page.contains("<b>评议"))
    }
}

@Suite("report.html: units with too few degrees of freedom")
struct UnstableScoreTests {
    /// A unit whose interval has df 2 (a town rated by three villages) is marked ＊ and named in a
    /// note that says why and what to do.
    @Test func fewDegreesOfFreedomAreMarked() throws {
        let scores = try String(contentsOfFile: Support.fixture("scores.csv"), encoding: .utf8)
        var lines = scores.split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: ",40,", with: ",2,")
        var request = Support.request()
        request.scores = [try Support.file("scores.csv", lines.joined(separator: "\n") + "\n")]
        let html = try ReportContent.load(request).reportPage(feedbackLinks: [:])
        #expect(html.components(separatedBy: "＊</td>").count - 1 == 1)
        #expect(html.contains("标＊的区间只有不到 8 个自由度"))
        #expect(html.contains("pingyi sample size --per-cluster"))
        let plain = try ReportContent.load(Support.request()).reportPage(feedbackLinks: [:])
        #expect(!plain.contains("标＊的区间"))
    }
}
