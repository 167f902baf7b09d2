import CReadStat

/// The statistical-package formats written through ReadStat.
public enum StatisticalFormat: String, Sendable {
    /// SPSS system file (`.sav`): special codes are user-missing values.
    case sav
    /// Stata 14+ data file (`.dta`, format 118, UTF-8): special codes are extended missing
    /// values (`.n` not applicable, `.d` don't know, `.r` refused, `.i` invalid), labelled.
    case dta
}

/// Writes a ``LabelledDataset`` as an SPSS or Stata file with ReadStat (Debian's
/// libreadstat-dev): Chinese variable and value labels, and special codes as missing values
/// that keep their meaning.
///
/// - SPSS: codes and special codes are stored as numbers; the special codes are declared
///   user-missing (a range when they are consecutive and no valid code lies between them,
///   otherwise up to three discrete values, SPSS's limit).
/// - Stata: a special code is stored as its extended missing value, and the value-label set
///   labels that letter, so `tab D01, missing` shows 不了解/说不清.
/// - Empty answers are system missing (`.` / sysmis); empty text is "".
public enum ReadStatExport {
    /// The file's bytes.
    /// - Parameter file: the output name, for messages.
    public static func bytes(_ dataset: LabelledDataset, format: StatisticalFormat, file: String) throws(ExportError) -> [UInt8] {
        guard let writer = readstat_writer_init() else {
            throw ExportError(file: file, message: "ReadStat could not start a writer", hint: "check that libreadstat is installed")
        }
        defer { readstat_writer_free(writer) }
        let sink = ByteSink()
        let context = Unmanaged.passUnretained(sink).toOpaque()
        func check(_ status: readstat_error_t, _ what: String) throws(ExportError) {
            guard status == READSTAT_OK else {
                let reason = readstat_error_message(status).map { String(cString: $0) } ?? "error \(status.rawValue)"
                throw ExportError(file: file, message: "ReadStat refused \(what) (\(reason))", hint: "report this with the questionnaire file")
            }
        }
        try check(readstat_set_data_writer(writer) { data, length, context in
            guard let data, let context else { return -1 }
            let sink = Unmanaged<ByteSink>.fromOpaque(context).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
            return length
        }, "the data writer")
        try check(readstat_writer_set_file_label(writer, truncated(dataset.title, bytes: format == .sav ? 64 : 80)), "the file label")
        if format == .dta { try check(readstat_writer_set_file_format_version(writer, 118), "Stata format 118") }

        // Value-label sets, shared by variables with the same set name.
        var labelSets: [String: UnsafeMutablePointer<readstat_label_set_t>] = [:]
        for v in dataset.variables where !v.valueLabels.isEmpty {
            let name = v.labelSet ?? v.name
            guard labelSets[name] == nil else { continue }
            guard let set = readstat_add_label_set(writer, format == .sav ? READSTAT_TYPE_DOUBLE : READSTAT_TYPE_INT32, name) else {
                throw ExportError(file: file, message: "ReadStat could not add the value labels \(name)", hint: "")
            }
            for value in v.valueLabels {
                let label = truncated(value.label, bytes: 120)
                if format == .dta, let missing = v.missing.first(where: { $0.code == value.code }) {
                    readstat_label_tagged_value(set, asciiByte(missing.stataTag), label)
                } else if format == .dta {
                    readstat_label_int32_value(set, Int32(value.code), label)
                } else {
                    readstat_label_double_value(set, Double(value.code), label)
                }
            }
            labelSets[name] = set
        }

        var variables: [UnsafeMutablePointer<readstat_variable_t>] = []
        for (index, v) in dataset.variables.enumerated() {
            let type: readstat_type_t
            var width = 0
            switch v.kind {
            case .text:
                type = READSTAT_TYPE_STRING
                width = max(1, dataset.rows.reduce(0) { max($0, $1[index]?.utf8.count ?? 0) })
                if format == .dta && width > 2045 {
                    throw ExportError(file: file, message: "\(v.name) holds text of \(width) bytes, more than Stata's 2045",
                                      hint: "export sav or csv, or set a smaller max_length")
                }
            case .integer: type = format == .sav ? READSTAT_TYPE_DOUBLE : READSTAT_TYPE_INT32
            case .decimal: type = READSTAT_TYPE_DOUBLE
            }
            guard let variable = readstat_add_variable(writer, v.name, type, width) else {
                throw ExportError(file: file, message: "ReadStat could not add variable \(v.name)", hint: "")
            }
            readstat_variable_set_label(variable, truncated(v.label, bytes: format == .sav ? 255 : 320))
            if let set = labelSets[v.labelSet ?? v.name], !v.valueLabels.isEmpty {
                readstat_variable_set_label_set(variable, set)
            }
            switch v.kind {
            case .text: readstat_variable_set_measure(variable, READSTAT_MEASURE_NOMINAL)
            case .integer where !v.missing.isEmpty: readstat_variable_set_measure(variable, READSTAT_MEASURE_ORDINAL)
            case .integer where !v.valueLabels.isEmpty: readstat_variable_set_measure(variable, READSTAT_MEASURE_NOMINAL)
            case .integer, .decimal: readstat_variable_set_measure(variable, READSTAT_MEASURE_SCALE)
            }
            if format == .sav {
                if v.kind == .integer { readstat_variable_set_format(variable, "F8.0") }
                try declareUserMissing(variable, v, check: check)
            }
            variables.append(variable)
        }

        let rowCount = dataset.rows.count
        try check(format == .sav ? readstat_begin_writing_sav(writer, context, rowCount) : readstat_begin_writing_dta(writer, context, rowCount),
                  "the file header")
        for row in dataset.rows {
            try check(readstat_begin_row(writer), "a row")
            for (index, v) in dataset.variables.enumerated() {
                let variable = variables[index]
                let cell = row[index]
                switch v.kind {
                case .text:
                    try check(readstat_insert_string_value(writer, variable, cell ?? ""), "a text value of \(v.name)")
                case .integer, .decimal:
                    guard let cell else {
                        try check(readstat_insert_missing_value(writer, variable), "a missing value of \(v.name)")
                        continue
                    }
                    guard let number = Double(cell) else {
                        throw ExportError(file: file, message: "\(v.name) holds '\(cell)', which is not a number", hint: "correct the form")
                    }
                    if format == .dta, let missing = v.missing.first(where: { Double($0.code) == number }) {
                        try check(readstat_insert_tagged_missing_value(writer, variable, asciiByte(missing.stataTag)), "a missing code of \(v.name)")
                    } else if format == .dta && v.kind == .integer {
                        try check(readstat_insert_int32_value(writer, variable, Int32(clamping: Int(number))), "a value of \(v.name)")
                    } else {
                        try check(readstat_insert_double_value(writer, variable, number), "a value of \(v.name)")
                    }
                }
            }
            try check(readstat_end_row(writer), "a row")
        }
        try check(readstat_end_writing(writer), "the end of the file")
        return sink.bytes
    }

