import Foundation
import Testing
@testable import Tables

/// The shared fixture folder, found from this file's path.
let frames = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/frames")

func fixture(_ name: String) -> String { frames.appendingPathComponent(name).path }

func read(_ text: String, threads: Int? = nil) throws(TablesError) -> Table {
    try CSVReader.read(bytes: Array(text.utf8), name: "t.csv", options: CSVOptions(threads: threads))
}

@Suite("CSV reading")
struct CSVReaderTests {
    @Test(arguments: [
        ("utf8.csv", TextEncoding.utf8),
        ("utf8-bom-crlf.csv", .utf8BOM),
        ("gb18030.csv", .gb18030),
    ])
    func sameTableInEveryEncoding(file: String, encoding: TextEncoding) throws {
        let table = try CSVReader.read(path: fixture(file), name: file)
        #expect(table.encoding == encoding)
        #expect(table.names == ["household_id", "town", "village", "urban", "members", "head"])
        #expect(table.rowCount == 4)
        #expect(table.columns.map(\.type) == [.integer, .text, .text, .text, .integer, .text])
        let town = try table.column("town")
        #expect(town.strings == ["和龙镇", "和龙镇", "金山乡", "金山乡"])
        let head = try table.column("head")
        #expect(head.strings == ["张伟", "王, 小明", "李\"老三\"", "赵\n六"])
        let members = try table.column("members")
        #expect(members.strings == ["5", nil, "2", "7"])
        #expect(members.missingCount == 1)
        #expect(members.integer(0) == 5)
        #expect((0..<4).map { table.line(of: $0) } == [2, 3, 4, 5])
    }

    @Test func encodingCanBeNamed() throws {
        let table = try CSVReader.read(path: fixture("gb18030.csv"), options: CSVOptions(encoding: TextEncoding(name: "GBK")))
        #expect(table.encoding == .gb18030)
        #expect(try table.column("urban").string(0) == "城镇")
    }

    @Test func gb18030ReadAsUTF8IsAnErrorAtTheFirstBadByte() throws {
        do {
            _ = try CSVReader.read(path: fixture("gb18030.csv"), name: "gb18030.csv", options: CSVOptions(encoding: .utf8))
            Issue.record("expected an encoding error")
        } catch {
            #expect(error.kind == .encoding)
            #expect(error.description == "gb18030.csv:2:3: invalid UTF-8 byte 0xBA; the file may be GBK/GB18030: try --encoding gb18030, or re-save it as UTF-8")
        }
    }

    @Test func typesAreInferredFromEveryCell() throws {
        let table = try read("a,b,c,d,e\n1,1.5,x,0012,-3\n2,2,y,0013,+4\n-7,1e3,3,7,5\n")
        #expect(table.columns.map(\.type) == [.integer, .decimal, .text, .text, .integer])
        #expect(try table.column("b").numbers == [1.5, 2, 1000])
        #expect(try table.column("c").strings == ["x", "y", "3"])
        #expect(try table.column("d").strings == ["0012", "0013", "7"])
        #expect(try table.column("e").integer(1) == 4)
    }

    @Test func blankLinesAreSkippedAndLinesStillCounted() throws {
        let table = try read("a,b\n1,x\n\n2,\"y\nz\"\n3,w\n\n")
        #expect(table.rowCount == 3)
        #expect((0..<3).map { table.line(of: $0) } == [2, 4, 6])
    }

    @Test func emptyQuotedFieldIsMissing() throws {
        let table = try read("a,b\n1,\"\"\n2,x\n")
        #expect(try table.column("b").strings == [nil, "x"])
    }

    @Test func lastLineWithoutLineFeed() throws {
        let table = try read("a,b\n1,x\n2,y")
        #expect(try table.column("b").strings == ["x", "y"])
    }

    @Test func headerOnlyGivesNoRows() throws {
        let table = try read("a,b\n")
        #expect(table.rowCount == 0)
        #expect(table.names == ["a", "b"])
    }

    @Test func tabDelimited() throws {
        let table = try CSVReader.read(bytes: Array("a\tb\n1\tx,y\n".utf8), name: "t.tsv", options: CSVOptions(delimiter: 0x09))
        #expect(try table.column("b").string(0) == "x,y")
    }
}

