import Foundation
import Testing
@testable import Tables

/// The inputs no output may replace, in a long-running process: an input deleted or replaced
/// stops counting, so a new file that gets its inode is not refused.
@Suite("Inputs of the process")
struct InputFilesTests {
    @Test func aDeletedInputNoLongerCounts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pingyi-inputs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("frame.csv").path, link = dir.appendingPathComponent("other-name.csv").path
        try Data("a\n1\n".utf8).write(to: URL(fileURLWithPath: input))
        InputFiles.register(input)
        #expect(InputFiles.input(at: input) == input)
        // Another name of the same file is the input too.
        try FileManager.default.linkItem(atPath: input, toPath: link)
        #expect(InputFiles.input(at: link) == input)
        var set = AtomicFileSet()
        #expect(throws: TablesError.self) { try set.add(Array("x\n".utf8), to: link) }
        // Once the input is gone, the file left under the other name (same inode) is free.
        try FileManager.default.removeItem(atPath: input)
        #expect(InputFiles.input(at: link) == nil)
        var again = AtomicFileSet()
        try again.add(Array("x\n".utf8), to: link)
        try again.commit()
        #expect(try String(contentsOfFile: link, encoding: .utf8) == "x\n")
    }

    /// An inode first registered under a name that is gone (deleted, or moved away: here the same
    /// file renamed), then read under another name, is the input under that name: a stale entry
    /// must not leave the new input unprotected (a flake when another test's deleted temporary
    /// file left its inode to this one).
    @Test func aStaleNameDoesNotHideANewInput() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pingyi-inputs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = dir.appendingPathComponent("first.csv").path, second = dir.appendingPathComponent("second.csv").path
        try Data("a\n1\n".utf8).write(to: URL(fileURLWithPath: first))
        InputFiles.register(first)
        try FileManager.default.moveItem(atPath: first, toPath: second)
        InputFiles.register(second)
        #expect(InputFiles.input(at: second) == second)
        var set = AtomicFileSet()
        #expect(throws: TablesError.self) { try set.add(Array("x\n".utf8), to: second) }
    }
}

