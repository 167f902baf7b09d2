import CXlsxWriter
import Foundation

/// An Excel workbook (.xlsx) written with libxlsxwriter (Debian's libxlsxwriter-dev), built in
/// memory and returned as bytes so that callers can write it atomically beside their other
/// outputs.
///
/// libxlsxwriter only writes files: ``bytes(_:)`` has it write a temporary file in the system's
/// temporary folder, reads it back and removes it. Every libxlsxwriter status is checked; the
/// first failure is reported when the workbook is closed.
///
/// ```swift
/// let bytes = try Workbook.bytes { book throws(WorkbookError) in
///     let sheet = try book.addSheet("得分")
///     sheet.header(["单位", "得分"])
///     sheet.write(1, 0, "市政府办")
///     sheet.write(1, 1, 85.25, style: .decimal(2))
/// }
/// ```
public final class Workbook {
    private let handle: UnsafeMutablePointer<lxw_workbook>
    private var formats: [CellStyle: UnsafeMutablePointer<lxw_format>] = [:]
    private var failure: lxw_error = LXW_NO_ERROR
    private var sheetNames: Set<String> = []

    private init(handle: UnsafeMutablePointer<lxw_workbook>) {
        self.handle = handle
    }

    /// Builds a workbook with `build` and returns the bytes of the .xlsx file.
    ///
    /// The same content always gives the same bytes: the creation time recorded is `created`
    /// (seconds since 1970), else the `SOURCE_DATE_EPOCH` environment variable (the
    /// reproducible-builds convention), else 2000-01-01 00:00 UTC (``undated``), never the clock.
    /// - Throws: ``WorkbookError`` when libxlsxwriter fails or `build` throws.
    /// The creation time of a workbook whose content has no date of its own (2000-01-01 00:00 UTC).
    public static let undated = 946_684_800

    public static func bytes(created: Int? = nil, _ build: (Workbook) throws(WorkbookError) -> Void) throws(WorkbookError) -> [UInt8] {
        let temporary = NSTemporaryDirectory() + "/pingyi-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).xlsx"
        defer { unlink(temporary) }
        guard let handle = workbook_new(temporary) else {
            throw WorkbookError(message: "libxlsxwriter cannot create a workbook in the temporary folder \(NSTemporaryDirectory())")
        }
        let book = Workbook(handle: handle)
        let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap { Int($0) }
        var properties = lxw_doc_properties()
        properties.created = time_t(created ?? epoch ?? Workbook.undated)
        book.record(workbook_set_properties(handle, &properties))
        do {
            try build(book)
        } catch {
            lxw_workbook_free(handle)
            throw error
        }
        let closed = workbook_close(handle)
        if book.failure == LXW_NO_ERROR { book.failure = closed }
        guard book.failure == LXW_NO_ERROR else {
            let reason = lxw_strerror(book.failure).map { String(cString: $0) } ?? "error \(book.failure.rawValue)"
            throw WorkbookError(message: "libxlsxwriter failed (\(reason))")
        }
        guard let data = FileManager.default.contents(atPath: temporary) else {
            throw WorkbookError(message: "cannot read back the workbook written to \(temporary)")
        }
        return [UInt8](data)
    }

    /// Adds a worksheet. The name is made valid first (see ``sheetName(_:)``) and made unique by
    /// a numeric suffix.
    public func addSheet(_ name: String) throws(WorkbookError) -> Worksheet {
        let base = Workbook.sheetName(name)
        var unique = base
        var n = 2
        while sheetNames.contains(unique.lowercased()) {
            let suffix = "(\(n))"
            unique = String(base.prefix(31 - suffix.count)) + suffix
            n += 1
        }
        guard let sheet = workbook_add_worksheet(handle, unique) else {
            throw WorkbookError(message: "libxlsxwriter refused the sheet name '\(unique)'")
        }
        sheetNames.insert(unique.lowercased())
        return Worksheet(sheet: sheet, book: self)
    }

    /// A valid sheet name: the characters `[]:*?/\` replaced by `_`, at most 31 characters,
    /// not empty (Excel's rules).
    public static func sheetName(_ name: String) -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        let cleaned = String(name.map { forbidden.contains($0) ? "_" : $0 }.prefix(31))
        return cleaned.isEmpty ? "Sheet" : cleaned
    }

    func format(_ style: CellStyle) -> UnsafeMutablePointer<lxw_format>? {
        if style == .plain { return nil }
        if let format = formats[style] { return format }
        guard let format = workbook_add_format(handle) else {
            record(LXW_ERROR_MEMORY_MALLOC_FAILED)
            return nil
        }
        style.apply(to: format)
        formats[style] = format
        return format
    }

    /// Keeps the first failure, reported by ``bytes(_:)``.
    func record(_ status: lxw_error) {
        if failure == LXW_NO_ERROR && status != LXW_NO_ERROR { failure = status }
    }
}

/// A problem writing a workbook, in one line.
public struct WorkbookError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
