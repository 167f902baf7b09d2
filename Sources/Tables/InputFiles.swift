#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The files this process has read as inputs (tables, definitions, manifests, stores), which no
/// output may replace: ``AtomicFileSet`` refuses an output that is one of them, whatever the path
/// that names it (a link, `./x`, another hard link), by comparing device and inode.
///
/// Readers register what they open (``ByteBuffer`` for every table, the YAML reader, the manifest
/// reader, the SQLite store); a command that reads a file some other way registers it itself.
public enum InputFiles {
    struct Identity: Hashable, Sendable {
        let device: UInt64
        let inode: UInt64
    }

    private static let known = Mutex<[Identity: String]>([:])

    /// Records `path` (as the user named it) as an input of this process. A path that does not
    /// exist (yet) is ignored.
    public static func register(_ path: String) {
        guard let identity = identity(of: path) else { return }
        remember(identity, path)
    }

    /// Records an open file descriptor as the input `path`.
    static func register(descriptor fd: Int32, path: String) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return }
        remember(Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)), path)
    }

    /// Keeps the first name an input was read by, unless that name is gone or is now another
    /// file: a deleted input's inode given to a new file must not leave the new file unknown.
    private static func remember(_ identity: Identity, _ path: String) {
        known.withLock { k in
            if let first = k[identity], first != path, self.identity(of: first) == identity { return }
            k[identity] = path
        }
    }

    /// How the input at `path` was named when it was read, when it is one. An input since
    /// deleted or replaced no longer counts: a long-running process (`pingyi serve`) would
    /// otherwise refuse a new file that happens to get a deleted input's inode.
    public static func input(at path: String) -> String? {
        guard let identity = identity(of: path) else { return nil }
        guard let named = known.withLock({ $0[identity] }) else { return nil }
        if self.identity(of: named) == identity { return named }
        known.withLock { if $0[identity] == named { $0[identity] = nil } }
        return nil
    }

    /// Forgets every input (for tests that run several commands in one process).
    public static func reset() {
        known.withLock { $0.removeAll() }
    }

    static func identity(of path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

/// Refuses, before any work is done, an output path that ``AtomicFileSet`` would refuse (an
/// input, a store, a device…), for commands that change a store before they write a file.
public func checkOutput(_ path: String, database: Bool = false) throws(TablesError) {
    _ = try OutputTarget.resolve(path, database: database)
}

/// Where an output named `path` may be written, or why it may not.
enum OutputTarget {
    /// The first 16 bytes of every SQLite database file.
    static let sqliteMagic: [UInt8] = Array("SQLite format 3".utf8) + [0]

    /// The regular file the output replaces (the target of a symbolic link, so that the link
    /// stays a link), after refusing outputs that would destroy something: an input of this
    /// process, an SQLite database (unless `database`), a directory, device, FIFO or socket,
    /// a link to nowhere.
    static func resolve(_ path: String, database: Bool) throws(TablesError) -> String {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            // A new file (or a folder that does not exist: creating the file says so).
            return path
        }
        var target = path
        if (info.st_mode & S_IFMT) == S_IFLNK {
            guard let resolved = realpath(path, nil) else {
                throw TablesError(.output, file: path, message: "is a symbolic link to a file that does not exist",
                                  hint: "remove the link, or name the output file itself")
            }
            target = String(cString: resolved)
            free(resolved)
            guard stat(target, &info) == 0 else { return target }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR:
            throw TablesError(.output, file: path, message: "is a folder, not a file", hint: "name a file inside it for the output")
        case S_IFIFO:
            throw TablesError(.output, file: path, message: "is a FIFO (named pipe), not a regular file",
                              hint: "pingyi writes its outputs whole to regular files; name a file, then copy it where it should go")
        case S_IFCHR, S_IFBLK:
            throw TablesError(.output, file: path, message: "is a device, not a regular file",
                              hint: "pingyi writes its outputs whole to regular files; name a file for the output")
        default:
            throw TablesError(.output, file: path, message: "is not a regular file", hint: "name a regular file for the output")
        }
        if let input = InputFiles.input(at: target) {
            let same = input == path ? "" : " (read as \(input))"
            throw TablesError(.output, file: path, message: "is also an input of this command\(same); writing it would destroy it",
                              hint: "name another output file")
        }
        if !database && startsWithSQLiteMagic(target) {
            throw TablesError(.output, file: path, message: "is an SQLite database (a pingyi store?); an output must not replace it",
                              hint: "name another output file")
        }
        return target
    }

    static func startsWithSQLiteMagic(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: sqliteMagic.count)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return n == sqliteMagic.count && head == sqliteMagic
    }
}
