import GRDB
import Questionnaire

extension SQLiteStore {
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
            let pairs = try Row.fetchAll(db, sql: StoreSQL.unverifiedPairs(questionnaire: "?1", caseID: caseID == nil ? nil : "?2"),
                                         arguments: caseID == nil ? [questionnaire] : [questionnaire, caseID])
            let insertDisagreement = try db.makeStatement(sql: """
                INSERT INTO disagreements (case_id, item, pass1, pass2) VALUES (?, ?, ?, ?)
                """)
            var definitions: [String: Questionnaire] = [:]
            if !pairs.isEmpty {
                for q in try self.storedQuestionnaires(db, id: questionnaire) { definitions[ResolutionRules.definitionKey(q.id, q.version)] = q }
            }
            var verified = 0, disagreeing = 0
            for pair in pairs {
                let caseID: String = pair[0]
                let outcome = VerificationRules.compare(try self.answers(db, formID: pair[1]), try self.answers(db, formID: pair[2]))
                switch outcome {
                case .agree(let answers):
                    try self.insertFinal(db, caseID: caseID, questionnaire: pair[3], version: pair[4], answers: answers,
                                         operator: `operator`, at: at, source: "verify")
                    verified += 1
                case .disagree(let items):
                    for d in items { try insertDisagreement.execute(arguments: [caseID, d.item, d.pass1, d.pass2]) }
                    disagreeing += 1
                }
                for entry in VerificationRules.audit(outcome, caseID: caseID, operator: `operator`, at: at) { try self.audit(db, entry) }
                if case .agree(let answers) = outcome, let q = definitions[ResolutionRules.definitionKey(pair[3], pair[4])] {
                    try self.markCounted(db, caseID: caseID, answers: answers, q, operator: `operator`, at: at, source: "verify")
                }
            }
            let awaiting = try Int.fetchOne(db, sql: StoreSQL.awaitingPass(questionnaire: "?1"), arguments: [questionnaire]) ?? 0
            return VerificationReport(verified: verified, disagreeing: disagreeing,
                                      open: try self.openDisagreements(db, questionnaire: questionnaire), awaitingPass: awaiting)
        }
    }

    public func disagreements(questionnaire: String?) async throws(StoreError) -> [Disagreement] {
        try await reading { db in try self.openDisagreements(db, questionnaire: questionnaire) }
    }

    func openDisagreements(_ db: Database, questionnaire: String?) throws -> [Disagreement] {
        try Row.fetchAll(db, sql: StoreSQL.openDisagreements(questionnaire: "?1"), arguments: [questionnaire]).map {
            Disagreement(caseID: $0[0], questionnaire: $0[1], item: $0[2], pass1: $0[3], pass2: $0[4])
        }
    }

    /// Stores the verified form of a case.
    func insertFinal(_ db: Database, caseID: String, questionnaire: String, version: Int, answers: [String: String],
                     operator: String, at: String, source: String) throws {
        try db.execute(sql: """
            INSERT INTO forms (case_id, kind, questionnaire, version, operator, entered_at, source) VALUES (?, 'final', ?, ?, ?, ?, ?)
            """, arguments: [caseID, questionnaire, version, `operator`, at, source])
        let formID = db.lastInsertedRowID
        let inserter = try AnswerInserter(db)
        for (item, value) in answers.sorted(by: { $0.key < $1.key }) {
            try inserter.insert(db, formID: formID, item: item, value: value)
        }
    }

    public func resolve(_ batch: ResolutionBatch) async throws(StoreError) -> ResolutionSummary {
        try await writing { db in
            let at = timestamp()
            var definitions: [String: Questionnaire] = [:]
            for q in try self.storedQuestionnaires(db, id: nil) { definitions[ResolutionRules.definitionKey(q.id, q.version)] = q }
            var cases: [String: ResolutionCase] = [:]
            for caseID in ResolutionRules.cases(batch) {
                var c = ResolutionCase(disagreements: [:], pass1: nil)
                for d in try Row.fetchAll(db, sql: """
                    SELECT item, resolved, value, resolved_by, pass1, pass2 FROM disagreements WHERE case_id = ?
                    """, arguments: [caseID]) {
                    c.disagreements[d[0]] = DisagreementRow(resolved: d[1], value: d[2], resolvedBy: d[3], pass1: d[4], pass2: d[5])
                }
                if let p = try Row.fetchOne(db, sql: "SELECT form_id, questionnaire, version FROM forms WHERE case_id = ? AND kind = 'pass1'",
                                            arguments: [caseID]) {
                    c.pass1 = (p[1], p[2], try self.answers(db, formID: p[0]))
                }
                cases[caseID] = c
            }
            let plan = try ResolutionRules.plan(batch, at: at, cases: cases, definitions: definitions)
            let update = try db.makeStatement(sql: """
                UPDATE disagreements SET resolved = 1, value = ?, resolved_by = ?, resolved_at = ?, reason = ? WHERE case_id = ? AND item = ?
                """)
            for u in plan.updates { try update.execute(arguments: [u.value, batch.operator, at, u.reason, u.caseID, u.item]) }
            for f in plan.finals {
                try self.insertFinal(db, caseID: f.caseID, questionnaire: f.questionnaire, version: f.version, answers: f.answers,
                                     operator: batch.operator, at: at, source: "verify")
            }
            for entry in plan.audit { try self.audit(db, entry) }
            for f in plan.finals {
                if let q = definitions[ResolutionRules.definitionKey(f.questionnaire, f.version)] {
                    try self.markCounted(db, caseID: f.caseID, answers: f.answers, q, operator: batch.operator, at: at, source: "verify")
                }
            }
            return plan.summary
        }
    }
}
