import Questionnaire
import Store
import Testing

@Suite("Several processes on one store")
struct SharingTests {
    /// Two processes key the same forms at once: each case is stored once, and every other
    /// attempt gets the message a later import would get.
    @Test(arguments: Backend.enabled) func concurrentKeyingStoresEachFormOnce(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        let other = try await f.reopen()
        let cases = ["H-01-0001", "H-01-0002", "H-01-0003", "H-02-0001", "H-02-0002", "H-02-0003"]
        let outcomes = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for (i, caseID) in (cases + cases + cases).enumerated() {
                let store = i % 2 == 0 ? f.store : other
                group.addTask {
                    do {
                        _ = try await store.enterForms(FormBatch(questionnaire: q, pass: .first, operator: "录入员\(i)", source: "web",
                                                                 forms: [StoreFixture.form(caseID)]))
                        return (caseID, "stored")
                    } catch let error as StoreError {
                        return (caseID, error.problems.first?.message ?? error.message)
                    }
                }
            }
            var all: [(String, String)] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        for caseID in cases {
            let mine = outcomes.filter { $0.0 == caseID }.map(\.1)
            #expect(mine.filter { $0 == "stored" }.count == 1, "\(caseID): \(mine)")
            #expect(mine.filter { $0.hasPrefix("case \(caseID) already has a pass 1 form (keyed by 录入员") }.count == 2, "\(caseID): \(mine)")
        }
        let status = try await other.status(questionnaire: "small")
        #expect(status.groups.first?.pass1 == 6)
        for caseID in cases {
            #expect(try await f.store.auditTrail(caseID: caseID).filter { $0.action == "enter" }.count == 1)
        }
    }

    /// A disposition and a form for the same case at once: whichever comes second sees the first.
    @Test(arguments: Backend.enabled) func aFormAndARefusalOfOneCaseDoNotBothHappen(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        let other = try await f.reopen()
        for caseID in ["H-01-0001", "H-01-0002", "H-01-0003", "H-02-0001", "H-02-0002"] {
            async let form: Bool = {
                do {
                    _ = try await f.store.enterForms(FormBatch(questionnaire: q, pass: .first, operator: "甲", source: "web",
                                                               forms: [StoreFixture.form(caseID)]))
                    return true
                } catch { return false }
            }()
            async let refusal: Bool = {
                do {
                    _ = try await other.recordDispositions(DispositionBatch(updates: [DispositionUpdate(caseID: caseID, disposition: .refusal)],
                                                                            operator: "督导", source: "web", useReserves: false))
                    return true
                } catch { return false }
            }()
            let (keyed, refused) = await (form, refusal)
            #expect(keyed != refused, "\(caseID): form \(keyed), refusal \(refused)")
            let record = try #require(try await f.store.caseRecord(caseID))
            #expect(record.hasPass1 == keyed && (record.disposition == .refusal) == refused)
        }
    }
}

@Suite("Group commit")
struct GroupCommitTests {
    /// Batches stored together behave as if stored one by one: a refused batch leaves nothing
    /// and does not stop the others; a later batch sees an earlier one's forms.
    @Test(arguments: Backend.enabled) func batchesSucceedOrFailOnTheirOwn(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        func batch(_ forms: [FormInput], pass: Pass = .first, source: String) -> FormBatch {
            FormBatch(questionnaire: q, pass: pass, operator: "甲", source: source, forms: forms)
        }
        let outcomes = try await f.store.enterBatches([
            batch([StoreFixture.form("H-01-0001")], source: "a"),
            batch([StoreFixture.form("H-01-0002"), StoreFixture.form("H-09-0009", line: 3)], source: "b"),  // one bad form: all of b refused
            batch([StoreFixture.form("H-01-0001")], source: "c"),                                          // a's form is already there
            batch([StoreFixture.form("H-01-0003", ["5", "1", "1"])], source: "d"),                          // a bad code
            batch([StoreFixture.form("H-02-0001")], pass: .second, source: "e"),
        ])
        #expect(outcomes.map { (try? $0.get())?.stored } == [1, nil, nil, nil, 1])
        func message(_ i: Int) -> String? {
            if case .failure(let e) = outcomes[i] { return e.problems.map(\.description).joined(separator: " | ") }
            return nil
        }
        #expect(message(1) == "b:3: case H-09-0009 is not in the sample of small; check the case number on the form; a case must be loaded (pingyi cases load) before its form is keyed")
        #expect(message(2)?.hasPrefix("c: case H-01-0001 already has a pass 1 form (keyed by 甲 at ") == true)
        #expect(message(3)?.hasPrefix("d: case H-01-0003: D01 = '5' is not a code of 四档满意度") == true)
        let status = try await f.store.status(questionnaire: "small").groups[0]
        #expect(status.pass1 == 1 && status.pass2 == 1)
        #expect(try await f.store.caseRecord("H-01-0002")?.hasPass1 == false)
        #expect(try await f.store.auditTrail(caseID: "H-01-0002").map(\.action) == ["load"])
        #expect(try await f.store.enterBatches([]).isEmpty)
    }

    /// A server's group of one-form batches, each for its own case (stored together on
    /// PostgreSQL, in a few statements): passes 1 and 2 side by side, a case outside the sample
    /// and a case already keyed refused on their own, the others stored with their audit.
    @Test(arguments: Backend.enabled) func oneFormBatchesOfDistinctCases(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        func batch(_ id: String, pass: Pass = .first, by name: String = "甲") -> FormBatch {
            FormBatch(questionnaire: q, pass: pass, operator: name, source: "web", forms: [StoreFixture.form(id)])
        }
        _ = try await f.store.enterForms(batch("H-01-0003"))
        let outcomes = try await f.store.enterBatches([
            batch("H-01-0001"), batch("H-01-0002", pass: .second, by: "乙"), batch("H-09-0009"), batch("H-01-0003"), batch("H-02-0001"),
        ])
        #expect(outcomes.map { (try? $0.get())?.stored } == [1, 1, nil, nil, 1])
        if case .failure(let e) = outcomes[2] { #expect(e.problems.map(\.description).joined().contains("case H-09-0009 is not in the sample of small")) }
        if case .failure(let e) = outcomes[3] { #expect(e.problems.map(\.description).joined().contains("case H-01-0003 already has a pass 1 form")) }
        #expect(try await f.store.caseRecord("H-01-0001")?.hasPass1 == true)
        #expect(try await f.store.caseRecord("H-01-0002")?.hasPass2 == true)
        #expect(try await f.store.caseRecord("H-02-0001")?.hasPass1 == true)
        #expect(try await f.store.auditTrail(caseID: "H-01-0002").map(\.action) == ["load", "enter"])
        let status = try await f.store.status(questionnaire: "small").groups[0]
        #expect(status.pass1 == 3 && status.pass2 == 1)
    }
}
