import Testing
@testable import Tables

@Suite("Dictionary-coded text columns")
struct CodedTextTests {
    @Test func fewDistinctValuesAreCoded() throws {
        var text = "town,name\n"
        for i in 0..<3000 { text += "\(["甲镇", "乙镇", "丙乡"][i % 3]),n\(i)\n" }
        let table = try read(text)
        guard case .text(let towns) = try table.column("town").values, case .text(let names) = try table.column("name").values else {
            Issue.record("expected text columns")
            return
        }
        #expect(towns.isCoded)
        #expect(!names.isCoded)  // 3000 distinct values in 3000 rows: kept flat
        #expect(towns[0] == "甲镇" && towns[4] == "乙镇" && towns[2999] == "丙乡")
        let factor = try table.column("town").factorize()
        #expect(factor.levels == ["甲镇", "乙镇", "丙乡"])
        #expect(Array(factor.codes.prefix(4)) == [0, 1, 2, 0])
    }

    /// Register codes in order are known distinct (the draw then skips hashing them); a repeat,
    /// a step back, or a missing cell clears the mark. A column of mostly distinct values is read
    /// flat after 8,192 rows, though the limit of distinct values is not reached.
    @Test func increasingTextIsKnownDistinct() throws {
        func ids(_ codes: [String]) throws -> Column {
            try read("household_id,n\n" + codes.map { "\($0),1\n" }.joined()).column("household_id")
        }
        let sorted = (1...20_000).map { String(format: "130123-105-%07d", $0) }
        let column = try ids(sorted)
        guard case .text(let values) = column.values else { Issue.record("expected text"); return }
        #expect(!values.isCoded && column.strictlyIncreasing)
        var repeated = sorted
        repeated[500] = repeated[499]
        #expect(!(try ids(repeated)).strictlyIncreasing)
        var back = sorted
        back.swapAt(10, 11)
        #expect(!(try ids(back)).strictlyIncreasing)
        var gap = sorted
        gap[7] = ""
        #expect(!(try ids(gap)).strictlyIncreasing)
        // Byte order, where a prefix sorts first: H1 < H10 < H100 < H1000 < H10000 < H10001 < … < H2.
        #expect(try ids((1...20_000).map { "H\($0)" }.sorted()).strictlyIncreasing)
        #expect(!(try ids((1...20_000).map { "H\($0)" })).strictlyIncreasing)
    }

    @Test func selectionsRenumberInFirstAppearanceOrder() throws {
        let table = try read("t\na\nb\nc\nb\n")
        let picked = table.rows([3, 2])
        let factor = try picked.column("t").factorize()
        #expect(factor.levels == ["b", "c"])
        #expect(factor.codes == [0, 1])
        #expect(try picked.column("t").strings == ["b", "c"])
    }

    @Test func quotedFieldsFallBackToFlat() throws {
        let table = try read("t\na\n\"b,c\"\na\n\n")
        #expect(try table.column("t").strings == ["a", "b,c", "a"])
    }

    @Test func missingCellsInCodedColumns() throws {
        var text = "t,x\n"
        for i in 0..<100 { text += (i % 10 == 0 ? "" : "v\(i % 2)") + ",\(i)\n" }
        let column = try read(text).column("t")
        #expect(column.missingCount == 10)
        #expect(column.string(0) == nil && column.string(1) == "v1")
        #expect(column.factorize().codes.filter { $0 < 0 }.count == 10)
    }

    @Test func invalidBytesInANewValueAreFound() {
        var bytes = Array("t\nok\nok\n".utf8)
        bytes += [0x61, 0xFF, 0x0A]
        #expect(throws: TablesError.self) { try CSVReader.read(bytes: bytes, name: "x.csv", options: CSVOptions(encoding: .utf8)) }
    }
}
