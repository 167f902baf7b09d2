import Foundation
import Questionnaire
import Store
import Markup

/// The supervision pages.
enum SupervisionView {
    /// The label of a code of an item (`2 比较满意`), or the value itself.
    static func describe(_ value: String?, item: Item?, in q: Questionnaire?) -> String {
        guard let value else { return "（空）" }
        guard let q, let item, let label = FieldMessages.codes(q, item).first(where: { String($0.code) == value })?.label else { return value }
        return "\(value) \(label)"
    }

    static func disagreements(_ open: [Disagreement], definitions: [String: Questionnaire], session: SessionRecord, notice: String?) -> Page {
        let rows = open.enumerated().map { i, d -> HTML in
            let q = definitions[d.questionnaire]
            let item = q?.item(d.item)
            let hidden: HTML = """
                <input type="hidden" name="csrf" value="\(session.csrf)"><input type="hidden" name="case_id" value="\(d.caseID)">\
                <input type="hidden" name="item" value="\(d.item)">
                """
            return """
                <tr tabindex="0" data-row="\(i)"><td><a href="\(FormsView.path(d.caseID))">\(d.caseID)</a></td><td>\(d.questionnaire)</td><td>\(item?.label ?? d.item) <span class="muted">\(d.item)</span></td>
                <td>\(describe(d.pass1, item: item, in: q))</td><td>\(describe(d.pass2, item: item, in: q))</td>
                <td><form class="inline" method="post" action="/supervise/resolve">\(hidden)<input type="hidden" name="choice" value="1"><button type="submit" data-choice="1">采用第1遍 [1]</button></form>
                <form class="inline" method="post" action="/supervise/resolve">\(hidden)<input type="hidden" name="choice" value="2"><button type="submit" data-choice="2">采用第2遍 [2]</button></form>
                <form class="inline" method="post" action="/supervise/resolve">\(hidden)<input type="hidden" name="choice" value="other"><input type="text" name="value" size="4" aria-label="另定的值"><button type="submit">另定</button></form></td></tr>
                """
        }
        let body: HTML = """
            <form method="post" action="/supervise/verify" class="card"><input type="hidden" name="csrf" value="\(session.csrf)">\
            网页录入的第 2 遍保存时即与第 1 遍比对；由文件或接口导入的问卷：<button type="submit">运行核对</button></form>
            \(open.isEmpty ? HTML("<p>没有待裁定的分歧。</p>") : HTML("""
                <p class="muted">↑ ↓ 选择一行，按 1 采用第 1 遍、按 2 采用第 2 遍（对照纸质问卷）。</p>
                <table id="disagreements"><tr><th>编号</th><th>问卷</th><th>题目</th><th>第 1 遍</th><th>第 2 遍</th><th>裁定</th></tr>\(rows)</table>
                """))
            """
        return Page(title: "核对与裁定（\(open.count) 处分歧）", session: session, body: body, script: oneKeyScript, notice: notice)
    }

