/// A small pull scanner over XML bytes: enough for the parts of an .xlsx package that pingyi
/// reads (workbook, relationships, shared strings, styles, worksheets), fast enough to stream a
/// worksheet of millions of cells without making a string per tag.
///
/// It reports start tags (with their attributes left in place, looked up on demand), end tags and
/// text runs; it skips the XML declaration, processing instructions, comments and document type
/// declarations, and reports a CDATA section as raw text. Names are compared by their local part
/// (after any namespace prefix), since writers differ in the prefixes they use.
struct XMLScanner {
    enum Event {
        /// `<name …>` or `<name …/>`.
        case start(XMLTag)
        /// `</name>`: the local name's byte range.
        case end(Range<Int>)
        /// Character data between tags, still entity-encoded.
        case text(Range<Int>)
        /// A CDATA section's contents, taken literally.
        case cdata(Range<Int>)
    }

    let p: UnsafePointer<UInt8>
    let end: Int
    /// Where scanning resumes.
    var position: Int

    init(_ p: UnsafePointer<UInt8>, count: Int, from start: Int = 0) {
        self.p = p
        self.end = count
        self.position = start
    }

    /// The next event, or nil at the end of the bytes or before a construct the bytes end inside
    /// (then `position` stays at its start, so that a caller streaming the input can add more).
    mutating func next() -> Event? {
        let i = position
        guard i < end else { return nil }
        if p[i] != 0x3C {
            guard let lt = find(0x3C, from: i) else { return nil }
            position = lt
            return .text(i..<lt)
        }
        guard i + 1 < end else { return nil }
        switch p[i + 1] {
        case 0x3F:  // <? … ?>
            guard let close = find([0x3F, 0x3E], from: i + 2) else { return nil }
            position = close + 2
            return next()
        case 0x21:  // <!-- -->, <![CDATA[ ]]>, <!DOCTYPE …>
            if starts(with: Self.commentOpen, at: i) {
                guard let close = find([0x2D, 0x2D, 0x3E], from: i + 4) else { return nil }
                position = close + 3
                return next()
            }
            if starts(with: Self.cdataOpen, at: i) {
                let start = i + Self.cdataOpen.count
                guard let close = find([0x5D, 0x5D, 0x3E], from: start) else { return nil }
                position = close + 3
                return .cdata(start..<close)
            }
            guard let close = find(0x3E, from: i + 2) else { return nil }
            position = close + 1
            return next()
        case 0x2F:  // </name>
            guard let close = find(0x3E, from: i + 2) else { return nil }
            var nameEnd = i + 2
            while nameEnd < close, !isSpace(p[nameEnd]) { nameEnd += 1 }
            position = close + 1
            return .end(localName(i + 2..<nameEnd))
        default:
            var j = i + 1
            while j < end, !isSpace(p[j]), p[j] != 0x3E, p[j] != 0x2F { j += 1 }
            let name = localName(i + 1..<j)
            let attributesStart = j
            var quote: UInt8 = 0
            while j < end {
                let b = p[j]
                if quote != 0 {
                    if b == quote { quote = 0 }
                } else if b == 0x22 || b == 0x27 {
                    quote = b
                } else if b == 0x3E {
                    break
                }
                j += 1
            }
            guard j < end else { return nil }
            let selfClosing = j > attributesStart && p[j - 1] == 0x2F
            position = j + 1
            return .start(XMLTag(local: name, attributes: attributesStart..<(selfClosing ? j - 1 : j), selfClosing: selfClosing))
        }
    }

    /// Whether the local name in `range` is `name`.
    func `is`(_ range: Range<Int>, _ name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        guard range.count == n else { return false }
        let s = name.utf8Start
        for k in 0..<n where p[range.lowerBound + k] != s[k] { return false }
        return true
    }

    /// The value of attribute `name` of `tag` (still entity-encoded), matched by local name; a
    /// name given with a prefix (`r:id`) matches only a prefixed attribute, one without only an
    /// unprefixed one.
    func attribute(_ name: StaticString, of tag: XMLTag) -> Range<Int>? {
        let wanted = name.utf8Start
        let count = name.utf8CodeUnitCount
        var wantedLocal = 0
        for k in 0..<count where wanted[k] == 0x3A { wantedLocal = k + 1 }
        let prefixed = wantedLocal > 0
        var j = tag.attributes.lowerBound
        let limit = tag.attributes.upperBound
        while j < limit {
            while j < limit, isSpace(p[j]) { j += 1 }
            let nameStart = j
            var colon = -1
            while j < limit, p[j] != 0x3D, !isSpace(p[j]) {
                if p[j] == 0x3A { colon = j }
                j += 1
            }
            let nameEnd = j
            while j < limit, p[j] != 0x22, p[j] != 0x27 { j += 1 }
            guard j < limit else { return nil }
            let quote = p[j]
            let valueStart = j + 1
            j = valueStart
            while j < limit, p[j] != quote { j += 1 }
            let valueEnd = j
            j += 1
            let localStart = colon >= 0 ? colon + 1 : nameStart
            guard (colon >= 0) == prefixed, nameEnd - localStart == count - wantedLocal else { continue }
            var same = true
            for k in 0..<(count - wantedLocal) where p[localStart + k] != wanted[wantedLocal + k] {
                same = false
                break
            }
            if same { return valueStart..<valueEnd }
        }
        return nil
    }

