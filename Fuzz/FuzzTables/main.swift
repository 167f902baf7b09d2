import Foundation
import FuzzSupport
import Tables

/// libFuzzer harness (scripts/fuzz.sh): the CSV reader on any bytes, and the .xlsx reader when
/// the bytes are a zip. Errors are fine; a crash, a hang or a memory error is a finding.
runFuzzer { bytes in
    if bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 0x03 && bytes[3] == 0x04 {
        // The workbook reader opens files: one scratch file per process, read as every command
        // reads a workbook (through TableFile).
        let path = NSTemporaryDirectory() + "pingyi-fuzz-\(getpid()).xlsx"
        if FileManager.default.createFile(atPath: path, contents: Data(bytes)) {
            _ = try? TableFile.read(path: path, name: "fuzz.xlsx")
        }
        return
    }
    guard let table = try? CSVReader.read(bytes: Array(bytes), name: "fuzz.csv"), table.rowCount > 0 else { return }
    // Use what was read: every column's first cells and its factor.
    for column in table.columns {
        for r in 0..<min(table.rowCount, 64) { _ = column.string(r) }
        _ = column.factorize()
    }
}
