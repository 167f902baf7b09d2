#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that readers see either the old file or the whole new one, never a part:
/// each file is written to a temporary name in the same directory, flushed to disk, then renamed
/// over the target. ``commit()`` renames all files of a set only after every one was written, so
/// a failure leaves none of them behind.
public struct AtomicFileSet {
    private var pending: [(temporary: String, target: String)] = []

    public init() {}

    /// Writes `bytes` to a temporary file beside `path`; it takes `path`'s place at ``commit()``.
    public mutating func add(_ bytes: [UInt8], to path: String) throws(TablesError) {
        let temporary = AtomicFileSet.temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            throw TablesError(.io, file: path, message: "cannot create the output file (\(reason))",
                              hint: "check that the directory exists and is writable")
        }
        var written = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += n
            }
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure != 0 {
            unlink(temporary)
            discard()
            throw TablesError(.io, file: path, message: "cannot write the output file (\(String(cString: strerror(failure))))",
                              hint: "check free disk space and permissions")
        }
        pending.append((temporary, path))
    }

    /// Moves every written file into place.
    public mutating func commit() throws(TablesError) {
        for (i, file) in pending.enumerated() where rename(file.temporary, file.target) != 0 {
            let reason = String(cString: strerror(errno))
            for rest in pending[i...] { unlink(rest.temporary) }
            pending = []
            throw TablesError(.io, file: file.target, message: "cannot move the output into place (\(reason))",
                              hint: "check permissions on the output directory")
        }
        pending = []
    }

    /// Removes the temporary files written so far.
    public mutating func discard() {
        for file in pending { unlink(file.temporary) }
        pending = []
    }

    static func temporaryPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(directory).\(name).tmp-\(getpid())"
    }
}

/// Writes one file atomically (see ``AtomicFileSet``).
public func writeAtomically(_ bytes: [UInt8], to path: String) throws(TablesError) {
    var set = AtomicFileSet()
    try set.add(bytes, to: path)
    try set.commit()
}
