import CInflate
import Foundation

/// Reads the parts of a zip archive (an .xlsx package) from a file: the table of contents from the
/// central directory (zip64 included), then one part at a time, inflated in chunks.
///
/// Every size and offset is checked against the file before it is used: a part never reads past
/// its declared compressed bytes nor past the end of the file, its output never past its declared
/// size, and its CRC-32 must match. A damaged archive therefore ends in an error at once; it can
/// neither spin at the end of the file (as ZIPFoundation's reader does on a deflate stream that
/// never ends, found by fuzzing) nor grow without bound.
final class ZipReader {
    struct Entry {
        let path: String
        let method: UInt16
        let flags: UInt16
        let crc32: UInt32
        let compressedSize: UInt64
        let uncompressedSize: UInt64
        let localHeaderOffset: UInt64
    }

    /// Why an archive cannot be read, in words for the "is not a readable .xlsx workbook: …" line.
    struct Damage: Error {
        let detail: String
    }

    private let descriptor: Int32
    let fileSize: UInt64
    private(set) var entries: [String: Entry] = [:]

    init(path: String) throws(Damage) {
        // (Non-blocking: a FIFO would wait for a writer before fstat could refuse it.)
        descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw Damage(detail: "it cannot be opened") }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw Damage(detail: "it is not a regular file")
        }
        fileSize = UInt64(info.st_size)
        // (Every property is set: on a failure here deinit closes the descriptor.)
        entries = try readDirectory()
    }

    deinit { close(descriptor) }

    subscript(path: String) -> Entry? { entries[path] }

    // MARK: - Table of contents

    private func readDirectory() throws(Damage) -> [String: Entry] {
        let notZip = Damage(detail: "it is not a zip archive, or its table of contents is damaged")
        // The end record is in the last 22 bytes plus a comment of at most 65,535.
        let tailLength = Int(min(fileSize, 22 + 65_535))
        guard tailLength >= 22 else { throw notZip }
        let tail = try read(at: fileSize - UInt64(tailLength), count: tailLength)
        var found: Int?
        var i = tailLength - 22
        while i >= 0 {
            if tail.u32(i) == 0x0605_4B50 && i + 22 + Int(tail.u16(i + 20)) <= tailLength { found = i; break }
            i -= 1
        }
        guard let end = found else { throw notZip }
        let endOffset = fileSize - UInt64(tailLength - end)
        var count = UInt64(tail.u16(end + 10))
        var directorySize = UInt64(tail.u32(end + 12))
        var directoryOffset = UInt64(tail.u32(end + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // zip64: a locator just before the end record names the zip64 end record.
            guard endOffset >= 20 else { throw notZip }
            let locator = try read(at: endOffset - 20, count: 20)
            guard locator.u32(0) == 0x0706_4B50 else { throw notZip }
            let recordOffset = locator.u64(8)
            guard recordOffset <= fileSize, fileSize - recordOffset >= 56 else { throw notZip }
            let record = try read(at: recordOffset, count: 56)
            guard record.u32(0) == 0x0606_4B50 else { throw notZip }
            count = record.u64(32)
            directorySize = record.u64(40)
            directoryOffset = record.u64(48)
        }
        guard directoryOffset <= endOffset, directorySize <= endOffset - directoryOffset, count <= directorySize / 46,
              directorySize <= 256 << 20 else { throw notZip }
        let directory = try read(at: directoryOffset, count: Int(directorySize))
        var entries: [String: Entry] = [:]
        var at = 0
        for _ in 0..<count {
            guard at + 46 <= directory.count, directory.u32(at) == 0x0201_4B50 else { throw notZip }
            let nameLength = Int(directory.u16(at + 28)), extraLength = Int(directory.u16(at + 30)), commentLength = Int(directory.u16(at + 32))
            let next = at + 46 + nameLength + extraLength + commentLength
            guard next <= directory.count else { throw notZip }
            let path = String(decoding: directory[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            var uncompressed = UInt64(directory.u32(at + 24)), compressed = UInt64(directory.u32(at + 20))
            var offset = UInt64(directory.u32(at + 42))
            // zip64 extra field: the 8-byte values of those fields that hold 0xFFFFFFFF, in order.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let tag = directory.u16(extra), size = Int(directory.u16(extra + 2))
                guard extra + 4 + size <= extraEnd else { throw notZip }
                if tag == 0x0001 {
                    var field = extra + 4
                    func take(_ value: inout UInt64) throws(Damage) {
                        guard value == 0xFFFF_FFFF else { return }
                        guard field + 8 <= extra + 4 + size else { throw notZip }
                        value = directory.u64(field)
                        field += 8
                    }
                    try take(&uncompressed)
                    try take(&compressed)
                    try take(&offset)
                }
                extra += 4 + size
            }
            entries[path] = Entry(path: path, method: directory.u16(at + 10), flags: directory.u16(at + 8), crc32: directory.u32(at + 16),
                                  compressedSize: compressed, uncompressedSize: uncompressed, localHeaderOffset: offset)
            at = next
        }
        return entries
    }

    // MARK: - Parts

    /// Hands `body` the part's bytes in chunks of at most `chunk` bytes, in order.
    func extract(_ entry: Entry, chunk: Int = 1 << 18, _ body: (UnsafeBufferPointer<UInt8>) throws(TablesError) -> Void) throws(ExtractFailure) {
        let name = entry.path
        func damage(_ detail: String) -> ExtractFailure { .damaged(Damage(detail: "its part \(name) \(detail)")) }
        if entry.flags & 1 != 0 { throw damage("is encrypted") }
        guard entry.localHeaderOffset <= fileSize, fileSize - entry.localHeaderOffset >= 30 else { throw damage("starts beyond the end of the file") }
        let header: [UInt8]
        do { header = try read(at: entry.localHeaderOffset, count: 30) } catch { throw .damaged(error) }
        guard header.u32(0) == 0x0403_4B50 else { throw damage("has no local header where the table of contents says") }
        let dataOffset = entry.localHeaderOffset + 30 + UInt64(header.u16(26)) + UInt64(header.u16(28))
        guard dataOffset <= fileSize, entry.compressedSize <= fileSize - dataOffset else {
            throw damage("declares \(entry.compressedSize) compressed bytes, more than the file holds after it")
        }
        var crc: UInt = crc32(0, nil, 0)
        var produced: UInt64 = 0
        var position = dataOffset
        var remaining = entry.compressedSize
        var input = [UInt8](repeating: 0, count: chunk)
        func nextInput() throws(ExtractFailure) -> Int {
            let n = Int(min(UInt64(chunk), remaining))
            var done = 0
            while done < n {
                let got = input.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, n - done, off_t(position) + off_t(done)) }
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { throw damage("cannot be read to its end (the file is cut short)") }
                done += got
            }
            position += UInt64(n)
            remaining -= UInt64(n)
            return n
        }
        func emit(_ bytes: UnsafeBufferPointer<UInt8>) throws(ExtractFailure) {
            produced += UInt64(bytes.count)
            guard produced <= entry.uncompressedSize else { throw damage("holds more than its declared \(entry.uncompressedSize) bytes") }
            crc = crc32(crc, bytes.baseAddress, uInt(bytes.count))
            do { try body(bytes) } catch { throw .refused(error) }
        }
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else { throw damage("is stored with two different sizes") }
            while remaining > 0 {
                let n = try nextInput()
                try input.withUnsafeBufferPointer { (b) throws(ExtractFailure) in try emit(UnsafeBufferPointer(rebasing: b[0..<n])) }
            }
        case 8:
            var stream = z_stream()
            guard inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw damage("cannot be decompressed (zlib did not start)")
            }
            defer { inflateEnd(&stream) }
            var output = [UInt8](repeating: 0, count: chunk)
            var ended = false
            while !ended {
                guard remaining > 0 else { throw damage("ends before its compressed data does") }
                let n = try nextInput()
                var failure: ExtractFailure?
                input.withUnsafeMutableBufferPointer { inputBuffer in
                    stream.next_in = inputBuffer.baseAddress
                    stream.avail_in = uInt(n)
                    repeat {
                        let status = output.withUnsafeMutableBufferPointer { out -> Int32 in
                            stream.next_out = out.baseAddress
                            stream.avail_out = uInt(chunk)
                            return inflate(&stream, Z_NO_FLUSH)
                        }
                        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                            failure = damage("cannot be decompressed (its compressed data is damaged)")
                            return
                        }
                        let made = chunk - Int(stream.avail_out)
                        do throws(ExtractFailure) {
                            try output.withUnsafeBufferPointer { (b) throws(ExtractFailure) in try emit(UnsafeBufferPointer(rebasing: b[0..<made])) }
                        } catch {
                            failure = error
                            return
                        }
                        if status == Z_STREAM_END { ended = true; return }
                        // Z_BUF_ERROR with nothing made: the input is used up, read more.
                        if status == Z_BUF_ERROR && made == 0 { return }
                    } while stream.avail_in > 0 || stream.avail_out == 0
                }
                if let failure { throw failure }
            }
        default:
            throw damage("is compressed by method \(entry.method), which is not used in Excel workbooks")
        }
        guard produced == entry.uncompressedSize else { throw damage("holds \(produced) bytes where it declares \(entry.uncompressedSize)") }
        guard UInt32(truncatingIfNeeded: crc) == entry.crc32 else { throw damage("fails its checksum (CRC-32)") }
    }

    enum ExtractFailure: Error {
        /// The archive is damaged (wording for `Workbook.damaged`).
        case damaged(Damage)
        /// `body` refused the bytes.
        case refused(TablesError)
    }

    // MARK: - Bytes

    private func read(at offset: UInt64, count: Int) throws(Damage) -> [UInt8] {
        guard count >= 0, offset <= fileSize, UInt64(count) <= fileSize - offset else {
            throw Damage(detail: "its table of contents points beyond the end of the file")
        }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { throw Damage(detail: "it cannot be read to its end (the file is cut short)") }
            done += got
        }
        return bytes
    }
}

private extension Array where Element == UInt8 {
    func u16(_ i: Int) -> UInt16 { UInt16(self[i]) | UInt16(self[i + 1]) << 8 }
    func u32(_ i: Int) -> UInt32 { UInt32(u16(i)) | UInt32(u16(i + 2)) << 16 }
    func u64(_ i: Int) -> UInt64 { UInt64(u32(i)) | UInt64(u32(i + 4)) << 32 }
}
