import Formats
import Spreadsheet

/// Writes a ``LabelledDataset`` as an Excel workbook (``Workbook``, libxlsxwriter): sheet `数据`
/// holds the data (variable names in a frozen, bold first row; numbers as numbers, codes as their
/// numbers), sheet `变量` the codebook (``Formats/CodebookFormat``: variable, label, type, versions,
/// codes with their labels, the missing-value letter of special codes).
public enum XLSXExport {
    /// The workbook's bytes; `file` is the output path, for messages.
    public static func bytes(_ dataset: LabelledDataset, file: String) throws(ExportError) -> [UInt8] {
        do {
            return try Workbook.bytes { book throws(WorkbookError) in
                let data = try book.addSheet("数据")
                data.header(dataset.variables.map(\.name))
                for (r, row) in dataset.rows.enumerated() {
                    for (c, v) in dataset.variables.enumerated() {
                        guard let cell = row[c] else { continue }
                        if v.kind != .text, let number = Double(cell) {
                            data.write(r + 1, c, number)
                        } else {
                            data.write(r + 1, c, cell)
                        }
                    }
                }

                let codebook = try book.addSheet("变量")
                codebook.header(CodebookFormat.header)
                var r = 1
                for v in dataset.variables {
                    let type = v.kind == .text ? "text" : (v.kind == .integer ? "integer" : "decimal")
                    let versions = v.versions.map(String.init).joined(separator: " ")
                    let codes: [ValueLabel?] = v.valueLabels.isEmpty ? [nil] : v.valueLabels
                    for code in codes {
                        codebook.write(r, 0, v.name)
                        codebook.write(r, 1, v.label)
                        codebook.write(r, 2, type)
                        codebook.write(r, 3, versions.isEmpty ? nil : versions)
                        if let code {
                            codebook.write(r, 4, Double(code.code))
                            codebook.write(r, 5, code.label)
                            codebook.write(r, 6, v.missing.first { $0.code == code.code }.map { "." + String($0.stataTag) })
                        }
                        r += 1
                    }
                }
            }
        } catch {
            throw ExportError(file: file, message: "cannot write the workbook: \(error.message)", hint: "check free disk space and the temporary folder")
        }
    }
}
