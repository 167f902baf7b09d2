import Foundation
import Testing
@testable import Reports

/// `pingyi list print`: pages per town, reserves after their group's sample in their order of
/// use, the workbook, and the lists it refuses.
@Suite("Printed lists")
struct PrintableListTests {
    @Test func pagesGroupsAndReserveOrder() throws {
        let list = try PrintableList.read(path: Support.fixture("list.csv"), by: nil)
        #expect(list.by == "town")
        #expect(list.pages.map(\.key) == ["城关街道", "东城街道"])
        let first = list.pages[0]
        #expect(first.groups.map(\.name) == ["T01V01"])
        #expect(first.groups[0].entries.map(\.caseID) == ["R-01-0001", "R-01-0002", "R-01-0004", "R-01-0003"])
        #expect(first.groups[0].entries.map(PrintableList.roleText) == ["样本", "样本", "备用1", "备用2"])
        #expect(first.sample == 2 && first.reserves == 2 && list.pages[1].reserves == 1)
        // town is the page; town_id says the same; pingyi's own columns are not printed.
        #expect(list.shownColumns == ["household_id", "village_id", "village", "head", "address", "phone"])
        #expect(list.groupTitle(first.groups[0]) == "T01V01 湖龙村")
    }

    /// The same list printed a moment later gives the same workbook: no clock in its properties.
    @Test func theWorkbookIsTheSameAtAnotherTime() throws {
        let list = try PrintableList.read(path: Support.fixture("list.csv"), by: nil)
        let first = try list.files(title: "名单", subtitle: nil).first { $0.path == "list.xlsx" }
        Thread.sleep(forTimeInterval: 1.2)
        let second = try list.files(title: "名单", subtitle: nil).first { $0.path == "list.xlsx" }
        #expect(first != nil && first?.bytes == second?.bytes)
    }

    @Test func files() throws {
        let list = try PrintableList.read(path: Support.fixture("list.csv"), by: nil)
        let files = try list.files(title: "农村居民户样本名单", subtitle: "种子 2017")
        #expect(files.map(\.path) == ["index.html", "page-01.html", "page-02.html", "list.xlsx"])
        let page = String(decoding: files[1].bytes, as: UTF8.self)
        #expect(page.contains("<h1>农村居民户样本名单：城关街道</h1>"))
        #expect(page.contains("替补范围：T01V01 湖龙村（样本2个，备用2个）"))
        #expect(page.contains("<th>问卷编号</th><th>类别</th><th>户编号</th><th>村（社区）代码</th><th>村（社区）</th><th>户主</th><th>地址</th><th>电话</th><th>访问结果</th><th>备注</th>"))
        #expect(page.contains("<tr class=\"reserve\"><td>3</td><td>R-01-0004</td><td>备用1</td><td>12</td>"))
        #expect(!page.contains("http") && !page.contains("//"))
        let index = String(decoding: files[0].bytes, as: UTF8.self)
        #expect(index.contains("共4个样本、3个备用，分2页打印"))
        #expect(index.contains("<a href=\"page-02.html\">page-02.html</a>"))

        let path = try Support.folder() + "/list.xlsx"
        try Data(files[3].bytes).write(to: URL(fileURLWithPath: path))
        let book = XLSXFile(path: path)
        #expect(try book.sheetNames() == ["全部名单", "城关街道", "东城街道"])
        let all = try book.cells("全部名单")
        #expect(["A1", "B1", "C1", "D1", "E1", "F1", "K1"].map { all[$0] } == ["乡镇", "替补范围", "序号", "问卷编号", "类别", "户编号", "电话"])
        #expect(all["D4"] == "R-01-0004" && all["E4"] == "备用1" && all["B4"] == "T01V01 湖龙村")
        #expect(all["A6"] == "东城街道" && all["D8"] == "R-02-0003")
        #expect(all["K2"] == "13800000001")
        #expect(try book.sheetXML("全部名单").contains(#"<c r="K2" t="s""#)) // telephone numbers stay text
        let town = try book.cells("东城街道")
        #expect(town["C2"] == "R-02-0001" && town["D4"] == "备用1")
    }

    @Test func byAnotherColumn() throws {
        let list = try PrintableList.read(path: Support.fixture("list.csv"), by: "village")
        #expect(list.pages.map(\.key) == ["湖龙村", "大林村"])
        #expect(list.shownColumns.contains("town") && !list.shownColumns.contains("village") && !list.shownColumns.contains("village_id"))
    }

    static let header = "household_id,town,role,reserve_rank,reserve_group,case_id"

    static let rejectedLists: [(String, String)] = [
        (header + "\n1,甲,sample,,G1,R-1\n2,甲,sample,,G1,R-1\n", "list.csv:3: field case_id: case R-1 is listed twice (also on line 2); give the list as pingyi sample wrote it"),
        (header + "\n1,甲,spare,,G1,R-1\n", "list.csv:2: field role: 'spare' is neither sample nor reserve; give the list as pingyi sample wrote it"),
        (header + "\n1,甲,reserve,,G1,R-1\n", "list.csv:2: field reserve_rank: is empty for reserve R-1; give the list as pingyi sample wrote it"),
        (header + ",replicate\n1,甲,sample,,G1,R-1.1,1\n1,甲,sample,,G1,R-1.2,2\n", "list.csv:1: the list holds 2 replicates (pingyi sample --reps); print a list drawn once, without --reps"),
        ("household_id,town\n1,甲\n", "list.csv:1: no column 'case_id', 'role', 'reserve_rank', 'reserve_group' (the respondent list (pingyi sample output) needs case_id,role,reserve_rank,reserve_group); the columns are household_id, town"),
        ("household_id,town,stage1_stratum,stage1_unit,stage1_prob,stage1_N,stage1_n,prob,weight,role,reserve_rank,reserve_group,case_id\n1,甲,S1,G1,0.5,2,1,0.5,2,sample,,G1,R-1\n",
         "list.csv:1: the list is a respondent list of format version 1 (it has no reserve_prob column); this pingyi reads version 2; draw the list again with this pingyi (pingyi sample: the same design, frame and seed draw the same cases)"),
    ]

    @Test(arguments: rejectedLists)
    func rejected(_ text: String, _ message: String) throws {
        let path = try Support.file("list.csv", text)
        #expect(Support.failure { _ = try PrintableList.read(path: path, by: nil) }?.replacingOccurrences(of: path, with: "list.csv") == message)
    }

    @Test func unknownByColumn() throws {
        let error = Support.failure { _ = try PrintableList.read(path: Support.fixture("list.csv"), by: "enumerator") }
        #expect(error?.hasPrefix("\(Support.fixture("list.csv")):1: no column 'enumerator' to split the list by; the columns are household_id, town_id") == true)
    }
}
