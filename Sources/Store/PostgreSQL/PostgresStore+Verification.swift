import PostgresNIO
import Questionnaire

extension PostgresStore {
    public func verify(questionnaire: String?, operator: String) async throws(StoreError) -> VerificationReport {
        try await verify(questionnaire: questionnaire, caseID: nil, operator: `operator`)
    }

    public func verify(caseID: String, operator: String) async throws(StoreError) -> VerificationReport {
        let q = try await caseRecord(caseID)?.questionnaire
        return try await verify(questionnaire: q, caseID: caseID, operator: `operator`)
    }

    func verify(questionnaire: String?, caseID: String?, operator: String) async throws(StoreError) -> VerificationReport {
        try await writing { db in
            let at = timestamp()
            // One case locks only its own row; verifying a questionnaire takes the long writes' lock.
            if let caseID {
                try await self.lockCases(db, [caseID])
            } else {
                try await self.lockWrites(db)
                let candidates = try await self.strings(db, """
                    SELECT case_id FROM forms WHERE kind = 'pass2' AND (\(questionnaire)::text IS NULL OR questionnaire = \(questionnaire))
                    """)
                try await self.lockCases(db, candidates)
            }
            var pairs: [(caseID: String, first: Int64, second: Int64, questionnaire: String, version: Int)] = []
            let rows = caseID == nil
                ? try await self.query(db, StoreSQL.unverifiedPairs(questionnaire: "$1::text"), [.text(questionnaire)])
                : try await self.query(db, StoreSQL.unverifiedPairs(questionnaire: "$1::text", caseID: "$2::text"), [.text(questionnaire), .text(caseID)])
            for try await pair in rows.decode((String, Int64, Int64, String, Int).self) { pairs.append(pair) }
            let answers = try await self.answers(db, formIDs: pairs.flatMap { [$0.first, $0.second] })
            var definitions: [String: Questionnaire] = [:]
            if !pairs.isEmpty {
                for q in try await self.storedQuestionnaires(db, id: questionnaire) { definitions[ResolutionRules.definitionKey(q.id, q.version)] = q }
            }
            var verified = 0, disagreeing = 0
            var disagreements: [[SQLValue]] = []
            var audit: [AuditRecord] = []
            var counted: [(caseID: String, answers: [String: String], questionnaire: Questionnaire)] = []
            for pair in pairs {
                let outcome = VerificationRules.compare(answers[pair.first] ?? [:], answers[pair.second] ?? [:])
                switch outcome {
                case .agree(let values):
                    try await self.insertFinal(db, caseID: pair.caseID, questionnaire: pair.questionnaire, version: pair.version,
                                               answers: values, operator: `operator`, at: at)
                    if let q = definitions[ResolutionRules.definitionKey(pair.questionnaire, pair.version)] {
                        counted.append((pair.caseID, values, q))
                    }
                    verified += 1
                case .disagree(let items):
                    disagreements += items.map { [.text(pair.caseID), .text($0.item), .text($0.pass1), .text($0.pass2)] }
                    disagreeing += 1
                }
                audit += VerificationRules.audit(outcome, caseID: pair.caseID, operator: `operator`, at: at)
            }
            try await self.insertRows(db, "disagreements", ["case_id", "item", "pass1", "pass2"], disagreements)
            try await self.audit(db, audit)
            try await self.markCounted(db, counted, operator: `operator`, at: at, source: "verify")
            var awaiting = 0
            let count = try await self.query(db, StoreSQL.awaitingPass(questionnaire: "$1::text"), [.text(questionnaire)])
            for try await n in count.decode(Int.self) { awaiting = n }
            return VerificationReport(verified: verified, disagreeing: disagreeing,
                                      open: try await self.openDisagreements(db, questionnaire: questionnaire), awaitingPass: awaiting)
        }
    }

    public func disagreements(questionnaire: String?) async throws(StoreError) -> [Disagreement] {
        try await reading { db in try await self.openDisagreements(db, questionnaire: questionnaire) }
    }

    func openDisagreements(_ db: PostgresConnection, questionnaire: String?) async throws -> [Disagreement] {
        var out: [Disagreement] = []
        let rows = try await query(db, StoreSQL.openDisagreements(questionnaire: "$1::text"), [.text(questionnaire)])
        for try await (caseID, q, item, p1, p2) in rows.decode((String, String, String, String?, String?).self) {
            out.append(Disagreement(caseID: caseID, questionnaire: q, item: item, pass1: p1, pass2: p2))
        }
        return out
    }

