import Foundation
import Formats
@testable import Reports

/// Fixtures, temporary folders and a small reader for the workbooks the report writes.
enum Support {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) -> String {
        root.appendingPathComponent("Tests/Fixtures/reports").appendingPathComponent(name).path
    }

    static func shipped(_ path: String) -> String {
        root.appendingPathComponent(path).path
    }

    /// A fresh empty folder.
    static func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Writes `text` to `name` in a fresh folder and returns its path.
    static func file(_ name: String, _ text: String) throws -> String {
        let path = try folder() + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The full request over every fixture.
    static func request() -> ReportRequest {
        var request = ReportRequest(scores: [fixture("scores.csv")])
        request.distribution = fixture("dist.csv")
        request.composite = fixture("result.csv")
        request.scheme = fixture("scheme.yaml")
        request.rates = fixture("rates.csv")
        request.units = fixture("units.csv")
        request.scale = shipped("surveys/scales/four-tier.yaml")
        request.title = "测试县公众评议结果"
        request.issued = CivilDate("2018-01-05")
        request.generator = "pingyi test"
        return request
    }

    /// The error `body` throws, as its one-line description; nil when it does not throw.
    static func failure(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Every file below `folder`, as paths relative to it, sorted.
    static func listing(_ folder: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var paths: [String] = []
        while let path = enumerator?.nextObject() as? String { paths.append(path) }
        return paths.sorted()
    }
}

/// An .xlsx file read with /usr/bin/unzip: its sheets by name and their cells by reference
/// ("B2"), shared strings resolved, numbers as written.
struct XLSXFile {
    let path: String

    /// Sheet names in workbook order.
    func sheetNames() throws -> [String] {
        let workbook = try member("xl/workbook.xml")
        return matches(of: #"<sheet name="([^"]*)""#, in: workbook).map(unescapeXML)
    }

    /// The cells of a sheet by name: "A1" → text or number as written.
    func cells(_ sheet: String) throws -> [String: String] {
        guard let index = try sheetNames().firstIndex(of: sheet) else { return [:] }
        let xml = try member("xl/worksheets/sheet\(index + 1).xml")
        let shared = try sharedStrings()
        var cells: [String: String] = [:]
        for cell in xml.components(separatedBy: "<c r=\"").dropFirst() {
            guard let quote = cell.firstIndex(of: "\"") else { continue }
            let reference = String(cell[..<quote])
            guard let value = matches(of: #"<v>([^<]*)</v>"#, in: cell).first else { continue }
            cells[reference] = cell.contains("t=\"s\"") ? shared[Int(value) ?? 0] : value
        }
        return cells
    }

    /// The sheet's XML (for frozen panes and styles).
    func sheetXML(_ sheet: String) throws -> String {
        guard let index = try sheetNames().firstIndex(of: sheet) else { return "" }
        return try member("xl/worksheets/sheet\(index + 1).xml")
    }

    /// The number formats the workbook defines.
    func numberFormats() throws -> [String] {
        matches(of: #"formatCode="([^"]*)""#, in: try member("xl/styles.xml")).map(unescapeXML)
    }

    private func sharedStrings() throws -> [String] {
        let xml = try member("xl/sharedStrings.xml")
        return xml.components(separatedBy: "<si>").dropFirst().map { item in
            matches(of: #"<t[^>]*>([^<]*)</t>"#, in: item).joined()
        }.map(unescapeXML)
    }

    func member(_ name: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        process.arguments = ["-p", path, name]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    private func matches(of pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    private func unescapeXML(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// `|a − b| ≤ tolerance`.
func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}
