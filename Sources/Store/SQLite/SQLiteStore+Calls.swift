import Foundation
import GRDB
public import Questionnaire

/// Telephone interviewing on SQLite: every call runs in one `BEGIN IMMEDIATE` transaction, so
/// the pick of a case and its lock happen while no other writer (in this process or another)
/// runs — two interviewers can never be handed the same case.
extension SQLiteStore: CallStore {
    public func nextCall(questionnaire id: String, interviewer: String, now: Int64) async throws(StoreError) -> NextCall {
        try await writing { db in
            guard let q = try self.currentQuestionnaire(db, id), let rules = q.calls, try self.closure(db, id) == nil else {
                return .none(.notByTelephone)
            }
            var stopped = false
            for kind in CallAssignment.Reason.allCases {
                if kind != .resumed && !rules.isCallingTime(now) { return .none(.outsideWindow(next: rules.nextCallingTime(after: now))) }
                var arguments: [(any DatabaseValueConvertible)?] = [id, interviewer, now, rules.maxAttempts]
                var excluded: String?
                if kind == .fresh && rules.stopAtQuota {
                    let full = try self.townsAtTarget(db, id)
                    if !full.isEmpty {
                        stopped = true
                        excluded = "(cc.town_id IS NULL OR cc.town_id NOT IN (" + full.indices.map { "?\($0 + 5)" }.joined(separator: ", ") + "))"
                        arguments += full
                    }
                }
                let sql = CallSQL.pick(kind, questionnaire: "?1", interviewer: "?2", now: "?3", max: "?4", excludedTowns: excluded)
                guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments)) else { continue }
                let caseID: String = row[0]
                let until = CallPlanning.lockUntil(now, rules: rules)
                try db.cachedStatement(sql: "UPDATE call_cases SET locked_by = ?, locked_until = ? WHERE case_id = ?")
                    .execute(arguments: [interviewer, until, caseID])
                return .call(CallAssignment(caseID: caseID, questionnaire: id, reason: kind, phones: try self.phones(db, caseID),
                                               attempts: row[1], appointmentAt: row[2], lockedUntil: until, townID: row[3], attributes: row[4],
                                               history: try self.attempts(db, caseID: caseID, questionnaire: nil)))
            }
            let row = try Row.fetchOne(db.cachedStatement(sql: CallSQL.nextTime(questionnaire: "?1", max: "?2", now: "?3")),
                                       arguments: [id, rules.maxAttempts, now])
            let open: Int = row?[1] ?? 0
            if open == 0 { return .none(.finished) }
            let next: Int64? = row?[0]
            return .none(.nothingDue(next: next.map { rules.nextCallingTime(after: max($0, now)) ?? $0 } ?? (stopped ? nil : now)))
        }
    }

    public func recordAttempt(_ attempt: CallAttemptInput, now: Int64) async throws(StoreError) -> CallAttemptResult {
        try await writing { db in
            let (state, rules, _) = try self.heldCase(db, attempt, now: now)
            try CallPlanning.check(attempt, phones: state.phones, interview: false)
            let attemptID = try self.insertAttempt(db, attempt, questionnaire: state.questionnaire)
            let history = try self.attempts(db, caseID: attempt.caseID, questionnaire: nil)
            let plan = CallPlanning.afterAttempt(attempt, history: history, phones: state.phones, rules: rules)
            try self.updateCallCase(db, attempt, attempts: plan.attempts, nextAt: plan.nextAt, appointment: plan.appointmentAt, final: plan.final)
            try self.audit(db, CallPlanning.audit(attempt, final: plan.final))
            var reserve: String?
            if let update = plan.disposition {
                let summary = try self.applyDispositions(db, CallPlanning.dispositionBatch(update, interviewer: attempt.interviewer), at: isoTime(now))
                reserve = summary.activations.first?.reserve
            }
            return CallAttemptResult(attemptID: attemptID, final: plan.final, nextAt: plan.final == nil ? plan.nextAt : nil,
                                     activatedReserve: reserve, callback: false)
        }
    }

    public func recordInterview(_ attempt: CallAttemptInput, answers: [String: String], now: Int64) async throws(StoreError) -> CallAttemptResult {
        try await writing { db in
            let (state, rules, q) = try self.heldCase(db, attempt, now: now)
            try CallPlanning.check(attempt, phones: state.phones, interview: true)
            let list = try CallPlanning.answerList(answers, q, caseID: attempt.caseID)
            if let empty = CallPlanning.emptyInterview(attempt, answers: list) { throw empty }
            let batch = CallPlanning.interviewBatch(attempt, answers: list, questionnaire: q)
            _ = try self.enter(db, batch, try EntryRules.prepare([batch])[0].get(), at: isoTime(now))
            let attemptID = try self.insertAttempt(db, attempt, questionnaire: state.questionnaire)
            let stored = try String.fetchOne(db, sql: "SELECT disposition FROM cases WHERE case_id = ?", arguments: [attempt.caseID])
            let disposition = stored.flatMap(Disposition.init(rawValue:)) ?? .complete
            let final = CallFinal(disposition: disposition.rawValue, aapor: CompletionRules.aapor(disposition))
            try self.updateCallCase(db, attempt, attempts: state.attempts + 1, nextAt: attempt.endedAt, appointment: nil, final: final)
            try self.audit(db, CallPlanning.audit(attempt, final: final))
            let callback = disposition == .complete && CallPlanning.isChosenForCallback(caseID: attempt.caseID, rules: rules)
            if callback {
                try db.execute(sql: "INSERT INTO callbacks (case_id, questionnaire, interviewer) VALUES (?, ?, ?)",
                               arguments: [attempt.caseID, state.questionnaire, attempt.interviewer])
            }
            return CallAttemptResult(attemptID: attemptID, final: final, nextAt: nil, activatedReserve: nil, callback: callback)
        }
    }

    public func releaseCall(caseID: String, interviewer: String) async throws(StoreError) {
        try await writing { db in
            try db.execute(sql: "UPDATE call_cases SET locked_by = NULL, locked_until = NULL WHERE case_id = ? AND locked_by = ?",
                           arguments: [caseID, interviewer])
        }
    }

    public func callQuotas(questionnaire: String, now: Int64) async throws(StoreError) -> [CallQuota] {
        try await reading { db in
            try Row.fetchAll(db, sql: CallSQL.quotas(questionnaire: "?1", now: "?2"), arguments: [questionnaire, now]).map {
                CallQuota(townID: $0[0], target: $0[1], completes: $0[2], partials: $0[3], refusals: $0[4], nonContacts: $0[5],
                          otherFinal: $0[6], attempts: $0[7], outstanding: $0[8], inProgress: $0[9])
            }
        }
    }

    public func callAttempts(questionnaire: String?) async throws(StoreError) -> [CallAttemptRecord] {
        try await reading { db in try self.attempts(db, caseID: nil, questionnaire: questionnaire) }
    }

    public func phoneNumbers(questionnaire: String) async throws(StoreError) -> [String: [String]] {
        try await reading { db in
            var numbers: [String: [String]] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT p.case_id, p.number FROM case_phones p JOIN cases c ON c.case_id = p.case_id
                WHERE c.questionnaire = ? ORDER BY p.case_id, p.rank
                """, arguments: [questionnaire])
            while let row = try rows.next() { numbers[row[0], default: []].append(row[1]) }
            return numbers
        }
    }

    public func interviewerEvenings(questionnaire: String?, interviewer: String?, since: Int64?) async throws(StoreError) -> [InterviewerEvening] {
        try await reading { db in
            var checked: [String: Bool] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT case_id, agreed FROM callbacks WHERE checked_at IS NOT NULL AND (?1 IS NULL OR questionnaire = ?1)
                """, arguments: [questionnaire]) {
                checked[row[0]] = row[1]
            }
            return CallPlanning.evenings(try self.attempts(db, caseID: nil, questionnaire: questionnaire, interviewer: interviewer, since: since),
                                         callbacks: checked)
        }
    }

    public func nextCallback(questionnaire id: String, checker: String, now: Int64) async throws(StoreError) -> CallbackAssignment? {
        try await writing { db in
            guard let rules = try self.currentQuestionnaire(db, id)?.calls, rules.isCallingTime(now) else { return nil }
            guard let row = try Row.fetchOne(db, sql: CallSQL.nextCallback(questionnaire: "?1", checker: "?2", now: "?3"),
                                             arguments: [id, checker, now]) else { return nil }
            let caseID: String = row[0]
            let until = CallPlanning.lockUntil(now, rules: rules)
            try db.execute(sql: "UPDATE callbacks SET checker = ?, locked_until = ? WHERE case_id = ?", arguments: [checker, until, caseID])
            return CallbackAssignment(caseID: caseID, questionnaire: id, interviewer: row[1], phones: try self.phones(db, caseID),
                                      items: rules.callbackItems, attributes: row[2], lockedUntil: until)
        }
    }

    public func recordCallback(caseID: String, checker: String, answers: [String: String], now: Int64) async throws(StoreError) -> CallbackResult {
        try await writing { db in
            let row = try Row.fetchOne(db, sql: "SELECT questionnaire, checker, checked_at FROM callbacks WHERE case_id = ?", arguments: [caseID])
            let questionnaire: String? = row?[0]
            let q = try questionnaire.flatMap { try self.currentQuestionnaire(db, $0) }
            let interview = try self.countedAnswers(db, caseID: caseID)
            let check = try CallPlanning.callback(caseID: caseID, checker: checker, holder: row?[1], checkedAt: row?[2], rules: q?.calls,
                                                  interview: interview, callback: answers, now: now)
            try db.execute(sql: "UPDATE callbacks SET checked_at = ?, agreed = ?, differences = ?, locked_until = NULL WHERE case_id = ?",
                           arguments: [now, check.result.agreed, check.differencesJSON, caseID])
            try self.audit(db, check.audit)
            return check.result
        }
    }

    public func flaggedCallbacks(questionnaire: String?) async throws(StoreError) -> [FlaggedCallback] {
        try await reading { db in
            try Row.fetchAll(db, sql: """
                SELECT \(CallSQL.flaggedColumns) FROM callbacks WHERE agreed = 0 AND (?1 IS NULL OR questionnaire = ?1) ORDER BY checked_at, case_id
                """, arguments: [questionnaire]).map {
                FlaggedCallback(caseID: $0[0], questionnaire: $0[1], interviewer: $0[2], checker: $0[3] ?? "", checkedAt: $0[4] ?? 0,
                                differences: CallPlanning.decodeDifferences($0[5]))
            }
        }
    }

    // MARK: Helpers

    /// The newest stored version of a questionnaire (its call rules), decoded once per version.
    func currentQuestionnaire(_ db: Database, _ id: String) throws -> Questionnaire? {
        guard let version = try Int.fetchOne(db.cachedStatement(sql: "SELECT MAX(version) FROM questionnaires WHERE id = ?"), arguments: [id])
        else { return nil }
        let key = "\(id)\u{1F}\(version)"
        if let q = confirmed.withLock({ $0[key] }) { return q }
        guard let definition = try String.fetchOne(db, sql: "SELECT definition FROM questionnaires WHERE id = ? AND version = ?",
                                                   arguments: [id, version]) else { return nil }
        let q = try JSONDecoder().decode(Questionnaire.self, from: Data(definition.utf8))
        confirmed.withLock { $0[key] = q }
        return q
    }

    /// The case of a dial, checked to be held by its interviewer, with its rules.
    func heldCase(_ db: Database, _ attempt: CallAttemptInput, now: Int64) throws -> (CallPlanning.CaseState, CallRules, Questionnaire) {
        let state = try Row.fetchOne(db.cachedStatement(sql: CallSQL.caseState("?")), arguments: [attempt.caseID]).map {
            CallPlanning.CaseState(caseID: $0[0], questionnaire: $0[1], attempts: $0[2], lockedBy: $0[3], lockedUntil: $0[4],
                                   finalDisposition: $0[5], phones: $0[6])
        }
        if let problem = CallPlanning.holdProblem(state, caseID: attempt.caseID, interviewer: attempt.interviewer, now: now) { throw problem }
        guard let state, let q = try currentQuestionnaire(db, state.questionnaire), let rules = q.calls else {
            throw CallPlanning.notByTelephone(attempt.caseID)
        }
        if let closed = try closure(db, q.id) { throw closed.refusal(source: "call \(attempt.caseID)") }
        return (state, rules, q)
    }

    func insertAttempt(_ db: Database, _ a: CallAttemptInput, questionnaire: String) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO call_attempts (case_id, questionnaire, interviewer, phone_rank, started_at, ended_at, outcome, appointment_at, note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [a.caseID, questionnaire, a.interviewer, a.phoneRank, a.startedAt, a.endedAt, a.outcome.rawValue,
                                     a.appointmentAt, a.note])
        return db.lastInsertedRowID
    }

    func updateCallCase(_ db: Database, _ a: CallAttemptInput, attempts: Int, nextAt: Int64, appointment: Int64?, final: CallFinal?) throws {
        try db.cachedStatement(sql: CallSQL.afterAttempt(caseID: "?1", attempts: "?2", outcome: "?3", nextAt: "?4", appointment: "?5",
                                                          final: "?6", aapor: "?7"))
            .execute(arguments: [a.caseID, attempts, a.outcome.rawValue, nextAt, appointment, final?.disposition, final?.aapor])
    }

    /// A case's numbers, rank 1 first.
    func phones(_ db: Database, _ caseID: String) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: CallSQL.phoneColumns + "? ORDER BY rank"), arguments: [caseID])
    }

    /// The dials of a case, or of a questionnaire (or all), oldest first.
    func attempts(_ db: Database, caseID: String?, questionnaire: String?, interviewer: String? = nil, since: Int64? = nil) throws -> [CallAttemptRecord] {
        let sql = CallSQL.attempts(caseID: caseID != nil, interviewer: interviewer != nil, key: "?1", questionnaire: "?1", interviewerValue: "?2", since: "?3")
        let arguments: StatementArguments = interviewer != nil ? [questionnaire, interviewer, since ?? 0] : [caseID ?? questionnaire]
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map {
            CallAttemptRecord(attemptID: $0[0], caseID: $0[1], questionnaire: $0[2], interviewer: $0[3], phoneRank: $0[4], startedAt: $0[5],
                              endedAt: $0[6], outcome: CallOutcome(rawValue: $0[7]) ?? .noAnswer, appointmentAt: $0[8], note: $0[9])
        }
    }

    /// The towns of a questionnaire whose completes reached their target (sampled cases).
    func townsAtTarget(_ db: Database, _ questionnaire: String) throws -> [String] {
        try Row.fetchAll(db.cachedStatement(sql: CallSQL.townCompletes(questionnaire: "?")), arguments: [questionnaire])
            .compactMap { row -> String? in
                let town: String? = row[0], target: Int = row[1], completes: Int = row[2]
                return town != nil && target > 0 && completes >= target ? town : nil
            }
    }

    /// The answers of a case's counted form, by item.
    func countedAnswers(_ db: Database, caseID: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT a.item, a.value FROM answers a JOIN forms f ON f.form_id = a.form_id WHERE f.case_id = ? AND f.kind = 'final'
            """, arguments: [caseID]) {
            out[row[0]] = row[1]
        }
        return out
    }
}
