public import Composite
/// The files of a report: `report.html`, `report.xlsx`, and with a composite result one
/// `feedback/UNIT.html` per unit.
extension ReportContent {
    /// Builds every file in memory; `progress` is told after each one (done, total).
    public func files(progress: (Int, Int) -> Void = { _, _ in }) throws(ReportError) -> [OutputFile] {
        var links: [String: String] = [:]
        var sheets: [(unit: String, path: String)] = []
        if let composite {
            var used: Set<String> = []
            for row in composite.rows {
                var name = fileName(row.unit)
                var k = 2
                while used.contains(name.lowercased()) {
                    name = fileName(row.unit) + "-\(k)"
                    k += 1
                }
                used.insert(name.lowercased())
                let path = "feedback/\(name).html"
                links[row.unit] = path
                sheets.append((row.unit, path))
            }
        }
        let total = 2 + sheets.count
        var files: [OutputFile] = [OutputFile(path: "report.html", bytes: Array(reportPage(feedbackLinks: links).utf8))]
        progress(1, total)
        files.append(OutputFile(path: "report.xlsx", bytes: try workbook()))
        progress(2, total)
        if let composite {
            for (i, sheet) in sheets.enumerated() {
                guard let row = composite.row(unit: sheet.unit) else { continue }
                files.append(OutputFile(path: sheet.path, bytes: Array(feedbackSheet(row, in: composite).utf8)))
                progress(3 + i, total)
            }
        }
        return files
    }

    /// A unit id as a file name: letters, digits, `-` and `_` kept, anything else `_`.
    private func fileName(_ unit: String) -> String {
        let safe = String(unit.unicodeScalars.map { scalar -> Character in
            let ascii = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
            return ascii ? Character(scalar) : "_"
        })
        return safe.isEmpty ? "unit" : safe
    }
}
