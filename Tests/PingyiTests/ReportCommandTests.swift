import Foundation
import Testing

/// `pingyi report` and `pingyi list print` end to end: composite → report on the test county,
/// a drawn list printed, the same bytes twice, and every rejection path (message, exit status,
/// nothing written).
@Suite("pingyi report")
struct ReportCommandTests {
    static func fixture(_ name: String) -> String { Command.fixture("reports/\(name)") }

    /// The report's options over every fixture, writing into `out`.
    static func arguments(out: String, result: String = fixture("result.csv")) -> [String] {
        ["report", "--scores", fixture("scores.csv"), "--distribution", fixture("dist.csv"),
         "--composite", result, "--scheme", fixture("scheme.yaml"), "--rates", fixture("rates.csv"),
         "--units", fixture("units.csv"), "--scale", "surveys/scales/four-tier.yaml",
         "--title", "测试县公众评议结果", "--issued", "2018-01-05", "--out", out]
    }

    @Test func compositeThenReport() throws {
        let dir = try Command.temporaryDirectory()
        let result = dir.appendingPathComponent("result.csv").path
        let composite = try Command.run(["composite", "--scheme", Self.fixture("scheme.yaml"), "--components", Self.fixture("components.csv"),
                                         "--events", Self.fixture("events.csv"), "--public", Self.fixture("scores.csv"), "--out", result])
        #expect(composite.status == 0, "\(composite.stderr)")
        #expect(try String(contentsOfFile: result, encoding: .utf8) == String(contentsOfFile: Self.fixture("result.csv"), encoding: .utf8))

        let out = dir.appendingPathComponent("report").path
        let report = try Command.run(Self.arguments(out: out, result: result))
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stderr.isEmpty) // no progress bar when standard error is not a terminal
        #expect(report.stdout == """
            报告  \(out)/report.html
            表格  \(out)/report.xlsx
            反馈单  \(out)/feedback/（5份）
            复核截止  2018年1月9日（星期二）

