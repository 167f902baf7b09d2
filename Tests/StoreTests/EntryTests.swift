import Questionnaire
import Store
import Testing

@Suite("Keying forms, double entry and the audit trail")
struct EntryTests {
    @Test(arguments: Backend.enabled) func everyRejectionIsListedAndNothingIsWritten(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        _ = try await f.store.recordDispositions(DispositionBatch(
            updates: [DispositionUpdate(caseID: "H-02-0003", disposition: .refusal)], operator: "督导", source: "d.csv", useReserves: false))
        _ = try await f.enter([StoreFixture.form("H-01-0001", line: 2)], q: q)
        let deputies = Questionnaire(id: "dep", version: 1, title: "代表", group: .deputies, scale: q.scale, units: q.units, further: [])
        _ = try await f.store.loadCases(StoreFixture.list("deputies", for: deputies), for: deputies, replace: false, operator: "x")
        let before = try await f.dump()
        let forms = [
            StoreFixture.form("H-01-0001", line: 2),                                   // already keyed in pass 1
            StoreFixture.form("H-01-0002", ["1", "5", "3"], line: 3),                  // out-of-range code
            StoreFixture.form("H-09-0009", line: 4),                                   // not in the sample
            StoreFixture.form("H-01-0004", line: 5),                                   // unused reserve
            StoreFixture.form("H-02-0003", line: 6),                                   // refused
            StoreFixture.form("H-02-0001", students: "1", education: nil, line: 7),   // required after the skip
            StoreFixture.form("H-02-0002", students: "2", education: "3", line: 8),   // answered although skipped
            StoreFixture.form("H-02-0002", line: 9),                                   // twice in the file
            StoreFixture.form("D-01-0001", line: 10),                                  // another questionnaire's case
            StoreFixture.form("", line: 11),
        ]
        let error = await StoreFixture.failure { _ = try await f.enter(forms, q: q) }
        #expect(error?.description == "forms.csv: 10 problems in 10 rows; nothing was imported; correct the file and run the command again")
        let lines = error?.problems.map(\.description) ?? []
        #expect(lines.count == 10)
        #expect(lines.first?.hasPrefix("forms.csv:2:1: case H-01-0001 already has a pass 1 form (keyed by 录入员甲 at 20") == true)
        #expect(lines.first?.hasSuffix("Z); to correct it, import with --replace --reason '…'; to key it anew, check the case number") == true)
        #expect(Array(lines.dropFirst()) == [
            "forms.csv:3:3: case H-01-0002: D02 = '5' is not a code of 四档满意度 (1–4, 6–9); key one of 1 满意, 2 比较满意, 3 基本满意, 4 不满意, 6 不适用, 7 不了解/说不清, 8 拒答, 9 无效（多选）",
            "forms.csv:4:1: case H-09-0009 is not in the sample of small; check the case number on the form; a case must be loaded (pingyi cases load) before its form is keyed",
            "forms.csv:5:1: case H-01-0004 is a reserve that is not in use; record the non-response of the case it would replace (pingyi cases dispose) so that it is activated, then import",
            "forms.csv:6:1: case H-02-0003 has disposition refusal (拒访); if the respondent did answer, record disposition complete first (pingyi cases dispose)",
            "forms.csv:7:8: case H-02-0001: q_education (对本地教育服务的评价) is empty; key the answer, or a special code (6 不适用, 7 不了解/说不清, 8 拒答)",
            "forms.csv:8:8: case H-02-0002: q_education is answered ('3') but is skipped: its condition q_students == 1 does not hold; leave q_education empty, or correct the answers the condition reads",
            "forms.csv:9:1: case H-02-0002 appears twice in the file (also on line 8); keep one row per form",
            "forms.csv:10:1: case D-01-0001 belongs to questionnaire dep, not small; import it with the dep questionnaire",
            "forms.csv:11:1: case_id is empty; key the case number printed on the form",
        ])
        #expect(try await f.dump() == before)
    }

    @Test(arguments: Backend.enabled) func doubleEntryVerifyResolveAndAudit(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        let ids = ["H-01-0001", "H-01-0002", "H-02-0001"]
        let first = try await f.enter(ids.map { StoreFixture.form($0) }, q: q)
        #expect(first == EntrySummary(stored: 3, replaced: 0, changedAnswers: 0, unverified: [], counted: 0))
        // Pass 2 differs on H-01-0002 (D03 4 vs 3, the note) and does not yet have H-02-0001.
        _ = try await f.enter([StoreFixture.form("H-01-0001"), StoreFixture.form("H-01-0002", ["1", "2", "4"], note: "路灯坏了")],
                              pass: .second, q: q, operator: "录入员乙")
        #expect(try await f.store.caseRecord("H-01-0001")?.counted == false)
        let report = try await f.store.verify(questionnaire: "small", operator: "督导")
        #expect(report.verified == 1 && report.disagreeing == 1 && report.awaitingPass == 1)
        #expect(report.open == [
            Disagreement(caseID: "H-01-0002", questionnaire: "small", item: "D03", pass1: "3", pass2: "4"),
            Disagreement(caseID: "H-01-0002", questionnaire: "small", item: "q_note", pass1: nil, pass2: "路灯坏了"),
        ])
        #expect(try await f.store.caseRecord("H-01-0001")?.counted == true)
        // Verify again: nothing new, the same open disagreements.
        let again = try await f.store.verify(questionnaire: nil, operator: "督导")
        #expect(again.verified == 0 && again.disagreeing == 0 && again.open.count == 2)
        // A resolution is checked like a keyed answer.
        let before = try await f.dump()
        let bad = await StoreFixture.failure {
            _ = try await f.store.resolve(ResolutionBatch(resolutions: [
                Resolution(caseID: "H-01-0002", item: "D03", value: "5", line: 2),
                Resolution(caseID: "H-01-0002", item: "D01", value: "1", line: 3),
            ], operator: "督导", source: "resolve.csv"))
        }
        #expect(bad?.problems.map(\.description) == [
            "resolve.csv:2: case H-01-0002 with the resolved values: D03 = '5' is not a code of 四档满意度 (1–4, 6–9); key one of 1 满意, 2 比较满意, 3 基本满意, 4 不满意, 6 不适用, 7 不了解/说不清, 8 拒答, 9 无效（多选）",
            "resolve.csv:3: case H-01-0002 has no disagreement on item D01; list the open disagreements with pingyi responses verify",
        ])
        #expect(try await f.dump() == before)
        let partial = try await f.store.resolve(ResolutionBatch(resolutions: [Resolution(caseID: "H-01-0002", item: "D03", value: "4", reason: "看原件")],
                                                                operator: "督导", source: "--case"))
        #expect(partial.verified.isEmpty)
        let done = try await f.store.resolve(ResolutionBatch(resolutions: [Resolution(caseID: "H-01-0002", item: "q_note", value: "路灯坏了")],
                                                             operator: "督导", source: "--case"))
        #expect(done.verified == ["H-01-0002"])
        let snapshot = try await f.store.snapshot(questionnaire: nil)
        #expect(snapshot.forms.map(\.caseID) == ["H-01-0001", "H-01-0002"])
        #expect(snapshot.forms[1].answers == ["D01": "1", "D02": "2", "D03": "4", "own_town": "2", "members": "3", "q_students": "2", "q_note": "路灯坏了"])
        // Correcting pass 1 after verification undoes it, recording old and new values.
        let replaced = try await f.enter([StoreFixture.form("H-01-0002", ["2", "2", "4"], note: "路灯坏了")], q: q, replace: true,
                                         reason: "核对原件，D01 应为 2")
        // Pass 1 becomes D01 2 (was 1), D03 4 (was 3) and gains the note: three answers change.
        #expect(replaced == EntrySummary(stored: 0, replaced: 1, changedAnswers: 3, unverified: ["H-01-0002"], counted: 0))
        #expect(try await f.store.caseRecord("H-01-0002")?.counted == false)
        let trail = try await f.store.auditTrail(caseID: "H-01-0002")
        // Verified, the case became complete ("dispose", form counted); the disposition stays
        // when the verification is undone (the interview took place).
        #expect(trail.map(\.action) == ["load", "enter", "enter", "disagree", "disagree", "resolve", "resolve", "verify", "dispose",
                                         "replace", "replace", "replace", "unverify"])
        #expect(trail[8].oldValue == "pending" && trail[8].newValue == "complete" && trail[8].reason == "form counted")
        #expect(try await f.store.caseRecord("H-01-0002")?.disposition == .complete)
        let change = trail[9]
        #expect(change.item == "D01" && change.oldValue == "1" && change.newValue == "2" && change.pass == 1)
        #expect(trail[10].item == "D03" && trail[10].oldValue == "3" && trail[10].newValue == "4")
        #expect(trail[11].item == "q_note" && trail[11].oldValue == nil && trail[11].newValue == "路灯坏了")
        #expect(change.reason == "核对原件，D01 应为 2" && change.operator == "录入员甲")
        #expect(trail[5].oldValue == "pass 1 '3', pass 2 '4'" && trail[5].newValue == "4" && trail[5].reason == "看原件")
        let reverify = try await f.store.verify(questionnaire: nil, operator: "督导")
        #expect(reverify.disagreeing == 1 && reverify.open.map(\.item) == ["D01"])
    }

    @Test(arguments: Backend.enabled) func replacementNeedsAnExistingForm(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        let before = try await f.dump()
        let error = await StoreFixture.failure {
            _ = try await f.enter([StoreFixture.form("H-01-0001", line: 2)], q: q, replace: true, reason: "更正")
        }
        #expect(error?.problems.map(\.description) == ["forms.csv:2:1: case H-01-0001 has no pass 1 form to replace; import it without --replace"])
        #expect(try await f.dump() == before)
        let noReason = await StoreFixture.failure { _ = try await f.enter([StoreFixture.form("H-01-0001")], q: q, replace: true) }
        #expect(noReason?.description == "forms.csv: a replacement needs a reason; add --reason 'why the forms are corrected'")
    }

    @Test(arguments: Backend.enabled) func singleEntryCountsAtOnceAndHasNoSecondPass(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire("small-single")
        try await f.load(q)
        let summary = try await f.enter([StoreFixture.form("H-01-0001"), StoreFixture.form("H-02-0002", students: "1", education: "7")], q: q)
        #expect(summary.counted == 2)
        let snapshot = try await f.store.snapshot(questionnaire: "small-once")
        #expect(snapshot.forms.map(\.caseID) == ["H-01-0001", "H-02-0002"])
        #expect(snapshot.forms[1].answers["q_education"] == "7")
        let before = try await f.dump()
        let error = await StoreFixture.failure { _ = try await f.enter([StoreFixture.form("H-01-0002")], pass: .second, q: q) }
        #expect(error?.description == "forms.csv: questionnaire small-once is keyed once (entry: single), so it has no pass 2; import the file with --pass 1, or set entry: double in the questionnaire (as a new version)")
        #expect(try await f.dump() == before)
    }
}
