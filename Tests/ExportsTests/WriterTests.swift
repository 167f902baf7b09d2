import Exports
import Foundation
import Testing

@Suite("SPSS, Stata and Excel writers")
struct WriterTests {
    static let dataset: LabelledDataset = {
        let tiers = [ValueLabel(code: 1, label: "满意"), ValueLabel(code: 2, label: "比较满意"), ValueLabel(code: 3, label: "基本满意"),
                     ValueLabel(code: 4, label: "不满意"), ValueLabel(code: 6, label: "不适用"), ValueLabel(code: 7, label: "不了解/说不清"),
                     ValueLabel(code: 8, label: "拒答"), ValueLabel(code: 9, label: "无效（多选）")]
        let missing = [MissingCode(code: 6, label: "不适用", stataTag: "n"), MissingCode(code: 7, label: "不了解/说不清", stataTag: "d"),
                       MissingCode(code: 8, label: "拒答", stataTag: "r"), MissingCode(code: 9, label: "无效（多选）", stataTag: "i")]
        return LabelledDataset(
            title: "城镇居民户满意度问卷",
            variables: [
                Variable(name: "case_id", label: "样本编号", kind: .text),
                Variable(name: "D01", label: "市政府办", kind: .integer, valueLabels: tiers, labelSet: "four_tier", missing: missing, versions: [1, 2]),
                Variable(name: "members", label: "家庭常住人口（人）", kind: .integer),
                Variable(name: "income", label: "月收入（千元）", kind: .decimal),
                Variable(name: "note", label: "意见和建议", kind: .text),
                Variable(name: "kids", label: "家中是否有在读学生", kind: .integer,
                         valueLabels: [ValueLabel(code: 1, label: "有"), ValueLabel(code: 2, label: "没有")], labelSet: "kids"),
            ],
            rows: [
                ["H-1", "2", "3", "1200.5", "路灯坏了", "1"],
                ["H-2", "7", nil, nil, nil, "2"],
                ["H-3", "9", "5", "0.25", "", nil],
            ])
    }()

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pingyi-\(UUID().uuidString)-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func spssKeepsLabelsAndUserMissingCodes() throws {
        let path = try write(ReadStatExport.bytes(WriterTests.dataset, format: .sav, file: "t.sav"), "t.sav")
        let file = try #require(ParsedFile.read(path, dta: false))
        #expect(file.fileLabel == "城镇居民户满意度问卷")
        #expect(file.variables.map(\.name) == ["case_id", "D01", "members", "income", "note", "kids"])
        #expect(file.variables.map(\.label) == ["样本编号", "市政府办", "家庭常住人口（人）", "月收入（千元）", "意见和建议", "家中是否有在读学生"])
        let d01 = try #require(file.variable("D01"))
        #expect(d01.missingRanges.count == 1)
        #expect(d01.missingRanges.first.map { $0 == (6, 9) } == true)
        #expect(file.variable("members")?.missingRanges.isEmpty == true)
        let labels = file.valueLabels[d01.labelSet] ?? [:]
        #expect(labels == ["1": "满意", "2": "比较满意", "3": "基本满意", "4": "不满意", "6": "不适用", "7": "不了解/说不清", "8": "拒答", "9": "无效（多选）"])
        #expect(file.valueLabels[file.variable("kids")?.labelSet ?? ""] == ["1": "有", "2": "没有"])
        #expect(file.column("case_id") == ["H-1", "H-2", "H-3"])
        #expect(file.column("D01") == ["2", "7", "9"])
        #expect(file.column("members") == ["3", ".", "5"])
        #expect(file.column("income") == ["1200.5", ".", "0.25"])
        #expect(file.column("note") == ["路灯坏了", "", ""])
        #expect(file.column("kids") == ["1", "2", "."])
    }

    @Test func stataWritesSpecialCodesAsLabelledExtendedMissing() throws {
        let path = try write(ReadStatExport.bytes(WriterTests.dataset, format: .dta, file: "t.dta"), "t.dta")
        let file = try #require(ParsedFile.read(path, dta: true))
        #expect(file.fileLabel == "城镇居民户满意度问卷")
        #expect(file.variables.map(\.label) == ["样本编号", "市政府办", "家庭常住人口（人）", "月收入（千元）", "意见和建议", "家中是否有在读学生"])
        #expect(file.column("D01") == ["2", ".d", ".i"])
        #expect(file.column("members") == ["3", ".", "5"])
        #expect(file.column("income") == ["1200.5", ".", "0.25"])
        #expect(file.column("note") == ["路灯坏了", "", ""])
        let labels = file.valueLabels[file.variable("D01")?.labelSet ?? ""] ?? [:]
        #expect(labels == ["1": "满意", "2": "比较满意", "3": "基本满意", "4": "不满意", ".n": "不适用", ".d": "不了解/说不清", ".r": "拒答", ".i": "无效（多选）"])
    }

    @Test func workbookSheetsHoldDataAndCodebook() throws {
        let path = try write(XLSXExport.bytes(WriterTests.dataset, file: FileManager.default.temporaryDirectory.appendingPathComponent("w.xlsx").path), "w.xlsx")
        let workbook = try unzip(path, "xl/workbook.xml")
        #expect(workbook.contains(#"<sheet name="数据" sheetId="1""#))
        #expect(workbook.contains(#"<sheet name="变量" sheetId="2""#))
        let strings = try unzip(path, "xl/sharedStrings.xml")
        let shared = sharedStrings(strings)
        let data = try unzip(path, "xl/worksheets/sheet1.xml")
        // Row 2: H-1 (text), 2, 3, 1200.5 (numbers), 路灯坏了 (text), 1.
        #expect(cell(data, "A2", shared) == "H-1")
        #expect(data.contains(#"<c r="B2"><v>2</v></c>"#))
        #expect(data.contains(#"<c r="D2"><v>1200.5</v></c>"#))
        #expect(cell(data, "E2", shared) == "路灯坏了")
        #expect(!data.contains(#"<c r="C3""#)) // empty cells are left out
        #expect(cell(data, "B1", shared) == "D01")
        let book = try unzip(path, "xl/worksheets/sheet2.xml")
        #expect(cell(book, "B3", shared) == "市政府办")
        #expect(book.contains(#"<c r="E3"><v>1</v></c>"#))
        #expect(cell(book, "F8", shared) == "不了解/说不清")
        #expect(cell(book, "G8", shared) == ".d")
        #expect(cell(book, "D3", shared) == "1 2")
    }

    /// A member of a zip file, through /usr/bin/unzip.
    func unzip(_ path: String, _ member: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        process.arguments = ["-p", path, member]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func sharedStrings(_ xml: String) -> [String] {
        xml.components(separatedBy: "<si>").dropFirst().map { item in
            guard let start = item.range(of: ">", range: item.range(of: "<t")!.upperBound..<item.endIndex), let end = item.range(of: "</t>") else { return "" }
            return String(item[start.upperBound..<end.lowerBound])
        }
    }

    /// The shared string a cell refers to.
    func cell(_ xml: String, _ ref: String, _ shared: [String]) -> String? {
        guard let start = xml.range(of: #"<c r="\#(ref)""#), let v = xml.range(of: "<v>", range: start.upperBound..<xml.endIndex),
              let end = xml.range(of: "</v>", range: v.upperBound..<xml.endIndex), let index = Int(xml[v.upperBound..<end.lowerBound]) else { return nil }
        let tag = xml[start.upperBound..<v.lowerBound]
        return tag.contains(#"t="s""#) && index < shared.count ? shared[index] : nil
    }
}
