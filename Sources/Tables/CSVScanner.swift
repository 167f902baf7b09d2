import Synchronization

/// Phase one of CSV reading: find every record and field boundary (RFC 4180).
///
/// For each record the scanner stores the offset where it starts and, for each field, the offset
/// of the byte that ends it (the delimiter, the line feed, or the carriage return of a CRLF). A
/// field's start is its record's start for the first field and one past the previous field's end
/// for the others. Offsets are 32-bit and relative to the chunk, so a chunk covers at most 2 GiB.
///
/// Offsets are laid out in blocks of ``FieldBlocks/blockRows`` records: within a block, first the
/// record starts, then the ends of field 1 for every record, then field 2, and so on. Phase two
/// reads one column at a time, so this keeps its reads sequential.
///
/// Blank lines are skipped, as R's `read.csv` does. A field that starts with a double quote is
/// quoted: it may hold delimiters, line breaks and doubled quotes, and must be followed by a
/// delimiter or the end of the record.
struct ScannedChunk: Sendable {
    /// Absolute offset that the chunk's relative offsets count from.
    var base: Int
    var offsets = FieldBlocks()
    var rowCount = 0
    /// Absolute offset just past the last record scanned.
    var end: Int
    /// A problem found in this chunk: raised only if the chunk's start proves to be a record start.
    var failure: ScanFailure?
    /// Lines are counted from 0 at the chunk's start. Each entry is a record (by index in the
    /// chunk) whose line is not one more than the previous record's, with its line; the first
    /// record always has an entry.
    var lineJumps: [LineJump] = []
    /// Line feeds consumed by the chunk: its length in lines.
    var lineCount = 0

    /// Calls `body(rowOffset, count, starts, startAdjust, ends)` for each block of records: field
    /// `column` of record `rowOffset + r` spans `base + starts[r] + startAdjust ..< base + ends[r]`.
    @inline(__always)
    func forEachBlock(column: Int, columns: Int,
                      _ body: (Int, Int, UnsafePointer<UInt32>, Int, UnsafePointer<UInt32>) -> Bool) -> Bool {
        let rowsPerBlock = FieldBlocks.blockRows
        let stride = rowsPerBlock * (columns + 1)
        var blockBase = 0
        var row = 0
        let pointer = UnsafePointer(offsets.pointer)
        while row < rowCount {
            let n = min(rowsPerBlock, rowCount - row)
            let starts = pointer + blockBase + column * rowsPerBlock
            let ends = pointer + blockBase + (column + 1) * rowsPerBlock
            if !body(row, n, starts, column == 0 ? 0 : 1, ends) { return false }
            blockBase += stride
            row += n
        }
        return true
    }
}

/// Where and why scanning stopped.
struct ScanFailure: Sendable {
    enum Reason: Sendable {
        case unclosedQuote(field: Int)
        case textAfterQuote(field: Int)
        case fieldCount(found: Int)
    }
    /// Absolute offset of the problem.
    var offset: Int
    var reason: Reason
}

/// A record whose line number does not follow from the previous record's.
struct LineJump: Sendable {
    var row: Int
    var line: Int
}

struct CSVScanner: Sendable {
    let buffer: ByteBuffer
    let fileEnd: Int
    let delimiter: UInt8
    let columns: Int
    /// Where the offsets of chunks no longer used are kept for the next chunks (a read a segment
    /// at a time); nil to give them back at once.
    var pool: FieldBlocks.Pool? = nil

