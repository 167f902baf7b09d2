import Foundation
import Testing
@testable import Tables

/// The .xlsx fixtures (Tests/Fixtures/xlsx, made by make_fixtures.sh from roster.csv).
private func workbook(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/xlsx").appendingPathComponent(name).path
}

@Suite struct XLSXReaderTests {
    /// Every writer's workbook reads to the CSV's table: names, types, missing cells, each value.
    @Test(arguments: ["roster-openpyxl.xlsx", "roster-libxlsxwriter.xlsx", "roster-libreoffice.xlsx"])
    func readsLikeTheCSV(file: String) throws {
        let csv = try TableFile.read(path: workbook("roster.csv"))
        let book = try TableFile.read(path: workbook(file), name: file)
        #expect(book.names == csv.names)
        #expect(book.columns.map(\.type) == csv.columns.map(\.type))
        #expect(book.rowCount == csv.rowCount)
        for (a, b) in zip(book.columns, csv.columns) {
            for row in 0..<csv.rowCount {
                #expect(a.string(row) == b.string(row), "\(file) \(a.name) row \(row)")
            }
        }
        // Rows are numbered as in the sheet (the header is row 1).
        #expect(book.line(of: 0) == 2)
        #expect(spreadsheetLocation(book.source)?.file == file)
    }

