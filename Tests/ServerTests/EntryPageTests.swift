import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Store
import Testing

@Suite("Keying forms on the web")
struct EntryPageTests {
    /// The answers of the small questionnaire's form fields.
    static func form(_ caseID: String, _ d: [String] = ["1", "2", "3"], town: String = "2", students: String = "2",
                     education: String? = nil, note: String = "") -> [(String, String)] {
        [("case_id", caseID), ("D01", d[0]), ("D02", d[1]), ("D03", d[2]), ("own_town", town), ("members", "3"),
         ("q_students", students), ("q_education", education ?? ""), ("q_note", note)]
    }

    @Test func theKeyingPageIsBuiltFromTheQuestionnaire() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login("operator")
            let page = try await client.get("/entry/small/1", session).text
            // Each item with its Chinese name beside the field, in questionnaire order.
            let labels = ["市政府办", "市信访局", "市发改局", "对所在镇（街道）的评价", "家庭常住人口（人）", "家中是否有在读学生", "对本地教育服务的评价", "意见和建议"]
            var at = page.startIndex
            for (label, name) in zip(labels, f.questionnaire.items.map(\.name)) {
                let found = try #require(page.range(of: "\(label)<span class=\"name\">\(name)</span></label>", range: at..<page.endIndex), "\(name)")
                at = found.upperBound
                #expect(page.contains("<input id=\"f-\(name)\" name=\"\(name)\""))
            }
            // The script gets the codes, the skip rule and the number range.
            #expect(page.contains(#""codes":{"1":"满意","2":"比较满意","3":"基本满意","4":"不满意","6":"不适用","7":"不了解/说不清","8":"拒答","9":"无效（多选）"}"#))
            #expect(page.contains(#""name":"q_education","required":true,"when":["cmp","q_students","==",1]"#))
            #expect(page.contains(#""kind":"number","label":"家庭常住人口（人）","max":20,"min":1"#))
            #expect(page.contains("第 1 遍录入") && !page.contains("不显示第 1 遍"))
            let second = try await client.get("/entry/small/2", session).text
            #expect(second.contains("第 2 遍录入（独立录入，不显示第 1 遍）"))
            #expect(try await client.get("/entry/small/3", session).status == .notFound)
            #expect(try await client.get("/entry/other/1", session).status == .notFound)
        }
    }

    @Test func theCaseNumberIsCheckedAtOnce() async throws {
        let f = try await ServerFixture()
        _ = try await f.store.recordDispositions(DispositionBatch(updates: [DispositionUpdate(caseID: "H-02-0003", disposition: .refusal)],
                                                                   operator: "督导", source: "test", useReserves: false))
        try await f.test { client in
            let session = try await client.login("operator")
            func check(_ id: String, pass: Int = 1) async throws -> [String: Any] {
                try await client.get("/entry/small/\(pass)/case?id=\(id)", session, json: true).json()
            }
            let ok = try await check("H-02-0001")
            #expect(ok["ok"] as? Bool == true)
            #expect(ok["message"] as? String == "H-02-0001：东城街道（T02） · 城镇居民户 · 样本")
            #expect(ok["town"] as? String == "东城街道" && ok["group"] as? String == "城镇居民户")
            #expect(try await check("H-09-0009")["message"] as? String == "样本中没有编号 H-09-0009：请核对问卷上印的编号")
            #expect(try await check("H-01-0004")["message"] as? String == "编号 H-01-0004 是未启用的备选样本：先由督导记录它所替代样本的处置")
            #expect(try await check("H-02-0003")["message"] as? String == "编号 H-02-0003 的处置为「拒访」，不能录入问卷")
            #expect(try await check("")["message"] as? String == "请输入问卷编号")
            _ = try await client.post("/entry/small/1", session, EntryPageTests.form("H-01-0001"), json: true)
            #expect(try await check("H-01-0001")["message"] as? String == "编号 H-01-0001 的第 1 遍已录入：如需更正请联系督导")
            // Pass 2 is keyed by someone else, and does not reveal pass 1: the case is simply open.
            #expect(try await check("H-01-0001", pass: 2)["message"] as? String == "编号 H-01-0001 的第 1 遍是您录入的：第 2 遍须由另一名录入员独立录入")
            let other = try await client.login("admin")
            let second = try await client.get("/entry/small/2/case?id=H-01-0001", other, json: true).json()
            #expect(second["ok"] as? Bool == true && second["message"] as? String == "H-01-0001：城关街道（T01） · 城镇居民户 · 样本")
            let refused = try await client.post("/entry/small/2", session, EntryPageTests.form("H-01-0001"), json: true)
            #expect(refused.status == .conflict)
            #expect(try refused.json()["error"] as? String == "编号 H-01-0001 的第 1 遍是您录入的：第 2 遍须由另一名录入员独立录入")
        }
    }

    @Test func aFormIsSavedOnceAndChecked() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login("operator")
            let saved = try await client.post("/entry/small/1", session, EntryPageTests.form("H-01-0001", students: "1", education: "7"), json: true)
            #expect(saved.status == .created)
            #expect(try saved.json()["message"] as? String == "已保存 H-01-0001（第 1 遍）")
            let snapshot = try await f.store.auditTrail(caseID: "H-01-0001")
            #expect(snapshot.last?.action == "enter" && snapshot.last?.operator == "operator" && snapshot.last?.source == "web local")
            // The same case again: refused, nothing changes.
            let before = try await f.dump()
            let duplicate = try await client.post("/entry/small/1", session, EntryPageTests.form("H-01-0001"), json: true)
            #expect(duplicate.status == .conflict)
            #expect(try duplicate.json()["error"] as? String == "编号 H-01-0001 的第 1 遍已录入：如需更正请联系督导")
            // A case not in the sample.
            let stranger = try await client.post("/entry/small/1", session, EntryPageTests.form("H-09-0001"), json: true)
            #expect(stranger.status == .conflict)
            #expect(try stranger.json()["error"] as? String == "样本中没有编号 H-09-0001：请核对问卷上印的编号")
            // Bad answers: every problem, in Chinese.
            let bad = try await client.post("/entry/small/1", session,
                                             EntryPageTests.form("H-01-0002", ["5", "", "3"], students: "2", education: "1"), json: true)
            #expect(bad.status == .unprocessableContent)
            let body = try bad.json()
            #expect(body["error"] as? String == "编号 H-01-0002 有 3 处需要更正，未保存")
            #expect(body["problems"] as? [String] == [
                "市政府办（D01）的代码「5」无效；可用：1 满意、2 比较满意、3 基本满意、4 不满意、6 不适用、7 不了解/说不清、8 拒答、9 无效（多选）",
                "市信访局（D02）未录入",
                "对本地教育服务的评价（q_education）按跳答规则（q_students == 1）应留空，录入的是「1」",
            ])
            let range = try await client.post("/entry/small/1", session, [("case_id", "H-01-0002"), ("D01", "1"), ("D02", "1"), ("D03", "1"),
                                                                          ("own_town", "1"), ("members", "25"), ("q_students", "2")], json: true)
            #expect(try range.json()["problems"] as? [String] == ["家庭常住人口（人）（members）应为 1–20 之间的整数，录入的是「25」"])
            #expect(try await f.dump() == before)
            // A plain form post (no script) is answered with a redirect back to a blank page.
            let plain = try await client.post("/entry/small/1", session, EntryPageTests.form("H-02-0001"))
            #expect(plain.status == .seeOther && plain.headers[.location] == "/entry/small/1?saved=H-02-0001")
            #expect(try await client.get("/entry/small/1?saved=H-02-0001", session).text.contains("已保存 H-02-0001（第 1 遍）"))
            // The operator sees their own work.
            let mine = try await client.get("/mine", session).text
            #expect(mine.contains("<td>H-02-0001</td>") && mine.contains("<td>H-01-0001</td>"))
            // The 题目 column says what was keyed: the whole form, with its questionnaire version.
            #expect(mine.contains("<td>录入</td><td>整份问卷（v1）</td>") && mine.contains("时间（北京时间）"), "\(mine)")
            let other = try await client.login("supervisor")
            #expect(try await client.get("/mine", other).text.contains("您还没有录入问卷。"))
        }
    }

    /// Text holding markup or SQL is stored as keyed and shown as text, never run.
    @Test func markupAndSQLAreStoredLiterallyAndShownEscaped() async throws {
        let f = try await ServerFixture()
        let hostile = "<script>alert('x')</script>\"'; DROP TABLE forms; --"
        let other = "<img src=x onerror=alert(1)> OR 1=1"
        try await f.test { client in
            let operatorSession = try await client.login("operator")
            #expect(try await client.post("/entry/small/1", operatorSession, EntryPageTests.form("H-01-0001", note: hostile), json: true).status == .created)
            let secondKeyer = try await client.login("admin")
            #expect(try await client.post("/entry/small/2", secondKeyer, EntryPageTests.form("H-01-0001", note: other), json: true).status == .created)
            let session = try await client.login("supervisor")
            #expect(try await client.post("/supervise/verify", session, []).status == .seeOther)
            let open = try await f.store.disagreements(questionnaire: nil)
            #expect(open == [Disagreement(caseID: "H-01-0001", questionnaire: "small", item: "q_note", pass1: hostile, pass2: other)])
            let page = try await client.get("/supervise/disagreements", session).text
            #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&#39;; DROP TABLE forms; --"))
            #expect(page.contains("&lt;img src=x onerror=alert(1)&gt; OR 1=1"))
            #expect(!page.contains("<script>alert") && !page.contains("<img src=x"))
            // The forms table is still there and holds the text as keyed.
            _ = try await client.post("/supervise/resolve", session, [("case_id", "H-01-0001"), ("item", "q_note"), ("choice", "1")])
            let forms = try await f.store.snapshot(questionnaire: "small").forms
            #expect(forms.first?.answers["q_note"] == hostile)
            // A user name with markup is shown as text on the users page.
            let admin = try await client.login("admin")
            #expect(try await client.post("/admin/users", admin, [("name", "<b>王</b>"), ("role", "operator"), ("password", "long-enough-1")]).status == .seeOther)
            let users = try await client.get("/admin/users", admin).text
            #expect(users.contains("<td>&lt;b&gt;王&lt;/b&gt;</td>") && !users.contains("<td><b>王</b></td>"))
        }
    }

    /// Without the page's script, a refused form comes back filled in as sent, with the
    /// reasons at the top; nothing is saved. With it, the JSON names the items at fault.
    @Test func aRefusedFormComesBackFilledIn() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login("operator")
            let before = try await f.dump()
            let fields = [("case_id", "H-01-0002"), ("D01", "1"), ("D02", "2"), ("D03", "3"), ("own_town", "1"), ("members", "25"),
                          ("q_students", "2"), ("q_note", "路灯<坏了>\"")]
            let plain = try await client.post("/entry/small/1", session, fields)
            #expect(plain.status == .unprocessableContent)
            let page = plain.text
            #expect(page.contains("<div class=\"error\" id=\"refused\">编号 H-01-0002 有 1 处需要更正，未保存<ul><li>家庭常住人口（人）（members）应为 1–20 之间的整数，录入的是「25」</li></ul></div>"))
            #expect(page.contains("id=\"case\" name=\"case_id\" class=\"case\" type=\"text\" autofocus autocomplete=\"off\" spellcheck=\"false\" value=\"H-01-0002\""))
            for (name, value) in [("D01", "1"), ("D02", "2"), ("D03", "3"), ("own_town", "1"), ("members", "25"), ("q_students", "2")] {
                #expect(page.contains("<input id=\"f-\(name)\" name=\"\(name)\" type=\"text\" inputmode=\"numeric\" maxlength=\"\(name == "members" ? 12 : 1)\" autocomplete=\"off\" value=\"\(value)\">"), "\(name)")
            }
            #expect(page.contains("value=\"路灯&lt;坏了&gt;&quot;\"") && !page.contains("<坏了>"))
            #expect(try await f.dump() == before)
            // An already keyed case: the same page, the store's reason.
            #expect(try await client.post("/entry/small/1", session, EntryPageTests.form("H-01-0001"), json: true).status == .created)
            let again = try await client.post("/entry/small/1", session, EntryPageTests.form("H-01-0001"))
            #expect(again.status == .conflict && again.text.contains("编号 H-01-0001 的第 1 遍已录入：如需更正请联系督导"))
            // The page's script is told which item is at fault.
            let json = try await client.post("/entry/small/1", session, fields, json: true)
            #expect(try json.json()["items"] as? [String] == ["members"])
        }
    }

    /// Case numbers typed in lower case or full width (an input method's), and codes in full
    /// width, are the case and codes they mean; a text item keeps its own punctuation.
    @Test func lowerCaseAndFullWidthInputIsUnderstood() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login("operator")
            let check = try await client.get("/entry/small/1/case?id=h-01-0001", session, json: true).json()
            #expect(check["ok"] as? Bool == true && check["caseID"] as? String == "H-01-0001")
            let wide = try await client.get("/entry/small/1/case?id=%EF%BC%A8%EF%BC%8D%EF%BC%90%EF%BC%91%EF%BC%8D%EF%BC%90%EF%BC%90%EF%BC%90%EF%BC%92", session, json: true).json()
            #expect(wide["ok"] as? Bool == true && wide["caseID"] as? String == "H-01-0002")
            let saved = try await client.post("/entry/small/1", session, [("case_id", "h-01-0001"), ("D01", "３"), ("D02", "２"), ("D03", "1"),
                                                                          ("own_town", "1"), ("members", "１２"), ("q_students", "2"), ("q_note", "好，很好！")], json: true)
            #expect(saved.status == .created)
            #expect(try saved.json()["caseID"] as? String == "H-01-0001")
            // Pass 2 keyed in ASCII agrees with pass 1 keyed in full width.
            let second = try await client.login("admin")
            #expect(try await client.post("/entry/small/2", second, [("case_id", "H-01-0001"), ("D01", "3"), ("D02", "2"), ("D03", "1"),
                                                                     ("own_town", "1"), ("members", "12"), ("q_students", "2"), ("q_note", "好，很好！")], json: true).status == .created)
            let report = try await f.store.verify(questionnaire: "small", operator: "test")
            #expect(try await f.store.disagreements(questionnaire: "small").isEmpty, "\(report)")
            let form = try #require(try await f.store.snapshot(questionnaire: "small").forms.first)
            #expect(form.caseID == "H-01-0001" && form.answers["D01"] == "3" && form.answers["D02"] == "2" && form.answers["members"] == "12")
            #expect(form.answers["q_note"] == "好，很好！")
        }
    }

    /// A page whose session ended takes the new session's token once its user signs in again.
    @Test func theSessionsTokenIsReadableSameOriginOnly() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login("operator")
            let info = try await client.get("/session", session, json: true)
            #expect(info.status == .ok && info.headers[.cacheControl] == "no-store")
            let body = try info.json()
            #expect(body["csrf"] as? String == session.csrf && body["user"] as? String == "operator")
            #expect(info.headers[FieldName("Access-Control-Allow-Origin")!] == nil)
            #expect(try await client.get("/session", nil, json: true).status == .unauthorized)
        }
    }

    /// A second pass keyed on the page is compared with the first at once: the case is verified
    /// (or its disagreements listed) without anyone pressing 核对.
    @Test func aSecondPassIsComparedAtOnce() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let first = try await client.login("operator")
            let second = try await client.login("admin")
            #expect(try await client.post("/entry/small/1", first, EntryPageTests.form("H-01-0001"), json: true).status == .created)
            #expect(try await client.post("/entry/small/1", first, EntryPageTests.form("H-01-0002"), json: true).status == .created)
            #expect(try await client.post("/entry/small/2", second, EntryPageTests.form("H-01-0001"), json: true).status == .created)
            #expect(try await client.post("/entry/small/2", second, EntryPageTests.form("H-01-0002", ["1", "4", "3"]), json: true).status == .created)
            let counted = try await f.store.snapshot(questionnaire: "small").forms.map(\.caseID)
            #expect(counted == ["H-01-0001"])
            #expect(try await f.store.disagreements(questionnaire: "small").map(\.item) == ["D02"])
            let trail = try await f.store.auditTrail(caseID: "H-01-0001")
            #expect(trail.contains { $0.action == "verify" && $0.operator == "admin" })
        }
    }
}