    /// Scans whole records starting at `start` for as long as a record starts before `limit`.
    /// `start` must be the start of a record for the result to be right; callers that guess a
    /// start check it against the previous chunk's `end`.
    func scan(from start: Int, limit: Int) -> ScannedChunk {
        var chunk = ScannedChunk(base: start, end: start)
        let p = buffer.base
        let delim = delimiter
        let columns = columns
        let fileEnd = fileEnd
        let base = start
        let rowsPerBlock = FieldBlocks.blockRows
        let blockSize = rowsPerBlock * (columns + 1)
        let estimatedRows = max((limit - start) / max(columns * 6, 1), 16)
        // Output kept in locals: appends through a class or an array cost more than the scan.
        var out = FieldBlocks.Writer(capacity: (estimatedRows / rowsPerBlock + 1) * blockSize, pool: pool)
        var blockBase = 0
        var rowInBlock = 0
        var rows = 0
        out.reserve(blockSize)
        let delimiterPattern = UInt64(delim) &* 0x0101_0101_0101_0101
        let lineFeedPattern: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        var pos = start
        var line = 0
        var expectedLine = -1
        records: while pos < limit && pos < fileEnd {
            // Skip blank lines.
            if p[pos] == 0x0A {
                pos += 1
                line += 1
                continue
            }
            if p[pos] == 0x0D && p[pos + 1] == 0x0A {
                pos += 2
                line += 1
                continue
            }
            if line != expectedLine {
                chunk.lineJumps.append(LineJump(row: rows, line: line))
            }
            expectedLine = line + 1
            let recordStart = pos
            out[blockBase + rowInBlock] = UInt32(truncatingIfNeeded: pos - base)
            var slot = blockBase + rowsPerBlock + rowInBlock
            var field = 0
            while true {
                let fieldStart = pos
                var terminator: UInt8
                if p[pos] == 0x22 {
                    // Quoted field: find the closing quote, stepping over doubled quotes.
                    pos += 1
                    while true {
                        guard let q = findQuote(from: pos, lines: &line) else {
                            chunk.failure = ScanFailure(offset: fieldStart, reason: .unclosedQuote(field: field))
                            break records
                        }
                        if p[q + 1] == 0x22 && q + 1 < fileEnd {
                            pos = q + 2
                        } else {
                            pos = q + 1
                            break
                        }
                    }
                    terminator = pos < fileEnd ? p[pos] : 0x0A
                    if terminator == 0x0D && p[pos + 1] == 0x0A {
                        terminator = 0x0A
                        out[slot] = UInt32(truncatingIfNeeded: pos - base)
                        pos += 1
                    } else if terminator == delim || terminator == 0x0A {
                        out[slot] = UInt32(truncatingIfNeeded: min(pos, fileEnd) - base)
                    } else {
                        chunk.failure = ScanFailure(offset: pos, reason: .textAfterQuote(field: field))
                        break records
                    }
                } else {
                    // Unquoted field: up to the delimiter, the line feed or the end of the file,
                    // eight bytes at a time.
                    while true {
                        let word = UnsafeRawPointer(p + pos).loadUnaligned(as: UInt64.self)
                        let hits = zeroBytes(word ^ delimiterPattern) | zeroBytes(word ^ lineFeedPattern) | zeroBytes(word)
                        if hits == 0 {
                            pos += 8
                            continue
                        }
                        pos += hits.trailingZeroBitCount >> 3
                        let c = p[pos]
                        if c == delim || c == 0x0A || pos >= fileEnd { break }
                        pos += 1  // a zero byte inside the data
                    }
                    terminator = pos < fileEnd ? p[pos] : 0x0A
                    var end = pos
                    if terminator == 0x0A && end > fieldStart && p[end - 1] == 0x0D { end -= 1 }
                    out[slot] = UInt32(truncatingIfNeeded: end - base)
                }
                field += 1
                pos += 1
                if terminator == 0x0A {
                    line += 1
                    break
                }
                if field >= columns {
                    chunk.failure = ScanFailure(offset: recordStart, reason: .fieldCount(found: countFields(from: recordStart)))
                    break records
                }
                slot += rowsPerBlock
            }
            if field != columns {
                chunk.failure = ScanFailure(offset: recordStart, reason: .fieldCount(found: field))
                break records
            }
            rows += 1
            rowInBlock += 1
            if rowInBlock == rowsPerBlock {
                rowInBlock = 0
                blockBase += blockSize
                out.reserve(blockBase + blockSize)
            }
        }
        chunk.offsets = out.finish()
        chunk.rowCount = rows
        chunk.end = min(pos, fileEnd)
        chunk.lineCount = line
        return chunk
    }

    /// The offset of the next double quote at or after `from`, or nil at the end of the file;
    /// counts the line feeds passed.
    @inline(__always)
    private func findQuote(from: Int, lines: inout Int) -> Int? {
        let p = buffer.base
        var i = from
        while i < fileEnd {
            let c = p[i]
            if c == 0x22 { return i }
            if c == 0x0A { lines += 1 }
            i += 1
        }
        return nil
    }

    /// Counts the fields of the record starting at `offset`, for the ragged-row message.
    private func countFields(from offset: Int) -> Int {
        var fields = 1
        var pos = offset
        let p = buffer.base
        var quoted = false
        while pos < fileEnd {
            let c = p[pos]
            if c == 0x22 { quoted.toggle() }
            if !quoted {
                if c == 0x0A { break }
                if c == delimiter { fields += 1 }
            }
            pos += 1
        }
        return fields
    }
}

