import Foundation
import Testing
@testable import Reports

/// All or nothing: files appear together, and a failure leaves neither files nor new folders.
@Suite("Output folder")
struct OutputFolderTests {
    @Test func writesNestedFilesIntoANewFolder() throws {
        let out = try Support.folder() + "/new/report"
        try OutputFolder.write([OutputFile(path: "a.html", bytes: Array("甲".utf8)), OutputFile(path: "feedback/D01.html", bytes: [0x41])], to: out)
        #expect(Support.listing(out) == ["a.html", "feedback", "feedback/D01.html"])
        #expect(FileManager.default.contents(atPath: out + "/a.html") == Data("甲".utf8))
    }

    @Test func aFailureLeavesNothing() throws {
        let parent = try Support.folder()
        let out = parent + "/new"
        // "x" is both a folder (for x/y) and a file: the second file cannot be written.
        let files = [OutputFile(path: "report.html", bytes: [0x41]), OutputFile(path: "x/y", bytes: [0x42]), OutputFile(path: "x", bytes: [0x43])]
        let error = Support.failure { try OutputFolder.write(files, to: out) }
        #expect(error == "\(out)/x: is a folder; a file of the report cannot take its place")
        #expect(Support.listing(parent) == [])
    }

    @Test func anOutputThatIsAFile() throws {
        let path = try Support.file("report", "not a folder")
        let error = Support.failure { try OutputFolder.write([OutputFile(path: "a", bytes: [])], to: path) }
        #expect(error == "\(path): is a file, not a folder; give --out a folder")
        #expect(FileManager.default.contents(atPath: path) == Data("not a folder".utf8))
    }

    @Test func anExistingFolderKeepsItsOtherFiles() throws {
        let out = try Support.folder()
        try Data("old".utf8).write(to: URL(fileURLWithPath: out + "/notes.txt"))
        let files = [OutputFile(path: "report.html", bytes: [0x41]), OutputFile(path: "feedback", bytes: [0x42]), OutputFile(path: "feedback/T01.html", bytes: [])]
        #expect(Support.failure { try OutputFolder.write(files, to: out) } != nil)
        #expect(Support.listing(out) == ["notes.txt"])
    }
}
