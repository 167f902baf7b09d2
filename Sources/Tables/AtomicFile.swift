#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that readers see either the old file or the whole new one, never a part:
/// each file is written to a temporary name in the same directory, flushed to disk, then renamed
/// over the target. ``commit()`` renames all files of a set only after every one was written, so
/// a failure leaves none of them behind.
///
/// Before anything is written, an output that would destroy something is refused
/// (``TablesError/Kind/output``): one of the command's inputs (``InputFiles``, compared by device
/// and inode, so another name for the same file is caught too), an SQLite database (unless the
/// command writes databases), a folder, device, FIFO or socket, a link to nowhere. An output
/// named by a symbolic link replaces the link's target; the link stays.
public struct AtomicFileSet {
    private var pending: [(temporary: String, target: String)] = []

    public init() {}

    /// Writes `bytes` to a temporary file beside `path`; it takes `path`'s place at ``commit()``.
    /// - Parameters:
    ///   - database: the output is an SQLite database and may replace one (a backup).
    ///   - mode: the file's permissions (0600 for a copy of a store: it holds personal data).
    public mutating func add(_ bytes: [UInt8], to path: String, database: Bool = false, mode: UInt32 = 0o644) throws(TablesError) {
        let target: String
        do {
            target = try OutputTarget.resolve(path, database: database)
        } catch {
            discard()
            throw error
        }
        if pending.contains(where: { $0.target == target }) {
            discard()
            throw TablesError(.output, file: path, message: "is named for two outputs of this command", hint: "give each output its own file")
        }
        let temporary = AtomicFileSet.temporaryPath(for: target)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            throw TablesError(.write, file: path, message: "cannot create the output file (\(reason))",
                              hint: "check that the folder exists and is writable")
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
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            discard()
            let previous = access(target, F_OK) == 0 ? "; the previous file is unchanged" : ""
            throw TablesError(.write, file: path, message: "cannot write the output file (\(String(cString: strerror(failure))))\(previous)",
                              hint: failure == ENOSPC ? "free disk space, then run the command again" : "check free disk space and permissions")
        }
        pending.append((temporary, target))
    }

    /// Moves every written file into place.
    public mutating func commit() throws(TablesError) {
        for (i, file) in pending.enumerated() where rename(file.temporary, file.target) != 0 {
            let reason = String(cString: strerror(errno))
            for rest in pending[i...] { unlink(rest.temporary) }
            pending = []
            throw TablesError(.write, file: file.target, message: "cannot move the output into place (\(reason))",
                              hint: "check permissions on the output directory")
        }
        pending = []
    }

    /// Removes the temporary files written so far.
    public mutating func discard() {
        for file in pending { unlink(file.temporary) }
        pending = []
    }

    /// The temporary file beside `path` that an output is written to before it takes its place.
    public static func temporaryPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(directory).\(name).tmp-\(getpid())"
    }
}

/// Writes one file atomically (see ``AtomicFileSet``).
public func writeAtomically(_ bytes: [UInt8], to path: String, database: Bool = false, mode: UInt32 = 0o644) throws(TablesError) {
    var set = AtomicFileSet()
    try set.add(bytes, to: path, database: database, mode: mode)
    try set.commit()
}
