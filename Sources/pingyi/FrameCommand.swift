public import ArgumentParser
import Foundation
public import Tables

struct FrameCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frame",
        abstract: "Look at sampling frames.",
        subcommands: [Inspect.self]
    )

    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a frame's rows, columns with their types and missing cells, and its encoding.",
            discussion: "With --id, also list values of that column that occur more than once."
        )

        @Argument(help: "The frame: a CSV file (UTF-8, UTF-8 with BOM, or GB18030/GBK) or an Excel workbook (.xlsx).")
        var file: String

        @Option(help: "A column that should identify each row; its duplicate values are listed.")
        var id: String?

        @OptionGroup var input: InputOptions

        @Flag(help: "Print JSON with keys rows, encoding, columns, duplicates.")
        var json = false

        func run() async throws {
            try await reportingErrors {
                let table = try TableFile.read(path: file, options: input.csvOptions)
                let duplicates = try id.map { try table.duplicates(in: $0) }
                if json {
                    let report = FrameReport(rows: table.rowCount, encoding: table.encoding.rawValue,
                                             columns: table.columns.map { .init(name: $0.name, type: $0.type.rawValue, missing: $0.missingCount) },
                                             id: id, duplicates: duplicates ?? [])
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    print(String(decoding: try encoder.encode(report), as: UTF8.self))
                } else {
                    printHuman(table, duplicates: duplicates)
                }
            }
        }

        private func printHuman(_ table: Table, duplicates: [Duplicate]?) {
            print("文件  \(file)")
            if let (_, sheet) = spreadsheetLocation(table.source) {
                print("工作表 \(sheet)")
            } else {
                print("编码  \(table.encoding.rawValue)")
            }
            print("行数  \(table.rowCount)")
            print("列数  \(table.columns.count)")
            var rows = [["列名", "类型", "缺失"]]
            for column in table.columns {
                rows.append([column.name, column.type.chineseName, String(column.missingCount)])
            }
            print(TextTable(rows: rows, rightAligned: [2]).render(indent: "  "))
            if let duplicates, let id {
                if duplicates.isEmpty {
                    print("编号列 \(id): 无重复")
                } else {
                    print("编号列 \(id): \(duplicates.count) 个值重复")
                    for d in duplicates.prefix(20) {
                        print("  \(d.value)  行 \(d.lines.map(String.init).joined(separator: ", "))")
                    }
                    if duplicates.count > 20 { print("  … 另有 \(duplicates.count - 20) 个") }
                }
            }
        }
    }
}

/// The JSON shape of `frame inspect --json`.
struct FrameReport: Encodable {
    struct ColumnInfo: Encodable {
        let name: String
        let type: String
        let missing: Int
    }
    let rows: Int
    let encoding: String
    let columns: [ColumnInfo]
    let id: String?
    let duplicates: [Duplicate]
}

/// Options for reading input tables, shared by every command that reads a CSV.
struct InputOptions: ParsableArguments {
    @Option(help: "The input encoding (gbk, gb2312 and cp936 are read as gb18030). Detected when omitted.")
    var encoding: TextEncoding?

    @Option(help: "The field delimiter: ',' (default) or 'tab'.")
    var delimiter: String = ","

    @Option(help: "The sheet to read from an Excel workbook (.xlsx); the first sheet when omitted.")
    var sheet: String?

    func validate() throws {
        if delimiterByte == nil {
            throw ValidationError("--delimiter must be a single ASCII character or 'tab' (got '\(delimiter)').")
        }
    }

    var delimiterByte: UInt8? {
        if delimiter == "tab" || delimiter == "\\t" { return 0x09 }
        guard delimiter.utf8.count == 1, let b = delimiter.utf8.first, b < 0x80, b != 0x22, b != 0x0A else { return nil }
        return b
    }

    var csvOptions: CSVOptions {
        CSVOptions(encoding: encoding, delimiter: delimiterByte ?? 0x2C, sheet: sheet)
    }
}

extension TextEncoding: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}
