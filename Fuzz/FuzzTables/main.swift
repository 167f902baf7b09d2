import Foundation
import Tables

/// libFuzzer harness (scripts/fuzz.sh): the CSV reader on any bytes, and the .xlsx reader when
/// the bytes are a zip. Errors are fine; a crash, a hang or a memory error is a finding.
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if size >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 0x03 && bytes[3] == 0x04 {
        // The workbook reader opens files: one scratch file per process.
        let path = NSTemporaryDirectory() + "pingyi-fuzz-\(getpid()).xlsx"
        if FileManager.default.createFile(atPath: path, contents: Data(bytes)) {
            // Through TableFile, as every command reads a workbook (it bounds what a zip entry may claim).
            _ = try? TableFile.read(path: path, name: "fuzz.xlsx")
        }
        return 0
    }
    let table = try? CSVReader.read(bytes: Array(bytes), name: "fuzz.csv")
    if let table, table.rowCount > 0 {
        // Use what was read: every cell's text and the first column's factor.
        for column in table.columns {
            for r in 0..<min(table.rowCount, 64) { _ = column.string(r) }
            _ = column.factorize()
        }
    }
    return 0
}

// libFuzzer's driver (linked by -sanitize=fuzzer) runs the harness with the command line.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32
var arguments = CommandLine.argc
var vector = CommandLine.unsafeArgv
exit(runDriver(&arguments, &vector) { data, size in fuzz(data ?? UnsafePointer(bitPattern: 1)!, size) })
