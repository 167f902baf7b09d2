import Foundation
import PostgresNIO
public import Questionnaire

/// Telephone interviewing on PostgreSQL, for several server processes on one database: the
/// pick of a case locks its row with `FOR UPDATE … SKIP LOCKED` (a case another transaction is
/// picking is passed over, not waited for) and the lock column is written in the same
/// transaction, so two interviewers — in one process or in two — never get the same case. A
/// dial locks its case's row first, so two writes on one case run one after the other.
extension PostgresStore: CallStore {
    public func nextCall(questionnaire id: String, interviewer: String, now: Int64) async throws(StoreError) -> NextCall {
        try await writing { db in
            guard let q = try await self.currentQuestionnaire(db, id), let rules = q.calls, try await self.closure(db, id) == nil else {
                return .none(.notByTelephone)
            }
            var stopped = false
            for kind in CallAssignment.Reason.allCases {
                if kind != .resumed && !rules.isCallingTime(now) { return .none(.outsideWindow(next: rules.nextCallingTime(after: now))) }
                var values: [SQLValue] = [.text(id), .text(interviewer), .int(Int(now)), .int(rules.maxAttempts)]
                var excluded: String?
                if kind == .fresh && rules.stopAtQuota {
                    let full = try await self.townsAtTarget(db, id)
                    if !full.isEmpty {
                        stopped = true
                        excluded = "(cc.town_id IS NULL OR cc.town_id NOT IN (" + full.indices.map { "$\($0 + 5)" }.joined(separator: ", ") + "))"
                        values += full.map { .text($0) }
                    }
                }
                let sql = CallSQL.pick(kind, questionnaire: "$1", interviewer: "$2", now: "$3", max: "$4", excludedTowns: excluded,
                                       lock: "FOR UPDATE OF cc SKIP LOCKED")
                var picked: (String, Int, Int64?, String?, String)?
                for try await row in try await self.query(db, sql, values).decode((String, Int, Int64?, String?, String).self) { picked = row }
                guard let (caseID, attempts, appointment, town, attributes) = picked else { continue }
                let until = CallPlanning.lockUntil(now, rules: rules)
                try await db.query("UPDATE call_cases SET locked_by = \(interviewer), locked_until = \(until) WHERE case_id = \(caseID)",
                                   logger: self.logger)
                return .call(CallAssignment(caseID: caseID, questionnaire: id, reason: kind, phones: try await self.phones(db, caseID),
                                            attempts: attempts, appointmentAt: appointment, lockedUntil: until, townID: town,
                                            attributes: attributes, history: try await self.attempts(db, caseID: caseID, questionnaire: nil)))
            }
            var next: Int64?, open = 0
            let rows = try await self.query(db, CallSQL.nextTime(questionnaire: "$1", max: "$2", now: "$3"),
                                            [.text(id), .int(rules.maxAttempts), .int(Int(now))])
            for try await (t, n) in rows.decode((Int64?, Int).self) { (next, open) = (t, n) }
            if open == 0 { return .none(.finished) }
            return .none(.nothingDue(next: next.map { rules.nextCallingTime(after: max($0, now)) ?? $0 } ?? (stopped ? nil : now)))
        }
    }

    public func recordAttempt(_ attempt: CallAttemptInput, now: Int64) async throws(StoreError) -> CallAttemptResult {
        try await writing { db in
            let (state, rules, _) = try await self.heldCase(db, attempt, now: now)
            try CallPlanning.check(attempt, phones: state.phones, interview: false)
            let attemptID = try await self.insertAttempt(db, attempt, questionnaire: state.questionnaire)
            let history = try await self.attempts(db, caseID: attempt.caseID, questionnaire: nil)
            let plan = CallPlanning.afterAttempt(attempt, history: history, phones: state.phones, rules: rules)
            try await self.updateCallCase(db, attempt, attempts: plan.attempts, nextAt: plan.nextAt, appointment: plan.appointmentAt, final: plan.final)
            try await self.audit(db, [CallPlanning.audit(attempt, final: plan.final)])
            var reserve: String?
            if let update = plan.disposition {
                let summary = try await self.applyDispositions(db, CallPlanning.dispositionBatch(update, interviewer: attempt.interviewer),
                                                               at: isoTime(now))
                reserve = summary.activations.first?.reserve
            }
            return CallAttemptResult(attemptID: attemptID, final: plan.final, nextAt: plan.final == nil ? plan.nextAt : nil,
                                     activatedReserve: reserve, callback: false)
        }
    }

