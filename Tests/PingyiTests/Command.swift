import Foundation

/// Runs the built `pingyi` executable as a user would, capturing its output and exit status.
struct Command {
    let status: Int32
    let stdout: String
    let stderr: String

    /// The package's root folder, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `pingyi` binary of this build: beside the test bundle in the same build folder. Never a
    /// binary from elsewhere (a stale one would test old code): a missing binary is an error.
    static var executable: URL {
        get throws {
            var dir = Bundle.main.bundleURL
            for _ in 0..<4 {
                let candidate = dir.appendingPathComponent("pingyi")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                dir = dir.deletingLastPathComponent()
            }
            throw MissingBinary(searchedFrom: Bundle.main.bundleURL.path)
        }
    }

    struct MissingBinary: Error, CustomStringConvertible {
        let searchedFrom: String
        var description: String { "no pingyi binary beside the test bundle (\(searchedFrom)): build it with swift build --build-tests" }
    }

    static func fixture(_ path: String) -> String {
        root.appendingPathComponent("Tests/Fixtures").appendingPathComponent(path).path
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, input: String? = nil) throws -> Command {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? root
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = Pipe()
        process.standardInput = inPipe
        try process.run()
        // Standard error is read on another thread while standard output is read here, so that
        // neither pipe can fill up and block the child (and the input is written meanwhile).
        let errBox = DataBox()
        let errReader = Thread {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            errBox.done.signal()
        }
        errReader.start()
        let writer = Thread {
            if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errBox.done.wait()
        process.waitUntilExit()
        return Command(status: process.terminationStatus,
                       stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    /// What the standard-error thread read.
    private final class DataBox: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }

    /// A fresh empty directory for a test's outputs.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pingyi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
