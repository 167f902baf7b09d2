import GRDB
import Questionnaire

extension SQLiteStore {
    public func verify(questionnaire: String?, operator: String) async throws -> VerificationReport {
        try await writing { db in
            let at = timestamp()
            let pairs = try Row.fetchAll(db, sql: """
                SELECT p1.case_id, p1.form_id, p2.form_id, p1.questionnaire, p1.version
                FROM forms p1 JOIN forms p2 ON p2.case_id = p1.case_id AND p2.kind = 'pass2'
                WHERE p1.kind = 'pass1' AND (? IS NULL OR p1.questionnaire = ?)
                  AND NOT EXISTS (SELECT 1 FROM forms f WHERE f.case_id = p1.case_id AND f.kind = 'final')
                  AND NOT EXISTS (SELECT 1 FROM disagreements d WHERE d.case_id = p1.case_id)
                ORDER BY p1.case_id
                """, arguments: [questionnaire, questionnaire])
            let insertDisagreement = try db.makeStatement(sql: """
                INSERT INTO disagreements (case_id, item, pass1, pass2) VALUES (?, ?, ?, ?)
                """)
            var verified = 0, disagreeing = 0
            for pair in pairs {
                let caseID: String = pair[0]
                let first = try self.answers(db, formID: pair[1])
                let second = try self.answers(db, formID: pair[2])
                let differing = Set(first.keys).union(second.keys).sorted().filter { first[$0] != second[$0] }
                if differing.isEmpty {
                    try self.insertFinal(db, caseID: caseID, questionnaire: pair[3], version: pair[4], answers: first,
                                         operator: `operator`, at: at)
                    try self.audit(db, at: at, operator: `operator`, action: "verify", caseID: caseID, new: "passes agree")
                    verified += 1
                } else {
                    for item in differing {
                        try insertDisagreement.execute(arguments: [caseID, item, first[item], second[item]])
                        try self.audit(db, at: at, operator: `operator`, action: "disagree", caseID: caseID, item: item,
                                       old: first[item], new: second[item])
                    }
                    disagreeing += 1
                }
            }
            let awaiting = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (
                    SELECT f.case_id FROM forms f JOIN questionnaires q ON q.id = f.questionnaire AND q.version = f.version
                    WHERE f.kind IN ('pass1', 'pass2') AND q.entry = 'double' AND (? IS NULL OR f.questionnaire = ?)
                    GROUP BY f.case_id HAVING COUNT(*) = 1) AS one
                """, arguments: [questionnaire, questionnaire]) ?? 0
            return VerificationReport(verified: verified, disagreeing: disagreeing,
                                      open: try self.openDisagreements(db, questionnaire: questionnaire), awaitingPass: awaiting)
        }
    }

    public func disagreements(questionnaire: String?) async throws -> [Disagreement] {
        try await reading { db in try self.openDisagreements(db, questionnaire: questionnaire) }
    }

    func openDisagreements(_ db: Database, questionnaire: String?) throws -> [Disagreement] {
        try Row.fetchAll(db, sql: """
            SELECT d.case_id, c.questionnaire, d.item, d.pass1, d.pass2 FROM disagreements d JOIN cases c ON c.case_id = d.case_id
            WHERE d.resolved = 0 AND (? IS NULL OR c.questionnaire = ?) ORDER BY c.questionnaire, c.line, d.item
            """, arguments: [questionnaire, questionnaire]).map {
            Disagreement(caseID: $0[0], questionnaire: $0[1], item: $0[2], pass1: $0[3], pass2: $0[4])
        }
    }

    /// Stores the verified form of a case.
    func insertFinal(_ db: Database, caseID: String, questionnaire: String, version: Int, answers: [String: String],
                     operator: String, at: String) throws {
        try db.execute(sql: """
            INSERT INTO forms (case_id, kind, questionnaire, version, operator, entered_at, source) VALUES (?, 'final', ?, ?, ?, ?, 'verify')
            """, arguments: [caseID, questionnaire, version, `operator`, at])
        let formID = db.lastInsertedRowID
        let inserter = try AnswerInserter(db)
        for (item, value) in answers.sorted(by: { $0.key < $1.key }) {
            try inserter.insert(db, formID: formID, item: item, value: value)
        }
    }

    public func resolve(_ batch: ResolutionBatch) async throws -> ResolutionSummary {
        try await writing { db in
            let at = timestamp()
            var problems: [EntryProblem] = []
            var definitions: [String: Questionnaire] = [:]
            for q in try self.storedQuestionnaires(db, id: nil) { definitions["\(q.id) \(q.version)"] = q }
            var byCase: [String: [Resolution]] = [:]
            var caseOrder: [String] = []
            var seen: Set<String> = []
            for r in batch.resolutions {
                func problem(_ message: String, _ hint: String) {
                    problems.append(EntryProblem(file: batch.source, line: r.line, column: nil, caseID: r.caseID, message: message, hint: hint))
                }
                guard seen.insert(r.caseID + "\u{1F}" + r.item).inserted else {
                    problem("case \(r.caseID) item \(r.item) is resolved twice", "give one value per case and item")
                    continue
                }
                guard let row = try Row.fetchOne(db, sql: "SELECT resolved, value, resolved_by FROM disagreements WHERE case_id = ? AND item = ?",
                                                 arguments: [r.caseID, r.item]) else {
                    problem("case \(r.caseID) has no disagreement on item \(r.item)", "list the open disagreements with pingyi responses verify")
                    continue
                }
                if row[0] as Bool {
                    let by: String = row[2] ?? "?"
                    problem("case \(r.caseID) item \(r.item) is already resolved (to '\(row[1] as String? ?? "")' by \(by))",
                            "to change a verified answer, correct pass 1 and pass 2 with pingyi responses import --replace")
                    continue
                }
                if byCase[r.caseID] == nil { caseOrder.append(r.caseID) }
                byCase[r.caseID, default: []].append(r)
            }
            var completed: [(String, Questionnaire, [String: String])] = []
            for caseID in caseOrder {
                let resolutions = byCase[caseID] ?? []
                guard let pass1 = try Row.fetchOne(db, sql: """
                    SELECT form_id, questionnaire, version FROM forms WHERE case_id = ? AND kind = 'pass1'
                    """, arguments: [caseID]),
                      let q = definitions["\(pass1[1] as String) \(pass1[2] as Int)"] else { continue }
                var answers = try self.answers(db, formID: pass1[0])
                for d in try Row.fetchAll(db, sql: "SELECT item, value FROM disagreements WHERE case_id = ? AND resolved = 1", arguments: [caseID]) {
                    answers[d[0]] = d[1]
                }
                for r in resolutions { answers[r.item] = r.value }
                let open = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM disagreements WHERE case_id = ? AND resolved = 0", arguments: [caseID]) ?? 0
                let complete = open == resolutions.count
                var values: [String?] = q.items.map { answers[$0.name] }
                let found = FormChecker(q).check(&values)
                let resolvedItems = Set(resolutions.map(\.item))
                for p in found where complete || resolvedItems.contains(q.items[p.item].name) {
                    let line = resolutions.first { $0.item == q.items[p.item].name }?.line ?? resolutions.first?.line
                    problems.append(EntryProblem(file: batch.source, line: line, column: nil, caseID: caseID,
                                                 message: "case \(caseID) with the resolved values: \(p.message)", hint: p.hint))
                }
                var normalised = answers
                for (i, item) in q.items.enumerated() { normalised[item.name] = values[i] }
                for r in resolutions {
                    try db.execute(sql: """
                        UPDATE disagreements SET resolved = 1, value = ?, resolved_by = ?, resolved_at = ?, reason = ?
                        WHERE case_id = ? AND item = ?
                        """, arguments: [normalised[r.item], batch.operator, at, r.reason, caseID, r.item])
                    let d = try Row.fetchOne(db, sql: "SELECT pass1, pass2 FROM disagreements WHERE case_id = ? AND item = ?",
                                             arguments: [caseID, r.item])
                    let both = "pass 1 '\(d?[0] as String? ?? "")', pass 2 '\(d?[1] as String? ?? "")'"
                    try self.audit(db, at: at, operator: batch.operator, action: "resolve", caseID: caseID, item: r.item,
                                   old: both, new: normalised[r.item], reason: r.reason, source: batch.source)
                }
                if complete { completed.append((caseID, q, normalised)) }
            }
            if !problems.isEmpty { throw StoreError.rejected(problems, file: batch.source, what: "resolved") }
            for (caseID, q, answers) in completed {
                try self.insertFinal(db, caseID: caseID, questionnaire: q.id, version: q.version, answers: answers, operator: batch.operator, at: at)
                try self.audit(db, at: at, operator: batch.operator, action: "verify", caseID: caseID, new: "disagreements resolved", source: batch.source)
            }
            return ResolutionSummary(resolved: batch.resolutions.count, verified: completed.map(\.0))
        }
    }
}