    /// Gives the cases whose forms were just counted the disposition each form says
    /// (``CompletionRules``), those still pending; audited.
    func markCounted(_ db: PostgresConnection, _ forms: [(caseID: String, answers: [String: String], questionnaire: Questionnaire)],
                     operator: String, at: String, source: String?, brokenOff: Bool = false) async throws {
        guard !forms.isEmpty else { return }
        let ids = forms.map(\.caseID)
        let dispositions = forms.map { CompletionRules.disposition($0.answers, $0.questionnaire, brokenOff: brokenOff).rawValue }
        let rows = try await db.query("""
            UPDATE cases SET disposition = d.disposition FROM unnest(\(ids)::text[], \(dispositions)::text[]) AS d(case_id, disposition)
            WHERE cases.case_id = d.case_id AND cases.disposition = 'pending' RETURNING cases.case_id, cases.disposition
            """, logger: logger)
        var audit: [AuditRecord] = []
        for try await (caseID, disposition) in rows.decode((String, String).self) {
            audit.append(CompletionRules.audit(caseID: caseID, disposition: Disposition(rawValue: disposition) ?? .complete,
                                               operator: `operator`, at: at, source: source))
        }
        try await self.audit(db, audit.sorted { $0.caseID ?? "" < $1.caseID ?? "" })
    }

    /// Stores the verified form of a case.
    func insertFinal(_ db: PostgresConnection, caseID: String, questionnaire: String, version: Int, answers: [String: String],
                     operator: String, at: String, source: String = "verify") async throws {
        let id = try await insertRows(db, "forms", ["case_id", "kind", "questionnaire", "version", "operator", "entered_at", "source"],
                                      [[.text(caseID), .text("final"), .text(questionnaire), .int(version), .text(`operator`), .text(at), .text(source)]],
                                      returning: "form_id")
        guard let formID = id.first else { return }
        try await insertAnswers(db, answers.sorted { $0.key < $1.key }.map { (formID, $0.key, $0.value) })
    }

    public func resolve(_ batch: ResolutionBatch) async throws(StoreError) -> ResolutionSummary {
        try await writing { db in
            let at = timestamp()
            try await self.lockWrites(db)
            let ids = ResolutionRules.cases(batch)
            try await self.lockCases(db, ids)
            var definitions: [String: Questionnaire] = [:]
            for q in try await self.storedQuestionnaires(db, id: nil) { definitions[ResolutionRules.definitionKey(q.id, q.version)] = q }
            var cases: [String: ResolutionCase] = Dictionary(uniqueKeysWithValues: ids.map { ($0, ResolutionCase(disagreements: [:], pass1: nil)) })
            let rows = try await db.query("""
                SELECT case_id, item, resolved, value, resolved_by, pass1, pass2 FROM disagreements WHERE case_id = ANY(\(ids))
                """, logger: self.logger)
            for try await (caseID, item, resolved, value, by, p1, p2) in rows.decode((String, String, Int, String?, String?, String?, String?).self) {
                cases[caseID]?.disagreements[item] = DisagreementRow(resolved: resolved != 0, value: value, resolvedBy: by, pass1: p1, pass2: p2)
            }
            var forms: [(String, Int64, String, Int)] = []
            let pass1 = try await db.query("""
                SELECT case_id, form_id, questionnaire, version FROM forms WHERE case_id = ANY(\(ids)) AND kind = 'pass1'
                """, logger: self.logger)
            for try await form in pass1.decode((String, Int64, String, Int).self) { forms.append(form) }
            let answers = try await self.answers(db, formIDs: forms.map(\.1))
            for (caseID, formID, q, version) in forms { cases[caseID]?.pass1 = (q, version, answers[formID] ?? [:]) }
            let plan = try ResolutionRules.plan(batch, at: at, cases: cases, definitions: definitions)
            for u in plan.updates {
                try await db.query("""
                    UPDATE disagreements SET resolved = 1, value = \(u.value), resolved_by = \(batch.operator), resolved_at = \(at), reason = \(u.reason)
                    WHERE case_id = \(u.caseID) AND item = \(u.item)
                    """, logger: self.logger)
            }
            for f in plan.finals {
                try await self.insertFinal(db, caseID: f.caseID, questionnaire: f.questionnaire, version: f.version, answers: f.answers,
                                           operator: batch.operator, at: at)
            }
            try await self.audit(db, plan.audit)
            try await self.markCounted(db, plan.finals.compactMap { f in
                definitions[ResolutionRules.definitionKey(f.questionnaire, f.version)].map { (f.caseID, f.answers, $0) }
            }, operator: batch.operator, at: at, source: "verify")
            return plan.summary
        }
    }
}
