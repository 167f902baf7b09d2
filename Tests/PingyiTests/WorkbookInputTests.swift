import Foundation
import Testing

/// Frames and input tables as Excel workbooks (issue: workbench, Excel in).
@Suite("Workbook inputs")
struct WorkbookInputTests {
    /// The shipped enterprise frame as .xlsx draws the very list the CSV draws.
    @Test func sampleFromAWorkbookEqualsSampleFromCSV() throws {
        let out = try Command.temporaryDirectory()
        let fromCSV = out.appendingPathComponent("csv.csv").path
        let fromBook = out.appendingPathComponent("xlsx.csv").path
        let a = try Command.run(["sample", "--design", "surveys/designs/enterprises.yaml", "--frame", "datasets/enterprises.csv", "--seed", "7", "--out", fromCSV])
        #expect(a.status == 0, "\(a.stderr)")
        let b = try Command.run(["sample", "--design", "surveys/designs/enterprises.yaml", "--frame", Command.fixture("xlsx/enterprises.xlsx"),
                                 "--sheet", "企业", "--seed", "7", "--out", fromBook])
        #expect(b.status == 0, "\(b.stderr)")
        let listA = try Data(contentsOf: URL(fileURLWithPath: fromCSV))
        let listB = try Data(contentsOf: URL(fileURLWithPath: fromBook))
        #expect(listA.count > 10_000)
        #expect(listA == listB)
    }

    /// A refused workbook: one located line on stderr, exit 65, no output.
    @Test func refusedWorkbookWritesNothing() throws {
        let out = try Command.temporaryDirectory()
        let list = out.appendingPathComponent("list.csv").path
        let r = try Command.run(["frame", "inspect", Command.fixture("xlsx/merged-town.xlsx")])
        #expect(r.status == 65)
        #expect(r.stderr.contains("merged-town.xlsx: sheet 名单, cell C2: the cells C2:C3 are merged"))
        let s = try Command.run(["sample", "--design", "surveys/designs/enterprises.yaml", "--frame", Command.fixture("xlsx/enterprises.xlsx"),
                                 "--sheet", "无此表", "--seed", "7", "--out", list])
        #expect(s.status == 65)
        #expect(s.stderr.contains("the workbook has no sheet named '无此表'; its sheets are 企业"))
        #expect(!FileManager.default.fileExists(atPath: list))
    }
}
