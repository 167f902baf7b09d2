import CXlsxWriter
import Foundation

/// Writes a ``LabelledDataset`` as an Excel workbook with libxlsxwriter (Debian's
/// libxlsxwriter-dev): sheet `数据` holds the data (variable names in a frozen, bold first row;
/// numbers as numbers, codes as their numbers), sheet `变量` the codebook (variable, label, type,
/// versions, codes with their labels, the missing-value letter of special codes).
public enum XLSXExport {
    /// The workbook's bytes. libxlsxwriter writes files, so it writes a temporary file beside
    /// `file` and removes it.
    public static func bytes(_ dataset: LabelledDataset, file: String) throws(ExportError) -> [UInt8] {
        let temporary = file + ".tmp-\(ProcessInfo.processInfo.processIdentifier).xlsx"
        defer { unlink(temporary) }
        guard let workbook = workbook_new(temporary) else {
            throw ExportError(file: file, message: "cannot create the workbook", hint: "check that the output folder exists and is writable")
        }
        var failure: lxw_error = LXW_NO_ERROR
        func record(_ status: lxw_error) {
            if failure == LXW_NO_ERROR && status != LXW_NO_ERROR { failure = status }
        }
        let bold = workbook_add_format(workbook)
        format_set_bold(bold)

        if let data = workbook_add_worksheet(workbook, "数据") {
            for (c, v) in dataset.variables.enumerated() {
                record(worksheet_write_string(data, 0, lxw_col_t(c), v.name, bold))
            }
            for (r, row) in dataset.rows.enumerated() {
                let rowIndex = lxw_row_t(r + 1)
                for (c, v) in dataset.variables.enumerated() {
                    guard let cell = row[c] else { continue }
                    if v.kind != .text, let number = Double(cell) {
                        record(worksheet_write_number(data, rowIndex, lxw_col_t(c), number, nil))
                    } else {
                        record(worksheet_write_string(data, rowIndex, lxw_col_t(c), cell, nil))
                    }
                }
            }
            worksheet_freeze_panes(data, 1, 0)
        } else {
            failure = LXW_ERROR_MEMORY_MALLOC_FAILED
        }

        if let book = workbook_add_worksheet(workbook, "变量") {
            let header = ["variable", "label", "type", "versions", "value", "value_label", "missing"]
            for (c, name) in header.enumerated() { record(worksheet_write_string(book, 0, lxw_col_t(c), name, bold)) }
            var r: lxw_row_t = 1
            for v in dataset.variables {
                let type = v.kind == .text ? "text" : (v.kind == .integer ? "integer" : "decimal")
                let versions = v.versions.map(String.init).joined(separator: " ")
                let codes: [ValueLabel?] = v.valueLabels.isEmpty ? [nil] : v.valueLabels
                for code in codes {
                    record(worksheet_write_string(book, r, 0, v.name, nil))
                    record(worksheet_write_string(book, r, 1, v.label, nil))
                    record(worksheet_write_string(book, r, 2, type, nil))
                    if !versions.isEmpty { record(worksheet_write_string(book, r, 3, versions, nil)) }
                    if let code {
                        record(worksheet_write_number(book, r, 4, Double(code.code), nil))
                        record(worksheet_write_string(book, r, 5, code.label, nil))
                        if let missing = v.missing.first(where: { $0.code == code.code }) {
                            record(worksheet_write_string(book, r, 6, "." + String(missing.stataTag), nil))
                        }
                    }
                    r += 1
                }
            }
            worksheet_freeze_panes(book, 1, 0)
        } else {
            failure = LXW_ERROR_MEMORY_MALLOC_FAILED
        }

        let closed = workbook_close(workbook)
        if failure == LXW_NO_ERROR { failure = closed }
        guard failure == LXW_NO_ERROR else {
            let reason = lxw_strerror(failure).map { String(cString: $0) } ?? "error \(failure.rawValue)"
            throw ExportError(file: file, message: "libxlsxwriter failed (\(reason))", hint: "check free disk space and the output folder")
        }
        guard let data = FileManager.default.contents(atPath: temporary) else {
            throw ExportError(file: file, message: "cannot read back the workbook", hint: "check the output folder")
        }
        return [UInt8](data)
    }
}
