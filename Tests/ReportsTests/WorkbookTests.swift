import Foundation
import Testing
@testable import Reports

/// report.xlsx read back with unzip: sheet names, Chinese headers, frozen header rows, number
/// formats and a few cells.
@Suite("report.xlsx")
struct WorkbookTests {
    let book: XLSXFile

    init() throws {
        let path = try Support.folder() + "/report.xlsx"
        try Data(try ReportContent.load(Support.request()).workbook()).write(to: URL(fileURLWithPath: path))
        book = XLSXFile(path: path)
    }

    @Test func sheets() throws {
        #expect(try book.sheetNames() == ["满意度得分", "综合考评", "档次分布", "回答率"])
        for sheet in try book.sheetNames() {
            #expect(try book.sheetXML(sheet).contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
            #expect(try book.sheetXML(sheet).contains("<autoFilter ref=\"A1:"))
        }
        let formats = try book.numberFormats()
        #expect(formats.contains("0.0") && formats.contains("0.0%") && formats.contains("0.00"))
    }

    @Test func scoresSheet() throws {
        let cells = try book.cells("满意度得分")
        let header = ["单位代码", "单位", "类别", "有效样本", "不了解占比", "满意度得分", "得分标准误", "得分95%下限", "得分95%上限",
                      "满意率", "满意率标准误", "满意率95%下限", "满意率95%上限", "设计效应", "自由度", "满意率低于60%"]
        let letters = "ABCDEFGHIJKLMNOP".map(String.init)
        #expect(letters.map { cells[$0 + "1"] } == header)
        // Ranked by score: D01 80, T01 75, D02 70, T02 65, D03 60.
        #expect(["A2", "A3", "A4", "A5", "A6"].map { cells[$0] } == ["D01", "T01", "D02", "T02", "D03"])
        #expect(cells["B2"] == "市政府办" && cells["C2"] == "部门" && cells["C3"] == "乡镇")
        #expect(cells["D2"] == "60" && cells["F2"] == "80" && cells["H2"] == "74" && cells["J2"] == "0.9" && cells["O2"] == "40")
        #expect(cells["P6"] == "是" && cells["P2"] == nil)
    }

    @Test func compositeSheet() throws {
        let cells = try book.cells("综合考评")
        let header = ["类别", "名次", "单位代码", "单位", "综合得分", "工作实绩（70分）", "公众评议（30分）", "察访核验扣分", "加分", "减分", "等次",
                      "得分标准误", "等次变动概率", "说明"]
        #expect("ABCDEFGHIJKLMN".map { cells[String($0) + "1"] } == header)
        #expect(["A2", "B2", "C2", "D2", "E2", "F2", "G2", "H2", "I2", "J2", "K2"].map { cells[$0] }
            == ["部门", "1", "D01", "市政府办", "85", "63", "24", "2", "0", "0", "优秀"])
        #expect(cells["N2"] == "察访核验扣3分，按上限扣2分；评为优秀：排名第1名，在名额（1名）内，得分不低于80分")
        #expect(cells["A5"] == "乡镇" && cells["E5"] == "82.5" && cells["J5"] == "0.5" && cells["K5"] == nil)
    }

    @Test func distributionSheet() throws {
        let cells = try book.cells("档次分布")
        #expect(["A1", "B1", "C1", "G1", "H1", "I1", "M1"].map { cells[$0] }
            == ["单位代码", "单位", "满意（人）", "不了解/说不清（人）", "合计（人）", "满意（占比）", "不了解/说不清（占比）"])
        #expect(cells["A2"] == "D01" && cells["I2"] == "0.5" && cells["M2"] == "0.05")
        #expect(cells["A6"] == "D03" && cells["L6"] == "0.34")
    }

    @Test func ratesSheet() throws {
        let cells = try book.cells("回答率")
        #expect(cells["A1"] == "组别" && cells["B1"] == "样本数" && cells["C1"] == "完成访问 I" && cells["J1"] == "e" && cells["K1"] == "RR1")
        #expect(cells["A2"] == "城镇居民户" && cells["B2"] == "100" && cells["K2"] == "0.5")
        #expect(cells["A4"] == "合计" && cells["C4"] == "115" && cells["Z4"] == "0.822" && cells["AA1"] == nil)
    }

    @Test func withoutOptionalInputsOnlyTheScores() throws {
        var request = ReportRequest(scores: [Support.fixture("scores.csv")])
        request.units = Support.fixture("units.csv")
        let path = try Support.folder() + "/r.xlsx"
        try Data(try ReportContent.load(request).workbook()).write(to: URL(fileURLWithPath: path))
        #expect(try XLSXFile(path: path).sheetNames() == ["满意度得分"])
    }
}
