import Markup
/// A table for an HTML page: a header row and body rows of cells, numbers right-aligned.
struct HTMLTable {
    struct Cell {
        let html: String
        let numeric: Bool
        let className: String?

        /// Escaped text.
        static func text(_ text: String, className: String? = nil) -> Cell { Cell(html: escapeHTML(text), numeric: false, className: className) }
        static func number(_ text: String, className: String? = nil) -> Cell { Cell(html: escapeHTML(text), numeric: true, className: className) }
        /// Markup used as is (links).
        static func markup(_ html: String) -> Cell { Cell(html: html, numeric: false, className: nil) }
    }

    let header: [String]
    var rows: [[Cell]] = []
    var className = "data"

    init(header: [String], className: String = "data") {
        self.header = header
        self.className = className
    }

    mutating func add(_ row: [Cell]) {
        rows.append(row)
    }

    var html: String {
        var out = "<table class=\"\(className)\"><thead><tr>"
        out += header.map { "<th>\(escapeHTML($0))</th>" }.joined()
        out += "</tr></thead><tbody>\n"
        for row in rows {
            out += "<tr>" + row.map { cell in
                var classes: [String] = []
                if cell.numeric { classes.append("num") }
                if let c = cell.className { classes.append(c) }
                return classes.isEmpty ? "<td>\(cell.html)</td>" : "<td class=\"\(classes.joined(separator: " "))\">\(cell.html)</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</tbody></table>"
    }
}

/// A label–value table ("调查对象 | 农村居民户").
func factTable(_ facts: [(String, String)]) -> String {
    var out = "<table class=\"facts\"><tbody>\n"
    for (label, value) in facts {
        out += "<tr><th>\(escapeHTML(label))</th><td>\(escapeHTML(value))</td></tr>\n"
    }
    return out + "</tbody></table>"
}

/// A whole HTML page: Chinese, UTF-8, styles inline, no scripts and no outside assets (fonts come
/// from the system: Noto Sans CJK SC where installed).
func htmlPage(title: String, body: String, extraStyle: String = "") -> String {
    """
    <!DOCTYPE html>
    <html lang="zh-CN">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(escapeHTML(title))</title>
    <style>
    \(pageStyle)
    \(extraStyle)
    </style>
    </head>
    <body>
    \(body)
    </body>
    </html>

    """
}

let pageStyle = """
    :root { --ink: #1a202c; --muted: #4a5568; --line: #cbd5e0; --alarm: #c53030; }
    body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
           color: var(--ink); margin: 0 auto; max-width: 980px; padding: 24px 28px 48px; line-height: 1.6; font-size: 15px; }
    svg text { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
    h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: 1px; }
    h2 { font-size: 20px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; margin-top: 36px; }
    h3 { font-size: 16px; margin: 22px 0 8px; }
    p.meta, p.note, .caption { color: var(--muted); font-size: 13px; }
    nav ol { columns: 2; font-size: 14px; }
    table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
    table.data th, table.data td { border: 1px solid var(--line); padding: 3px 7px; }
    table.data th { background: #edf2f7; font-weight: 600; }
    table.facts th { text-align: left; font-weight: 600; padding: 3px 14px 3px 0; vertical-align: top; white-space: nowrap; }
    table.facts td { padding: 3px 0; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.alarm, .alarm { color: var(--alarm); }
    td.unstable { color: var(--muted, #666); font-style: italic; }
    td.notes { font-size: 12px; min-width: 220px; }
    table.wide { width: 100%; }
    .name { white-space: nowrap; }
    figure { margin: 10px 0 22px; overflow-x: auto; }
    figcaption { color: var(--muted); font-size: 13px; margin-top: 2px; }
    svg.chart { max-width: 100%; height: auto; }
    a { color: #2b6cb0; }
    @media print { body { max-width: none; padding: 0; } h2 { break-before: page; } figure, table { break-inside: avoid; } nav { display: none; } }
    """