    /// Found by `make fuzz` (Tests/Fixtures/fuzz/regressions): a workbook whose sheet tags were
    /// garbled ended a cell that never started, and the reader trapped (index out of range).
    @Test func aValueOutsideAnyCellIsRefused() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fuzz/regressions/xlsx-value-outside-cell.xlsx").path
        do {
            _ = try TableFile.read(path: path, name: "damaged.xlsx")
            Issue.record("a damaged workbook was read")
        } catch {
            #expect(error.description.contains("a cell value outside any cell of row 1"), "\(error)")
        }
    }

    /// A minimal workbook whose one sheet's part is `sheet`.
    static func minimalWorkbook(sheet: [UInt8]) throws -> String {
        let parts: [(String, String)] = [
            ("[Content_Types].xml", #"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
            ("_rels/.rels", #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            ("xl/workbook.xml", #"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ]
        let bytes = try ZipWriter.archive(parts.map { (path: $0.0, bytes: Array($0.1.utf8)) } + [(path: "xl/worksheets/sheet1.xml", bytes: sheet)])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pingyi-\(UUID().uuidString).xlsx").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Found by `make fuzz` (an ASan-only timeout): parts that declare far more than a workbook
    /// holds (a "zip bomb"), and markup that never ends, are refused as damaged instead of being
    /// decompressed and scanned again and again; a small sheet still reads.
    @Test func aZipBombAndEndlessMarkupAreRefused() throws {
        let head = #"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        let good = try Self.minimalWorkbook(sheet: Array((head + #"<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row><row r="2"><c r="A1"><v>7</v></c></row></sheetData></worksheet>"#).utf8))
        #expect(try TableFile.read(path: good, name: "good.xlsx").rowCount == 1)
        // 100 MB of spaces deflate to some 100 KB: over a thousand times smaller.
        let bomb = try Self.minimalWorkbook(sheet: Array(head.utf8) + [UInt8](repeating: 0x20, count: 100 << 20))
        #expect(throws: TablesError.self) { try TableFile.read(path: bomb, name: "bomb.xlsx") }
        do { _ = try TableFile.read(path: bomb, name: "bomb.xlsx") } catch {
            #expect(error.description.contains("declares 104857") && error.description.contains("more than a workbook holds"), "\(error)")
        }
        // A row whose tag never ends: 20 MB of letters that do not compress away (a random
        // megabyte, repeated: longer than deflate's 32 KB window).
        var state: UInt64 = 7
        let block = (0..<(1 << 20)).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return 0x61 + UInt8((state >> 59) % 26)
        }
        var letters: [UInt8] = []
        letters.reserveCapacity(20 << 20)
        for _ in 0..<20 { letters += block }
        let endless = try Self.minimalWorkbook(sheet: Array((head + #"<row r="1" x=""#).utf8) + letters)
        do {
            _ = try TableFile.read(path: endless, name: "endless.xlsx")
            Issue.record("a sheet whose markup never ends was read")
        } catch {
            #expect(error.description.contains("holds markup longer than 16 MB that never ends"), "\(error)")
        }
    }

    /// Found by `make fuzz` (the ASan-only timeout): ZIPFoundation's reader spun at the end of
    /// the file on a deflate stream that never ends (a flipped bit made a block "stored" with
    /// 65,535 bytes). `ZipReader` reads no further than a part's declared bytes: such a part, a
    /// cut-short file and a flipped byte are each refused at once as a damaged workbook.
    @Test func aDamagedPackageIsRefusedAtOnce() throws {
        let head = #"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        let path = try Self.minimalWorkbook(sheet: Array((head + #"<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row></sheetData></worksheet>"#).utf8))
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try TableFile.read(path: path, name: "good.xlsx").names == ["id"])
        func refusal(_ damaged: [UInt8]) throws -> String {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("pingyi-\(UUID().uuidString).xlsx").path
            try Data(damaged).write(to: URL(fileURLWithPath: file))
            defer { try? FileManager.default.removeItem(atPath: file) }
            do {
                _ = try TableFile.read(path: file, name: "damaged.xlsx")
                return "read"
            } catch {
                #expect(error.kind == .syntax, "\(error)")
                return error.description
            }
        }
        // The workbook part's data: after its local header (30 bytes, the name, the extra field).
        let name = Array("xl/workbook.xml".utf8)
        let signature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        func isWorkbookHeader(_ i: Int) -> Bool {
            bytes[i..<(i + 4)].elementsEqual(signature) && bytes[(i + 30)..<(i + 30 + name.count)].elementsEqual(name)
        }
        let found: Int? = (0..<(bytes.count - 30 - name.count)).first(where: isWorkbookHeader)
        let header = try #require(found)
        let data = header + 30 + name.count + (Int(bytes[header + 28]) | Int(bytes[header + 29]) << 8)
        var stored = bytes
        stored.replaceSubrange(data..<(data + 5), with: [0x00, 0xFF, 0xFF, 0x00, 0x00])
        let endless = try refusal(stored)
        #expect(endless.contains("xl/workbook.xml ends before its compressed data does"), "\(endless)")
        var flipped = bytes
        flipped[data + 8] ^= 0x10
        let flip = try refusal(flipped)
        #expect(flip.contains("xl/workbook.xml") && flip.contains("not a readable .xlsx workbook"), "\(flip)")
        for length in stride(from: 8, to: bytes.count, by: max(1, bytes.count / 25)) {
            let cut = try refusal(Array(bytes[..<length]))
            #expect(cut.contains("not a readable .xlsx workbook"), "cut at \(length): \(cut)")
        }
    }

    @Test func namedSheet() throws {
        let first = try TableFile.read(path: workbook("two-sheets.xlsx"))
        #expect(first.names.count == 1)
        let roster = try TableFile.read(path: workbook("two-sheets.xlsx"), options: CSVOptions(sheet: "名单"))
        #expect(roster.rowCount == 7)
        #expect(try XLSXReader.sheetNames(path: workbook("two-sheets.xlsx")) == ["说明", "名单"])
    }

    private func refusal(_ file: String, sheet: String? = nil) -> TablesError? {
        do {
            _ = try TableFile.read(path: workbook(file), name: file, options: CSVOptions(sheet: sheet))
            return nil
        } catch {
            return error
        }
    }

    @Test func locatedRefusals() throws {
        let formula = try #require(refusal("formula-no-value.xlsx"))
        #expect(formula.description.hasPrefix("formula-no-value.xlsx: sheet 名单, cell E4: the cell holds a formula whose result is not saved"))
        #expect(formula.exitStatus == 65)
        let title = try #require(refusal("merged-title.xlsx"))
        #expect(title.description.hasPrefix("merged-title.xlsx: sheet 名单, cell A1: the header cells A1:I1 are merged"))
        let town = try #require(refusal("merged-town.xlsx"))
        #expect(town.description.hasPrefix("merged-town.xlsx: sheet 名单, cell C2: the cells C2:C3 are merged"))
        let sheet = try #require(refusal("two-sheets.xlsx", sheet: "无"))
        #expect(sheet.description == "two-sheets.xlsx: the workbook has no sheet named '无'; its sheets are 说明, 名单; name one with --sheet")
        #expect(sheet.exitStatus == 65)
    }

    @Test func corruptZip() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: workbook("roster-openpyxl.xlsx")))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Cut short (no table of contents), and damaged inside a compressed part.
        let cut = folder.appendingPathComponent("cut.xlsx")
        try bytes.prefix(bytes.count / 2).write(to: cut)
        var damaged = bytes
        let sheetName = Data("xl/worksheets/sheet1.xml".utf8)
        let header = try #require(bytes.range(of: sheetName))  // the sheet's local header
        for k in header.upperBound + 20..<header.upperBound + 220 { damaged[k] ^= 0x5A }
        let flipped = folder.appendingPathComponent("flipped.xlsx")
        try damaged.write(to: flipped)
        for path in [cut.path, flipped.path] {
            do {
                _ = try TableFile.read(path: path, name: "roster.xlsx")
                Issue.record("read a damaged workbook")
            } catch {
                #expect(error.description.hasPrefix("roster.xlsx: is not a readable .xlsx workbook"))
                #expect(error.exitStatus == 65)
            }
        }
    }

    @Test func dates() {
        #expect(excelDate(46296, date1904: false) == "2026-10-01")
        #expect(excelDate(1, date1904: false) == "1900-01-01")
        #expect(excelDate(61, date1904: false) == "1900-03-01")
        #expect(excelDate(0, date1904: true) == "1904-01-01")
        #expect(excelDate(46296.5, date1904: false) == "2026-10-01 12:00:00")
        #expect(excelDate(0.25, date1904: false) == "06:00:00")
        #expect(Workbook.isDateFormat("yyyy\"年\"m\"月\"d\"日\""))
        #expect(!Workbook.isDateFormat("General"))
        #expect(!Workbook.isDateFormat("[Red]#,##0.00"))
        #expect(!Workbook.isDateFormat("\"元\"0.00"))
    }

    @Test func columnLettersAndLocation() {
        #expect(columnLetters(1) == "A")
        #expect(columnLetters(26) == "Z")
        #expect(columnLetters(27) == "AA")
        #expect(locatedDescription(file: spreadsheetSource(file: "r.xlsx", sheet: "名单"), line: 17, message: "m", hint: "h") == "r.xlsx: sheet 名单, row 17: m; h")
    }
}
