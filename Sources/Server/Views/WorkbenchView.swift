import Analytics
import Foundation
import Markup
import Questionnaire
import Sampling
import Store
import Tables

/// The workbench pages.
enum WorkbenchView {
    static func home(frames: [Workspace.Frame], designs: [Workspace.SavedDesign], draws: [Workspace.SavedDraw], questionnaires: [Questionnaire],
                     session: SessionRecord, notice: String?) -> Page {
        let questionnaireOptions = questionnaires.map { q -> HTML in "<option value=\"\(q.id)\">\(q.title)（\(q.id) v\(q.version)）</option>" }
        let answersForm: HTML = questionnaires.isEmpty ? .empty : """
            <h2>录入结果</h2>
            <form class="card" method="post" action="/work/answers" enctype="multipart/form-data" id="answers-form">
            <input type="hidden" name="csrf" value="\(session.csrf)">
            <label class="field">问卷 <select name="questionnaire" id="answers-questionnaire">\(questionnaireOptions)</select></label>
            <label class="field">遍次 <select name="pass" id="answers-pass"><option value="1">第 1 遍</option><option value="2">第 2 遍</option></select></label>
            <label class="field">录入员（留空为本人）<input type="text" name="keyer" id="answers-keyer"></label>
            <label class="field">文件（case_id 与各题一列；CSV 或 .xlsx）<input type="file" name="file" id="answers-file" required></label>
            <button type="submit" id="answers-upload">导入</button>
            <span class="muted small">与 pingyi responses import 相同的检查：有一处错误则整份文件不导入。</span>
            </form>
            """
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
            <p><a href="/work/analysis" id="to-analysis">分析与结果</a>：测评、综合考评、报告</p>
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
            \(answersForm)
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
            "<a href=\"/work/designs/new?from=\(name)\(frame.map { "&frame=" + $0.id } ?? "")\">\(name)</a> "
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

    /// The scoring form and the analyses made so far.
    static func analysisForm(scales: [String], groups: [String], analyses: [Workspace.SavedAnalysis], session: SessionRecord) -> Page {
        let scaleOptions = scales.map { name -> HTML in name == "four-tier" ? "<option selected>\(name)</option>" : "<option>\(name)</option>" }
        let even = groups.isEmpty ? "" : groups.map { "\($0)=1" }.joined(separator: ",")
        let rows = analyses.map { a -> HTML in
            "<tr><td><a href=\"/work/analysis/\(a.id)\">\(a.id)</a></td><td>\(a.options.joined(separator: " "))</td><td class=\"n\">\(a.forms)</td><td class=\"n\">\(a.units)</td><td>\(a.by)</td><td>\(timeText(a.at))</td></tr>"
        }
        let body: HTML = """
            <form class="card" method="post" action="/work/analysis" id="score-form" enctype="multipart/form-data">
            <input type="hidden" name="csrf" value="\(session.csrf)">
            <p class="muted">按受访群体（group）测评库中已计入的问卷，与 pingyi score --db … --by group 相同；填写群体权重则再合成（pingyi score combine --across group）。</p>
            <label class="field">量表 <select name="scale" id="score-scale">\(scaleOptions)</select></label>
            <fieldset><legend>权数</legend>
            <label class="field"><input type="checkbox" name="nonresponse" id="score-nonresponse"> 无回答调整（pingyi weights --cases）：在加权类内把无回答者的权数分给应答者</label>
            <label class="field">加权类（案例文件的列）<input type="text" name="classes" id="score-classes" value="stage1_stratum"></label>
            <label class="field">校准 <select name="calibrate" id="score-calibrate"><option value="none">不校准</option><option value="poststratify">事后分层（--poststratify）</option><option value="rake">耙权（--rake）</option></select>
            列 <input type="text" name="calibrate_columns" id="score-calibrate-columns" size="20" placeholder="town_id"></label>
            <label class="field">总体数（CSV 或 .xlsx：校准列与 count 列）<input type="file" name="population" id="score-population"></label>
            </fieldset>
            <label class="field">“不了解” <select name="dont_know" id="score-dont-know"><option value="exclude">不计入分母（另报比例）</option><option value="dissatisfied">计为不满意</option></select></label>
            <label class="field">方差 <select name="variance" id="score-variance"><option value="taylor">泰勒线性化</option><option value="jackknife">刀切法（JKn）</option><option value="bootstrap">自助法（Rao–Wu，500 次）</option></select></label>
            <label class="field">只有一个初级单位的层 <select name="lonely" id="score-lonely"><option value="fail">报错（R 默认）</option><option value="adjust">以总体均值为中心（adjust，保守）</option><option value="average">取其他层的平均（average）</option><option value="remove">不计方差（remove）</option><option value="certainty">视为必选（certainty）</option></select></label>
            <label class="field">满意率区间 <select name="rate_interval" id="score-rate-interval"><option value="logit">logit（不越出 0–100 %）</option><option value="wald">Wald</option></select></label>
            <label class="field">群体权重（群体=权重，逗号分开；留空不合成）<input type="text" name="weights" id="score-weights" size="50" value="\(even)"></label>
            <label class="field"><input type="checkbox" name="partial" checked> 单位只由部分群体评价时按其权重比例合成（--partial）</label>
            <button type="submit" id="score">测评</button>
            </form>
            \(analyses.isEmpty ? HTML.empty : HTML("<h2>已有分析</h2><table id=\"analyses\"><tr><th>编号</th><th>选项</th><th>问卷</th><th>单位</th><th>分析人</th><th>时间</th></tr>\(rows)</table>"))
            <p><a href="/work">返回工作台</a></p>
            """
        return Page(title: "分析与结果", session: session, body: body)
    }

    /// An analysis: ranked scores with intervals, then the composite and report forms and results.
    static func analysis(_ analysis: Workspace.SavedAnalysis, scores: [UnitScore], names: [String: String], composite: [[String]]?,
                         schemes: [String], session: SessionRecord, notice: String?) -> Page {
        func f(_ x: Double) -> String { x.isFinite ? String(format: "%.1f", x) : "—" }
        let ranked = scores.sorted { ($0.by ?? "", -$0.score, $0.unit) < ($1.by ?? "", -$1.score, $1.unit) }
        let rows = ranked.map { s -> HTML in
            "<tr><td>\(s.by ?? "")</td><td>\(s.unit)</td><td>\(names[s.unit] ?? "")</td><td class=\"n\">\(s.n)</td><td class=\"n\">\(f(s.score))</td><td class=\"n\">\(f(s.scoreLow))–\(f(s.scoreHigh))</td><td class=\"n\">\(f(s.rate * 100))%</td><td class=\"n\">\(s.df)</td></tr>"
        }
        let downloads = analysis.files.filter { $0 != "units.csv" }.map { name -> HTML in
            "<a href=\"/work/analysis/\(analysis.id)/\(name)\" id=\"download-\(name.replacingOccurrences(of: ".", with: "-"))\">\(name)</a> "
        }
        var compositeTable: HTML = .empty
        if let composite, let header = composite.first {
            let head = header.map { HTML("<th>\($0)</th>") }
            let body = composite.dropFirst().map { row -> HTML in "<tr>\(row.map { HTML("<td>\($0)</td>") })</tr>" }
            compositeTable = "<h2>综合考评（\(analysis.scheme ?? "")）</h2><table id=\"composite\"><tr>\(head)</tr>\(body)</table>"
        }
        let schemeOptions = schemes.map { HTML("<option value=\"\($0)\">\($0)</option>") }
        let combined = analysis.files.contains("scores.csv")
        let compositeForm: HTML = combined ? """
            <form class="card" method="post" action="/work/analysis/\(analysis.id)/composite" enctype="multipart/form-data" id="composite-form">
            <input type="hidden" name="csrf" value="\(session.csrf)">
            <h2>综合考评（pingyi composite）</h2>
            <label class="field">方案 <select name="scheme" id="composite-scheme">\(schemeOptions)</select></label>
            <label class="field">考核组成部分 components（CSV 或 .xlsx）<input type="file" name="components" id="composite-components" required></label>
            <label class="field">指标 indicators（可选）<input type="file" name="indicators" id="composite-indicators"></label>
            <label class="field">加减分与否决 events（可选）<input type="file" name="events" id="composite-events"></label>
            <label class="field">单位名称 units（可选，unit_id,unit）<input type="file" name="units" id="composite-units"></label>
            <button type="submit" id="composite">计算综合得分</button></form>
            """ : "<p class=\"muted\">未按群体权重合成，不能计算综合考评。</p>"
        let reportForm: HTML = """
            <form class="card" method="post" action="/work/analysis/\(analysis.id)/report" id="report-form">
            <input type="hidden" name="csrf" value="\(session.csrf)">
            <h2>报告（pingyi report）</h2>
            <label class="field">标题 <input type="text" name="title" id="report-title" size="40" value="公众评议结果报告"></label>
            <label class="field">发布日期（YYYY-MM-DD，有综合考评时必填）<input type="text" name="issued" id="report-issued" size="12"></label>
            <label class="field">调查时间 <input type="text" name="fieldwork" id="report-fieldwork" size="40"></label>
            <label class="field">加权说明 <input type="text" name="weighting" id="report-weighting" size="60"></label>
            <button type="submit" id="report">生成报告</button></form>
            """
        let body: HTML = """
            <p class="muted">\(analysis.options.joined(separator: " "))；\(analysis.forms) 份问卷，\(analysis.units) 个单位；\(analysis.by) · \(timeText(analysis.at))</p>
            <p>下载：\(downloads)</p>
            <h2>\(combined ? "合成得分" : "各群体得分")（按得分排序，95 % 区间）</h2>
            <table id="scores"><tr><th>群体</th><th>单位</th><th>名称</th><th>人数</th><th>得分</th><th>95 % 区间</th><th>满意率</th><th>自由度</th></tr>\(rows)</table>
            \(compositeTable)
            \(compositeForm)
            \(reportForm)
            <p><a href="/work/analysis">返回分析</a></p>
            """
        return Page(title: "分析 \(analysis.id)", session: session, body: body, notice: notice)
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
