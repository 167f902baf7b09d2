import Formats
import Tables

/// A data set as CSV (a header of variable names, then rows) and its codebook.
public enum CSVExport {
    /// The data: one header row of variable names, then one row per record.
    public static func data(_ dataset: LabelledDataset) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRow(dataset.variables.map(\.name))
        for row in dataset.rows { writer.writeRow(row) }
        return writer.bytes
    }

    /// The codebook (``Formats/CodebookFormat``): columns `variable, label, type, versions, value,
    /// value_label, missing`; one row per variable without codes, one row per code otherwise
    /// (`missing` is the Stata extended-missing letter for special codes, empty for values).
    public static func codebook(_ dataset: LabelledDataset) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRow(CodebookFormat.header)
        for v in dataset.variables {
            let type = switch v.kind {
            case .integer: "integer"
            case .decimal: "decimal"
            case .text: "text"
            }
            let versions = v.versions.map(String.init).joined(separator: " ")
            if v.valueLabels.isEmpty {
                writer.writeRow([v.name, v.label, type, versions, "", "", ""])
            }
            for value in v.valueLabels {
                let tag = v.missing.first { $0.code == value.code }.map { "." + String($0.stataTag) } ?? ""
                writer.writeRow([v.name, v.label, type, versions, String(value.code), value.label, tag])
            }
        }
        return writer.bytes
    }
}
