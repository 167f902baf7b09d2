import CXlsxWriter

/// How a cell looks: plain, a bold header, or a number format.
public enum CellStyle: Hashable, Sendable {
    /// No format (libxlsxwriter's default).
    case plain
    /// Bold, with a grey background and a bottom border: the first row of a sheet.
    case header
    /// A whole number (`0`).
    case integer
    /// A number with this many decimal places (`0.00`).
    case decimal(Int)
    /// A proportion shown as a percentage with this many decimal places (`0.0%`).
    case percent(Int)
    /// Text that wraps inside its column (long notes), aligned to the top.
    case wrapped

    /// The Excel number format, if any.
    var numberFormat: String? {
        switch self {
        case .integer: "0"
        case .decimal(let places): places > 0 ? "0." + String(repeating: "0", count: places) : "0"
        case .percent(let places): (places > 0 ? "0." + String(repeating: "0", count: places) : "0") + "%"
        default: nil
        }
    }

    func apply(to format: UnsafeMutablePointer<lxw_format>) {
        if let numberFormat { format_set_num_format(format, numberFormat) }
        switch self {
        case .header:
            format_set_bold(format)
            format_set_bg_color(format, 0xE8ECF1)
            format_set_bottom(format, UInt8(LXW_BORDER_THIN.rawValue))
            format_set_text_wrap(format)
            format_set_align(format, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
        case .wrapped:
            format_set_text_wrap(format)
            format_set_align(format, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        default:
            break
        }
    }
}

/// One sheet of a ``Workbook``. Rows and columns are 0-based; empty (nil) cells are skipped.
public final class Worksheet {
    private let sheet: UnsafeMutablePointer<lxw_worksheet>
    private unowned let book: Workbook

    init(sheet: UnsafeMutablePointer<lxw_worksheet>, book: Workbook) {
        self.sheet = sheet
        self.book = book
    }

    /// Writes `names` in bold as row 0, freezes it so it stays in view, and turns on the filter
    /// buttons over `names.count` columns.
    public func header(_ names: [String]) {
        for (c, name) in names.enumerated() {
            write(0, c, name, style: .header)
        }
        freeze(rows: 1)
        if !names.isEmpty {
            book.record(worksheet_autofilter(sheet, 0, 0, 0, lxw_col_t(names.count - 1)))
        }
    }

    public func write(_ row: Int, _ column: Int, _ text: String?, style: CellStyle = .plain) {
        guard let text else { return }
        book.record(worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), text, book.format(style)))
    }

    /// Writes a number; NaN and infinities are left empty (Excel has no such numbers).
    public func write(_ row: Int, _ column: Int, _ number: Double?, style: CellStyle = .plain) {
        guard let number, number.isFinite else { return }
        book.record(worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), number, book.format(style)))
    }

    public func write(_ row: Int, _ column: Int, _ number: Int?, style: CellStyle = .integer) {
        write(row, column, number.map(Double.init), style: style)
    }

    /// Sets the width of a column in characters (a CJK character counts about two).
    public func width(_ column: Int, _ characters: Double) {
        book.record(worksheet_set_column(sheet, lxw_col_t(column), lxw_col_t(column), characters, nil))
    }

    /// Keeps the first `rows` rows and `columns` columns in view when scrolling.
    public func freeze(rows: Int, columns: Int = 0) {
        worksheet_freeze_panes(sheet, lxw_row_t(rows), lxw_col_t(columns))
    }

    /// Prints in landscape with the header row repeated on every page.
    public func printLandscape(repeatingRows rows: Int = 1) {
        worksheet_set_landscape(sheet)
        if rows > 0 { book.record(worksheet_repeat_rows(sheet, 0, lxw_row_t(rows - 1))) }
    }
}