/// A word with the high bit set in the lowest byte of `x` that is zero (bits above the first
/// zero byte may be set spuriously, so only the lowest set bit is meaningful).
@inline(__always)
func zeroBytes(_ x: UInt64) -> UInt64 {
    (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
}

/// Record and field offsets in blocks (see ``ScannedChunk``), in memory this object owns.
/// Immutable once built.
final class FieldBlocks: @unchecked Sendable {
    /// Records per block: 4096 records of 32-bit offsets keep each column's run at 16 KiB.
    static let blockRows = 4096

    let pointer: UnsafeMutablePointer<UInt32>
    private let capacity: Int
    private let pool: Pool?

    init() {
        pointer = .allocate(capacity: 1)
        capacity = 1
        pool = nil
    }

    fileprivate init(pointer: UnsafeMutablePointer<UInt32>, capacity: Int, pool: Pool?) {
        self.pointer = pointer
        self.capacity = capacity
        self.pool = pool
    }

    deinit {
        if let pool { pool.keep(pointer, capacity: capacity) } else { pointer.deallocate() }
    }

    /// Offsets memory given back by the chunks of one segment, for the next segment's: memory
    /// already in use is not zeroed again by the system (on a virtual machine, not faulted in
    /// again from the host), which for a frame of tens of millions of rows is a tenth of the read.
    /// Keeps at most `limit` buffers; the rest, and all it keeps when it goes, are deallocated.
    final class Pool: @unchecked Sendable {
        /// Each kept buffer's address and capacity.
        private let free = Mutex<[(address: UInt, capacity: Int)]>([])
        private let limit: Int

        init(limit: Int) { self.limit = limit }

        deinit {
            for b in free.withLock({ $0 }) { UnsafeMutablePointer<UInt32>(bitPattern: b.address)?.deallocate() }
        }

        /// The largest buffer kept, if any holds at least `capacity` offsets.
        fileprivate func take(capacity: Int) -> (pointer: UnsafeMutablePointer<UInt32>, capacity: Int)? {
            let kept = free.withLock { buffers -> (address: UInt, capacity: Int)? in
                guard let i = buffers.indices.max(by: { buffers[$0].capacity < buffers[$1].capacity }),
                      buffers[i].capacity >= capacity else { return nil }
                return buffers.remove(at: i)
            }
            guard let kept, let pointer = UnsafeMutablePointer<UInt32>(bitPattern: kept.address) else { return nil }
            return (pointer, kept.capacity)
        }

        fileprivate func keep(_ pointer: UnsafeMutablePointer<UInt32>, capacity: Int) {
            let address = UInt(bitPattern: pointer)
            let kept = free.withLock { buffers -> Bool in
                guard buffers.count < limit else { return false }
                buffers.append((address, capacity))
                return true
            }
            if !kept { pointer.deallocate() }
        }
    }

    /// Builds a ``FieldBlocks``; a value type so the scanning loop keeps it in registers.
    struct Writer {
        private var pointer: UnsafeMutablePointer<UInt32>
        private var capacity: Int
        private let pool: Pool?

        init(capacity: Int, pool: Pool? = nil) {
            self.pool = pool
            if let kept = pool?.take(capacity: max(capacity, 16)) {
                pointer = kept.pointer
                self.capacity = kept.capacity
            } else {
                self.capacity = max(capacity, 16)
                pointer = .allocate(capacity: self.capacity)
                adviseHugePages(UnsafeMutableRawPointer(pointer), byteCount: self.capacity * 4)
            }
        }

        subscript(_ i: Int) -> UInt32 {
            get { pointer[i] }
            @inline(__always) nonmutating set { pointer[i] = newValue }
        }

        /// Makes room for `count` offsets.
        mutating func reserve(_ count: Int) {
            guard count > capacity else { return }
            let bigger = max(capacity * 2, count)
            let next = UnsafeMutablePointer<UInt32>.allocate(capacity: bigger)
            adviseHugePages(UnsafeMutableRawPointer(next), byteCount: bigger * 4)
            next.update(from: pointer, count: capacity)
            pointer.deallocate()
            pointer = next
            capacity = bigger
        }

        /// Hands the memory to a ``FieldBlocks``; the writer must not be used afterwards.
        consuming func finish() -> FieldBlocks {
            FieldBlocks(pointer: pointer, capacity: capacity, pool: pool)
        }
    }
}
