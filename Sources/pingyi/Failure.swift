import ArgumentParser
import Definitions
import Foundation
import Store
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

/// Runs `body`, printing a reportable error as one line (a rejected batch first prints each of
/// its problems, one per line), and exits with its status. Every command runs through it.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as StoreError {
        if !error.problems.isEmpty {
            writeStandardError(error.problems.map { $0.description + "\n" }.joined())
        }
        printError(error.description)
        throw ExitCode(error.exitStatus)
    } catch let error as any ReportableError {
        printError(error.description)
        throw ExitCode(error.exitStatus)
    }
}

/// Fails with exit status 64, `PATH: no such file (OPTION)`, when a file named on the command
/// line does not exist: the one message for a missing input.
func requireFile(_ path: String, option: String) throws(UsageError) {
    if !FileManager.default.fileExists(atPath: path) {
        throw UsageError(description: "\(path): no such file (\(option))")
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
