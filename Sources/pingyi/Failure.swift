import ArgumentParser
import Definitions
import Tables

#if canImport(Glibc)
import Glibc
#endif

/// An error the command line reports as one line, with the exit status of its kind.
protocol ReportableError: Error, CustomStringConvertible {
    /// 65 (EX_DATAERR) for bad data, 64 (EX_USAGE) for bad usage, 74 (EX_IOERR) for an output
    /// that could not be written.
    var exitStatus: Int32 { get }
}

extension TablesError: ReportableError {}

extension DefinitionError: ReportableError {
    var exitStatus: Int32 { 65 }
}

/// A usage problem found while running (e.g. a missing input file named by an option).
struct UsageError: ReportableError {
    let description: String
    var exitStatus: Int32 { 64 }
}

/// Runs `body`, turning a reportable error into one line on standard error and its exit status.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as any ReportableError {
        printError(error.description)
        throw ExitCode(error.exitStatus)
    }
}

/// Writes `pingyi: error: MESSAGE` to standard error.
func printError(_ message: String) {
    writeStandardError("pingyi: error: \(message)\n")
}

/// Writes to standard error without a prefix (progress and notes).
func printNote(_ message: String) {
    writeStandardError(message + "\n")
}

/// Writes text to file descriptor 2, unbuffered.
func writeStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var done = 0
        while done < bytes.count {
            let n = write(2, bytes.baseAddress! + done, bytes.count - done)
            if n <= 0 { return }
            done += n
        }
    }
}
