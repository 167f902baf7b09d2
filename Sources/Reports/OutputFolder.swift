public import Composite
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
        do throws(ReportError) {
            for directory in uniqued([folder] + files.map { file in
                let directory = directoryPart(of: file.path)
                return directory.isEmpty ? folder : folder + "/" + directory
            }) {
                try make(directory, recording: &created)
            }
            // A folder where a file goes would only fail at the renames, after others were moved.
            for file in files {
                var isDirectory: ObjCBool = false
                let target = folder + "/" + file.path
                if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
                    throw ReportError(.usage, file: target, message: "is a folder", hint: "a file of the report cannot take its place")
                }
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
        let parent = directoryPart(of: path)
        if !parent.isEmpty && parent != path { try make(parent, recording: &created) }
        guard mkdir(path, 0o755) == 0 else {
            throw ReportError(.usage, file: path, message: "cannot create the folder (\(String(cString: strerror(errno))))",
                              hint: "check the path and permissions of --out")
        }
        created.append(path)
    }
}

/// The part of a path before its last `/` ("" for a bare name, "/" for a file at the root).
func directoryPart(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}
