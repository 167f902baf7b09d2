import Foundation
import Markup
import Questionnaire
import Sampling
import Store
import Tables

/// The workbench pages.
enum WorkbenchView {
    static func home(frames: [Workspace.Frame], designs: [Workspace.SavedDesign], draws: [Workspace.SavedDraw],
                     session: SessionRecord, notice: String?) -> Page {
        let rows = frames.map { f -> HTML in
            """
            <tr><td><a href="/work/frames/\(f.id)">\(f.name)</a></td><td>\(f.sheet ?? "")</td><td class="n">\(sizeText(f.bytes))</td>\
            <td>\(f.uploadedBy)</td><td>\(timeText(f.uploadedAt))</td><td><a href="/work/designs/new?frame=\(f.id)">新设计</a></td></tr>
            """
        }
        let designRows = designs.map { d -> HTML in
            "<tr><td><a href=\"/work/designs/\(d.id)\">\(d.name)</a></td><td>\(d.base ?? "")</td><td>\(d.savedBy)</td><td>\(timeText(d.savedAt))</td></tr>"
        }
        let drawRows = draws.map { d -> HTML in
            let name = designs.first(where: { $0.id == d.design })?.name ?? d.design
            return "<tr><td><a href=\"/work/draws/\(d.id)\">\(name)</a></td><td class=\"n\">\(String(d.seed))</td><td class=\"n\">\(d.sample)</td><td class=\"n\">\(d.reserves)</td><td>\(d.drawnBy)</td><td>\(timeText(d.drawnAt))</td></tr>"
        }
        let later: HTML = """
            \(designs.isEmpty ? HTML.empty : HTML("<h2>设计</h2><table id=\"designs\"><tr><th>名称</th><th>起点</th><th>保存人</th><th>时间</th></tr>\(designRows)</table>"))
            \(draws.isEmpty ? HTML.empty : HTML("<h2>抽样</h2><table id=\"draws\"><tr><th>设计</th><th>种子</th><th>样本</th><th>备用</th><th>抽样人</th><th>时间</th></tr>\(drawRows)</table>"))
            """
        let list: HTML = frames.isEmpty
            ? "<p class=\"muted\">还没有上传抽样框。</p>"
            : "<table id=\"frames\"><tr><th>文件</th><th>工作表</th><th>大小</th><th>上传人</th><th>上传时间</th><th></th></tr>\(rows)</table>"
        let body: HTML = """
            <h2>抽样框</h2>
            <form class="card" method="post" action="/work/frames" enctype="multipart/form-data">
            <input type="hidden" name="csrf" value="\(session.csrf)">
            <label class="field">文件（CSV：UTF-8 或 GB18030；Excel：.xlsx）<br><input type="file" name="file" id="frame-file" required accept=".csv,.txt,.xlsx"></label>
            <label class="field">工作表（.xlsx，留空读第一个）<br><input type="text" name="sheet" id="frame-sheet"></label>
            <button type="submit" id="frame-upload">上传并检查</button>
            <span class="muted small">最多 \(MultipartBody.limit / 1024 / 1024) MB；与 pingyi frame inspect 读法相同。</span>
            </form>
            \(list)
            \(later)
            """
        return Page(title: "工作台", session: session, body: body, notice: notice)
    }

    static func inspect(_ frame: Workspace.Frame, table: Table, idColumn: String?, duplicates: [Duplicate]?, session: SessionRecord) -> Page {
        let columns = table.columns.map { c -> HTML in
            "<tr><td>\(c.name)</td><td>\(c.type.chineseName)</td><td class=\"n\">\(c.missingCount)</td></tr>"
        }
        let options = table.columns.map { c -> HTML in
            c.name == idColumn ? "<option selected>\(c.name)</option>" : "<option>\(c.name)</option>"
        }
        var duplicateText: HTML = .empty
        if let duplicates, let idColumn {
            if duplicates.isEmpty {
                duplicateText = "<p id=\"duplicates\" class=\"notice\">编号列 \(idColumn)：无重复</p>"
            } else {
                let shown = duplicates.prefix(20).map { d -> HTML in
                    "<li>\(d.value)　行 \(d.lines.map(String.init).joined(separator: ", "))</li>"
                }
                let more: HTML = duplicates.count > 20 ? "<li>… 另有 \(duplicates.count - 20) 个</li>" : .empty
                duplicateText = "<div id=\"duplicates\" class=\"error\">编号列 \(idColumn)：\(duplicates.count) 个值重复<ul>\(shown)\(more)</ul></div>"
            }
        }
        let location: HTML = spreadsheetLocation(table.source).map { "<tr><th>工作表</th><td>\($0.sheet)</td></tr>" }
            ?? "<tr><th>编码</th><td>\(table.encoding.rawValue)</td></tr>"
        let body: HTML = """
            <table id="summary"><tr><th>文件</th><td>\(frame.name)</td></tr>\(location)
            <tr><th>行数</th><td class="n">\(table.rowCount)</td></tr><tr><th>列数</th><td class="n">\(table.columns.count)</td></tr>
            <tr><th>SHA-256</th><td><code>\(frame.sha256)</code></td></tr>
            <tr><th>上传</th><td>\(frame.uploadedBy) · \(timeText(frame.uploadedAt))</td></tr></table>
            <form class="card" method="get" action="/work/frames/\(frame.id)">
            <label>检查编号列是否重复：<select name="id" id="id-column">\(options)</select></label> <button type="submit">检查</button>
            </form>
            \(duplicateText)
            <h2>列</h2>
            <table id="columns"><tr><th>列名</th><th>类型</th><th>缺失</th></tr>\(columns)</table>
            <p><a href="/work">返回工作台</a></p>
            """
        return Page(title: "抽样框 \(frame.name)", session: session, body: body)
    }

