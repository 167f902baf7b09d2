import Formats
import Foundation
import Markup
import Questionnaire
import Store

/// The telephone pages: the interviewer's start page, the call screen (numbers, history, the
/// outcome of a dial, the interview itself), the callback screen, and the supervisor's page of
/// quotas, interviewers and flagged callbacks.
enum CallsView {
    /// The outcomes of a dial without an interview, with the key that records each.
    static let outcomeKeys: [(key: String, outcome: CallOutcome)] = [
        ("1", .busy), ("2", .noAnswer), ("3", .answeringMachine), ("4", .callBack), ("5", .notAvailable), ("6", .softRefusal),
        ("7", .hardRefusal), ("8", .nonWorking), ("9", .fax), ("0", .ineligible), ("u", .unable),
    ]

    static func path(_ q: Questionnaire, _ tail: String = "") -> String {
        "/calls/\(q.id.addingPercentEncodingForPath)\(tail)"
    }

    // MARK: Start page

    struct Line {
        let questionnaire: Questionnaire
        let rules: CallRules
        /// Sampled cases and completes (at most a few seconds old).
        let target: Int
        let completes: Int
        let evening: InterviewerEvening?
    }

    static func index(_ lines: [Line], now: Int64, session: SessionRecord, notice: String?, error: String?) -> Page {
        let cards = lines.map { line -> HTML in
            let q = line.questionnaire, r = line.rules
            let open = r.isCallingTime(now)
            let today = r.windows[CallRules.localTime(now).weekday].map(\.text).joined(separator: "、")
            let window: HTML = open ? "<span class=\"notice\">拨打时段中（今天 \(today)）</span>"
                : "<span class=\"muted\">现在不是拨打时段\(r.nextCallingTime(after: now).map { "；下一个时段 " + CallWording.clock($0) } ?? "")</span>"
            let target = line.target, done = line.completes
            let mine: HTML = line.evening.map { e in
                HTML("<p class=\"small\">今天：拨打 \(e.dials) 次，接通 \(e.contacts)，完成 \(e.completes)，拒访 \(e.refusals)</p>")
            } ?? "<p class=\"small muted\">今天还没有拨打。</p>"
            return """
                <div class="card"><h2>\(q.title) <span class="muted small">\(q.id) · \(q.group.label)</span></h2>
                <p>\(window) · 完成 \(done) / 目标 \(target)</p>\(mine)
                <form class="inline" method="post" action="\(path(q, "/next"))"><input type="hidden" name="csrf" value="\(session.csrf)">\
                <button type="submit" class="next" data-key="n">下一个案例（N）</button></form>
                \(r.callbackShare > 0 ? HTML("""
                    <form class="inline" method="post" action="\(path(q, "/callback"))"><input type="hidden" name="csrf" value="\(session.csrf)">\
                    <button type="submit" data-key="r">回访复核（R）</button></form>
                    """) : .empty)
                </div>
                """
        }
        let body: HTML = lines.isEmpty
            ? "<p class=\"card\">库中没有电话访问的问卷：问卷文件须有 calls: 一节，名单须有电话号码列。</p>"
            : "\(error.map { HTML("<p class=\"error\" role=\"alert\">\($0)</p>") } ?? .empty)\(cards)"
        return Page(title: "电话访问", session: session, body: body, script: lines.count == 1 ? keyScript : nil, notice: notice)
    }

    /// N takes the next case, R the next callback (one questionnaire on the page).
    static let keyScript = #"""
    (function () {
      document.addEventListener('keydown', function (ev) {
        if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
        const b = document.querySelector('button[data-key="' + ev.key.toLowerCase() + '"]');
        if (b) { ev.preventDefault(); b.form.submit(); }
      });
      const first = document.querySelector('button.next');
      if (first) first.focus();
    })();
    """#

    // MARK: The call screen

    static func reasonText(_ r: CallAssignment.Reason) -> String {
        switch r {
        case .resumed: "继续（您手上的案例）"
        case .appointment: "预约回电"
        case .fresh: "新案例"
        case .retry: "重拨"
        }
    }

    /// The list's columns for the interviewer (name, town, village…), without ids.
    static func describe(_ attributes: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(attributes.utf8)) as? [String: Any] else { return "" }
        return object.keys.sorted().filter { !$0.hasSuffix("_id") && $0 != "id" }.compactMap { key in
            switch object[key] {
            case let s as String: "\(key) \(s)"
            case let n as NSNumber: "\(key) \(n)"
            default: nil
            }
        }.joined(separator: " · ")
    }

    static func call(_ a: CallAssignment, _ q: Questionnaire, rules: CallRules, now: Int64, startedAt: Int64, session: SessionRecord,
                     values: [String: String] = [:], error: String? = nil, details: [String] = []) -> Page {
        let items = q.items.map(EntryView.itemData(q))
        let phones = a.phones.enumerated().map { k, n -> HTML in
            let checked: HTML = k == 0 ? " checked" : .empty
            return "<label class=\"phone\"><input type=\"radio\" name=\"phone_rank\" value=\"\(k + 1)\"\(checked)> \(k + 1) · <b>\(CallWording.spaced(n))</b></label> "
        }
        let history = a.history.map { h -> HTML in
            "<tr><td>\(CallWording.clock(h.startedAt))</td><td>\(h.interviewer)</td><td class=\"n\">\(h.phoneRank)</td><td>\(h.outcome.label)</td></tr>"
        }
        let buttons = outcomeKeys.map { k -> HTML in
            """
            <button type="submit" formaction="\(path(q, "/attempt"))" name="outcome" value="\(k.outcome.rawValue)" data-key="\(k.key)">\
            [\(k.key.uppercased())] \(k.outcome.label)</button>
            """
        }
        let specials = q.scale.specials.map { HTML("<code>\($0.code)</code>\($0.label) ") }
        let silent = Silent(items: q.items.filter(\.usesScale).map(\.name), codes: q.scale.specials.map { String($0.code) })
        let problems = details.map { HTML("<li>\($0)</li>") }
        let body: HTML = """
            \(error.map { HTML("<div class=\"error\" role=\"alert\">\($0)\(problems.isEmpty ? HTML.empty : HTML("<ul>\(problems)</ul>"))</div>") } ?? .empty)
            <form id="call" method="post" action="\(path(q, "/interview"))" autocomplete="off">
            <input type="hidden" name="csrf" value="\(session.csrf)"><input type="hidden" name="case_id" value="\(a.caseID)">
            <input type="hidden" name="started_at" value="\(String(startedAt))">
            <div class="card">
            <p><b class="case">\(a.caseID)</b> · \(reasonText(a.reason)) · 第 \(a.attempts + 1) 次拨打（最多 \(rules.maxAttempts) 次）\
            \(a.appointmentAt.map { HTML(" · 预约 \(CallWording.clock($0))") } ?? .empty) · 保留到 \(CallWording.clock(a.lockedUntil))</p>
            <p>\(describe(a.attributes))</p>
            <p>号码：\(phones)</p>
            \(history.isEmpty ? HTML.empty : HTML("<table class=\"small\"><tr><th>时间</th><th>访员</th><th>号码</th><th>结果</th></tr>\(history)</table>"))
            </div>
            <div class="card" id="outcomes">
            <p><b>未访问的拨打结果</b>（按键记录）：</p>
            <p>\(buttons)</p>
            <p><label>预约时间（北京时间）<input type="datetime-local" name="appointment" id="appointment" value="\(CallWording.field(now + 3600))"></label>
            <label>备注 <input type="text" name="note" maxlength="200"></label></p>
            <p><button type="button" id="start" data-key="enter">开始访问（Enter）</button>
            <button type="submit" formaction="\(path(q, "/release"))" formnovalidate>放回（不记录拨打）</button></p>
            </div>
            <div class="keying" id="interview">
            <div><p class="read card" id="read" aria-live="polite">开始访问后，这里显示要照读的题目全文。</p><div class="items">\(EntryView.itemRows(q, items, values: values))</div>
            <p><button type="submit" name="outcome" value="complete" id="complete">完成访问（Enter）</button>
            <button type="submit" name="outcome" value="break-off" id="breakoff">中途拒答，保存已答（F8）</button></p></div>
            <aside class="card legend small">\(EntryView.legend(q))
            <div class="muted">照读题目；\(specials)不读出，受访者自己说出时照录。每题按一个数字键；Enter 到下一道未答的必答题，全部答完即保存；F8 中途拒答。</div>
            </aside>
            </div>
            </form>
            <div id="status" role="alert"></div>
            """
        return Page(title: "电话访问：\(q.title)", session: session, body: body,
                    script: "const Q = \(EntryView.script(q, pass: 1, checkURL: "", saveURL: path(q, "/interview")));\nconst SILENT = \(scriptJSON(silent).text);\n" + CallScript.source, notice: nil)
    }

    /// `2026-11-30`: the Beijing day of a time (as ``InterviewerEvening/day``).
    static func day(_ unix: Int64) -> String {
        CivilDate(daysSinceEpoch: Int(CallRules.localTime(unix).day)).description
    }

    /// What a recorded dial did, for the notice on the start page.
    static func recorded(_ a: CallAttemptInput, _ r: CallAttemptResult) -> String {
        var text = "已记录 \(a.caseID)：\(a.outcome.label)"
        if let f = r.final {
            text += "；案例结束：\(Disposition(rawValue: f.disposition)?.label ?? f.disposition)（AAPOR \(f.aapor)）"
        } else if let next = r.nextAt {
            text += a.outcome == .callBack && a.appointmentAt != nil ? "；预约 \(CallWording.clock(next)) 回电" : "；\(CallWording.clock(next)) 后再拨"
        }
        if let reserve = r.activatedReserve { text += "；已启用备选 \(reserve)" }
        if r.callback { text += "；本次访问已抽中回访复核" }
        return text
    }

    /// The codes not read out (the scale's special codes) and the items they apply to.
    struct Silent: Encodable {
        let items: [String]
        let codes: [String]
    }

    // MARK: Callbacks

    static func callback(_ c: CallbackAssignment, _ q: Questionnaire, session: SessionRecord) -> Page {
        let rows = c.items.compactMap { name -> HTML? in
            guard let item = q.item(name) else { return nil }
            let options = FieldMessages.codes(q, item).map { HTML("<option value=\"\(String($0.code))\">\(String($0.code)) \($0.label)</option>") }
            return "<p><label>\(item.label) <select name=\"\(name)\"><option value=\"\">（未答）</option>\(options)</select></label></p>"
        }
        let phones = c.phones.map { HTML("<b>\(CallWording.spaced($0))</b> ") }
        let body: HTML = """
            <form class="card" method="post" action="\(path(q, "/callback/save"))">
            <input type="hidden" name="csrf" value="\(session.csrf)"><input type="hidden" name="case_id" value="\(c.caseID)">
            <p><b>\(c.caseID)</b> · 原访员 \(c.interviewer) · \(describe(c.attributes))</p>
            <p>号码：\(phones)</p>
            <p class="muted">向受访者确认曾接受访问，再重问以下题目，按回答选择：</p>
            \(rows)
            <p><button type="submit">保存回访</button></p>
            </form>
            """
        return Page(title: "回访复核：\(q.title)", session: session, body: body)
    }

    // MARK: Supervision

    /// - Parameter towns: the towns' names by id.
    static func supervision(_ q: Questionnaire?, questionnaires: [Questionnaire], quotas: [CallQuota], towns: [String: String],
                            evenings: [InterviewerEvening], flagged: [FlaggedCallback], session: SessionRecord) -> Page {
        let links = questionnaires.map { HTML("<a href=\"/supervise/calls?q=\($0.id.addingPercentEncodingForPath)\">\($0.group.label)</a> ") }
        func n(_ x: Int) -> HTML { "<td class=\"n\">\(x)</td>" }
        func pct(_ x: Double) -> HTML { x.isNaN ? "<td class=\"n\">—</td>" : "<td class=\"n\">\(String(format: "%.1f", x * 100))%</td>" }
        func one(_ x: Double) -> HTML { x.isNaN ? "<td class=\"n\">—</td>" : "<td class=\"n\">\(String(format: "%.1f", x))</td>" }
        let quotaRows = quotas.map { r -> HTML in
            "<tr><td>\(r.townID.isEmpty ? "（无镇街）" : r.townID) \(towns[r.townID] ?? "")</td>\(n(r.target))\(n(r.completes))\(n(r.partials))\(n(r.refusals))\(n(r.nonContacts))\(n(r.otherFinal))\(n(r.attempts))\(n(r.outstanding))\(n(r.inProgress))</tr>"
        }
        let eveningRows = evenings.map { e -> HTML in
            "<tr><td>\(e.day)</td><td>\(e.interviewer)</td>\(n(e.dials))\(n(e.contacts))\(n(e.completes))\(pct(e.refusalRate))\(one(e.meanInterviewMinutes))\(one(e.completesPerHour))\(n(e.callbacksChecked))\(pct(e.callbackAgreement))</tr>"
        }
        let flaggedRows = flagged.map { f -> HTML in
            let what = f.differences.map { "\($0.item)：访问 \($0.interview ?? "空")，回访 \($0.callback ?? "空")" }.joined(separator: "；")
            return "<tr><td><a href=\"/supervise/audit?case=\(f.caseID.addingPercentEncodingForPath)\">\(f.caseID)</a></td><td>\(f.interviewer)</td><td>\(f.checker)</td><td>\(CallWording.clock(f.checkedAt))</td><td>\(what)</td><td><a href=\"\(FormsView.path(f.caseID))\">更正或作废访问</a></td></tr>"
        }
        let body: HTML = q == nil ? "<p class=\"card\">库中没有电话访问的问卷。</p>" : """
            <p>问卷：\(links)</p>
            <h2>配额与进度（按镇街）</h2>
            <table id="quotas"><tr><th>镇（街道）</th><th>目标</th><th>完成</th><th>部分完成</th><th>拒访</th><th>未接触</th><th>其他结束</th><th>拨打次数</th><th>待完成</th><th>拨打中</th></tr>\(quotaRows)</table>
            <h2>访员工作量（按天）</h2>
            <table><tr><th>日期</th><th>访员</th><th>拨打</th><th>接通</th><th>完成</th><th>拒访率</th><th>平均访问时长（分）</th><th>每小时完成</th><th>回访</th><th>回访一致率</th></tr>\(eveningRows)</table>
            <h2>回访不一致（\(flagged.count)）</h2>
            \(flagged.isEmpty ? HTML("<p>没有不一致的回访。</p>") : HTML("<table><tr><th>编号</th><th>访员</th><th>回访人</th><th>回访时间</th><th>不一致</th><th>处理</th></tr>\(flaggedRows)</table>"))
            <p class="muted small">目标为样本数；待完成为在用（样本与已启用备选）而尚未结束的案例。号码不在此页显示。</p>
            """
        return Page(title: "电话督导\(q.map { "：" + $0.title } ?? "")", session: session, body: body)
    }
}
