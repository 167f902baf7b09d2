import Store
import Testing

@Suite("Dispositions and reserves")
struct DispositionTests {
    func batch(_ updates: [(String, Disposition)], reserves: Bool = true) -> DispositionBatch {
        DispositionBatch(updates: updates.enumerated().map { DispositionUpdate(caseID: $1.0, disposition: $1.1, note: "电话", line: $0 + 2) },
                         operator: "督导", source: "dispositions.csv", useReserves: reserves)
    }

    @Test(arguments: Backend.enabled) func nonResponseActivatesTheNextReserveOfItsGroup(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.load(StoreFixture.questionnaire())
        let first = try await f.store.recordDispositions(batch([
            ("H-01-0001", .complete), ("H-01-0002", .refusal), ("H-02-0001", .notEligible),
            ("H-01-0004", .nonContact), // the reserve activated by the line above, in the same file
            ("H-01-0003", .other),
        ]))
        #expect(first.changed == 5)
        #expect(first.activations == [
            Activation(reserve: "H-01-0004", replaces: "H-01-0002", reserveGroup: "T01C01", rank: 1),
            Activation(reserve: "H-01-0005", replaces: "H-01-0004", reserveGroup: "T01C01", rank: 2),
        ])
        #expect(first.exhausted == [.init(caseID: "H-01-0003", reserveGroup: "T01C01")])
        let r2 = try #require(try await f.store.caseRecord("H-01-0005"))
        #expect(r2.activated && r2.replaces == "H-01-0004" && r2.inUse)
        let trail = try await f.store.auditTrail(caseID: "H-01-0002")
        #expect(trail.map(\.action) == ["load", "dispose", "replaced"])
        #expect(trail[1].oldValue == "pending" && trail[1].newValue == "refusal" && trail[1].reason == "电话" && trail[1].operator == "督导")
        #expect(trail[2].newValue == "replaced by H-01-0004")
        // A case already replaced does not use another reserve; not-eligible never does.
        let again = try await f.store.recordDispositions(batch([("H-01-0002", .nonContact), ("H-01-0001", .complete)]))
        #expect(again.changed == 1 && again.unchanged == 1 && again.activations.isEmpty)
        let status = try await f.store.status(questionnaire: nil)
        #expect(status.groups.count == 1)
        let g = status.groups[0]
        #expect(g.sampled == 6 && g.reservesUsed == 2 && g.reservesLeft == 2)
        #expect(g.dispositions == [.complete: 1, .nonContact: 2, .other: 1, .notEligible: 1, .pending: 3])
        #expect(status.towns.map(\.townID) == ["T01", "T02"])
        #expect(status.towns.map(\.townName) == ["城关街道", "东城街道"])
        #expect(status.towns[1].sampled == 3 && status.towns[1].reservesLeft == 2)
    }

    /// A refusal undone (the case responds after all): its reserve stays in use and the summary
    /// says so, unless the batch releases it; a reserve already keyed stays, with its case's.
    @Test(arguments: Backend.enabled) func anUndoneRefusalReleasesItsReserveOnlyWhenAsked(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        _ = try await f.store.recordDispositions(batch([("H-01-0002", .refusal), ("H-02-0002", .refusal)]))
        #expect(try await f.store.caseRecord("H-01-0004")?.replaces == "H-01-0002")
        // Undone without asking: the reserve is still in use, and said to be.
        let kept = try await f.store.recordDispositions(batch([("H-01-0002", .pending)]))
        #expect(kept.changed == 1 && kept.released.isEmpty)
        #expect(kept.stillInUse == [ReserveRelease(reserve: "H-01-0004", replaced: "H-01-0002", keyed: false)])
        #expect(try await f.store.caseRecord("H-01-0004")?.inUse == true)
        // Asked (its disposition unchanged): released, audited, back among the unused reserves.
        let released = try await f.store.recordDispositions(DispositionBatch(updates: [DispositionUpdate(caseID: "H-01-0002", disposition: .pending)],
                                                                              operator: "督导", source: "web", releaseReserves: true))
        #expect(released.released == [ReserveRelease(reserve: "H-01-0004", replaced: "H-01-0002", keyed: false)] && released.stillInUse.isEmpty)
        let reserve = try #require(try await f.store.caseRecord("H-01-0004"))
        #expect(!reserve.activated && reserve.replaces == nil && !reserve.inUse)
        #expect(try await f.store.auditTrail(caseID: "H-01-0004").last.map { [$0.action, $0.oldValue, $0.newValue] } == ["release", "replaces H-01-0002", "unused"])
        // The next refusal of the group takes it again.
        let again = try await f.store.recordDispositions(batch([("H-01-0001", .refusal)]))
        #expect(again.activations.map(\.reserve) == ["H-01-0004"])
        // A reserve that took a disposition of its own (contacted, refused: the next one replaces
        // it) stays in use when the case it replaced responds after all.
        _ = try await f.store.recordDispositions(batch([("H-01-0004", .refusal)]))
        let contacted = try await f.store.recordDispositions(DispositionBatch(updates: [DispositionUpdate(caseID: "H-01-0001", disposition: .complete)],
                                                                               operator: "督导", source: "web", releaseReserves: true))
        #expect(contacted.released.isEmpty)
        #expect(contacted.stillInUse == [ReserveRelease(reserve: "H-01-0004", replaced: "H-01-0001", keyed: false, contacted: true)])
        #expect(try await f.store.caseRecord("H-01-0004")?.inUse == true)
        // A reserve whose form was keyed stays in use when its case responds after all.
        let all = try await f.store.cases(questionnaire: q.id)
        let other = try #require(all.first { $0.replaces == "H-02-0002" })
        _ = try await f.enter([StoreFixture.form(other.caseID)], q: q)
        let keyedReserve = try await f.store.recordDispositions(DispositionBatch(updates: [DispositionUpdate(caseID: "H-02-0002", disposition: .pending)],
                                                                                  operator: "督导", source: "web", releaseReserves: true))
        #expect(keyedReserve.released.isEmpty && keyedReserve.stillInUse == [ReserveRelease(reserve: other.caseID, replaced: "H-02-0002", keyed: true)])
        #expect(try await f.store.caseRecord(other.caseID)?.inUse == true)
    }

    @Test(arguments: Backend.enabled) func withoutReserves(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.load(StoreFixture.questionnaire())
        let summary = try await f.store.recordDispositions(batch([("H-02-0001", .refusal)], reserves: false))
        #expect(summary.activations.isEmpty && summary.exhausted.isEmpty)
        #expect(try await f.store.caseRecord("H-02-0004")?.activated == false)
    }

    @Test(arguments: Backend.enabled) func rejectionsLeaveTheStoreUnchanged(_ backend: Backend) async throws {
        let f = try await StoreFixture(backend)
        let q = try StoreFixture.questionnaire()
        try await f.load(q)
        _ = try await f.enter([StoreFixture.form("H-02-0002")], q: q)
        let before = try await f.dump()
        let error = await StoreFixture.failure {
            _ = try await f.store.recordDispositions(batch([
                ("H-01-0002", .refusal), ("H-09-0001", .complete), ("H-02-0004", .complete), ("H-01-0002", .complete), ("H-02-0002", .refusal),
            ]))
        }
        #expect(error?.description == "dispositions.csv: 4 problems in 4 rows; nothing was recorded; correct the file and run the command again")
        #expect(error?.problems.map(\.description) == [
            "dispositions.csv:3:1: case H-09-0001 is not in the store; check the case number, or load its list with pingyi cases load",
            "dispositions.csv:4:1: case H-02-0004 is a reserve that is not in use; a reserve takes a disposition once a non-response of the case before it activated it",
            "dispositions.csv:5:1: case H-01-0002 appears twice (also on line 2); give each case one disposition per file",
            "dispositions.csv:6:1: case H-02-0002 has a keyed form, so it cannot be refusal; record complete or partial, or check the case number",
        ])
        #expect(try await f.dump() == before)
    }
}
