#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// read(2), named apart from ``ByteBuffer/read(path:)``.
#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Musl)
private let systemRead = Musl.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif

/// Pre-faulting a mapping (Linux's MAP_POPULATE), where the system has it.
#if os(Linux)
private let populate = MAP_POPULATE
#else
private let populate: Int32 = 0
#endif

/// An immutable block of bytes that owns its memory, with at least 16 zero bytes after the end so
/// scanners may read a little past the last byte and C number parsers always meet a terminator.
final class ByteBuffer: @unchecked Sendable {
    static let padding = 16
    let base: UnsafeMutablePointer<UInt8>
    let count: Int
    /// The length of the mapping when the bytes are a memory-mapped file; 0 when allocated.
    private let mappedLength: Int

    /// Takes ownership of `count` bytes at `base`, allocated with `count + padding` capacity.
    private init(base: UnsafeMutablePointer<UInt8>, count: Int, mappedLength: Int = 0) {
        self.base = base
        self.count = count
        self.mappedLength = mappedLength
    }

    /// Allocates a zeroed buffer of `count` bytes (plus padding) for the caller to fill.
    static func allocate(count: Int) -> ByteBuffer {
        let base = UnsafeMutablePointer<UInt8>.allocate(capacity: count + padding)
        base.initialize(repeating: 0, count: count + padding)
        return ByteBuffer(base: base, count: count)
    }

    /// Copies `bytes` into a new buffer.
    convenience init(_ bytes: some Collection<UInt8>) {
        let count = bytes.count
        let base = UnsafeMutablePointer<UInt8>.allocate(capacity: count + ByteBuffer.padding)
        var i = 0
        for b in bytes {
            base[i] = b
            i += 1
        }
        (base + count).initialize(repeating: 0, count: ByteBuffer.padding)
        self.init(base: base, count: count)
    }

    /// Reads a whole file into memory.
    static func read(path: String) throws(TablesError) -> ByteBuffer {
        // Opening a FIFO blocks until a writer comes: look at what the path is first (and open
        // without blocking, should it change in between).
        var before = stat()
        if stat(path, &before) == 0, (before.st_mode & S_IFMT) == S_IFIFO {
            throw TablesError(.io, file: path, message: "is a FIFO (named pipe), not a regular file",
                              hint: "save the input to a file and name the file")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw TablesError(.io, file: path, message: "cannot open the file (\(reason))",
                              hint: "check the path and that the file is readable")
        }
        defer { close(fd) }
        InputFiles.register(descriptor: fd, path: path)
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw TablesError(.io, file: path, message: "cannot read the file's size", hint: "check that it is a regular file")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR:
            throw TablesError(.io, file: path, message: "this is a directory, not a file", hint: "give the path of a CSV file")
        case S_IFIFO:
            // A pipe may never end (a process writing /dev/zero): only files are read.
            throw TablesError(.io, file: path, message: "is a FIFO (named pipe), not a regular file",
                              hint: "save the input to a file and name the file")
        case S_IFCHR, S_IFBLK:
            throw TablesError(.io, file: path, message: "is a device, not a regular file", hint: "name a file")
        default:
            throw TablesError(.io, file: path, message: "is not a regular file", hint: "name a file")
        }
        if (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 1 << 16, let mapped = map(fd: fd, size: Int(info.st_size)) {
            return mapped
        }
        var capacity = max(Int(info.st_size), 0)
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + padding)
        var used = 0
        while true {
            if used == capacity {
                // A file that grows while it is read: keep reading until end of file.
                let bigger = max(capacity * 2, 1 << 16)
                let next = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger + padding)
                next.update(from: buffer, count: used)
                buffer.deallocate()
                buffer = next
                capacity = bigger
            }
            let n = systemRead(fd, buffer + used, capacity - used)
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                buffer.deallocate()
                throw TablesError(.io, file: path, message: "cannot read the file (\(reason))", hint: "check the disk and permissions")
            }
            if n == 0 { break }
            used += n
        }
        (buffer + used).initialize(repeating: 0, count: padding)
        return ByteBuffer(base: buffer, count: used)
    }

    /// Maps a regular file read-only, followed by at least `padding` zero bytes: the file is mapped
    /// over an anonymous zeroed region one page longer than it, so reading past its end is safe.
    private static func map(fd: Int32, size: Int) -> ByteBuffer? {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = (size + padding + page - 1) / page * page + page
        guard let region = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              region != MAP_FAILED
        else { return nil }
        guard let file = mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | populate, fd, 0),
              file != MAP_FAILED
        else {
            munmap(region, length)
            return nil
        }
        return ByteBuffer(base: file.assumingMemoryBound(to: UInt8.self), count: size, mappedLength: length)
    }

    deinit {
        if mappedLength > 0 {
            munmap(base, mappedLength)
        } else {
            base.deallocate()
        }
    }

    subscript(_ i: Int) -> UInt8 {
        @inline(__always) get { base[i] }
    }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// The 1-based line and character column of byte `offset` (for error messages).
    func location(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        let end = min(offset, count)
        var i = 0
        while i < end {
            if base[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        // Count characters, not bytes: every byte that is not a UTF-8 continuation byte.
        var column = 1
        i = lineStart
        while i < end {
            if base[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (line, column)
    }
}

/// Asks the kernel to back a large fresh allocation with transparent huge pages, so that filling
/// it takes a few hundred page faults instead of tens of thousands. Only whole 2 MiB pages inside
/// the range are advised; small ranges are left alone. Harmless where the kernel says no.
@inline(__always)
func adviseHugePages(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
    let huge = 2 << 20
    guard byteCount >= 2 * huge else { return }
    let start = (Int(bitPattern: pointer) + huge - 1) & ~(huge - 1)
    let end = (Int(bitPattern: pointer) + byteCount) & ~(huge - 1)
    guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
    #if os(Linux)
    _ = madvise(aligned, end - start, MADV_HUGEPAGE)
    #endif
}

/// Reads a whole UTF-8 text file (a definition, a manifest) as an input of this process
/// (``InputFiles``): only regular files; the first invalid byte is reported with its line and
/// column. A UTF-8 byte-order mark is skipped.
/// - Parameter name: how messages name the file (default: `path`).
public func readTextFile(path: String, name: String? = nil) throws(TablesError) -> String {
    let display = name ?? path
    let buffer: ByteBuffer
    do {
        buffer = try ByteBuffer.read(path: path)
    } catch {
        throw TablesError(error.kind, file: display, line: error.line, column: error.column, message: error.message, hint: error.hint)
    }
    let start = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0
    if let bad = TextDecoder.firstInvalidUTF8(buffer.base, from: start, to: buffer.count) {
        let (line, column) = buffer.location(of: bad)
        throw TablesError(.encoding, file: display, line: line, column: column, message: "invalid UTF-8 byte \(hexByte(buffer[bad]))",
                          hint: "save the file as UTF-8")
    }
    return String(decoding: UnsafeBufferPointer(start: buffer.base + start, count: buffer.count - start), as: UTF8.self)
}

/// A file's bytes in memory (memory-mapped when large), for hashing or scanning without copies.
public final class FileBytes: @unchecked Sendable {
    private let buffer: ByteBuffer

    /// Reads or maps the file at `path`.
    public init(path: String) throws(TablesError) {
        buffer = try ByteBuffer.read(path: path)
    }

    /// Calls `body` with the bytes; they stay valid only during the call.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: buffer.base, count: buffer.count))
    }

    public var count: Int { buffer.count }
}