    public func recordInterview(_ attempt: CallAttemptInput, answers: [String: String], now: Int64) async throws(StoreError) -> CallAttemptResult {
        try await writing { db in
            let (state, rules, q) = try await self.heldCase(db, attempt, now: now)
            try CallPlanning.check(attempt, phones: state.phones, interview: true)
            let list = try CallPlanning.answerList(answers, q, caseID: attempt.caseID)
            if let empty = CallPlanning.emptyInterview(attempt, answers: list) { throw empty }
            let batch = CallPlanning.interviewBatch(attempt, answers: list, questionnaire: q)
            _ = try await self.enter(db, batch, try EntryRules.prepare([batch])[0].get(), at: isoTime(now))
            let attemptID = try await self.insertAttempt(db, attempt, questionnaire: state.questionnaire)
            let stored = try await self.strings(db, "SELECT disposition FROM cases WHERE case_id = \(attempt.caseID)").first
            let disposition = stored.flatMap(Disposition.init(rawValue:)) ?? .complete
            let final = CallFinal(disposition: disposition.rawValue, aapor: CompletionRules.aapor(disposition))
            try await self.updateCallCase(db, attempt, attempts: state.attempts + 1, nextAt: attempt.endedAt, appointment: nil, final: final)
            try await self.audit(db, [CallPlanning.audit(attempt, final: final)])
            let callback = disposition == .complete && CallPlanning.isChosenForCallback(caseID: attempt.caseID, rules: rules)
            if callback {
                try await db.query("""
                    INSERT INTO callbacks (case_id, questionnaire, interviewer) VALUES (\(attempt.caseID), \(state.questionnaire), \(attempt.interviewer))
                    """, logger: self.logger)
            }
            return CallAttemptResult(attemptID: attemptID, final: final, nextAt: nil, activatedReserve: nil, callback: callback)
        }
    }

    public func releaseCall(caseID: String, interviewer: String) async throws(StoreError) {
        try await writing { db in
            try await db.query("UPDATE call_cases SET locked_by = NULL, locked_until = NULL WHERE case_id = \(caseID) AND locked_by = \(interviewer)",
                               logger: self.logger)
        }
    }

    public func callQuotas(questionnaire: String, now: Int64) async throws(StoreError) -> [CallQuota] {
        try await reading { db in
            var out: [CallQuota] = []
            let rows = try await self.query(db, CallSQL.quotas(questionnaire: "$1", now: "$2"), [.text(questionnaire), .int(Int(now))])
            for try await r in rows.decode((String, Int, Int, Int, Int, Int, Int, Int, Int, Int).self) {
                out.append(CallQuota(townID: r.0, target: r.1, completes: r.2, partials: r.3, refusals: r.4, nonContacts: r.5, otherFinal: r.6,
                                     attempts: r.7, outstanding: r.8, inProgress: r.9))
            }
            return out
        }
    }

    public func callAttempts(questionnaire: String?) async throws(StoreError) -> [CallAttemptRecord] {
        try await reading { db in try await self.attempts(db, caseID: nil, questionnaire: questionnaire) }
    }

    public func phoneNumbers(questionnaire: String) async throws(StoreError) -> [String: [String]] {
        try await reading { db in
            var numbers: [String: [String]] = [:]
            let rows = try await db.query("""
                SELECT p.case_id, p.number FROM case_phones p JOIN cases c ON c.case_id = p.case_id
                WHERE c.questionnaire = \(questionnaire) ORDER BY p.case_id, p.rank
                """, logger: self.logger)
            for try await (id, number) in rows.decode((String, String).self) { numbers[id, default: []].append(number) }
            return numbers
        }
    }

    public func interviewerEvenings(questionnaire: String?, interviewer: String?, since: Int64?) async throws(StoreError) -> [InterviewerEvening] {
        try await reading { db in
            var checked: [String: Bool] = [:]
            let rows = try await db.query("""
                SELECT case_id, agreed FROM callbacks WHERE checked_at IS NOT NULL AND (\(questionnaire)::text IS NULL OR questionnaire = \(questionnaire))
                """, logger: self.logger)
            for try await (id, agreed) in rows.decode((String, Int).self) { checked[id] = agreed != 0 }
            return CallPlanning.evenings(try await self.attempts(db, caseID: nil, questionnaire: questionnaire, interviewer: interviewer, since: since),
                                         callbacks: checked)
        }
    }

