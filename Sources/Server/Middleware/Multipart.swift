import Foundation
import Hummingbird
import NIOCore

/// The parts of a `multipart/form-data` body (RFC 7578): the workbench's uploads.
struct MultipartBody: Sendable {
    /// One part: a form field, or a file with the name it had on the user's computer.
    struct Part: Sendable {
        var name: String
        var filename: String?
        var contentType: String?
        var bytes: [UInt8]

        /// The part as text (a form field), UTF-8.
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// The largest upload accepted: a frame or an answer file of a county, with room to spare.
    static let limit = 256 * 1024 * 1024

    var parts: [Part]

    /// The text of field `name` (the last one of that name), or nil.
    subscript(field name: String) -> String? {
        parts.last(where: { $0.name == name && $0.filename == nil })?.text
    }

    /// The file part `name` that holds a file (the browser sends an empty part when none was chosen).
    func file(_ name: String) -> Part? {
        parts.last(where: { $0.name == name && $0.filename != nil && !($0.filename ?? "").isEmpty })
    }

    /// The boundary of a `multipart/form-data` content type, or nil for any other type.
    static func boundary(contentType: String?) -> String? {
        guard let contentType else { return nil }
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let kind = pieces.first, kind.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() where piece.lowercased().hasPrefix("boundary=") {
            var value = String(piece.dropFirst("boundary=".count))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty || value.utf8.count > 70 ? nil : value
        }
        return nil
    }

    /// Reads the request's parts, keeping the body readable for the handler; a body that is not
    /// multipart, too large or malformed is refused (400/413) with what to do.
    static func read(_ request: inout Request, context: AppContext) async throws -> MultipartBody {
        guard let boundary = boundary(contentType: request.headers[.contentType]) else {
            throw PageError(.badRequest, "上传请求格式不对：需要 multipart/form-data（请用页面上的表单上传）")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw PageError(.contentTooLarge, "文件太大：网页上传最多 \(limit / 1024 / 1024) MB；更大的抽样框请用命令行 pingyi sample")
        }
        guard let body = parse(Array(buffer.readableBytesView), boundary: boundary) else {
            throw PageError(.badRequest, "上传内容不完整或已损坏：请重新选择文件上传")
        }
        return body
    }

    /// Splits `bytes` at `--boundary` lines; nil when the body does not end with the closing
    /// delimiter or a part has no header block.
    static func parse(_ bytes: [UInt8], boundary: String) -> MultipartBody? {
        let delimiter = Array("--\(boundary)".utf8)
        // The first delimiter may start the body; every later one follows CRLF.
        guard var start = find(delimiter, in: bytes, from: 0) else { return nil }
        var parts: [Part] = []
        let separator = Array("\r\n".utf8) + delimiter
        while true {
            var cursor = start + delimiter.count
            if cursor + 1 < bytes.count, bytes[cursor] == 0x2D, bytes[cursor + 1] == 0x2D { return MultipartBody(parts: parts) }
            // Transport padding, then CRLF.
            while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x09 { cursor += 1 }
            guard cursor + 1 < bytes.count, bytes[cursor] == 0x0D, bytes[cursor + 1] == 0x0A else { return nil }
            cursor += 2
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: bytes, from: cursor),
                  let end = find(separator, in: bytes, from: headerEnd + 4) else { return nil }
            let headers = String(decoding: bytes[cursor..<headerEnd], as: UTF8.self)
            guard var part = Part(headers: headers) else { return nil }
            part.bytes = Array(bytes[(headerEnd + 4)..<end])
            parts.append(part)
            start = end + 2
        }
    }

    /// The first index of `needle` in `haystack` at or after `from`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { h -> Int? in
            needle.withUnsafeBufferPointer { n -> Int? in
                var i = from
                while i <= last {
                    // memchr for the first byte, then compare the rest.
                    guard let hit = memchr(h.baseAddress! + i, Int32(first), last - i + 1) else { return nil }
                    i = h.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(h.baseAddress! + i, n.baseAddress!, n.count) == 0 { return i }
                    i += 1
                }
                return nil
            }
        }
    }
}

extension MultipartBody.Part {
    /// The part's name, file name and type from its header block; nil without a form-data name.
    init?(headers: String) {
        var name: String?
        var filename: String?
        var type: String?
        for line in headers.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if field == "content-type" { type = value }
            guard field == "content-disposition" else { continue }
            for parameter in MultipartBody.Part.parameters(value) {
                if parameter.key == "name" { name = parameter.value }
                if parameter.key == "filename" { filename = parameter.value }
            }
        }
        guard let name else { return nil }
        self.init(name: name, filename: filename.map(MultipartBody.Part.baseName), contentType: type, bytes: [])
    }

    /// `form-data; name="a"; filename="b c.csv"` → [name: a, filename: b c.csv] (quoted strings
    /// with backslash escapes; browsers send file names as UTF-8).
    static func parameters(_ value: String) -> [(key: String, value: String)] {
        var result: [(String, String)] = []
        var chars = Substring(value)
        while let semicolon = chars.firstIndex(of: ";") {
            chars = chars[chars.index(after: semicolon)...]
            let trimmed = chars.drop(while: { $0 == " " || $0 == "\t" })
            guard let equals = trimmed.firstIndex(of: "=") else { break }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var rest = trimmed[trimmed.index(after: equals)...]
            var text = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                var index = rest.startIndex
                while index < rest.endIndex {
                    let c = rest[index]
                    if escaped { text.append(c); escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { break } else { text.append(c) }
                    index = rest.index(after: index)
                }
                chars = index < rest.endIndex ? rest[rest.index(after: index)...] : rest[rest.endIndex...]
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                text = rest[..<end].trimmingCharacters(in: .whitespaces)
                chars = rest[end...]
            }
            result.append((key, text))
        }
        return result
    }

    /// The last path component (old browsers send the whole Windows path).
    static func baseName(_ name: String) -> String {
        String(name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
    }
}
