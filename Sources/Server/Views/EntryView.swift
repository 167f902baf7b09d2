import Foundation
import Questionnaire
import Store
import Markup
import Synchronization

/// The keying page of one questionnaire and pass, built from the questionnaire's definition:
/// the case number, then one row per item with the unit's Chinese name beside the field. The
/// page works as a plain form; its script (``KeyingScript``) makes it keyboard-first.
enum EntryView {
    /// What the script needs to know of the questionnaire.
    struct Data: Encodable {
        let questionnaire: String
        let version: Int
        let pass: Int
        let checkURL: String
        let saveURL: String
        let items: [ItemData]
    }

    struct ItemData: Encodable {
        let name: String
        let label: String
        /// code, number or text.
        let kind: String
        /// For code items: each code and its label.
        let codes: [String: String]?
        let required: Bool
        let when: ConditionTree?
        let min: Double?
        let max: Double?
        let decimals: Int?
        let maxLength: Int?
    }

    static func path(_ q: Questionnaire, _ pass: Pass) -> String {
        "/entry/\(q.id.addingPercentEncodingForPath)/\(pass.rawValue)"
    }

    /// The script's `Q` as JSON for a questionnaire version and page, encoded once (a stored
    /// version never changes; encoding it took a fifth of a call screen's time).
    static func script(_ q: Questionnaire, pass: Int, checkURL: String, saveURL: String) -> String {
        let key = [q.id, String(q.version), String(pass), checkURL, saveURL].joined(separator: "\u{1F}")
        if let known = scripts.withLock({ $0[key] }) { return known }
        let text = scriptJSON(Data(questionnaire: q.id, version: q.version, pass: pass, checkURL: checkURL, saveURL: saveURL,
                                   items: q.items.map(itemData(q)))).text
        scripts.withLock { $0[key] = text }
        return text
    }

    private static let scripts = Mutex<[String: String]>([:])

    /// A form sent without the page's script and refused: shown again as sent, with the reasons.
    struct Refill {
        let caseID: String
        let values: [String: String]
        let error: PageError
    }

    static func page(_ q: Questionnaire, pass: Pass, session: SessionRecord, notice: String?, refill: Refill? = nil) -> Page {
        let items = q.items.map(itemData(q))
        let rows = itemRows(q, items, values: refill?.values ?? [:])
        let caseValue: HTML = refill.map { HTML(" value=\"\($0.caseID)\"") } ?? .empty
        let refused: HTML = refill.map { r in
            let details = r.error.details.map { HTML("<li>\($0)</li>") }
            return "<div class=\"error\" id=\"refused\">\(r.error.message)\(details.isEmpty ? HTML.empty : HTML("<ul>\(details)</ul>"))</div>"
        } ?? .empty
        let body: HTML = """
            <p class="muted">\(q.title)（\(q.id) 第 \(q.version) 版）· 第 \(pass.rawValue) 遍录入\(pass == .second ? "（独立录入，不显示第 1 遍）" : "")</p>
            \(refused)
            <div class="keying">
            <form id="form" method="post" action="\(path(q, pass))" autocomplete="off" data-user="\(session.user)">
            <input type="hidden" name="csrf" value="\(session.csrf)">
            <p><label>问卷编号 <input id="case" name="case_id" class="case" type="text" autofocus autocomplete="off" spellcheck="false"\(caseValue)></label></p>
            <div id="case-info" class="case-info" role="status"></div>
            <div class="items">\(rows)</div>
            <p><button type="submit" id="save">保存（Enter）</button> <span id="count" class="muted"></span></p>
            </form>
            <aside class="card legend small">
            \(legend(q))
            <div class="muted">输入编号后按 Enter 核对；每题按一个数字键，自动跳到下一题；Enter 保存并开始下一份；\
            ↑ ↓ 或 Tab 移动；Backspace 清除本题，再按退回上一题；无效按键不会录入。</div>
            </aside>
            </div>
            <div id="status" role="alert"></div>
            """
        return Page(title: "录入：\(q.title)", session: session, body: body,
                    script: "const Q = \(script(q, pass: pass.rawValue, checkURL: path(q, pass) + "/case", saveURL: path(q, pass)));\n"
                        + KeyingScript.source, notice: notice)
    }

    /// The scale's tiers and special codes, for the legend beside the form.
    static func legend(_ q: Questionnaire) -> HTML {
        let scale = q.scale.tiers.map { HTML("<code>\($0.code)</code>\($0.label) ") }
        let specials = q.scale.specials.map { HTML("<code>\($0.code)</code>\($0.label) ") }
        return "<div><b>\(q.scale.title)</b></div><div>\(scale)</div><div>\(specials)</div>"
    }

    /// One row per item: its label (the text to read out, on the telephone), its field and the
    /// meaning of the code typed; `values` fills the fields (a form shown again after an error).
    static func itemRows(_ q: Questionnaire, _ items: [ItemData], values: [String: String] = [:]) -> [HTML] {
        zip(q.items, items).map { item, d -> HTML in
            let value: HTML = values[d.name].map { HTML(" value=\"\($0)\"") } ?? .empty
            let town: HTML = item.kind == .ownTown ? "<span class=\"town-name\" id=\"town-name\"></span>" : .empty
            if d.kind == "text" {
                return """
                    <div class="item text" data-name="\(d.name)"><label class="label" for="f-\(d.name)">\(d.label)<span class="name">\(d.name)</span></label>\
                    <input id="f-\(d.name)" name="\(d.name)" class="wide" type="text" maxlength="\(d.maxLength ?? 2000)" autocomplete="off"\(value)></div>
                    """
            }
            let width: HTML = d.kind == "code" ? "maxlength=\"1\"" : "maxlength=\"12\""
            return """
                <div class="item" data-name="\(d.name)"><label class="label" for="f-\(d.name)" title="\(d.label)">\(town)\(d.label)<span class="name">\(d.name)</span></label>\
                <input id="f-\(d.name)" name="\(d.name)" type="text" inputmode="numeric" \(width) autocomplete="off"\(value)><span class="meaning" id="m-\(d.name)"></span></div>
                """
        }
    }

    /// The script's view of an item.
    static func itemData(_ q: Questionnaire) -> (Item) -> ItemData {
        { item in
            var min: Double?, max: Double?, decimals: Int?, maxLength: Int?
            let kind: String
            switch item.kind {
            case .unit, .ownTown, .tier, .single: kind = "code"
            case .number(let lo, let hi, let places):
                kind = "number"
                (min, max, decimals) = (lo, hi, places)
            case .text(let length):
                kind = "text"
                maxLength = length
            }
            let codes = FieldMessages.codes(q, item)
            return ItemData(name: item.name, label: item.label, kind: kind,
                            codes: codes.isEmpty ? nil : Dictionary(codes.map { (String($0.code), $0.label) }, uniquingKeysWith: { a, _ in a }),
                            required: item.required, when: item.when?.tree, min: min, max: max, decimals: decimals, maxLength: maxLength)
        }
    }
}

extension String {
    /// The text percent-encoded for one path segment.
    var addingPercentEncodingForPath: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? self
    }
}
