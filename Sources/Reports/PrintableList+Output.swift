public import Composite
import Spreadsheet
import Markup

/// The printed respondent list: `index.html` (pages with their counts), one `page-NN.html` per
/// town or enumerator (A4 landscape; case number, role, the frame's columns, and empty columns
/// for the visit's result and notes), and `list.xlsx` (all cases on one sheet, then a sheet per
/// page).
extension PrintableList {
    /// - Parameters:
    ///   - title: the list's title ("农村居民户样本名单").
    ///   - subtitle: the design facts printed under the title (seed, frame).
    ///   - progress: told after each file (done, total).
    public func files(title: String, subtitle: String?, progress: (Int, Int) -> Void = { _, _ in }) throws(ReportError) -> [OutputFile] {
        var files: [OutputFile] = []
        var links: [(name: String, path: String, page: Page)] = []
        let width = max(2, String(pages.count).count)
        for (i, page) in pages.enumerated() {
            let number = String(repeating: "0", count: width - String(i + 1).count) + String(i + 1)
            let path = "page-\(number).html"
            links.append((page.key ?? "全部", path, page))
            files.append(OutputFile(path: path, bytes: Array(pageHTML(page, title: title, subtitle: subtitle).utf8)))
            progress(i + 1, pages.count + 2)
        }
        var index = HTMLTable(header: [by.map(ColumnNames.label) ?? "名单", "样本", "备用", "替补范围", "打印页"])
        for link in links {
            index.add([.text(link.name), .number(String(link.page.sample)), .number(String(link.page.reserves)),
                       .number(String(link.page.groups.count)), .markup("<a href=\"\(escapeHTML(link.path))\">\(escapeHTML(link.path))</a>")])
        }
        let total = pages.reduce(0) { $0 + $1.sample }
        let reserves = pages.reduce(0) { $0 + $1.reserves }
        var body = "<h1>\(escapeHTML(title))</h1>\n"
        if let subtitle { body += "<p class=\"meta\">\(escapeHTML(subtitle))</p>\n" }
        body += "<p>共\(total)个样本、\(reserves)个备用，分\(pages.count)页打印。备用按“备用1、备用2……”的顺序替补同一替补范围内未能访问的样本。</p>\n"
        body += index.html + "\n<p class=\"note\">另见 list.xlsx（全部名单及每页一张工作表）。</p>"
        files.insert(OutputFile(path: "index.html", bytes: Array(htmlPage(title: title, body: body).utf8)), at: 0)
        files.append(OutputFile(path: "list.xlsx", bytes: try workbook()))
        progress(pages.count + 2, pages.count + 2)
        return files
    }

    private var header: [String] {
        ["序号", "问卷编号", "类别"] + shownColumns.map(ColumnNames.label) + ["访问结果", "备注"]
    }

    private func pageHTML(_ page: Page, title: String, subtitle: String?) -> String {
        var body = "<h1>\(escapeHTML(title))\(page.key.map { "：" + escapeHTML($0) } ?? "")</h1>\n"
        var meta = "样本\(page.sample)个，备用\(page.reserves)个"
        if let subtitle { meta += " · " + subtitle }
        body += "<p class=\"meta\">\(escapeHTML(meta))　访问员：__________</p>\n"
        body += "<table class=\"data list\"><thead><tr>" + header.map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        var serial = 0
        for group in page.groups {
            if page.groups.count > 1 || !group.name.isEmpty {
                body += "<tr class=\"group\"><td colspan=\"\(header.count)\">替补范围：\(escapeHTML(groupTitle(group)))（样本\(group.sample)个，备用\(group.reserves)个）</td></tr>\n"
            }
            for entry in group.entries {
                serial += 1
                let cells = [String(serial), entry.caseID, PrintableList.roleText(entry)] + shownColumns.map { cell(entry.row, $0) } + ["", ""]
                body += "<tr\(entry.reserveRank != nil ? " class=\"reserve\"" : "")>" + cells.map { "<td>\(escapeHTML($0))</td>" }.joined() + "</tr>\n"
            }
        }
        body += "</tbody></table>\n<p class=\"note\">访问结果填写：完成、部分完成、拒访、无人接听/无人在家、地址/号码无效等。样本未能访问时，按顺序启用同一替补范围的备用，不得跳用。</p>"
        return htmlPage(title: "\(title) \(page.key ?? "")", body: body, extraStyle: PrintableList.style)
    }

    static let style = """
        body { max-width: none; font-size: 13px; }
        h1 { font-size: 20px; }
        table.list { width: 100%; font-size: 12px; }
        table.list td { height: 22px; }
        tr.group td { background: #edf2f7; font-weight: 600; }
        tr.reserve td { color: #4a5568; }
        @media print { @page { size: A4 landscape; margin: 12mm; } thead { display: table-header-group; } tr { break-inside: avoid; } }
        """

    private func workbook() throws(ReportError) -> [UInt8] {
        do {
            return try Workbook.bytes { book throws(WorkbookError) in
                let all = try book.addSheet("全部名单")
                let allHeader = (by.map { [ColumnNames.label($0)] } ?? []) + ["替补范围"] + header
                all.header(allHeader)
                all.printLandscape()
                var r = 1
                for page in pages {
                    for group in page.groups {
                        for entry in group.entries {
                            var c = 0
                            if by != nil {
                                all.write(r, c, page.key)
                                c += 1
                            }
                            all.write(r, c, groupTitle(group))
                            writeEntry(entry, serial: r, to: all, row: r, column: c + 1)
                            r += 1
                        }
                    }
                }
                guard by != nil else { return }
                for page in pages {
                    let sheet = try book.addSheet(page.key ?? "名单")
                    sheet.header(["替补范围"] + header)
                    sheet.printLandscape()
                    var r = 1
                    for group in page.groups {
                        for entry in group.entries {
                            sheet.write(r, 0, groupTitle(group))
                            writeEntry(entry, serial: r, to: sheet, row: r, column: 1)
                            r += 1
                        }
                    }
                }
            }
        } catch {
            throw ReportError(.usage, file: "list.xlsx", message: "cannot write the workbook: \(error.message)",
                              hint: "check free disk space and the temporary folder")
        }
    }

    private func writeEntry(_ entry: Entry, serial: Int, to sheet: Worksheet, row: Int, column: Int) {
        sheet.write(row, column, serial)
        sheet.write(row, column + 1, entry.caseID)
        sheet.write(row, column + 2, PrintableList.roleText(entry))
        for (k, name) in shownColumns.enumerated() {
            let text = cell(entry.row, name)
            sheet.write(row, column + 3 + k, text.isEmpty ? nil : text)
        }
    }
}