    /// The design form: the first stage's fields, the YAML, the allocation preview on a frame,
    /// and the draw form once the design is saved and previews without error.
    static func design(_ design: Design?, yaml: String, base: String?, saved: Workspace.SavedDesign?, frame: Workspace.Frame?,
                       frames: [Workspace.Frame], shipped: [String], allocation: [StratumCount]?, error: String?, session: SessionRecord) -> Page {
        let first = design?.stages.first
        func option(_ value: String, _ label: String, _ selected: Bool) -> HTML {
            selected ? "<option value=\"\(value)\" selected>\(label)</option>" : "<option value=\"\(value)\">\(label)</option>"
        }
        let methods = Method.allCases.map { option($0.rawValue, methodLabel($0), first?.method == $0) }
        var kind = "keep", n = "", rule = AllocationRule.proportional, minimum = "1"
        switch first?.allocation {
        case .perStratum(let k): kind = "per-stratum"; n = String(k)
        case let .total(k, r, m, _): kind = "total"; n = String(k); rule = r; minimum = String(m)
        default: break
        }
        let kinds = [option("per-stratum", "每层固定数量", kind == "per-stratum"), option("total", "总量按规则分配", kind == "total"),
                     option("keep", "按 YAML（各层指定）", kind == "keep")]
        let rules = [option("proportional", "按规模比例", rule == .proportional), option("equal", "各层相等", rule == .equal),
                     option("neyman", "内曼（Neyman）", rule == .neyman)]
        let frameOptions = frames.map { option($0.id, $0.name + ($0.sheet.map { "（\($0)）" } ?? ""), $0.id == frame?.id) }
        let reserve = design?.stages.last?.reserve ?? 0
        let checked: (Bool) -> HTML = { $0 ? " checked" : "" }
        let starts = shipped.map { name -> HTML in
            "<a href=\"/work/designs/new?from=\(name)\(frame.map { "&frame=" + $0.id } ?? "")\">\(name)</a>"
        }
        let form: HTML = """
            <form class="card" method="post" action="/work/designs" id="design-form">
            <input type="hidden" name="csrf" value="\(session.csrf)"><input type="hidden" name="base" value="\(base ?? "")">
            <label class="field">抽样框 <select name="frame" id="design-frame"><option value="">（不预览）</option>\(frameOptions)</select></label>
            <label class="field">名称 <input type="text" name="name" value="\(design?.name ?? "")" size="30"></label>
            <fieldset><legend>第一阶段（\(first?.unit ?? "")）</legend>
            <label class="field">分层列（逗号分隔）<input type="text" name="strata" id="design-strata" value="\(first?.strata.joined(separator: ", ") ?? "")" size="40"></label>
            <label class="field">层内排序列 <input type="text" name="order" id="design-order" value="\(first?.order.joined(separator: ", ") ?? "")" size="40"></label>
            <label class="field"><input type="checkbox" name="serpentine"\(checked(first?.serpentine ?? false))> 蛇形排序（相邻层首尾相接）</label>
            <label class="field">方法 <select name="method" id="design-method">\(methods)</select></label>
            <label class="field">样本量 <select name="allocation" id="design-allocation">\(kinds)</select>
            <input type="text" name="n" id="design-n" value="\(n)" size="6" inputmode="numeric">
            分配 <select name="rule" id="design-rule">\(rules)</select>
            每层最少 <input type="text" name="min" id="design-min" value="\(minimum)" size="4" inputmode="numeric"></label>
            <label class="field"><input type="checkbox" name="take_all"\(checked(first?.takeAll ?? false))> 单位不足的层全部入样</label>
            </fieldset>
            <label class="field">末阶段每个抽中单位（或每层）的备用数 <input type="text" name="reserve" id="design-reserve" value="\(reserve)" size="4" inputmode="numeric"></label>
            <button type="submit" name="mode" value="fields" id="design-preview">按表单保存并预览分配</button>
            <h2>YAML（pingyi sample --design 原样可用）</h2>
            <textarea name="yaml" id="design-yaml" rows="18" cols="90" spellcheck="false">\(yaml)</textarea><br>
            <button type="submit" name="mode" value="yaml" id="design-yaml-save">按 YAML 保存并预览分配</button>
            </form>
            """
        var result: HTML = .empty
        if let error { result = "<p class=\"error\" role=\"alert\" id=\"design-error\">\(error)</p>" }
        if let allocation, let design {
            let single = design.stages.count == 1
            let rows = allocation.map { s -> HTML in
                "<tr><td>\(s.stratum)</td><td class=\"n\">\(s.units)</td><td class=\"n\">\(s.drawn)</td>\(single ? HTML("<td class=\"n\">\(s.reserves)</td>") : .empty)</tr>"
            }
            let total = allocation.reduce(0) { $0 + $1.drawn }
            result = """
                <h2>分配预览（第一阶段 \(allocation.count) 层，抽取 \(total) 个单位）</h2>
                <table id="allocation"><tr><th>层</th><th>单位数</th><th>抽取</th>\(single ? HTML("<th>备用</th>") : .empty)</tr>\(rows)</table>
                """
            if let saved, let frame {
                result = """
                    \(result)
                    <form class="card" method="post" action="/work/draws" id="draw-form">
                    <input type="hidden" name="csrf" value="\(session.csrf)"><input type="hidden" name="design" value="\(saved.id)">
                    <input type="hidden" name="frame" value="\(frame.id)">
                    <label>随机种子（1 至 4294967295；留空则随机生成并记录）<input type="text" name="seed" id="draw-seed" size="12" inputmode="numeric"></label>
                    <button type="submit" id="draw">抽样</button>
                    </form>
                    """
            }
        }
        let title = saved.map { "设计 \($0.name)（\($0.id)）" } ?? "新设计"
        let body: HTML = """
            <p class="muted">从标准设计开始：\(starts)</p>
            \(result)
            \(form)
            <p><a href="/work">返回工作台</a></p>
            """
        return Page(title: title, session: session, body: body)
    }

    /// A draw: its facts, per-stratum table, downloads, verification and loading its cases.
    static func draw(_ draw: Workspace.SavedDraw, design: Workspace.SavedDesign?, frame: Workspace.Frame?,
                     questionnaires: [(key: String, questionnaire: Questionnaire, label: String)], session: SessionRecord, notice: String?) -> Page {
        let rows = draw.strata.map { s -> HTML in
            "<tr><td>\(s.stratum)</td><td class=\"n\">\(s.units)</td><td class=\"n\">\(s.drawn)</td><td class=\"n\">\(s.sample)</td><td class=\"n\">\(s.reserves)</td></tr>"
        }
        let options = questionnaires.map { q -> HTML in "<option value=\"\(q.key)\">\(q.label)</option>" }
        let base = "/work/draws/\(draw.id)"
        let body: HTML = """
            <table id="draw-summary">
            <tr><th>设计</th><td>\(design.map { HTML("<a href=\"/work/designs/\($0.id)?frame=\(draw.frame)\">\($0.name)</a>") } ?? HTML("\(draw.design)"))</td></tr>
            <tr><th>抽样框</th><td>\(frame.map { HTML("<a href=\"/work/frames/\($0.id)\">\($0.name)</a>") } ?? HTML("\(draw.frame)"))</td></tr>
            <tr><th>随机种子</th><td id="draw-seed-used">\(String(draw.seed))</td></tr>
            <tr><th>抽样人</th><td>\(draw.drawnBy) · \(timeText(draw.drawnAt))</td></tr>
            <tr><th>样本 / 备用</th><td>\(draw.sample) / \(draw.reserves)</td></tr></table>
            <h2>各层</h2>
            <table id="strata"><tr><th>层</th><th>单位数</th><th>抽中单位</th><th>样本</th><th>备用</th></tr>\(rows)</table>
            <h2>下载</h2>
            <p><a id="download-list" href="\(base)/list.csv">名单 CSV</a> · <a id="download-xlsx" href="\(base)/list.xlsx">名单 Excel（.xlsx，每乡镇一表）</a> ·
            <a id="download-pages" href="\(base)/pages.zip">打印页（zip）</a> · <a id="download-manifest" href="\(base)/manifest.json">抽样清单（manifest）</a></p>
            <form class="card" method="post" action="\(base)/verify"><input type="hidden" name="csrf" value="\(session.csrf)">
            按清单重新抽样并逐字节比对：<button type="submit" id="verify">核验</button></form>
            <form class="card" method="post" action="\(base)/load"><input type="hidden" name="csrf" value="\(session.csrf)">
            <label>载入库中，作为问卷 <select name="questionnaire" id="load-questionnaire">\(options)</select></label>
            <label><input type="checkbox" name="replace"> 替换该问卷原有名单（尚无录入时）</label>
            <button type="submit" id="load">载入案例</button></form>
            <p><a href="/work">返回工作台</a></p>
            """
        return Page(title: "抽样 \(draw.id)", session: session, body: body, notice: notice)
    }

    static func methodLabel(_ method: Method) -> String {
        switch method {
        case .srs: "简单随机（srs）"
        case .systematic: "等距（systematic）"
        case .ppsSystematic: "按规模成比例等距（pps-systematic）"
        }
    }

    static func sizeText(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 ? String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
            : bytes >= 1024 ? String(format: "%.1f KB", Double(bytes) / 1024) : "\(bytes) B"
    }

    /// Beijing time, `2026-12-03 16:05`.
    static func timeText(_ seconds: Int64) -> String {
        CallWording.field(seconds).replacingOccurrences(of: "T", with: " ")
    }
}