    /// SPSS user-missing values for a variable's special codes.
    static func declareUserMissing(_ variable: UnsafeMutablePointer<readstat_variable_t>, _ v: Variable,
                                   check: (readstat_error_t, String) throws(ExportError) -> Void) throws(ExportError) {
        let codes = v.missing.map(\.code).sorted()
        guard let low = codes.first, let high = codes.last else { return }
        let valid = v.valueLabels.map(\.code).filter { !codes.contains($0) }
        if codes.count > 3 && !valid.contains(where: { $0 > low && $0 < high }) {
            try check(readstat_variable_add_missing_double_range(variable, Double(low), Double(high)), "the missing range of \(v.name)")
        } else {
            for code in codes.prefix(3) {
                try check(readstat_variable_add_missing_double_value(variable, Double(code)), "a missing value of \(v.name)")
            }
        }
    }
}

/// Collects the bytes ReadStat writes.
final class ByteSink {
    var bytes: [UInt8] = []
}

/// `text` cut at a character boundary to at most `bytes` UTF-8 bytes.
func truncated(_ text: String, bytes: Int) -> String {
    guard text.utf8.count > bytes else { return text }
    var out = ""
    for character in text {
        if out.utf8.count + character.utf8.count > bytes { break }
        out.append(character)
    }
    return out
}

/// A Stata tag letter as a C `char`.
func asciiByte(_ c: Character) -> CChar {
    CChar(bitPattern: c.asciiValue ?? UInt8(ascii: "a"))
}
