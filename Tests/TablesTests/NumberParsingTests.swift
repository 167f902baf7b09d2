import Testing
@testable import Tables

@Suite("Number parsing")
struct NumberParsingTests {
    private func decimal(_ s: String) -> Double? {
        var bytes = Array(s.utf8)
        bytes.append(contentsOf: [UInt8](repeating: 0, count: 16))
        return bytes.withUnsafeMutableBufferPointer { parseDecimal($0.baseAddress!, 0, s.utf8.count) }
    }

    private func integer(_ s: String) -> Int? {
        var bytes = Array(s.utf8) + [0]
        return bytes.withUnsafeMutableBufferPointer { parseInteger($0.baseAddress!, 0, s.utf8.count) }
    }

    @Test func integers() {
        #expect(integer("0") == 0)
        #expect(integer("-12") == -12)
        #expect(integer("123456789012345678") == 123_456_789_012_345_678)
        #expect(integer("1234567890123456789") == nil)  // 19 digits: not an integer here
        #expect(integer("012") == nil)
        #expect(integer("1.0") == nil)
        #expect(integer("") == nil)
        #expect(integer("-") == nil)
    }

    /// The fast path must agree bit for bit with Swift's own correctly rounded parser.
    @Test func decimalsAgreeWithTheStandardLibrary() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        for _ in 0..<20_000 {
            let digits = String(next() % 10_000_000_000_000_000)
            let point = Int(next() % UInt64(digits.count + 1))
            var s = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if next() % 3 == 0 { s += "e\(Int(next() % 40) - 20)" }
            if next() % 2 == 0 { s = "-" + s }
            guard let expected = Double(s) else { continue }
            #expect(decimal(s)?.bitPattern == expected.bitPattern, "\(s)")
        }
    }

    @Test func decimalEdgeCases() {
        #expect(decimal(".5") == 0.5)
        #expect(decimal("5.") == 5)
        #expect(decimal("1e-400") == 0)
        #expect(decimal("0.1") == 0.1)
        #expect(decimal("12345678901234567890123") == 1.2345678901234568e22)
        #expect(decimal("nan") == nil)
        #expect(decimal("inf") == nil)
        #expect(decimal("0x10") == nil)
        #expect(decimal("1e") == nil)
        #expect(decimal(".") == nil)
        #expect(decimal("1,5") == nil)
    }
}

@Suite("Writing")
struct WritingTests {
    @Test func quotingRoundTrips() throws {
        var writer = CSVWriter()
        writer.writeRow(["id", "text"])
        writer.writeRow(["1", "plain"])
        writer.writeRow(["2", "a,b"])
        writer.writeRow(["3", "say \"hi\""])
        writer.writeRow(["4", "two\nlines"])
        writer.writeRow(["5", " padded "])
        writer.writeRow(["6", nil] as [String?])
        let table = try CSVReader.read(bytes: writer.bytes, name: "w.csv")
        #expect(try table.column("text").strings == ["plain", "a,b", "say \"hi\"", "two\nlines", " padded ", nil])
        #expect(String(decoding: writer.bytes, as: UTF8.self).contains("\"say \"\"hi\"\"\""))
    }

    @Test func atomicWriteLeavesNoTemporaryFiles() throws {
        let dir = FileManagerLite.temporaryDirectory()
        let target = dir + "/out.csv"
        try writeAtomically(Array("a\n1\n".utf8), to: target)
        #expect(FileManagerLite.contents(of: dir) == ["out.csv"])
        #expect(FileManagerLite.read(target) == "a\n1\n")
    }

    @Test func failedSetLeavesNothing() throws {
        let dir = FileManagerLite.temporaryDirectory()
        var set = AtomicFileSet()
        try set.add(Array("x".utf8), to: dir + "/one.csv")
        #expect(throws: TablesError.self) { try set.add(Array("y".utf8), to: dir + "/missing-dir/two.csv") }
        #expect(FileManagerLite.contents(of: dir).isEmpty)
    }
}
