import Testing
import Formats
@testable import Reports

/// The feedback sheets (考评情况反馈单): components, deductions with reasons, rank, grade, and the
/// review deadline 2 working days after the sheets are issued.
@Suite("Feedback sheets")
struct FeedbackSheetTests {
    func sheet(_ unit: String, _ edit: (inout ReportRequest) -> Void = { _ in }) throws -> String {
        var request = Support.request()
        edit(&request)
        let content = try ReportContent.load(request)
        let table = try #require(content.composite)
        return content.feedbackSheet(try #require(table.row(unit: unit)), in: table)
    }

    @Test func departmentSheet() throws {
        let html = try sheet("D01")
        #expect(html.contains("<h1>考评情况反馈单</h1>"))
        #expect(html.contains("<th>被考评单位</th><td>市政府办（D01）</td>"))
        #expect(html.contains("<td>工作实绩</td><td class=\"num\">70分</td><td class=\"num\">63.00</td>"))
        #expect(html.contains("<td>察访核验扣分（上限2.00分）</td><td></td><td class=\"num\">−2.00</td>"))
        #expect(html.contains("<td class=\"num total\">85.00</td>"))
        #expect(html.contains("<li>察访核验扣3分，按上限扣2分</li>"))
        #expect(html.contains("<th>类内排名</th><td>第1名（共3个单位）</td>"))
        #expect(html.contains("<th>等次</th><td>优秀</td>"))
        #expect(html.contains("<tr><td>综合</td><td class=\"num\">60</td><td class=\"num\">80.0</td><td class=\"num\">74.0–86.0</td><td class=\"num\">90.0%</td><td class=\"num\">82.0%–98.0%</td><td class=\"num\">—</td></tr>"))
        #expect(!html.contains("http") && !html.contains("//"))
    }

    @Test func reviewDeadlineSkipsTheWeekend() throws {
        // Issued Friday 5 January 2018: Saturday and Sunday do not count → Tuesday 9 January.
        let html = try sheet("D01")
        #expect(html.contains("在接到本反馈单的2个工作日内，即最迟于<strong>2018年1月9日（星期二）</strong>"))
        #expect(html.contains("<th>下发日期</th><td>2018年1月5日（星期五）</td>"))
        #expect(html.contains("向绩效考核办公室提请复核"))
    }

    @Test func reviewDeadlineSkipsHolidays() throws {
        let html = try sheet("T01") { request in
            request.issued = CivilDate("2018-02-14")
            request.holidays = Set((15...21).compactMap { CivilDate("2018-02-\($0)") })
            request.reviewDays = 3
            request.issuer = "市政府绩效考核办"
        }
        #expect(html.contains("3个工作日内，即最迟于<strong>2018年2月26日（星期一）</strong>"))
        #expect(html.contains("向市政府绩效考核办提请复核"))
    }

    @Test func rankingOnlyClassAndPenalty() throws {
        let html = try sheet("T01")
        #expect(html.contains("<th>等次</th><td>本方案按得分排名，不评定等次</td>"))
        #expect(html.contains("<td>减分</td><td></td><td class=\"num\">−0.50</td>"))
        #expect(html.contains("<li>减分0.5分（数据迟报0.5分）</li>"))
        #expect(html.contains("第1名（共2个单位）"))
    }

    @Test func oneSheetPerUnitBesideTheReport() throws {
        let files = try ReportContent.load(Support.request()).files()
        #expect(files.map(\.path) == ["report.html", "report.xlsx", "feedback/D01.html", "feedback/D02.html", "feedback/D03.html",
                                      "feedback/T01.html", "feedback/T02.html"])
        var request = Support.request()
        request.composite = nil
        request.scheme = nil
        #expect(try ReportContent.load(request).files().map(\.path) == ["report.html", "report.xlsx"])
    }
}