    public func nextCallback(questionnaire id: String, checker: String, now: Int64) async throws(StoreError) -> CallbackAssignment? {
        try await writing { db in
            guard let rules = try await self.currentQuestionnaire(db, id)?.calls, rules.isCallingTime(now) else { return nil }
            var picked: (String, String, String)?
            let rows = try await self.query(db, CallSQL.nextCallback(questionnaire: "$1", checker: "$2", now: "$3", lock: "FOR UPDATE OF cb SKIP LOCKED"),
                                            [.text(id), .text(checker), .int(Int(now))])
            for try await row in rows.decode((String, String, String).self) { picked = row }
            guard let (caseID, interviewer, attributes) = picked else { return nil }
            let until = CallPlanning.lockUntil(now, rules: rules)
            try await db.query("UPDATE callbacks SET checker = \(checker), locked_until = \(until) WHERE case_id = \(caseID)", logger: self.logger)
            return CallbackAssignment(caseID: caseID, questionnaire: id, interviewer: interviewer, phones: try await self.phones(db, caseID),
                                      items: rules.callbackItems, attributes: attributes, lockedUntil: until)
        }
    }

    public func recordCallback(caseID: String, checker: String, answers: [String: String], now: Int64) async throws(StoreError) -> CallbackResult {
        try await writing { db in
            var row: (String, String?, Int64?)?
            let rows = try await db.query("SELECT questionnaire, checker, checked_at FROM callbacks WHERE case_id = \(caseID) FOR UPDATE",
                                          logger: self.logger)
            for try await r in rows.decode((String, String?, Int64?).self) { row = r }
            let q: Questionnaire? = if let id = row?.0 { try await self.currentQuestionnaire(db, id) } else { nil }
            let check = try CallPlanning.callback(caseID: caseID, checker: checker, holder: row?.1, checkedAt: row?.2, rules: q?.calls,
                                                  interview: try await self.countedAnswers(db, caseID: caseID), callback: answers, now: now)
            try await db.query("""
                UPDATE callbacks SET checked_at = \(now), agreed = \(check.result.agreed ? 1 : 0), differences = \(check.differencesJSON),
                       locked_until = NULL WHERE case_id = \(caseID)
                """, logger: self.logger)
            try await self.audit(db, [check.audit])
            return check.result
        }
    }

    public func flaggedCallbacks(questionnaire: String?) async throws(StoreError) -> [FlaggedCallback] {
        try await reading { db in
            var out: [FlaggedCallback] = []
            let rows = try await self.query(db, """
                SELECT \(CallSQL.flaggedColumns) FROM callbacks WHERE agreed = 0 AND ($1::text IS NULL OR questionnaire = $1) ORDER BY checked_at, case_id
                """, [.text(questionnaire)])
            for try await r in rows.decode((String, String, String, String?, Int64?, String?).self) {
                out.append(FlaggedCallback(caseID: r.0, questionnaire: r.1, interviewer: r.2, checker: r.3 ?? "", checkedAt: r.4 ?? 0,
                                           differences: CallPlanning.decodeDifferences(r.5)))
            }
            return out
        }
    }

    // MARK: Helpers

    /// The newest stored version of a questionnaire (its call rules), decoded once per version.
    func currentQuestionnaire(_ db: PostgresConnection, _ id: String) async throws -> Questionnaire? {
        var version: Int?
        for try await v in try await db.query("SELECT MAX(version) FROM questionnaires WHERE id = \(id)", logger: logger).decode(Int?.self) {
            version = v
        }
        guard let version else { return nil }
        let key = "\(id)\u{1F}\(version)"
        if let q = confirmed.withLock({ $0[key] }) { return q }
        guard let definition = try await strings(db, "SELECT definition FROM questionnaires WHERE id = \(id) AND version = \(version)").first
        else { return nil }
        let q = try JSONDecoder().decode(Questionnaire.self, from: Data(definition.utf8))
        confirmed.withLock { $0[key] = q }
        return q
    }

