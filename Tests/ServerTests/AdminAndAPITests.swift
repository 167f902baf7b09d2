import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Store
import Testing

@Suite("Users page and the JSON API")
struct AdminAndAPITests {
    @Test func adminsAddUsersUnlockThemAndMakeTokens() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let admin = try await client.login("admin")
            let added = try await client.post("/admin/users", admin, [("name", "李明"), ("role", "operator"), ("password", "password-李明")])
            #expect(added.headers[.location]?.removingPercentEncoding == "/admin/users?notice=已添加用户 李明（录入员）")
            #expect(try await f.store.user(named: "李明")?.role == .operator)
            let taken = try await client.post("/admin/users", admin, [("name", "李明"), ("role", "admin"), ("password", "password-x1")])
            #expect(taken.status == .conflict && taken.text.contains("用户 李明 已存在"))
            let short = try await client.post("/admin/users", admin, [("name", "赵六"), ("role", "operator"), ("password", "short")])
            #expect(short.status == .unprocessableContent && short.text.contains("密码至少 10 位"))
            // The new user signs in; a lock is cleared by an admin.
            _ = try await client.login("李明")
            for _ in 0..<3 {
                let (cookie, csrf) = try await client.loginForm()
                _ = try await client.post("/login", nil, [("name", "李明"), ("password", "nope")], csrf: csrf, cookies: "pingyi_login=\(cookie)")
            }
            #expect(try await client.get("/admin/users", admin).text.contains("已锁定至 2025-06-15T15:16:40Z"))
            _ = try await client.post("/admin/users/unlock", admin, [("name", "李明")])
            _ = try await client.login("李明")
            // A new password.
            _ = try await client.post("/admin/users/password", admin, [("name", "李明"), ("password", "new-password-1")])
            _ = try await client.login("李明", password: "new-password-1")
            // An API token is shown once and works.
            let page = try await client.post("/admin/users/token", admin, [("name", "李明")]).text
            let token = try #require(page.range(of: "<code id=\"token\">").map { String(page[$0.upperBound...].prefix { $0 != "<" }) })
            #expect(token.count == 43)
            #expect(try await f.store.user(named: "李明")?.hasAPIToken == true)
            let posted = try await client.api(#"{"questionnaire": "small", "pass": 1, "forms": [{"case_id": "H-01-0003", "answers": {"D01": "1", "D02": 2, "D03": "3", "own_town": "1", "members": 4, "q_students": 2}}]}"#,
                                              token: token)
            #expect(posted.status == .created)
            let surveys = try await client.get("/admin/surveys", admin).text
            #expect(surveys.contains("<tr><td>small</td><td class=\"n\">1</td><td>测试问卷</td><td>城镇居民户</td><td>两遍</td>"))
            let log = try await client.get("/admin/audit", admin).text
            #expect(log.contains("<td>admin</td><td>生成 API 令牌</td><td>李明</td>"))
            #expect(log.contains("<td>李明</td><td>锁定账户</td>") && log.contains("时间（北京时间）"))
            // A second token replaces the first only when the admin confirms it.
            let unconfirmed = try await client.post("/admin/users/token", admin, [("name", "李明")])
            #expect(unconfirmed.status == .unprocessableContent && unconfirmed.text.contains("请勾选“作废旧令牌”"))
            #expect(try await client.api(#"{"questionnaire": "nope", "pass": 1, "forms": []}"#, token: token).status != .unauthorized)
            #expect(try await client.get("/admin/users", admin).text.contains("换新 API 令牌"))
            let replaced = try await client.post("/admin/users/token", admin, [("name", "李明"), ("confirm", "yes")])
            #expect(replaced.status == .ok && replaced.text.contains("<code id=\"token\">"))
        }
    }

    /// An admin closes keying of a questionnaire: the entry page, the case check, a save and the
    /// API all refuse it until it is reopened; both changes are audited.
    @Test func adminsCloseAndReopenEntry() async throws {
        let f = try await ServerFixture()
        let token = Tokens.make()
        try await f.store.setAPIToken(name: "operator", tokenHash: Tokens.hash(token), by: "setup")
        let form = #"{"questionnaire": "small", "pass": 1, "forms": [{"case_id": "H-01-0003", "answers": {"D01": "1", "D02": 2, "D03": "3", "own_town": "1", "members": 4, "q_students": 2}}]}"#
        try await f.test { client in
            let admin = try await client.login("admin")
            let operatorSession = try await client.login("operator")
            let noReason = try await client.post("/admin/surveys/close", admin, [("questionnaire", "small"), ("reason", " ")])
            #expect(noReason.status == .unprocessableContent && noReason.text.contains("请填写截止录入的原因"))
            let unknown = try await client.post("/admin/surveys/close", admin, [("questionnaire", "nope"), ("reason", "x")])
            #expect(unknown.status == .notFound && unknown.text.contains("没有问卷 nope"))
            let closed = try await client.post("/admin/surveys/close", admin, [("questionnaire", "small"), ("reason", "<b>调查结束</b>")])
            #expect(closed.status == .seeOther, "\(closed.status) \(closed.text)")
            #expect(closed.headers[.location]?.removingPercentEncoding == "/admin/surveys?notice=问卷 small 已截止录入")
            let surveys = try await client.get("/admin/surveys", admin).text
            #expect(surveys.contains("已截止录入<br><span class=\"muted small\">"))
            #expect(surveys.contains("admin：&lt;b&gt;调查结束&lt;/b&gt;</span>") && surveys.contains("action=\"/admin/surveys/reopen\""))
            let twice = try await client.post("/admin/surveys/close", admin, [("questionnaire", "small"), ("reason", "again")])
            #expect(twice.status == .conflict && twice.text.contains("问卷 small 已截止录入"))
            // Keying is refused everywhere, and nothing is stored.
            let before = try await f.dump()
            let home = try await client.get("/entry", operatorSession).text
            #expect(home.contains("已截止录入") && !home.contains("href=\"/entry/small/1\""))
            let page = try await client.get("/entry/small/1", operatorSession)
            #expect(page.status == .conflict && page.text.contains("问卷 small 已截止录入"))
            let check = try await client.get("/entry/small/1/case?id=H-01-0001", operatorSession)
            #expect(try check.json()["ok"] as? Bool == false)
            #expect((try check.json()["message"] as? String)?.hasSuffix("如需补录，请联系管理员恢复录入") == true)
            let saved = try await client.post("/entry/small/1", operatorSession, [("case_id", "H-01-0001"), ("D01", "1"), ("D02", "2"), ("D03", "3"),
                                                                                  ("own_town", "2"), ("members", "3"), ("q_students", "2")])
            #expect(saved.status == .conflict && saved.text.contains("问卷 small 已截止录入"))
            let api = try await client.api(form, token: token)
            #expect(api.status == .unprocessableContent && api.text.contains("questionnaire small is closed for entry"))
            #expect(try await f.dump() == before)
            // Reopened: the API stores the form.
            let reopened = try await client.post("/admin/surveys/reopen", admin, [("questionnaire", "small"), ("reason", "补录")])
            #expect(reopened.headers[.location]?.removingPercentEncoding == "/admin/surveys?notice=问卷 small 已恢复录入")
            #expect(try await client.api(form, token: token).status == .created)
            let again = try await client.post("/admin/surveys/reopen", admin, [("questionnaire", "small"), ("reason", "补录")])
            #expect(again.status == .conflict && again.text.contains("正在录入中"))
            let trail = try await f.store.auditEntries(AuditQuery(actions: ["entry-close", "entry-reopen"], limit: 5))
            #expect(trail.map(\.action) == ["entry-reopen", "entry-close"] && trail.allSatisfy { $0.operator == "admin" })
        }
    }

    @Test func theAPIStoresFormsWithTheSameChecks() async throws {
        let f = try await ServerFixture()
        let token = Tokens.make()
        try await f.store.setAPIToken(name: "operator", tokenHash: Tokens.hash(token), by: "setup")
        @Sendable func body(_ forms: String, pass: Int = 1, questionnaire: String = "small") -> String {
            #"{"questionnaire": "\#(questionnaire)", "pass": \#(pass), "forms": [\#(forms)]}"#
        }
        let good = #"{"case_id": "H-01-0001", "answers": {"D01": 1, "D02": "2", "D03": "3", "own_town": 2, "members": 3, "q_students": 2, "q_note": "<b>好</b>"}}"#
        try await f.test { client in
            let created = try await client.api(body(good), token: token)
            #expect(created.status == .created)
            #expect(try created.json()["stored"] as? Int == 1)
            let stored = try #require(try await f.store.auditTrail(caseID: "H-01-0001").last)
            #expect(stored.action == "enter" && stored.operator == "operator" && stored.source == "api local")
            let before = try await f.dump()
            // A duplicate, a case not in the sample and a bad code: every problem, nothing stored.
            let bad = try await client.api(body(good + "," + good.replacingOccurrences(of: "H-01-0001", with: "H-09-0001")
                + "," + good.replacingOccurrences(of: "H-01-0001", with: "H-01-0002").replacingOccurrences(of: "\"D01\": 1", with: "\"D01\": 5")),
                                           token: token)
            #expect(bad.status == .unprocessableContent)
            let problems = try #require(try bad.json()["problems"] as? [String])
            #expect(problems.count == 3)
            #expect(problems[0].hasPrefix("forms[0]: case H-01-0001 already has a pass 1 form (keyed by operator at "))
            #expect(problems[1] == "forms[1]: case H-09-0001 is not in the sample of small; check the case number on the form; a case must be loaded (pingyi cases load) before its form is keyed")
            #expect(problems[2].hasPrefix("forms[2]: case H-01-0002: D01 = '5' is not a code of 四档满意度"))
            #expect(try bad.json()["error"] as? String == "3 problems in 3 rows; nothing was imported")
            // Unknown items, bad JSON, a bad pass, an unknown questionnaire, no token.
            let unknown = try await client.api(body(#"{"case_id": "H-01-0002", "answers": {"D99": "1"}}"#), token: token)
            #expect(try unknown.json()["problems"] as? [String] == ["forms[0] (case H-01-0002): small v1 has no item D99"])
            let notJSON = try await client.api("{", token: token)
            #expect(notJSON.status == .badRequest)
            #expect(try await client.api(body(good, pass: 3), token: token).status == .unprocessableContent)
            let missing = try await client.api(body(good, questionnaire: "nope"), token: token)
            #expect(try missing.json()["error"] as? String == "the store has no questionnaire nope")
            // The scheme in any case: the token is accepted (the request then fails on its questionnaire).
            let lower = try await client.api(body(good, questionnaire: "nope"), token: token, scheme: "bearer")
            #expect(lower.status == .unprocessableContent)
            let anonymous = try await client.api(body(good), token: nil)
            #expect(anonymous.status == .unauthorized && anonymous.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await client.api(body(good), token: "forged").status == .unauthorized)
            #expect(try await f.dump() == before)
            // Pass 2 by the user who keyed pass 1 is refused, as on the keying page and in imports.
            let same = try await client.api(body(good, pass: 2), token: token)
            #expect(same.status == .unprocessableContent)
            #expect(try same.json()["problems"] as? [String] == ["forms[0]: case H-01-0001: pass 1 was keyed by operator, who may not key pass 2 of small (second-pass-operator: different); have another operator key this pass (the passes are compared, so they must be independent), or set second-pass-operator: any in a new version of the questionnaire"])
            // The text is stored as sent. Pass 2 is keyed by another user (second-pass-operator).
            let second = Tokens.make()
            try await f.store.setAPIToken(name: "supervisor", tokenHash: Tokens.hash(second), by: "setup")
            #expect(try await client.api(body(good, pass: 2), token: second).status == .created)
            _ = try await f.store.verify(questionnaire: nil, operator: "督导")
            #expect(try await f.store.snapshot(questionnaire: nil).forms.first?.answers["q_note"] == "<b>好</b>")
        }
    }
}
