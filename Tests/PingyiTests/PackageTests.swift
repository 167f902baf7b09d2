import Foundation
import Testing

/// The Debian package's install test (scripts/package.sh, then scripts/package-test.sh): built
/// with the static Swift standard library and installed into a clean Debian 12 root made with
/// debootstrap, where --version, demo and serve must work. It takes a release build of its own
/// (about 15 minutes on 2 cores) and a Debian mirror, so it runs when PINGYI_PACKAGE_TEST=1 (and
/// as `make package-test`); otherwise it is skipped, saying so.
@Suite("The Debian package installs and runs without Swift")
struct PackageTests {
    static let wanted = ProcessInfo.processInfo.environment["PINGYI_PACKAGE_TEST"] == "1"

    @Test(.enabled(if: PackageTests.wanted, "the package install test needs a release build and debootstrap; run it with PINGYI_PACKAGE_TEST=1 or make package-test"),
          .timeLimit(.minutes(40)))
    func installsIntoACleanDebianRoot() throws {
        func run(_ script: String, _ arguments: [String]) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Command.root.appendingPathComponent("scripts/\(script)").path)
            process.arguments = arguments
            process.currentDirectoryURL = Command.root
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
        let (built, log) = try run("package.sh", [])
        #expect(built == 0, "\(log)")
        let deb = try #require(try FileManager.default.contentsOfDirectory(atPath: Command.root.appendingPathComponent("dist").path)
            .filter { $0.hasSuffix("_amd64.deb") }.sorted().last)
        let (status, output) = try run("package-test.sh", ["dist/\(deb)"])
        if status == 77 {
            print(output)
            return
        }
        #expect(status == 0, "\(output)")
        #expect(output.contains("package-test: passed"), "\(output)")
    }
}
