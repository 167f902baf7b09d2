import ArgumentParser
import Foundation

/// `pingyi demo --out DIR`: the main job on the shipped demonstration county, without the
/// source tree: the shipped surveys, schemes and data (/usr/share/pingyi in the Debian package)
/// and their demo script, run with this binary.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole job on the shipped demonstration county (示范县, simulated data) into a new folder.",
        discussion: """
            Draws the four respondent lists, simulates the field (paper, telephone, online), keys \
            and verifies both passes, weights, scores every unit, computes the composite scores \
            and grades, and writes the report — the same steps as make demo. The shipped files are \
            found in $PINGYI_DATA, else beside the binary (../share/pingyi), else in the source tree.
            """
    )

    @Option(help: "The folder to write into (must not exist, or be empty).")
    var out: String

    func run() async throws {
        let status = try await reportingErrors { try launch() }
        if status != 0 { throw ExitCode(status) }
    }

    /// Runs the demo script; its exit status.
    private func launch() throws -> Int32 {
        let data = try Self.dataFolder()
        let folder = URL(fileURLWithPath: out, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
        guard !folder.contains(where: \.isWhitespace) else {
            throw UsageError(description: "\(out): the demonstration's folder must not contain spaces (its script passes paths to the commands as words); name another folder (--out)")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            guard isFolder.boolValue, entries.isEmpty else {
                throw UsageError(description: "\(out): already exists and is not an empty folder; name a new folder for the demonstration (--out)")
            }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [data + "/scripts/demo.sh"]
        var environment = ProcessInfo.processInfo.environment
        environment["PINGYI"] = Self.executable
        environment["PINGYI_OUT"] = folder
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// This program's own path (/proc/self/exe), for the script to run.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Where the shipped surveys, datasets and scripts/demo.sh are.
    static func dataFolder() throws(UsageError) -> String {
        let binary = URL(fileURLWithPath: executable).deletingLastPathComponent().path
        let shared = URL(fileURLWithPath: binary + "/../share/pingyi").standardized.path
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let candidates = [ProcessInfo.processInfo.environment["PINGYI_DATA"], shared, source].compactMap { $0 }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/scripts/demo.sh") }) else {
            throw UsageError(description: "cannot find the shipped surveys and demo script (looked in \(candidates.joined(separator: ", "))); install the pingyi package, or set PINGYI_DATA")
        }
        return found
    }
}
