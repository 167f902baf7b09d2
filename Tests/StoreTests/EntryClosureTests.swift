import Questionnaire
import Store
import Testing

@Suite("Closing and reopening entry")
struct EntryClosureTests {
    @Test(arguments: Backend.enabled) func closedQuestionnaireRefusesFormsUntilReopened(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        _ = try await f.enter([StoreFixture.form("H-01-0001")], q: q)
        let closure = try await f.store.setEntry(questionnaire: "small", open: false, reason: "调查结束", operator: "管理员")
        #expect(closure?.questionnaire == "small" && closure?.closedBy == "管理员" && closure?.reason == "调查结束")
        #expect(try await f.store.entryClosures() == [try #require(closure)])
        // Pass 1, pass 2 and a replacement are all refused, and nothing changes.
        let before = try await f.dump()
        for (pass, replace) in [(Pass.first, false), (.second, false), (.first, true)] {
            let refused = await StoreFixture.failure {
                _ = try await f.enter([StoreFixture.form(replace ? "H-01-0001" : "H-01-0002")], pass: pass, q: q, replace: replace,
                                      reason: replace ? "更正" : nil)
            }
            #expect(refused?.kind == .data)
            #expect(refused?.description == "forms.csv: questionnaire small is closed for entry (closed \(closure?.closedAt ?? "") by 管理员: 调查结束); nothing was imported; ask an admin to reopen it (pingyi survey reopen small --reason …) if these forms belong to the survey")
        }
        #expect(try await f.dump() == before)
        // Closing twice, reopening an unknown questionnaire, and an empty reason are refused.
        let twice = await StoreFixture.failure { _ = try await f.store.setEntry(questionnaire: "small", open: false, reason: "again", operator: "x") }
        #expect(twice?.message.hasPrefix("questionnaire small is already closed for entry (closed ") == true)
        let unknown = await StoreFixture.failure { _ = try await f.store.setEntry(questionnaire: "nope", open: true, reason: "r", operator: "x") }
        #expect(unknown?.message == "the store has no questionnaire nope")
        let noReason = await StoreFixture.failure { _ = try await f.store.setEntry(questionnaire: "small", open: true, reason: "  ", operator: "x") }
        #expect(noReason?.kind == .usage)
        #expect(try await f.dump() == before)
        // Reopened: keying goes on; both changes are in the audit trail.
        #expect(try await f.store.setEntry(questionnaire: "small", open: true, reason: "补录两份", operator: "管理员") == nil)
        #expect(try await f.store.entryClosures().isEmpty)
        #expect(try await f.enter([StoreFixture.form("H-01-0002")], q: q).stored == 1)
        let again = await StoreFixture.failure { _ = try await f.store.setEntry(questionnaire: "small", open: true, reason: "r", operator: "x") }
        #expect(again?.message == "questionnaire small is already open for entry")
        let trail = try await f.store.auditEntries(AuditQuery(actions: ["entry-close", "entry-reopen"], limit: 10))
        #expect(trail.map { [$0.action, $0.item ?? "", $0.operator, $0.reason ?? ""] } == [
            ["entry-reopen", "small", "管理员", "补录两份"],
            ["entry-close", "small", "管理员", "调查结束"],
        ])
    }
}
