import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Store
import Testing

@Suite("Supervision pages")
struct SupervisionTests {
    @Test func disagreementsAreFoundAndResolvedWithOneKey() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let keyer = try await client.login("operator"), secondKeyer = try await client.login("admin")
            for (pass, d) in [(1, ["1", "2", "3"]), (2, ["1", "4", "3"])] {
                _ = try await client.post("/entry/small/\(pass)", pass == 1 ? keyer : secondKeyer, EntryPageTests.form("H-01-0001", d), json: true)
            }
            _ = try await client.post("/entry/small/1", keyer, EntryPageTests.form("H-02-0001"), json: true)
            _ = try await client.post("/entry/small/2", secondKeyer, EntryPageTests.form("H-02-0001"), json: true)
            let session = try await client.login("supervisor")
            let verify = try await client.post("/supervise/verify", session, [])
            let location = try #require(verify.headers[.location]?.removingPercentEncoding)
            // Both were compared when their second pass was saved: the button finds nothing new.
            #expect(location == "/supervise/disagreements?notice=核对完成：新核实 0 份，新发现分歧 0 份，待裁定 1 处，待第 2 遍 0 份")
            let page = try await client.get("/supervise/disagreements", session).text
            #expect(page.contains("核对与裁定（1 处分歧）"))
            #expect(page.contains("<td>市信访局 <span class=\"muted\">D02</span></td>"))
            #expect(page.contains("<td>2 比较满意</td><td>4 不满意</td>"))
            #expect(page.contains("采用第1遍 [1]") && page.contains("采用第2遍 [2]"))
            #expect(page.contains("<td><a href=\"/supervise/forms?case=H-01-0001\">H-01-0001</a></td>"))
            let resolved = try await client.post("/supervise/resolve", session, [("case_id", "H-01-0001"), ("item", "D02"), ("choice", "2")])
            #expect(resolved.headers[.location]?.removingPercentEncoding == "/supervise/disagreements?notice=已裁定 H-01-0001 D02 = 4；H-01-0001 已核实")
            #expect(try await f.store.caseRecord("H-01-0001")?.counted == true)
            let trail = try await f.store.auditTrail(caseID: "H-01-0001")
            #expect(trail.first { $0.action == "resolve" }?.reason == "采用第 2 遍")
            #expect(trail.first { $0.action == "resolve" }?.operator == "supervisor")
            // Resolving it again: nothing open.
            let again = try await client.post("/supervise/resolve", session, [("case_id", "H-01-0001"), ("item", "D02"), ("choice", "1")])
            #expect(again.status == .conflict)
            #expect(again.text.contains("编号 H-01-0001 的 D02 没有待裁定的分歧（可能已由他人裁定）"))
            #expect(try await client.get("/supervise/disagreements", session).text.contains("没有待裁定的分歧。"))
        }
    }

    @Test func aRefusalActivatesTheNextReserve() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login("supervisor")
            let page = try await client.get("/supervise/cases?q=small&town=T01", session).text
            #expect(page.contains("<td><a href=\"/supervise/audit?case=H-01-0004\">H-01-0004</a></td><td>备选 1（未启用）</td>"))
            #expect(page.contains("<input type=\"checkbox\" form=\"bulk\" name=\"pick:H-01-0002\" value=\"1\" aria-label=\"勾选 H-01-0002\">"))
            #expect(page.contains("<option value=\"refusal\">拒访</option>"))
            let response = try await client.post("/supervise/dispositions", session,
                                                 [("case_id", "H-01-0002"), ("disposition", "refusal"), ("note", "电话拒访")])
            let location = try #require(response.headers[.location]?.removingPercentEncoding)
            #expect(location == "/supervise/cases?notice=已记录 H-01-0002：拒访；已启用备选 H-01-0004（第 1 备选）替代 H-01-0002&q=small&town=T01")
            let after = try await client.get("/supervise/cases?q=small&town=T01", session).text
            #expect(after.contains("<a href=\"/supervise/audit?case=H-01-0004\">H-01-0004</a></td><td>备选 1（替代 H-01-0002）</td>"))
            #expect(after.contains("<td>拒访（电话拒访）</td>"))
            // The reserve may now be keyed; a bad disposition is refused with the store's reason.
            let operatorSession = try await client.login("operator")
            #expect(try await client.get("/entry/small/1/case?id=H-01-0004", operatorSession, json: true).json()["ok"] as? Bool == true)
            let bad = try await client.post("/supervise/dispositions", session, [("case_id", "H-01-0005"), ("disposition", "complete")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("case H-01-0005 is a reserve that is not in use"))
            #expect(try await client.post("/supervise/dispositions", session, [("case_id", "H-01-0003"), ("disposition", "maybe")]).status
                == .unprocessableContent)
        }
    }

    @Test func progressAndTheUnitsTierDistribution() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let keyer = try await client.login("operator")
            _ = try await client.post("/entry/small/1", keyer, EntryPageTests.form("H-01-0001", ["1", "1", "4"], town: "1"), json: true)
            _ = try await client.post("/entry/small/1", keyer, EntryPageTests.form("H-01-0002", ["2", "1", "4"], town: "1"), json: true)
            let session = try await client.login("supervisor")
            let progress = try await client.get("/supervise/progress", session).text
            // Sampled 6, reserves used 0, left 4, pass 1: 2, pass 2: 0, verified 0, disagreeing 0, non-response 0, outstanding 6.
            let cells = [6, 0, 4, 2, 0, 0, 0, 0, 6].map { "<td class=\"n\">\($0)</td>" }.joined()
            #expect(progress.contains("<tr><td>城镇居民户</td>\(cells)</tr>"))
            #expect(progress.contains("城镇居民户 · 城关街道（T01）"))
            // Keyed so far (pass 1): D01 is 1 once and 2 once; the chart splits its bar in halves.
            let keyed = try await client.get("/supervise/units?q=small&keyed=1", session).text
            #expect(keyed.contains("<tr><td>市政府办 <span class=\"muted\">D01</span></td><td class=\"n\">2</td>"))
            #expect(keyed.contains("<rect x=\"0.0\" y=\"0\" width=\"160.0\" height=\"16.0\" fill=\"#1a9850\"><title>满意：1（50.0%）</title></rect>"))
            #expect(keyed.contains("<rect x=\"160.0\" y=\"0\" width=\"160.0\" height=\"16.0\""))
            #expect(keyed.contains("<title>不满意：2（100.0%）</title>"))
            // The own town's item is a unit per town: T01 got two answers of 1.
            #expect(keyed.contains("<tr><td>城关街道 <span class=\"muted\">T01</span></td><td class=\"n\">2</td>"))
            #expect(keyed.contains("<tr><td>东城街道 <span class=\"muted\">T02</span></td><td class=\"n\">0</td><td><span class=\"muted\">尚无回答</span>"))
            // Nothing is verified yet.
            let counted = try await client.get("/supervise/units?q=small", session).text
            #expect(counted.contains("<tr><td>市政府办 <span class=\"muted\">D01</span></td><td class=\"n\">0</td>"))
            let audit = try await client.get("/supervise/audit?case=H-01-0002", session).text
            #expect(audit.contains("<td>operator</td><td>录入</td><td>1</td>") && audit.contains("时间（北京时间）"))
            #expect(AuditWording.beijing("2025-03-01T20:30:05Z") == "2025-03-02 04:30:05" && AuditWording.beijing("soon") == "soon" && AuditWording.action("new-code") == "new-code")
            #expect(try await client.get("/supervise/audit?case=X-1", session).text.contains("编号 X-1 没有记录。"))
        }
    }

    /// 录入工作量: forms, answers, characters keyed, disagreements and each pass's errors per
    /// operator and day; the pass resolved against is the one that made the error.
    @Test func keyingWorkAndErrorsPerOperatorAndDay() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let keyer = try await client.login("operator"), secondKeyer = try await client.login("admin")
            _ = try await client.post("/entry/small/1", keyer, EntryPageTests.form("H-01-0001", note: "路灯坏了"), json: true)
            _ = try await client.post("/entry/small/1", keyer, EntryPageTests.form("H-01-0002"), json: true)
            _ = try await client.post("/entry/small/2", secondKeyer, EntryPageTests.form("H-01-0001", ["1", "4", "3"], note: "路灯坏了"), json: true)
            let supervisor = try await client.login("supervisor")
            // The paper says 2: pass 2 keyed it wrong.
            _ = try await client.post("/supervise/resolve", supervisor, [("case_id", "H-01-0001"), ("item", "D02"), ("choice", "1")])
            let work = try await f.store.keyingWork()
            #expect(work.count == 2)
            let first = try #require(work.first { $0.operator == "operator" })
            let second = try #require(work.first { $0.operator == "admin" })
            // Pass 1: two forms of 7 answers (D01-D03, own_town, members, q_students; the note on one).
            #expect(first.pass == 1 && first.forms == 2 && first.answers == 13 && first.keystrokes == 12 + 4 && first.disagreements == 1 && first.errors == 0)
            #expect(second.pass == 2 && second.forms == 1 && second.answers == 7 && second.keystrokes == 6 + 4 && second.disagreements == 1 && second.errors == 1)
            let beijing = DateFormatter()
            beijing.dateFormat = "yyyy-MM-dd"
            beijing.timeZone = TimeZone(identifier: "Asia/Shanghai")
            #expect([beijing.string(from: Date()), beijing.string(from: Date().addingTimeInterval(-600))].contains(first.day))
            let page = try await client.get("/supervise/work", supervisor).text
            #expect(page.contains("<td>admin</td><td class=\"n\">2</td><td class=\"n\">1</td><td class=\"n\">7</td><td class=\"n\">10</td><td class=\"n\">10.0</td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">14.29%</td>"), "\(page)")
            #expect(try await client.get("/supervise/work", keyer).status == .forbidden)
        }
    }

    /// 处置与备选: a case is found by its number (in any case), the head's name or the address.
    @Test func aCaseIsFoundByNumberNameOrPlace() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let supervisor = try await client.login("supervisor")
            let byName = try await client.get("/supervise/cases?q=small&find=%E5%BD%AD%E4%B8%9C%E8%90%8D", supervisor).text
            #expect(byName.contains("查找「彭东萍」：1 个案例"), "\(byName)")
            #expect(byName.contains(">H-01-0002</a>") && byName.contains("<td>head 彭东萍</td>"))
            let byNumber = try await client.get("/supervise/cases?q=small&find=h-01-0001", supervisor).text
            #expect(byNumber.contains("查找「h-01-0001」：1 个案例") && byNumber.contains("<td>编号 H-01-0001</td>"))
            let none = try await client.get("/supervise/cases?q=small&find=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA%E4%BA%BA", supervisor).text
            #expect(none.contains("：0 个案例"))
            #expect(try await client.get("/supervise/cases?q=small&find=x", try await client.login("operator")).status == .forbidden)
        }
    }

    /// 记录所选: one disposition for every ticked case, in one batch; a batch with a case that
    /// cannot take it records nothing and lists why.
    @Test func ticketCasesGetOneDispositionTogether() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login("supervisor")
            let before = try await f.dump()
            let bad = try await client.post("/supervise/dispositions/bulk", session,
                                            [("pick:H-01-0001", "1"), ("pick:H-09-9999", "1"), ("disposition", "refusal"), ("q", "small"), ("town", "T01")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("处置未记录：所勾选的 2 个案例都未改变"))
            #expect(try await f.dump() == before)
            let none = try await client.post("/supervise/dispositions/bulk", session, [("disposition", "refusal")])
            #expect(none.status == .unprocessableContent && none.text.contains("请先勾选"))
            let ok = try await client.post("/supervise/dispositions/bulk", session,
                                           [("pick:H-01-0001", "1"), ("pick:H-01-0002", "1"), ("disposition", "non-contact"), ("note", "三次未遇"), ("q", "small"), ("town", "T01")])
            let location = try #require(ok.headers[.location]?.removingPercentEncoding)
            #expect(location.hasPrefix("/supervise/cases?notice=已记录 2 个案例：未接触；已启用备选 H-01-0004（第 1 备选）替代 H-01-0001"), "\(location)")
            #expect(location.hasSuffix("&q=small&town=T01"))
            #expect(try await f.store.caseRecord("H-01-0001")?.disposition == .nonContact)
            #expect(try await f.store.caseRecord("H-01-0002")?.note == "三次未遇")
        }
    }

    /// A refusal undone on the page: the notice says the reserve is still in use and the row
    /// offers 释放备选, which takes it out of use again.
    @Test func anUndoneRefusalOffersToReleaseItsReserve() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let session = try await client.login("supervisor")
            _ = try await client.post("/supervise/dispositions", session, [("case_id", "H-01-0002"), ("disposition", "refusal")])
            let undo = try await client.post("/supervise/dispositions", session, [("case_id", "H-01-0002"), ("disposition", "pending")])
            let notice = try #require(undo.headers[.location]?.removingPercentEncoding)
            #expect(notice.contains("已记录 H-01-0002：待定；备选 H-01-0004 仍替代已应答的 H-01-0002：如不再需要，请在下表中按「释放备选」"), "\(notice)")
            let page = try await client.get("/supervise/cases?q=small&town=T01", session).text
            #expect(page.contains("<input type=\"hidden\" name=\"release\" value=\"1\"><button type=\"submit\">释放备选 H-01-0004</button>"))
            let released = try await client.post("/supervise/dispositions", session, [("case_id", "H-01-0002"), ("disposition", "pending"), ("release", "1")])
            #expect(released.headers[.location]?.removingPercentEncoding?.contains("已释放备选 H-01-0004（H-01-0002 已应答）") == true)
            #expect(try await f.store.caseRecord("H-01-0004")?.inUse == false)
        }
    }

    /// 问卷更正与作废: a supervisor sees a case's forms side by side, corrects an answer (every
    /// form of the case, audited with the reason) or voids a pass; a refused correction comes
    /// back filled in with the reasons and nothing written; an operator may not.
    @Test func aSupervisorCorrectsOrVoidsASavedForm() async throws {
        let f = try await ServerFixture()
        try await f.test { client in
            let keyer = try await client.login("operator"), secondKeyer = try await client.login("admin")
            _ = try await client.post("/entry/small/1", keyer, EntryPageTests.form("H-01-0001"), json: true)
            _ = try await client.post("/entry/small/2", secondKeyer, EntryPageTests.form("H-01-0001"), json: true)
            let supervisor = try await client.login("supervisor")
            #expect(try await client.get("/supervise/cases?q=small&town=T01", supervisor).text.contains("<a href=\"/supervise/forms?case=H-01-0001\">查看·更正</a>"))
            let page = try await client.get("/supervise/forms?case=h-01-0001", supervisor).text
            #expect(page.contains("问卷更正与作废：H-01-0001"))
            #expect(page.contains("<th>第 1 遍录入<br><span class=\"muted small\">operator · "))
            #expect(page.contains("<th>核实结果<br>"))
            #expect(page.contains("name=\"item:D02\" value=\"2\""))
            #expect(page.contains("<td class=\"same\">2 比较满意</td>"))
            // Passes that disagree: the differing answers are marked.
            _ = try await client.post("/entry/small/1", keyer, EntryPageTests.form("H-01-0002"), json: true)
            _ = try await client.post("/entry/small/2", secondKeyer, EntryPageTests.form("H-01-0002", ["1", "2", "4"]), json: true)
            let disagreeing = try await client.get("/supervise/forms?case=H-01-0002", supervisor).text
            #expect(disagreeing.contains("<td class=\"differ\">3 基本满意</td><td class=\"differ\">4 不满意</td>"), "\(disagreeing)")

            var fields = EntryPageTests.form("H-01-0001", ["1", "5", "3"]).map { $0.0 == "case_id" ? $0 : ("item:" + $0.0, $0.1) }
            let before = try await f.dump()
            let refused = try await client.post("/supervise/forms/correct", supervisor, fields + [("reason", "对照纸质问卷")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("编号 H-01-0001 有 1 处需要更正，未保存") && refused.text.contains("市信访局（D02）的代码「5」无效"))
            #expect(refused.text.contains("name=\"item:D02\" value=\"5\" size=\"6\" aria-label=\"市信访局 更正为\" aria-invalid=\"true\" autofocus"))
            #expect(refused.text.contains("value=\"对照纸质问卷\""))
            let noReason = try await client.post("/supervise/forms/correct", supervisor, EntryPageTests.form("H-01-0001", ["1", "4", "3"])
                .map { $0.0 == "case_id" ? $0 : ("item:" + $0.0, $0.1) } + [("reason", "  ")])
            #expect(noReason.status == .unprocessableContent && noReason.text.contains("更正未保存：请填写原因（记入审计）"))
            #expect(try await f.dump() == before)

            fields = EntryPageTests.form("H-01-0001", ["1", "４", "3"]).map { $0.0 == "case_id" ? $0 : ("item:" + $0.0, $0.1) }
            let saved = try await client.post("/supervise/forms/correct", supervisor, fields + [("reason", "对照纸质问卷：D02 为不满意")])
            #expect(saved.headers[.location]?.removingPercentEncoding == "/supervise/forms?case=H-01-0001&notice=已更正 H-01-0001：1 份问卷共改动 1 处")
            #expect(try await f.store.forms(caseID: "H-01-0001").map { $0.answers["D02"] } == ["2", "2", "4"])
            let audit = try await client.get("/supervise/audit?case=H-01-0001", supervisor).text
            #expect(audit.contains("<td>supervisor</td><td>督导更正</td><td></td><td>D02</td><td>2</td><td>4</td><td>对照纸质问卷：D02 为不满意</td>"), "\(audit)")

            let voided = try await client.post("/supervise/forms/void", supervisor, [("case_id", "H-01-0001"), ("kind", "pass2"), ("reason", "错号")])
            #expect(voided.headers[.location]?.removingPercentEncoding
                    == "/supervise/forms?case=H-01-0001&notice=已作废 H-01-0001 的第 2 遍录入；已撤销该案例的核实，请重新录入该遍；处置由「完成」恢复为「待定」")
            #expect(try await f.store.forms(caseID: "H-01-0001").map(\.kind) == [.pass1])
            let noVoidReason = try await client.post("/supervise/forms/void", supervisor, [("case_id", "H-01-0001"), ("kind", "pass1"), ("reason", "")])
            #expect(noVoidReason.status == .unprocessableContent && noVoidReason.text.contains("作废未保存：请填写原因"))
            #expect(try await client.get("/supervise/forms?case=H-09-0009", supervisor).status == .notFound)
            #expect(try await client.get("/supervise/forms?case=H-01-0001", keyer).status == .forbidden)
            #expect(try await client.post("/supervise/forms/void", keyer, [("case_id", "H-01-0001"), ("kind", "pass1"), ("reason", "x")]).status == .forbidden)
            #expect(try await f.store.forms(caseID: "H-01-0001").count == 1)
        }
    }
}
