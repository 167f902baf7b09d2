import Foundation
import Tables

/// A file to write, by its path relative to the output folder.
public struct OutputFile: Sendable {
    public let path: String
    public let bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// Writes a set of files into a folder all or nothing: every file goes to a temporary name first
/// and is renamed into place only when all were written (``AtomicFileSet``). Folders that did not
/// exist are created, and removed again when anything fails.
public enum OutputFolder {
    public static func write(_ files: [OutputFile], to folder: String) throws(ReportError) {
        var created: [String] = []
        func undo() {
            for directory in created.reversed() { rmdir(directory) }
        }
        do {
            for directory in uniqued([folder] + files.map { file in
                let directory = (file.path as NSString).deletingLastPathComponent
                return directory.isEmpty ? folder : folder + "/" + directory
            }) {
                try make(directory, recording: &created)
            }
        } catch {
            undo()
            throw error
        }
        var set = AtomicFileSet()
        do {
            for file in files {
                try set.add(file.bytes, to: folder + "/" + file.path)
            }
            try set.commit()
        } catch {
            set.discard()
            undo()
            throw ReportError(error)
        }
    }

    /// Creates `path` and any missing parents, recording those it created (outermost first).
    private static func make(_ path: String, recording created: inout [String]) throws(ReportError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ReportError(.usage, file: path, message: "is a file, not a folder", hint: "give --out a folder")
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try make(parent, recording: &created) }
        guard mkdir(path, 0o755) == 0 else {
            throw ReportError(.usage, file: path, message: "cannot create the folder (\(String(cString: strerror(errno))))",
                              hint: "check the path and permissions of --out")
        }
        created.append(path)
    }
}