            """)
        #expect(files(in: URL(fileURLWithPath: out)) == ["feedback", "report.html", "report.xlsx"])
        #expect(files(in: URL(fileURLWithPath: out + "/feedback")) == ["D01.html", "D02.html", "D03.html", "T01.html", "T02.html"])
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.components(separatedBy: "<svg ").count - 1 == 5)
        #expect(html.contains("满意率低于60%的单位：市发改局（55.0%）。"))
        let sheet = try String(contentsOfFile: out + "/feedback/D02.html", encoding: .utf8)
        #expect(sheet.contains("<td>加分</td><td></td><td class=\"num\">+2.00</td>"))
        #expect(sheet.contains("<th>等次</th><td>合格</td>"))
    }

    @Test func sameInputsSameBytes() throws {
        let dir = try Command.temporaryDirectory()
        let first = dir.appendingPathComponent("a").path, second = dir.appendingPathComponent("b").path
        #expect(try Command.run(Self.arguments(out: first)).status == 0)
        #expect(try Command.run(Self.arguments(out: second)).status == 0)
        for name in ["report.html", "report.xlsx", "feedback/T01.html"] {
            #expect(FileManager.default.contents(atPath: first + "/" + name) == FileManager.default.contents(atPath: second + "/" + name), "\(name)")
        }
    }

    @Test func shippedDesignFactsAndPrintedList() throws {
        let dir = try Command.temporaryDirectory()
        let list = dir.appendingPathComponent("rural.csv").path
        #expect(try Command.run(["sample", "--design", "surveys/designs/rural.yaml", "--seed", "2017", "--out", list]).status == 0)
        let out = dir.appendingPathComponent("report").path
        let report = try Command.run(["report", "--scores", Self.fixture("scores.csv"), "--manifest", list.replacingOccurrences(of: ".csv", with: ".manifest.json"),
                                      "--fieldwork", "2017年12月4日至15日", "--out", out])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("<h3>农村居民户</h3>"))
        #expect(html.contains("样本480个，备用96个，11层"))
        #expect(html.contains("<th>调查时间</th><td>2017年12月4日至15日</td>"))
        #expect(!html.contains("http") && !html.contains("//"))

        let printed = dir.appendingPathComponent("print").path
        let print = try Command.run(["list", "print", "--list", list, "--manifest", list.replacingOccurrences(of: ".csv", with: ".manifest.json"), "--out", printed])
        #expect(print.status == 0, "\(print.stderr)")
        #expect(print.stdout.hasPrefix("农村居民户样本名单：样本 480，备用 96，11 页\n"))
        #expect(files(in: URL(fileURLWithPath: printed)).count == 13) // index, 11 pages, list.xlsx
        let page = try String(contentsOfFile: printed + "/page-01.html", encoding: .utf8)
        #expect(page.contains("<h1>农村居民户样本名单：东城街道</h1>"))
        #expect(page.contains("抽样框 households.csv，种子 2017"))
        // Each village: 15 sampled households, then 备用1, 备用2, 备用3.
        let roles = page.components(separatedBy: "</td><td>备用").count - 1
        #expect(roles == page.components(separatedBy: "替补范围：").count * 3 - 3)
    }

    /// Runs a report that must fail: its exit status and message, and no output folder.
    func rejected(_ arguments: [String], status: Int32, message: String) throws {
        let out = try Command.temporaryDirectory().appendingPathComponent("report").path
        let result = try Command.run(arguments + ["--out", out])
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr == message + "\n")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    static func base(_ replacing: [String: String] = [:], dropping: Set<String> = []) -> [String] {
        var options: [(String, String)] = [
            ("--scores", fixture("scores.csv")), ("--distribution", fixture("dist.csv")), ("--composite", fixture("result.csv")),
            ("--scheme", fixture("scheme.yaml")), ("--units", fixture("units.csv")), ("--issued", "2018-01-05"),
        ]
        options = options.filter { !dropping.contains($0.0) }.map { ($0.0, replacing[$0.0] ?? $0.1) }
        return ["report"] + options.flatMap { [$0.0, $0.1] }
    }

    @Test func missingColumn() throws {
        let dir = try Command.temporaryDirectory()
        let scores = try write("unit,n,score,score_se\nD01,10,80,3\n", to: "scores.csv", in: dir)
        try rejected(Self.base(["--scores": scores]), status: 65, message:
            "pingyi: error: \(scores):1: no column 'score_low', 'score_high', 'rate', 'rate_low', 'rate_high' (the scores file (pingyi score output) needs unit,n,score,score_se,score_low,score_high,rate,rate_low,rate_high); the columns are unit, n, score, score_se")
    }

    @Test func unknownUnitInResult() throws {
        let dir = try Command.temporaryDirectory()
        let text = try String(contentsOfFile: Self.fixture("result.csv"), encoding: .utf8).replacingOccurrences(of: "T02,town", with: "T12,town")
        let result = try write(text, to: "result.csv", in: dir)
        try rejected(Self.base(["--composite": result]), status: 65, message:
            "pingyi: error: \(result):6: field unit: unit T12 is not in \(Self.fixture("units.csv")); give the --units file of the units that were scored, or correct the id")
    }

    @Test func resultOfAnotherScheme() throws {
        try rejected(Self.base(["--scheme": "surveys/schemes/dashiqiao.yaml"]), status: 65, message:
            "pingyi: error: \(Self.fixture("result.csv")):1: no column 'indicator', which scheme dashiqiao has; give the RESULT.csv that pingyi composite wrote with --scheme surveys/schemes/dashiqiao.yaml")
    }

    @Test func distributionOfAnotherRun() throws {
        let dir = try Command.temporaryDirectory()
        let dist = try write("unit,tier,label,n,share\nD01,1,满意,5,0.5\nD01,4,不满意,5,0.4\n", to: "dist.csv", in: dir)
        try rejected(Self.base(["--distribution": dist]), status: 65, message:
            "pingyi: error: \(dist):2: the shares of unit D01 add up to 0.9, not 1; shares are among all answers of the unit, special codes included; give pingyi score --distribution output")
    }

    @Test func missingFile() throws {
        try rejected(Self.base(["--units": "no/such/units.csv"]), status: 64, message:
            "pingyi: error: no/such/units.csv: no such file (--units)")
    }

    @Test func optionsThatDoNotFit() throws {
        try rejected(Self.base(dropping: ["--scheme"]), status: 64, message:
            "Error: --composite and --scheme go together: give the RESULT.csv and the scheme it was computed with.\nUsage: pingyi report [<options>] --scores <scores> ... --out <out>\n  See 'pingyi report --help' for more information.")
    }

    @Test func datesMustBeDates() throws {
        let out = try Command.temporaryDirectory().appendingPathComponent("r").path
        for (option, value) in [("--issued", "2018-02-30"), ("--holiday", "2018/02/15")] {
            let result = try Command.run(Self.base() + [option, value, "--out", out])
            #expect(result.status == 64)
            #expect(result.stderr.hasPrefix("Error: \(option) must be a date YYYY-MM-DD (got '\(value)').\n"))
        }
        let noDate = try Command.run(Self.base(dropping: ["--issued"]) + ["--out", out])
        #expect(noDate.status == 64)
        #expect(noDate.stderr.hasPrefix("Error: --composite needs --issued YYYY-MM-DD: the feedback sheets' review deadline counts from it.\n"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func outputThatIsAFile() throws {
        let dir = try Command.temporaryDirectory()
        let out = try write("keep me", to: "report", in: dir)
        let result = try Command.run(Self.base() + ["--out", out])
        #expect(result.status == 64)
        #expect(result.stderr == "pingyi: error: \(out): is a file, not a folder; give --out a folder\n")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep me")
    }

    @Test func listPrintRejections() throws {
        let dir = try Command.temporaryDirectory()
        let out = dir.appendingPathComponent("print").path
        let byMissing = try Command.run(["list", "print", "--list", Self.fixture("list.csv"), "--by", "enumerator", "--out", out])
        #expect(byMissing.status == 64)
        #expect(byMissing.stderr.hasPrefix("pingyi: error: \(Self.fixture("list.csv")):1: no column 'enumerator' to split the list by; the columns are household_id, town_id, town"))
        let list = try write("household_id,town,role,reserve_rank,reserve_group,case_id\n1,甲,reserve,,G,R-1\n", to: "list.csv", in: dir)
        let bad = try Command.run(["list", "print", "--list", list, "--out", out])
        #expect(bad.status == 65)
        #expect(bad.stderr == "pingyi: error: \(list):2: field reserve_rank: is empty for reserve R-1; give the list as pingyi sample wrote it\n")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