    /// Moves between disagreement rows with the arrow keys; 1 or 2 submits that row's choice.
    static let oneKeyScript = #"""
    (function () {
      const rows = Array.from(document.querySelectorAll('#disagreements tr[data-row]'));
      if (rows.length === 0) return;
      let current = 0;
      function select(i) { rows[current].classList.remove('current'); current = Math.max(0, Math.min(rows.length - 1, i)); rows[current].classList.add('current'); rows[current].focus(); }
      document.addEventListener('keydown', function (ev) {
        if (ev.target && ev.target.tagName === 'INPUT') return;
        if (ev.key === 'ArrowDown' || ev.key === 'j') { ev.preventDefault(); select(current + 1); }
        else if (ev.key === 'ArrowUp' || ev.key === 'k') { ev.preventDefault(); select(current - 1); }
        else if (ev.key === '1' || ev.key === '2') {
          const button = rows[current].querySelector('button[data-choice="' + ev.key + '"]');
          if (button) { ev.preventDefault(); button.form.submit(); }
        }
      });
      select(0);
    })();
    """#

    /// - Parameters:
    ///   - find: the text searched for (empty: none); `found`: the cases it found, with what matched
    ///     (shown instead of the town's cases).
    static func cases(_ q: Questionnaire, questionnaires: [Questionnaire], cases: [CaseRecord], towns: [String], town: String,
                      find: String = "", found: [(CaseRecord, String)]? = nil, session: SessionRecord, notice: String?) -> Page {
        let qLinks = questionnaires.map { HTML("<a href=\"/supervise/cases?q=\($0.id.addingPercentEncodingForPath)\">\($0.group.label)</a> ") }
        let townLinks = towns.map { t -> HTML in
            let name = cases.first { $0.townID == t }.flatMap { townName($0.attributes) }
            let text = t.isEmpty ? "（无镇街）" : t
            return t == town ? HTML("<b>\(text)\(name.map { " " + $0 } ?? "")</b> ")
                : HTML("<a href=\"/supervise/cases?q=\(q.id.addingPercentEncodingForPath)&amp;town=\(t.addingPercentEncodingForPath)\">\(text)</a> ")
        }
        let options = Disposition.allCases.map { HTML("<option value=\"\($0.rawValue)\">\($0.label)</option>") }
        // A case that responds after all while its reserve is still in use: release it (kept when keyed).
        func release(_ c: CaseRecord) -> HTML {
            guard !c.disposition.isNonResponse, let reserve = reserveOf[c.caseID],
                  let r = (found?.map(\.0) ?? cases).first(where: { $0.caseID == reserve }), r.disposition == .pending, !r.hasPass1 else { return .empty }
            return """
                 <form class="inline" method="post" action="/supervise/dispositions"><input type="hidden" name="csrf" value="\(session.csrf)">\
                <input type="hidden" name="case_id" value="\(c.caseID)"><input type="hidden" name="disposition" value="\(c.disposition.rawValue)">\
                <input type="hidden" name="release" value="1"><button type="submit">释放备选 \(reserve)</button></form>
                """
        }
        let shown: [(CaseRecord, String?)] = found.map { $0.map { ($0.0, Optional($0.1)) } } ?? cases.map { ($0, nil) }
        // The reserve in use for each case it replaces (to offer its release once the case responds).
        let reserveOf = Dictionary((found?.map(\.0) ?? cases).filter { $0.activated }.compactMap { c in c.replaces.map { ($0, c.caseID) } },
                                   uniquingKeysWith: { a, _ in a })
        let rows = shown.map { c, matched -> HTML in
            let role = c.role == .sample ? "样本" : (c.activated ? "备选 \(c.reserveRank ?? 0)（替代 \(c.replaces ?? "")）" : "备选 \(c.reserveRank ?? 0)（未启用）")
            let keyed = [c.hasPass1 ? "第1遍" : nil, c.hasPass2 ? "第2遍" : nil, c.counted ? "已核实" : nil].compactMap { $0 }.joined(separator: " ")
            let form: HTML = c.inUse ? """
                <form class="inline" method="post" action="/supervise/dispositions"><input type="hidden" name="csrf" value="\(session.csrf)">\
                <input type="hidden" name="case_id" value="\(c.caseID)"><select name="disposition" aria-label="处置">\(options)</select> \
                <input type="text" name="note" size="10" placeholder="说明" aria-label="说明"> <button type="submit">记录</button></form>\
                \(release(c))
                """ : .empty
            return """
                <tr><td>\(c.inUse ? HTML("<input type=\"checkbox\" form=\"bulk\" name=\"pick:\(c.caseID)\" value=\"1\" aria-label=\"勾选 \(c.caseID)\"> ") : .empty)\
                <a href="/supervise/audit?case=\(c.caseID.addingPercentEncodingForPath)">\(c.caseID)</a></td><td>\(role)</td><td>\(c.reserveGroup ?? "")</td><td>\(c.disposition.label)\(c.note.map { "（\($0)）" } ?? "")</td>\
                <td>\(keyed)\(c.hasPass1 || c.hasPass2 || c.counted ? HTML(" <a href=\"\(FormsView.path(c.caseID))\">查看·更正</a>") : .empty)</td><td>\(form)</td>\(matched.map { HTML("<td>\($0)</td>") } ?? .empty)</tr>
                """
        }
        let search: HTML = """
            <form method="get" action="/supervise/cases" class="card"><input type="hidden" name="q" value="\(q.id)">\
            <label>查找案例 <input type="search" name="find" value="\(find)" placeholder="编号、户主姓名或地址" size="24"></label> <button type="submit">查找</button>\
            \(find.isEmpty ? HTML.empty : HTML(" <a href=\"/supervise/cases?q=\(q.id.addingPercentEncodingForPath)\">清除</a>"))</form>
            """
        let heading: HTML = found.map { f in
            HTML("<p>查找「\(find)」：\(f.count) 个案例\(f.count > 200 ? "（显示前 200 个）" : "")</p>")
        } ?? HTML("<p>镇（街道）：\(townLinks)</p>")
        let bulk: HTML = """
            <form id="bulk" method="post" action="/supervise/dispositions/bulk" class="card"><input type="hidden" name="csrf" value="\(session.csrf)">\
            <input type="hidden" name="q" value="\(q.id)"><input type="hidden" name="town" value="\(town)">\
            勾选的案例：<select name="disposition" aria-label="所选案例的处置">\(options)</select> \
            <input type="text" name="note" size="10" placeholder="说明" aria-label="所选案例的说明"> <button type="submit">记录所选</button></form>
            """
        let body: HTML = """
            <p>问卷：\(qLinks)</p>\(search)\(heading)\(bulk)
            <p class="muted">样本未应答（拒访、未接触、其他、资格不明）时，记录处置即按顺序启用同组下一个备选样本。</p>
            <table><tr><th>编号</th><th>身份</th><th>备选组</th><th>处置</th><th>录入</th><th>记录处置</th>\(found == nil ? HTML.empty : HTML("<th>匹配</th>"))</tr>\(Array(rows.prefix(found == nil ? rows.count : 200)))</table>
            """
        return Page(title: "处置与备选：\(q.title)", session: session, body: body, notice: notice)
    }

    static func progress(_ report: StatusReport, online: [(Questionnaire, [InvitationCount])] = [], session: SessionRecord) -> Page {
        func row(_ r: StatusRow, first: String) -> HTML {
            let nonResponse = r.dispositions.filter { !$0.key.allowsForm }.map(\.value).reduce(0, +)
            let outstanding = max(0, r.sampled + r.reservesUsed - nonResponse - r.verified)
            let cells = [r.sampled, r.reservesUsed, r.reservesLeft, r.pass1, r.pass2, r.verified, r.disagreeing, nonResponse, outstanding]
                .map { HTML("<td class=\"n\">\($0)</td>") }
            return "<tr><td>\(first)</td>\(cells)</tr>"
        }
        let header: HTML = "<th>样本</th><th>已用备选</th><th>剩余备选</th><th>第1遍</th><th>第2遍</th><th>已核实</th><th>有分歧</th><th>未应答</th><th>待完成</th>"
        let groups = report.groups.map { row($0, first: $0.group.label) }
        let towns = report.towns.map { row($0, first: "\($0.group.label) · \($0.townName ?? "")（\($0.townID ?? "无")）") }
        let body: HTML = """
            <h2>按调查对象</h2><table><tr><th>对象</th>\(header)</tr>\(groups)</table>
            <h2>按对象和镇（街道）</h2><table><tr><th>对象 · 镇（街道）</th>\(header)</tr>\(towns)</table>
            <p class="muted small">待完成 = 样本 + 已用备选 − 未应答 − 已核实（单遍录入的问卷录入即算核实）。</p>
            \(onlineProgress(online, towns: report.towns))
            """
        return Page(title: "录入进度", session: session, body: body)
    }

    /// Online self-completion by group and town: invited, opened, answers saved but not
    /// submitted, submitted (counts only: no case is named).
    static func onlineProgress(_ online: [(Questionnaire, [InvitationCount])], towns: [StatusRow]) -> HTML {
        guard !online.isEmpty else { return "" }
        var names: [String: String] = [:]
        for t in towns { if let id = t.townID, let name = t.townName { names[id] = name } }
        func cells(_ c: [Int]) -> HTML { HTML(trusted: c.map { "<td class=\"n\">\($0)</td>" }.joined()) }
        var rows: [HTML] = []
        for (q, counts) in online {
            let total = [counts.map(\.invited), counts.map(\.opened), counts.map(\.partial), counts.map(\.complete)].map { $0.reduce(0, +) }
            rows.append("<tr><th>\(q.group.label)</th>\(cells(total))</tr>")
            for c in counts {
                let town = c.townID.isEmpty ? "无镇（街道）" : "\(names[c.townID] ?? "")（\(c.townID)）"
                rows.append("<tr><td>\(q.group.label) · \(town)</td>\(cells([c.invited, c.opened, c.partial, c.complete]))</tr>")
            }
        }
        return """
            <h2>网上自填</h2><table><tr><th>对象 · 镇（街道）</th><th>已邀请</th><th>已打开</th><th>已作答未提交</th><th>已提交</th></tr>\(rows)</table>
            <p class="muted small">已提交的问卷即计入“已核实”；未提交的可用 pingyi invitations remind 发提醒。</p>
            """
    }

    static func units(_ q: Questionnaire, questionnaires: [Questionnaire], counts: [AnswerCount], countedOnly: Bool, session: SessionRecord) -> Page {
        let qLinks = questionnaires.map { HTML("<a href=\"/supervise/units?q=\($0.id.addingPercentEncodingForPath)\">\($0.group.label)</a> ") }
        let base = "/supervise/units?q=\(q.id.addingPercentEncodingForPath)"
        let toggle: HTML = countedOnly ? "已核实问卷 · <a href=\"\(base)&amp;keyed=1\">改看全部第 1 遍</a>"
            : "全部第 1 遍（含未核实）· <a href=\"\(base)\">改看已核实问卷</a>"
        var units: [(id: String, name: String, counts: [String: Int])] = []
        for item in q.unitItems where item.kind != .ownTown {
            var c: [String: Int] = [:]
            for a in counts where a.item == item.name { c[a.value, default: 0] += a.count }
            units.append((item.name, item.label, c))
        }
        for town in q.ownTown?.towns ?? [] {
            var c: [String: Int] = [:]
            for a in counts where a.item == Questionnaire.ownTownName && a.townID == town.id { c[a.value, default: 0] += a.count }
            units.append((town.id, town.name, c))
        }
        let rows = units.map { u -> HTML in
            let n = u.counts.values.reduce(0, +)
            return "<tr><td>\(u.name) <span class=\"muted\">\(u.id)</span></td><td class=\"n\">\(n)</td><td>\(TierChart.bar(u.counts, scale: q.scale))</td></tr>"
        }
        let body: HTML = """
            <p>问卷：\(qLinks)</p><p>\(toggle)</p>
            <p>\(TierChart.legend(q.scale))</p>
            <table><tr><th>被评单位</th><th>回答数</th><th>档次分布</th></tr>\(rows)</table>
            """
        return Page(title: "各单位评价分布：\(q.title)", session: session, body: body)
    }

    static func audit(caseID: String, trail: [AuditEntry], session: SessionRecord) -> Page {
        let rows = trail.map { e -> HTML in
            let pass = e.pass.map(String.init) ?? ""
            return "<tr><td>\(AuditWording.beijing(e.at))</td><td>\(e.operator)</td><td>\(AuditWording.action(e.action))</td><td>\(pass)</td><td>\(e.item)</td><td>\(e.oldValue)</td><td>\(e.newValue)</td><td>\(e.reason)</td><td>\(e.source)</td></tr>"
        }
        let body: HTML = """
            <form method="get" action="/supervise/audit" class="card"><label>问卷编号 <input type="text" name="case" value="\(caseID)"></label> <button type="submit">查询</button>\
            \(caseID.isEmpty ? HTML.empty : HTML(" <a href=\"\(FormsView.path(caseID))\">该案例的问卷（更正与作废）</a>"))</form>
            \(caseID.isEmpty ? HTML.empty : (trail.isEmpty ? HTML("<p>编号 \(caseID) 没有记录。</p>") : HTML("""
                <table><tr><th>时间（北京时间）</th><th>操作人</th><th>操作</th><th>遍次</th><th>题目</th><th>原值</th><th>新值</th><th>原因</th><th>来源</th></tr>\(rows)</table>
                """)))
            """
        return Page(title: "审计记录", session: session, body: body)
    }

    /// 录入工作量: one row per operator, day and pass, with the day's totals.
    static func work(_ rows: [KeyingWork], session: SessionRecord) -> Page {
        func percent(_ part: Int, _ whole: Int) -> String { whole == 0 ? "—" : String(format: "%.2f%%", 100 * Double(part) / Double(whole)) }
        let lines = rows.map { w -> HTML in
            let perForm = w.forms == 0 ? "—" : String(format: "%.1f", Double(w.keystrokes) / Double(w.forms))
            return """
                <tr><td>\(w.day)</td><td>\(w.operator)</td><td class="n">\(w.pass)</td><td class="n">\(w.forms)</td><td class="n">\(w.answers)</td>\
                <td class="n">\(w.keystrokes)</td><td class="n">\(perForm)</td><td class="n">\(w.disagreements)</td><td class="n">\(w.errors)</td>\
                <td class="n">\(percent(w.errors, w.answers))</td></tr>
                """
        }
        let body: HTML = rows.isEmpty ? "<p>还没有录入的问卷。</p>" : """
            <p class="muted">按录入员、日期（北京时间）和遍次统计网页、文件和接口录入的问卷。按键数：代码每题一键，数字和文字按字符计。\
            分歧：与另一遍不一致的题目；本遍错误：已裁定、且裁定值不是本遍所录的题目（错误率 = 本遍错误 ÷ 答案数）。</p>
            <table><tr><th>日期</th><th>录入员</th><th>遍次</th><th>问卷（份）</th><th>答案</th><th>按键</th><th>每份按键</th><th>分歧</th><th>本遍错误</th><th>错误率</th></tr>\(lines)</table>
            """
        return Page(title: "录入工作量", session: session, body: body)
    }
}