@Suite("CSV errors")
struct CSVErrorTests {
    @Test(arguments: [
        ("ragged.csv", TablesError.Kind.syntax,
         "ragged.csv:3: this row has 4 fields but the header has 3; check for a missing or extra delimiter, and quote values that contain one"),
        ("unclosed-quote.csv", .syntax,
         "unclosed-quote.csv:3:3: unclosed quote in field 'town'; close the quote, and double any quote inside a quoted field (\"\")"),
        ("invalid-bytes.csv", .encoding,
         "invalid-bytes.csv:3:6: invalid byte 0xFF: the file is neither UTF-8 nor GB18030/GBK; re-save it as \"CSV UTF-8\", or name its encoding with --encoding"),
        ("empty.csv", .syntax,
         "empty.csv:1: the file is empty; a CSV frame needs a header line with the column names, then one line per unit"),
    ])
    func brokenFilesGiveOneLocatedMessage(file: String, kind: TablesError.Kind, message: String) {
        do {
            _ = try CSVReader.read(path: fixture(file), name: file)
            Issue.record("expected an error for \(file)")
        } catch {
            #expect(error.kind == kind)
            #expect(error.description == message)
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: TablesError.self) { try CSVReader.read(path: "/nonexistent/x.csv") }
    }

    @Test func textAfterClosingQuote() {
        do {
            _ = try read("a,b\n1,\"x\"y\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "t.csv:2:6: text after the closing quote of field 'b'; a quote inside a quoted field must be doubled (\"\")")
        }
    }

    @Test func duplicateAndEmptyColumnNames() {
        #expect(throws: TablesError.self) { try read("a,b,a\n1,2,3\n") }
        do {
            _ = try read("a,,c\n1,2,3\n")
        } catch {
            #expect(error.description == "t.csv:1: column 2 of the header has no name; give every column a name in the first line")
        }
    }

    @Test func tooFewFields() {
        do {
            _ = try read("a,b,c\n1,2,3\n4,5\n")
        } catch {
            #expect(error.line == 3)
            #expect(error.message == "this row has 2 fields but the header has 3")
        }
    }

    @Test func utf16IsRejectedWithAdvice() {
        do {
            _ = try CSVReader.read(bytes: [0xFF, 0xFE, 0x61, 0x00], name: "u.csv")
        } catch {
            #expect(error.kind == .encoding)
            #expect(error.message.contains("UTF-16"))
        }
    }
}

@Suite("Keys and duplicates")
struct DuplicateTests {
    @Test func duplicatesAreListedWithTheirLines() throws {
        let table = try CSVReader.read(path: fixture("leading-zeros.csv"))
        #expect(try table.duplicates(in: "code") == [Duplicate(value: "0012", lines: [2, 4])])
        #expect(throws: TablesError.self) { try table.requireUnique("code") }
        #expect(try table.duplicates(in: "name").isEmpty)
    }

    @Test func factorizeKeepsFirstAppearanceOrder() throws {
        let table = try read("t\nb\na\nb\n\nc\na\n")
        let factor = try table.column("t").factorize()
        #expect(factor.levels == ["b", "a", "c"])
        #expect(factor.codes == [0, 1, 0, 2, 1])
    }
}

@Suite("Parallel reading")
struct ParallelReadingTests {
    /// A file over 1 MiB is scanned in parallel chunks whose starts are guesses; quoted fields with
    /// line breaks across the guessed boundaries must still give the same table as one thread.
    @Test func chunkedScanMatchesSingleThread() throws {
        var text = "id,note,value\n"
        var i = 0
        while text.utf8.count < 3_000_000 {
            i += 1
            if i % 997 == 0 {
                text += "\(i),\"多行\n\(String(repeating: "x,\n", count: 300))\"\"结束\"\"\",\(Double(i) / 8)\n"
            } else {
                text += "\(i),备注\(i % 13),\(Double(i) / 8)\n"
            }
        }
        let one = try read(text, threads: 1)
        let many = try read(text, threads: 4)
        #expect(one.rowCount == i)
        #expect(many.rowCount == one.rowCount)
        for name in ["id", "note", "value"] {
            #expect(try many.column(name).strings == (try one.column(name).strings))
        }
        #expect((0..<one.rowCount).map { many.line(of: $0) } == (0..<one.rowCount).map { one.line(of: $0) })
        #expect(try one.column("value").type == .decimal)
    }
}
