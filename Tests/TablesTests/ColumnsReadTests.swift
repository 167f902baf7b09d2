import Foundation
import Testing
@testable import Tables

/// Reading only some columns (a draw's design columns), a segment of the file at a time, gives
/// the table a whole read gives: the same values, types, storage and line numbers for the
/// columns read, the same types and cells for the others when rows are taken, and the same error
/// for a damaged file.
@Suite("Reading some columns, a segment at a time")
struct ColumnsReadTests {
    /// A frame of `rows` rows whose columns change type, storage and quoting down the file, so
    /// that segments of a few kilobytes disagree with each other and must be joined by the whole
    /// column's rules.
    static func frame(rows: Int, crlf: Bool = false, lastLineFeed: Bool = true) -> String {
        var state: UInt64 = 12345
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        let towns = ["和龙镇", "八家子镇", "头道镇", "福洞镇", "南坪镇", "崇善镇", "龙城镇"]
        let eol = crlf ? "\r\n" : "\n"
        var text = "id,n,x,town,many,probe,note,amount" + eol
        for i in 0..<rows {
            let id = String(format: "130123-105-%07d", i + 1)
            // n: integers, one decimal late in the file; x: integers, one word late.
            let n = i == rows * 3 / 4 ? "2.5" : (i % 97 == 0 ? "" : String(next() % 1000))
            let x = i == rows - 5 ? "多" : String(next() % 50)
            let town = i % 211 == 0 ? "" : towns[(i / 300) % towns.count]
            // many: more distinct values than the whole column may keep coded, few in each segment.
            let many = "v\(i / 3)"
            // probe: the first 8192 rows are mostly distinct; the rest repeat one value.
            let probe = i < 5000 ? "p\(i)" : "p0"
            let note = i % 53 == 0 ? "\"第\(i)户,\(eol)\"\"迁出\"\"\"" : (i % 7 == 0 ? "备注\(i % 5)" : "")
            let amount = i % 1000 == 999 ? "\"1e3\"" : "\(next() % 100).\(next() % 100)"
            text += [id, n, x, town, many, probe, note, amount].joined(separator: ",")
            if i % 401 == 0 { text += eol }  // a blank line now and then
            if i < rows - 1 || lastLineFeed { text += eol }
        }
        return text
    }

    static func write(_ text: String) throws -> String {
        let path = FileManagerLite.temporaryDirectory() + "/frame.csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func options(_ columns: Set<String>?, segment: Int) -> CSVOptions {
        var options = CSVOptions()
        options.columns = columns
        options.segmentBytes = segment
        return options
    }

    /// Everything about a column that a reader of the table can see.
    static func describe(_ column: Column) -> String {
        var storage = ""
        if case .text(let t) = column.values { storage = t.isCoded ? "coded" : "flat" }
        return "\(column.name) \(column.type) \(storage) increasing=\(column.strictlyIncreasing) missing=\(column.missingCount) "
            + column.strings.map { $0 ?? "∅" }.joined(separator: "|")
    }