    /// Appends the text in `range` to `out` with entity and character references decoded.
    func decode(_ range: Range<Int>, into out: inout [UInt8]) {
        var j = range.lowerBound
        let limit = range.upperBound
        while j < limit {
            let b = p[j]
            guard b == 0x26 else {
                out.append(b)
                j += 1
                continue
            }
            var semicolon = j + 1
            while semicolon < limit, semicolon - j < 12, p[semicolon] != 0x3B { semicolon += 1 }
            guard semicolon < limit, p[semicolon] == 0x3B else {
                out.append(b)
                j += 1
                continue
            }
            let body = j + 1..<semicolon
            if let scalar = characterReference(body) {
                appendUTF8(scalar, to: &out)
            } else if `is`(body, "lt") {
                out.append(0x3C)
            } else if `is`(body, "gt") {
                out.append(0x3E)
            } else if `is`(body, "amp") {
                out.append(0x26)
            } else if `is`(body, "quot") {
                out.append(0x22)
            } else if `is`(body, "apos") {
                out.append(0x27)
            } else {
                out.append(contentsOf: UnsafeBufferPointer(start: p + j, count: semicolon + 1 - j))
            }
            j = semicolon + 1
        }
    }

    /// The decoded text in `range` as a string.
    func string(_ range: Range<Int>) -> String {
        var bytes: [UInt8] = []
        decode(range, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `#123` or `#x1F` as a scalar value.
    private func characterReference(_ body: Range<Int>) -> UInt32? {
        guard body.count >= 2, p[body.lowerBound] == 0x23 else { return nil }
        var value: UInt32 = 0
        if p[body.lowerBound + 1] == 0x78 || p[body.lowerBound + 1] == 0x58 {
            guard body.count >= 3 else { return nil }
            for k in body.lowerBound + 2..<body.upperBound {
                guard let d = hexDigit(p[k]), value < 0x11_0000 else { return nil }
                value = value * 16 + d
            }
        } else {
            for k in body.lowerBound + 1..<body.upperBound {
                let b = p[k]
                guard b >= 0x30, b <= 0x39, value < 0x11_0000 else { return nil }
                value = value * 10 + UInt32(b - 0x30)
            }
        }
        return value < 0x11_0000 ? value : nil
    }

    private func localName(_ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        for k in range where p[k] == 0x3A { start = k + 1 }
        return start..<range.upperBound
    }

    private func find(_ byte: UInt8, from start: Int) -> Int? {
        var j = start
        while j < end {
            if p[j] == byte { return j }
            j += 1
        }
        return nil
    }

    private func find(_ pattern: [UInt8], from start: Int) -> Int? {
        var j = start
        while j + pattern.count <= end {
            if p[j] == pattern[0] && starts(with: pattern, at: j) { return j }
            j += 1
        }
        return nil
    }

    private func starts(with pattern: [UInt8], at i: Int) -> Bool {
        guard i + pattern.count <= end else { return false }
        for k in 0..<pattern.count where p[i + k] != pattern[k] { return false }
        return true
    }

    private static let commentOpen: [UInt8] = Array("<!--".utf8)
    private static let cdataOpen: [UInt8] = Array("<![CDATA[".utf8)
}

struct XMLTag {
    /// The element's local name.
    let local: Range<Int>
    /// The bytes between the name and `>` (or `/>`).
    let attributes: Range<Int>
    let selfClosing: Bool
}

@inline(__always)
func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

func hexDigit(_ b: UInt8) -> UInt32? {
    switch b {
    case 0x30...0x39: UInt32(b - 0x30)
    case 0x41...0x46: UInt32(b - 0x41 + 10)
    case 0x61...0x66: UInt32(b - 0x61 + 10)
    default: nil
    }
}

func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
    let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
    out.append(contentsOf: UTF8.encode(scalar)!)
}