    /// The case of a dial, its row locked, checked to be held by its interviewer, with its rules.
    func heldCase(_ db: PostgresConnection, _ attempt: CallAttemptInput, now: Int64) async throws -> (CallPlanning.CaseState, CallRules, Questionnaire) {
        var state: CallPlanning.CaseState?
        let rows = try await query(db, CallSQL.caseState("$1") + " FOR UPDATE OF cc", [.text(attempt.caseID)])
        for try await r in rows.decode((String, String, Int, String?, Int64?, String?, Int).self) {
            state = CallPlanning.CaseState(caseID: r.0, questionnaire: r.1, attempts: r.2, lockedBy: r.3, lockedUntil: r.4, finalDisposition: r.5,
                                           phones: r.6)
        }
        if let problem = CallPlanning.holdProblem(state, caseID: attempt.caseID, interviewer: attempt.interviewer, now: now) { throw problem }
        guard let state, let q = try await currentQuestionnaire(db, state.questionnaire), let rules = q.calls else {
            throw CallPlanning.notByTelephone(attempt.caseID)
        }
        if let closed = try await closure(db, q.id) { throw closed.refusal(source: "call \(attempt.caseID)") }
        return (state, rules, q)
    }

    func insertAttempt(_ db: PostgresConnection, _ a: CallAttemptInput, questionnaire: String) async throws -> Int64 {
        try await insertRows(db, "call_attempts", ["case_id", "questionnaire", "interviewer", "phone_rank", "started_at", "ended_at", "outcome",
                                                   "appointment_at", "note"],
                             [[.text(a.caseID), .text(questionnaire), .text(a.interviewer), .int(a.phoneRank), .int(Int(a.startedAt)),
                               .int(Int(a.endedAt)), .text(a.outcome.rawValue), .int(a.appointmentAt.map { Int($0) }), .text(a.note)]],
                             returning: "attempt_id")[0]
    }

    func updateCallCase(_ db: PostgresConnection, _ a: CallAttemptInput, attempts: Int, nextAt: Int64, appointment: Int64?,
                        final: CallFinal?) async throws {
        try await query(db, CallSQL.afterAttempt(caseID: "$1", attempts: "$2", outcome: "$3", nextAt: "$4", appointment: "$5", final: "$6",
                                                 aapor: "$7"),
                        [.text(a.caseID), .int(attempts), .text(a.outcome.rawValue), .int(Int(nextAt)), .int(appointment.map { Int($0) }),
                         .text(final?.disposition), .text(final?.aapor)])
    }

    /// A case's numbers, rank 1 first.
    func phones(_ db: PostgresConnection, _ caseID: String) async throws -> [String] {
        try await strings(db, PostgresQuery(unsafeSQL: CallSQL.phoneColumns + "$1 ORDER BY rank", binds: {
            var b = PostgresBindings()
            b.append(caseID)
            return b
        }()))
    }

    /// The dials of a case, or of a questionnaire (or all), oldest first.
    func attempts(_ db: PostgresConnection, caseID: String?, questionnaire: String?, interviewer: String? = nil,
                  since: Int64? = nil) async throws -> [CallAttemptRecord] {
        let sql = CallSQL.attempts(caseID: caseID != nil, interviewer: interviewer != nil, key: "$1", questionnaire: "$1::text",
                                   interviewerValue: "$2", since: "$3")
        var out: [CallAttemptRecord] = []
        let values: [SQLValue] = interviewer != nil ? [.text(questionnaire), .text(interviewer), .int(Int(since ?? 0))] : [.text(caseID ?? questionnaire)]
        let rows = try await query(db, sql, values)
        for try await r in rows.decode((Int64, String, String, String, Int, Int64, Int64, String, Int64?, String?).self) {
            out.append(CallAttemptRecord(attemptID: r.0, caseID: r.1, questionnaire: r.2, interviewer: r.3, phoneRank: r.4, startedAt: r.5,
                                         endedAt: r.6, outcome: CallOutcome(rawValue: r.7) ?? .noAnswer, appointmentAt: r.8, note: r.9))
        }
        return out
    }

    /// The towns of a questionnaire whose completes reached their target (sampled cases).
    func townsAtTarget(_ db: PostgresConnection, _ questionnaire: String) async throws -> [String] {
        var out: [String] = []
        for try await (town, target, completes) in try await query(db, CallSQL.townCompletes(questionnaire: "$1"), [.text(questionnaire)])
            .decode((String?, Int, Int).self) {
            if let town, target > 0 && completes >= target { out.append(town) }
        }
        return out
    }

    /// The answers of a case's counted form, by item.
    func countedAnswers(_ db: PostgresConnection, caseID: String) async throws -> [String: String] {
        var out: [String: String] = [:]
        let rows = try await db.query("""
            SELECT a.item, a.value FROM answers a JOIN forms f ON f.form_id = a.form_id WHERE f.case_id = \(caseID) AND f.kind = 'final'
            """, logger: logger)
        for try await (item, value) in rows.decode((String, String).self) { out[item] = value }
        return out
    }
}
