import CReadStat

/// What ReadStat's own parser finds in a .sav or .dta file: the file label, each variable's
/// name, label, value-label set and missing ranges, the value labels, and every cell.
final class ParsedFile {
    struct VariableInfo {
        var name: String
        var label: String
        var labelSet: String
        var missingRanges: [(Double, Double)]
    }

    var fileLabel = ""
    var variables: [VariableInfo] = []
    /// set name → value key (`"3"` or `".d"`) → label.
    var valueLabels: [String: [String: String]] = [:]
    /// rows[i][j]: `"3"` for numbers (shortest form), `".d"` for tagged missing, `"."` for system
    /// missing, text as text.
    var rows: [[String]] = []

    /// Parses `path` with ReadStat; returns nil when ReadStat reports an error.
    static func read(_ path: String, dta: Bool) -> ParsedFile? {
        let parsed = ParsedFile()
        guard let parser = readstat_parser_init() else { return nil }
        defer { readstat_parser_free(parser) }
        readstat_set_metadata_handler(parser) { metadata, context in
            let file = Unmanaged<ParsedFile>.fromOpaque(context!).takeUnretainedValue()
            file.fileLabel = readstat_get_file_label(metadata).map { String(cString: $0) } ?? ""
            return 0
        }
        readstat_set_variable_handler(parser) { _, variable, labels, context in
            let file = Unmanaged<ParsedFile>.fromOpaque(context!).takeUnretainedValue()
            var ranges: [(Double, Double)] = []
            for i in 0..<readstat_variable_get_missing_ranges_count(variable) {
                ranges.append((readstat_double_value(readstat_variable_get_missing_range_lo(variable, i)),
                               readstat_double_value(readstat_variable_get_missing_range_hi(variable, i))))
            }
            file.variables.append(VariableInfo(
                name: String(cString: readstat_variable_get_name(variable)),
                label: readstat_variable_get_label(variable).map { String(cString: $0) } ?? "",
                labelSet: labels.map { String(cString: $0) } ?? "",
                missingRanges: ranges))
            return 0
        }
        readstat_set_value_label_handler(parser) { set, value, label, context in
            let file = Unmanaged<ParsedFile>.fromOpaque(context!).takeUnretainedValue()
            let key: String
            if readstat_value_is_tagged_missing(value) != 0 {
                key = "." + String(UnicodeScalar(UInt8(bitPattern: readstat_value_tag(value))))
            } else {
                key = shortest(readstat_double_value(value), value)
            }
            file.valueLabels[String(cString: set!), default: [:]][key] = String(cString: label!)
            return 0
        }
        readstat_set_value_handler(parser) { row, variable, value, context in
            let file = Unmanaged<ParsedFile>.fromOpaque(context!).takeUnretainedValue()
            while file.rows.count <= Int(row) { file.rows.append([]) }
            let cell: String
            if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
                cell = readstat_string_value(value).map { String(cString: $0) } ?? ""
            } else if readstat_value_is_tagged_missing(value) != 0 {
                cell = "." + String(UnicodeScalar(UInt8(bitPattern: readstat_value_tag(value))))
            } else if readstat_value_is_system_missing(value) != 0 {
                cell = "."
            } else {
                cell = shortest(readstat_double_value(value), value)
            }
            file.rows[Int(row)].append(cell)
            return 0
        }
        let context = Unmanaged.passUnretained(parsed).toOpaque()
        let status = dta ? readstat_parse_dta(parser, path, context) : readstat_parse_sav(parser, path, context)
        return status == READSTAT_OK ? parsed : nil
    }

    func variable(_ name: String) -> VariableInfo? {
        variables.first { $0.name == name }
    }

    func column(_ name: String) -> [String] {
        guard let i = variables.firstIndex(where: { $0.name == name }) else { return [] }
        return rows.map { $0[i] }
    }
}

/// A numeric value as the shortest text (`3`, `62.5`), reading integer types exactly.
private func shortest(_ double: Double, _ value: readstat_value_t) -> String {
    let type = readstat_value_type(value)
    let number: Double
    switch type {
    case READSTAT_TYPE_INT8: number = Double(readstat_int8_value(value))
    case READSTAT_TYPE_INT16: number = Double(readstat_int16_value(value))
    case READSTAT_TYPE_INT32: number = Double(readstat_int32_value(value))
    case READSTAT_TYPE_FLOAT: number = Double(readstat_float_value(value))
    default: number = double
    }
    return number == number.rounded() ? String(Int(number)) : String(number)
}