    @Test(arguments: [(false, true), (true, true), (false, false)])
    func segmentsGiveTheWholeRead(crlf: Bool, lastLineFeed: Bool) throws {
        let path = try Self.write(Self.frame(rows: 40_000, crlf: crlf, lastLineFeed: lastLineFeed))
        let whole = try CSVReader.read(path: path)
        #expect(whole.names == ["id", "n", "x", "town", "many", "probe", "note", "amount"])
        // The whole read's storage, which the segments must reproduce.
        #expect(Self.describe(try whole.column("town")).hasPrefix("town text coded"))
        #expect(Self.describe(try whole.column("many")).hasPrefix("many text flat"))
        #expect(Self.describe(try whole.column("probe")).hasPrefix("probe text flat"))
        #expect(Self.describe(try whole.column("id")).hasPrefix("id text flat increasing=true"))
        #expect(try whole.column("n").type == .decimal && whole.column("x").type == .text)
        var state: UInt64 = 99
        let selection = (0..<300).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % whole.rowCount
        } + [0, whole.rowCount - 1, 0]
        let full = whole.rows(selection)
        for segment in [4_096, 65_537, 1 << 30] {
            for wanted in [Set(["id", "town", "n"]), Set(["many", "probe", "x", "note", "amount"]), Set(["town"])] {
                let some = try CSVReader.read(path: path, options: Self.options(wanted, segment: segment))
                #expect(some.rowCount == whole.rowCount)
                #expect(some.fileNames == whole.names)
                #expect(Set(some.names) == wanted)
                for name in some.names {
                    #expect(Self.describe(try some.column(name)) == Self.describe(try whole.column(name)), "column \(name), segments of \(segment) bytes")
                    let c = some.index(of: name)!
                    #expect(some.fileColumn(c) == whole.fileColumn(whole.index(of: name)!), "the file's column number of \(name)")
                }
                #expect((0..<whole.rowCount).allSatisfy { some.line(of: $0) == whole.line(of: $0) })
                let taken = some.rows(selection)
                #expect(taken.names == whole.names)
                for (a, b) in zip(taken.columns, full.columns) {
                    #expect(a.type == b.type && a.strings == b.strings, "column \(a.name) of the rows taken, segments of \(segment) bytes")
                }
                #expect(selection.indices.allSatisfy { taken.line(of: $0) == full.line(of: $0) })
            }
        }
    }

    /// A column whose first segments hold integers and a later one a word is read again as text
    /// in the first segments, with their own bytes ("007" stays "007", "+5" stays "+5").
    @Test func aColumnWidenedLateKeepsItsText() throws {
        var text = "id,code\n"
        for i in 0..<20_000 { text += "\(i),\(i == 19_000 ? "A7" : (i % 3 == 0 ? "+\(i)" : String(i)))\n" }
        let path = try Self.write(text)
        let whole = try CSVReader.read(path: path)
        let some = try CSVReader.read(path: path, options: Self.options(["code"], segment: 5_000))
        #expect(Self.describe(try some.column("code")) == Self.describe(try whole.column("code")))
        #expect(try some.column("code").string(3) == "+3")
        #expect(try some.rows([3, 19_000]).column("id").strings == ["3", "19000"])
    }

    /// Damage is found where a whole read finds it, with the same message.
    @Test func damageIsReportedAsByAWholeRead() throws {
        let base = Self.frame(rows: 20_000)
        func replacing(_ text: String, _ marker: String, with bytes: [UInt8]) throws -> String {
            let range = try #require(text.range(of: marker))
            return text.replacingCharacters(in: range, with: String(decoding: bytes, as: UTF8.self))
        }
        // A row with a field too many, late in the file.
        let ragged = try replacing(base, ",v5000,", with: Array(",v5000,extra,".utf8))
        // A ragged row early, but a NUL byte later: the NUL byte is named, as by a whole read.
        let nul = try replacing(try replacing(base, ",v700,", with: Array(",v700,extra,".utf8)), ",v6000,", with: [0x2C, 0x76, 0x00, 0x2C])
        var invalid = Data(base.utf8)
        let found = try #require(invalid.range(of: Data(",v5700,".utf8)))
        invalid.replaceSubrange(found, with: [0x2C, 0x76, 0xC3, 0x28, 0x2C])
        let cases: [(String, Data, TextEncoding?)] = [("ragged", Data(ragged.utf8), nil), ("NUL", Data(nul.utf8), nil),
                                                      ("invalid UTF-8 in a column not read", invalid, .utf8)]
        for (what, bytes, encoding) in cases {
            let path = FileManagerLite.temporaryDirectory() + "/frame.csv"
            try bytes.write(to: URL(fileURLWithPath: path))
            var wholeError: TablesError? = nil
            do { _ = try CSVReader.read(path: path, options: CSVOptions(encoding: encoding)) } catch { wholeError = error }
            var someError: TablesError? = nil
            var options = Self.options(["id", "town"], segment: 8_192)
            options.encoding = encoding
            do { _ = try CSVReader.read(path: path, options: options) } catch { someError = error }
            #expect(wholeError != nil, "\(what)")
            #expect(someError?.description == wholeError?.description, "\(what)")
        }
    }

    /// A file decoded from GB18030 is read whole in memory: the columns read and the rows taken
    /// are those of a whole read.
    @Test func aGB18030FrameIsReadAsAWhole() throws {
        var text = "id,town,name\n"
        for i in 0..<10_000 { text += "\(i),\(["和龙镇", "头道镇"][i % 2]),户主\(i)\n" }
        let utf8 = try Self.write(text)
        let path = FileManagerLite.temporaryDirectory() + "/frame.csv"
        let iconv = Process()
        iconv.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        iconv.arguments = ["-f", "UTF-8", "-t", "GB18030", "-o", path, utf8]
        try iconv.run()
        iconv.waitUntilExit()
        #expect(iconv.terminationStatus == 0)
        let whole = try CSVReader.read(path: path)
        let some = try CSVReader.read(path: path, options: Self.options(["town"], segment: 4_096))
        #expect(whole.encoding == .gb18030 && some.encoding == .gb18030)
        #expect(Self.describe(try some.column("town")) == Self.describe(try whole.column("town")))
        #expect(try some.rows([7, 9_999]).column("name").strings == ["户主7", "户主9999"])
    }
}
