import Foundation
import Tables

/// Reads a reference CSV committed beside the tests (made by Fixtures/make_fixtures.R).
struct Fixture {
    let table: Table

    init(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        table = try CSVReader.read(path: url.path, name: name)
    }

    /// Rows grouped by the values of `column`, in order of first appearance.
    func groups(by column: String) throws -> [(key: String, rows: [Int])] {
        let c = try table.column(column)
        var order: [String] = []
        var rows: [String: [Int]] = [:]
        for r in 0..<table.rowCount {
            let key = c.string(r) ?? ""
            if rows[key] == nil { order.append(key) }
            rows[key, default: []].append(r)
        }
        return order.map { ($0, rows[$0] ?? []) }
    }

    func number(_ column: String, _ row: Int) throws -> Double {
        try table.column(column).number(row) ?? .nan
    }

    func string(_ column: String, _ row: Int) throws -> String {
        try table.column(column).string(row) ?? ""
    }
}

func close(_ a: Double, _ b: Double, relative: Double = 1e-12) -> Bool {
    a == b || abs(a - b) <= relative * max(abs(a), abs(b))
}
