import Foundation
import Testing

@Suite("pingyi frame inspect")
struct FrameCommandTests {
    @Test func versionAndHelp() throws {
        let version = try Command.run(["--version"])
        #expect(version.status == 0)
        // The version, the commit the binary was built from (as git names it: + when the tree
        // differed from it), and the GSL it uses.
        #expect(version.stdout.wholeMatch(of: /pingyi 0\.2\.0 \(commit ([0-9a-f]{12}\+?|unknown); GSL 2\.[0-9.]+\)\n/) != nil, "\(version.stdout)")
        let head = try? String(contentsOf: Command.root.appendingPathComponent(".git/HEAD"), encoding: .utf8)
        if head != nil { #expect(!version.stdout.contains("commit unknown"), "a build from a git checkout knows its commit") }
        let help = try Command.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("frame"))
    }

    @Test(arguments: ["utf8.csv", "utf8-bom-crlf.csv", "gb18030.csv"])
    func jsonReport(file: String) throws {
        let result = try Command.run(["frame", "inspect", Command.fixture("frames/\(file)"), "--json", "--id", "town"])
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(json?["rows"] as? Int == 4)
        let columns = json?["columns"] as? [[String: Any]] ?? []
        #expect(columns.map { $0["name"] as? String } == ["household_id", "town", "village", "urban", "members", "head"])
        #expect(columns.map { $0["type"] as? String } == ["integer", "text", "text", "text", "integer", "text"])
        #expect(columns.map { $0["missing"] as? Int } == [0, 0, 0, 0, 1, 0])
        let duplicates = json?["duplicates"] as? [[String: Any]] ?? []
        #expect(duplicates.map { $0["value"] as? String } == ["和龙镇", "金山乡"])
        #expect(duplicates.first?["lines"] as? [Int] == [2, 3])
        let expected = ["utf8.csv": "utf-8", "utf8-bom-crlf.csv": "utf-8-bom", "gb18030.csv": "gb18030"][file]
        #expect(json?["encoding"] as? String == expected)
    }

    @Test func humanReportIsChinese() throws {
        let result = try Command.run(["frame", "inspect", Command.fixture("frames/leading-zeros.csv"), "--id", "code"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("行数  3"))
        #expect(result.stdout.contains("编号列 code: 1 个值重复"))
        #expect(result.stdout.contains("0012  行 2, 4"))
    }

    @Test(arguments: [
        ("ragged.csv", "ragged.csv:3: this row has 4 fields but the header has 3"),
        ("unclosed-quote.csv", "unclosed-quote.csv:3:3: unclosed quote in field 'town'"),
        ("invalid-bytes.csv", "invalid-bytes.csv:3:6: invalid byte 0xFF"),
        ("empty.csv", "empty.csv:1: the file is empty"),
    ])
    func badDataExits65WithOneLine(file: String, message: String) throws {
        let path = Command.fixture("frames/\(file)")
        let result = try Command.run(["frame", "inspect", path])
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.stderr.hasPrefix("pingyi: error: \(Command.fixture("frames"))/\(message)"))
    }

    @Test func badUsageExits64() throws {
        let missing = try Command.run(["frame", "inspect", "/nonexistent.csv"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("cannot open the file"))
        let encoding = try Command.run(["frame", "inspect", Command.fixture("frames/utf8.csv"), "--encoding", "latin9"])
        #expect(encoding.status == 64)
        #expect(encoding.stderr.contains("Error: The value 'latin9' is invalid for '--encoding <encoding>'. Please provide one of 'utf-8', 'utf-8-bom' or 'gb18030'."))
    }
}
