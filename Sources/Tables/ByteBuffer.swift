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
    /// The mapped file, kept open so that ``copy(from:count:)`` reads released pages without
    /// faulting them back in; -1 when allocated.
    private let descriptor: Int32

    /// Takes ownership of `count` bytes at `base`, allocated with `count + padding` capacity.
    private init(base: UnsafeMutablePointer<UInt8>, count: Int, mappedLength: Int = 0, descriptor: Int32 = -1) {
        self.base = base
        self.count = count
        self.mappedLength = mappedLength
        self.descriptor = descriptor
    }

    /// Whether the bytes are a file mapped into memory, whose pages can be released and read again.
    var isMapped: Bool { mappedLength > 0 }

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
    /// - Parameter populate: whether a mapped file's pages are all read in at once; a reader that
    ///   goes through a large file a part at a time (``prefault(_:)``, ``release(_:)``) says no.
    static func read(path: String, populate wantsPopulate: Bool = true) throws(TablesError) -> ByteBuffer {
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
        if (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 1 << 16,
           let mapped = map(fd: fd, size: Int(info.st_size), populate: wantsPopulate) {
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
    private static func map(fd: Int32, size: Int, populate wantsPopulate: Bool) -> ByteBuffer? {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = (size + padding + page - 1) / page * page + page
        guard let region = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              region != MAP_FAILED
        else { return nil }
        guard let file = mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | (wantsPopulate ? populate : 0), fd, 0),
              file != MAP_FAILED
        else {
            munmap(region, length)
            return nil
        }
        let kept = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        return ByteBuffer(base: file.assumingMemoryBound(to: UInt8.self), count: size, mappedLength: length, descriptor: kept)
    }

    deinit {
        if mappedLength > 0 {
            munmap(base, mappedLength)
            if descriptor >= 0 { close(descriptor) }
        } else {
            base.deallocate()
        }
    }

    /// The whole pages inside `range`, as an address and a length (nil when there are none).
    private func pages(in range: Range<Int>, outward: Bool) -> (UnsafeMutableRawPointer, Int)? {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let address = Int(bitPattern: base)
        let start = outward ? (address + range.lowerBound) & ~(page - 1) : (address + range.lowerBound + page - 1) & ~(page - 1)
        let end = outward ? (address + range.upperBound + page - 1) & ~(page - 1) : (address + range.upperBound) & ~(page - 1)
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return nil }
        return (pointer, end - start)
    }

    /// Reads the mapped file's pages over `range` in now, in one call rather than a fault per
    /// page. Nothing for allocated bytes.
    func prefault(_ range: Range<Int>) {
        #if os(Linux)
        guard isMapped, let (pointer, length) = pages(in: range.clamped(to: 0..<count), outward: true) else { return }
        let populateRead: Int32 = 22  // MADV_POPULATE_READ (Linux 5.14); older kernels refuse it
        if madvise(pointer, length, populateRead) != 0 { _ = madvise(pointer, length, MADV_WILLNEED) }
        #endif
    }

    /// Gives the mapped file's pages wholly inside `range` back to the system; reading them again
    /// reads the file again. Nothing for allocated bytes, which would be lost.
    func release(_ range: Range<Int>) {
        #if os(Linux)
        guard isMapped, let (pointer, length) = pages(in: range.clamped(to: 0..<count), outward: false) else { return }
        _ = madvise(pointer, length, MADV_DONTNEED)
        #endif
    }

    /// A copy of `count` bytes from `offset` (within the buffer); a mapped file's are read from
    /// the file, so pages given back stay given back.
    func copy(from offset: Int, count wanted: Int) -> [UInt8] {
        let n = max(0, min(wanted, count - offset))
        return [UInt8](unsafeUninitializedCapacity: n) { out, initialized in
            var done = 0
            if descriptor >= 0 {
                while done < n {
                    let got = pread(descriptor, out.baseAddress! + done, n - done, off_t(offset + done))
                    if got < 0 && errno == EINTR { continue }
                    if got <= 0 { break }
                    done += got
                }
            }
            // Allocated bytes, or a file that could not be read again: from memory.
            if done < n { (out.baseAddress! + done).update(from: base + offset + done, count: n - done) }
            initialized = n
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

    /// Calls `body` with the file's bytes a block at a time, in order (a regular file only).
    public static func forEachBlock(path: String, blockSize: Int = 4 << 20, _ body: (UnsafeRawBufferPointer) -> Void) throws(TablesError) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw TablesError(.io, file: path, message: "is not a regular file that can be read", hint: "name a file")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw TablesError(.io, file: path, message: "cannot open the file (\(String(cString: strerror(errno))))",
                              hint: "check the path and that the file is readable")
        }
        defer { close(fd) }
        let block = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16)
        defer { block.deallocate() }
        while true {
            let n = systemRead(fd, block, blockSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw TablesError(.io, file: path, message: "cannot read the file (\(String(cString: strerror(errno))))",
                                  hint: "check the disk and permissions")
            }
            if n == 0 { return }
            body(UnsafeRawBufferPointer(start: block, count: n))
        }
    }
}
