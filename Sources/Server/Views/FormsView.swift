import Foundation
import Questionnaire
import Store
import Markup

/// A case's stored forms for a supervisor: each form's answers side by side, the correction of
/// the case's answers, and the void of one form — each with a reason, for the audit trail.
enum FormsView {
    /// The correction as sent, with the reasons it was refused (shown filled in again).
    struct Refill {
        let values: [String: String]
        let reason: String
        let error: PageError
    }

    static func path(_ caseID: String) -> String { "/supervise/forms?case=" + caseID.addingPercentEncodingForPath }

    static func page(_ c: CaseRecord, _ q: Questionnaire, forms: [CaseForm], session: SessionRecord, notice: String?, refill: Refill? = nil) -> Page {
        let csrf: HTML = "<input type=\"hidden\" name=\"csrf\" value=\"\(session.csrf)\"><input type=\"hidden\" name=\"case_id\" value=\"\(c.caseID)\">"
        let place = [townName(c.attributes), c.townID.map { "（\($0)）" }].compactMap { $0 }.joined()
        let head: HTML = """
            <p>编号 <b>\(c.caseID)</b> · \(c.group.label)\(place.isEmpty ? "" : " · " + place) · 处置：\(c.disposition.label) · \
            <a href="/supervise/audit?case=\(c.caseID.addingPercentEncodingForPath)">审计记录</a></p>
            """
        guard !forms.isEmpty else {
            return Page(title: "问卷更正与作废：\(c.caseID)", session: session, body: "\(head)<p>该案例还没有录入的问卷。</p>", notice: notice)
        }
        // The answers to start from: the counted form's, else the first pass's.
        let base = (forms.first { $0.kind == .final } ?? forms[0]).answers
        let columns = forms.map { f -> HTML in
            "<th>\(f.kind.label(f.mode))<br><span class=\"muted small\">\(f.operator) · \(AuditWording.beijing(f.enteredAt))</span></th>"
        }
        let rows = q.items.map { item -> HTML in
            let values = forms.map { $0.answers[item.name] }
            let differ = Set(values.map { $0 ?? "" }).count > 1
            let cells = values.map { HTML("<td class=\"\(differ ? "differ" : "same")\">\(SupervisionView.describe($0, item: item, in: q))</td>") }
            let value = refill?.values[item.name] ?? base[item.name] ?? ""
            let faulty = refill?.error.items.contains(item.name) ?? false
            let size: Int
            if case .text = item.kind { size = 24 } else { size = 6 }
            let hint = FieldMessages.codeList(q, item)
            return """
                <tr><td>\(item.label) <span class="muted">\(item.name)</span></td>\(cells)\
                <td><input type="text" name="item:\(item.name)" value="\(value)" size="\(size)" aria-label="\(item.label) 更正为"\
                \(faulty ? HTML(" aria-invalid=\"true\" autofocus") : .empty)\(hint.isEmpty ? .empty : HTML(" title=\"\(hint)\""))></td></tr>
                """
        }
        let refused: HTML = refill.map { r in
            HTML("<div class=\"error\" role=\"alert\"><p>\(r.error.message)</p><ul>\(r.error.details.map { HTML("<li>\($0)</li>") })</ul></div>")
        } ?? .empty
        let correction: HTML = """
            \(refused)
            <form method="post" action="/supervise/forms/correct">\(csrf)
            <table><tr><th>题目</th>\(columns)<th>更正为</th></tr>\(rows)</table>
            <p class="save-bar"><label>更正原因（必填） <input type="text" name="reason" value="\(refill?.reason ?? "")" size="40" required \
            placeholder="例如：对照纸质问卷，D03 录错"></label> <button type="submit">保存更正</button></p>
            </form>
            <p class="muted small">更正写入计入统计的问卷（核实结果、电话访问或网上自填）；两遍录入有分歧的，按更正的答案裁定并核实；\
            只有一份录入的，更正该份。两遍录入本身保持原样（录入工作量和差错按原录入统计）。每处改动连同原因记入审计。\
            代码与录入页相同（鼠标停在输入框上可看可用代码），留空即为未答。</p>
            """
        let voids = forms.filter { !($0.kind == .final && $0.mode == .paper) }.map { f -> HTML in
            """
            <form class="inline card" method="post" action="/supervise/forms/void">\(csrf)<input type="hidden" name="kind" value="\(f.kind.rawValue)">\
            \(f.kind.label(f.mode))（\(f.operator)）：<input type="text" name="reason" size="24" required placeholder="作废原因（必填）" \
            aria-label="作废\(f.kind.label(f.mode))的原因"> <button type="submit">作废</button></form>
            """
        }
        let body: HTML = """
            \(head)\(correction)
            <h2>作废问卷</h2>
            <p class="muted small">作废后该问卷及其答案删除（审计中保留录入人、时间和原因）。作废一遍录入会撤销本案例的核实，重新录入该遍后再次比对；\
            由问卷自动记为“完成”的处置恢复为“待定”，督导记录的处置不变。核实结果由两遍得出，不能单独作废。</p>
            <p>\(voids)</p>
            """
        return Page(title: "问卷更正与作废：\(c.caseID)", session: session, body: body, notice: notice)
    }
}
