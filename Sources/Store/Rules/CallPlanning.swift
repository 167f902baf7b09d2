import Formats
import Foundation
import Questionnaire

/// The telephone rules both stores apply: the seeded order of fresh cases, when a case may be
/// called again, which attempt history closes it with which AAPOR disposition, which completes
/// are re-asked, and how a callback is compared. The scheduler's priority (resumed, appointment
/// due, fresh, retry) is in the queries of ``StoreSQL`` that both stores run.
enum CallPlanning {
    /// A case's place among the fresh cases: a hash of the rules' seed and the case id, so the
    /// order is fixed by the seed, the same in every process and after every restart.
    static func randomOrder(seed: UInt32, caseID: String) -> Int64 {
        Int64(bitPattern: mix(UInt64(seed) ^ fnv(caseID)) >> 1)
    }

    /// Whether a complete is re-asked by another interviewer: a seeded draw with the rules'
    /// share, per case (so about that share of each interviewer's completes).
    static func isChosenForCallback(caseID: String, rules: CallRules) -> Bool {
        guard rules.callbackShare > 0 else { return false }
        let u = Double(mix(UInt64(rules.seed) &* 31 ^ fnv("callback " + caseID)) >> 11) / 9_007_199_254_740_992
        return u < rules.callbackShare
    }

    /// When a case may be called again after `attempt`: its appointment (a call-back with a
    /// time), else the end of the call plus the outcome's retry delay, moved to the next calling
    /// window when that falls outside one.
    static func nextAt(after attempt: CallAttemptInput, rules: CallRules) -> Int64 {
        if attempt.outcome == .callBack, let appointment = attempt.appointmentAt { return appointment }
        let earliest = attempt.endedAt + Int64(rules.retry(after: attempt.outcome)) * 60
        return rules.nextCallingTime(after: earliest) ?? earliest
    }

    /// The lock's end for a case handed out now.
    static func lockUntil(_ now: Int64, rules: CallRules) -> Int64 {
        now + Int64(rules.lockMinutes) * 60
    }

    /// The final disposition the attempts give the case, or nil while it stays open: the first
    /// of the rules that holds. A case with its attempts used up that no rule closes is of
    /// unknown eligibility, other (AAPOR 3.90), so that no case is left open with no call left.
    /// - Parameter phones: how many numbers the case has.
    static func final(after history: [CallAttemptRecord], phones: Int, rules: CallRules) -> CallFinal? {
        guard let last = history.last else { return nil }
        let outcomes = Set(history.map(\.outcome))
        let exhausted = history.count >= rules.maxAttempts
        let days = Set(history.map { CallRules.localTime($0.startedAt).day }).count
        let contact = history.contains { $0.outcome.isContact }
        var lastByNumber: [Int: CallOutcome] = [:]
        for a in history { lastByNumber[a.phoneRank] = a.outcome }
        for rule in rules.finals {
            if let wanted = rule.last, !wanted.contains(last.outcome) { continue }
            if let wanted = rule.ever, wanted.allSatisfy({ !outcomes.contains($0) }) { continue }
            if let wanted = rule.everyNumber {
                guard lastByNumber.count >= max(phones, 1), lastByNumber.values.allSatisfy(wanted.contains) else { continue }
            }
            if let wanted = rule.exhausted, wanted != exhausted { continue }
            if let wanted = rule.days, days < wanted { continue }
            if let wanted = rule.contact, wanted != contact { continue }
            return rule.final
        }
        return exhausted ? CallFinal(disposition: Disposition.unknown.rawValue, aapor: "3.90") : nil
    }

    /// The callback items that differ between the interview's answers and the callback's.
    static func differences(items: [String], interview: [String: String], callback: [String: String]) -> [CallbackDifference] {
        items.compactMap { item in
            interview[item] == callback[item] ? nil : CallbackDifference(item: item, interview: interview[item], callback: callback[item])
        }
    }

    /// `2017-11-03`: the Beijing date of a Unix time.
    static func day(_ unix: Int64) -> String {
        CivilDate(daysSinceEpoch: Int(CallRules.localTime(unix).day)).description
    }

    /// A stored dial's record from the input and its id.
    static func record(_ a: CallAttemptInput, id: Int64, questionnaire: String) -> CallAttemptRecord {
        CallAttemptRecord(attemptID: id, caseID: a.caseID, questionnaire: questionnaire, interviewer: a.interviewer, phoneRank: a.phoneRank,
                          startedAt: a.startedAt, endedAt: a.endedAt, outcome: a.outcome, appointmentAt: a.appointmentAt, note: a.note)
    }

    /// The problems of an attempt before it is stored: a call that ends before it starts, a
    /// number the case does not have, an appointment in the past, an interview outcome recorded
    /// without its form (or the other way round).
    static func check(_ a: CallAttemptInput, phones: Int, interview: Bool) throws(StoreError) {
        func bad(_ r: CallRefusal, _ message: String, _ hint: String) -> StoreError {
            StoreError(.usage, file: "call \(a.caseID)", message: message, hint: hint, callRefusal: r)
        }
        if a.endedAt < a.startedAt { throw bad(.endsBeforeStart, "the call ends before it starts", "record the start and end times of the dial") }
        if a.phoneRank < 1 || a.phoneRank > max(phones, 1) {
            throw bad(.noSuchNumber(rank: a.phoneRank, numbers: phones), "the case has no number \(a.phoneRank) (it has \(phones))",
                      "choose one of its numbers")
        }
        let interviewOutcome = a.outcome == .complete || a.outcome == .breakOff
        if interview && !interviewOutcome {
            throw bad(.notAnInterview(a.outcome), "an interview ends complete or broken off, not \(a.outcome.rawValue)",
                      "record the outcome of the dial instead")
        }
        if !interview && interviewOutcome {
            throw bad(.needsInterview(a.outcome), "\(a.outcome.rawValue) needs the interview's answers", "save the interview form")
        }
        if a.outcome == .callBack, let t = a.appointmentAt, t < a.endedAt {
            throw bad(.appointmentInPast, "the appointment is before the call ended", "give a time in the future, or leave it empty to try again later")
        }
    }

    // MARK: Holding a case

    /// A case's row of `call_cases`, as the attempt rules need it.
    struct CaseState: Sendable {
        let caseID: String
        let questionnaire: String
        let attempts: Int
        let lockedBy: String?
        let lockedUntil: Int64?
        let finalDisposition: String?
        let phones: Int
    }

    /// The refusal of a dial recorded by someone who does not hold the case: a case not in a
    /// call queue, closed, or handed to another interviewer (their lock still running, or taken
    /// over after this interviewer's lock ran out). An interviewer whose lock ran out may still
    /// record the call while nobody else has taken the case.
    static func holdProblem(_ state: CaseState?, caseID: String, interviewer: String, now: Int64) -> StoreError? {
        func refuse(_ r: CallRefusal, _ message: String, _ hint: String) -> StoreError {
            StoreError(.data, file: "call \(caseID)", message: message, hint: hint, callRefusal: r)
        }
        guard let state else {
            return refuse(.notQueued, "case \(caseID) is not in a telephone call queue", "check the case number; only cases with a phone number are called")
        }
        if let final = state.finalDisposition {
            return refuse(.closed(disposition: final), "case \(caseID) is closed (\(final))", "take the next case")
        }
        if state.lockedBy != interviewer {
            if let holder = state.lockedBy, let until = state.lockedUntil, until > now {
                return refuse(.heldByOther(interviewer: holder), "case \(caseID) is held by interviewer \(holder)",
                              "take the next case; one case goes to one interviewer at a time")
            }
            return refuse(.notHeld, "case \(caseID) is not held by \(interviewer)", "take the case with 下一个 (next) before recording its call")
        }
        return nil
    }

    // MARK: After a dial

    /// What recording a dial changes in its case's calling state.
    struct AttemptPlan: Sendable {
        let attempts: Int
        /// When the case may be called again; the appointment, when one was made.
        let nextAt: Int64
        let appointmentAt: Int64?
        /// The final disposition, when the attempts close the case.
        let final: CallFinal?
        /// The disposition to record (through ``DispositionRules``) for a case closed without an
        /// interview.
        let disposition: DispositionUpdate?
    }

    /// The case's new state after a dial without an interview: `history` is every attempt of
    /// the case, the new one last.
    static func afterAttempt(_ attempt: CallAttemptInput, history: [CallAttemptRecord], phones: Int, rules: CallRules) -> AttemptPlan {
        let final = final(after: history, phones: phones, rules: rules)
        let appointment = attempt.outcome == .callBack ? attempt.appointmentAt : nil
        let update = final.flatMap { f in
            Disposition(rawValue: f.disposition).map { DispositionUpdate(caseID: attempt.caseID, disposition: $0, note: "AAPOR \(f.aapor)") }
        }
        return AttemptPlan(attempts: history.count, nextAt: nextAt(after: attempt, rules: rules), appointmentAt: appointment, final: final,
                           disposition: update)
    }

    /// The dispositions batch that records a call's final disposition (its reserve activated
    /// when the case ends as a non-respondent).
    static func dispositionBatch(_ update: DispositionUpdate, interviewer: String) -> DispositionBatch {
        DispositionBatch(updates: [update], operator: interviewer, source: "telephone")
    }

    /// The form of an interview, as a telephone batch through the entry rules: counted at once;
    /// a break-off may leave required items empty.
    static func interviewBatch(_ attempt: CallAttemptInput, answers: [String?], questionnaire: Questionnaire) -> FormBatch {
        FormBatch(questionnaire: questionnaire, pass: .first, operator: attempt.interviewer, source: "telephone",
                  forms: [FormInput(caseID: attempt.caseID, answers: answers)], mode: .telephone,
                  allowsUnanswered: attempt.outcome == .breakOff)
    }

    /// The interview's answers in the questionnaire's item order.
    /// - Throws: ``StoreError`` for an item the questionnaire does not have.
    static func answerList(_ answers: [String: String], _ q: Questionnaire, caseID: String) throws(StoreError) -> [String?] {
        let names = Set(q.items.map(\.name))
        if let unknown = answers.keys.sorted().first(where: { !names.contains($0) }) {
            throw StoreError(.usage, file: "call \(caseID)", message: "questionnaire \(q.id) v\(q.version) has no item \(unknown)",
                             hint: "reload the interview screen: the questionnaire may have changed", callRefusal: .unknownItem(unknown))
        }
        return q.items.map { answers[$0.name].flatMap { $0.isEmpty ? nil : $0 } }
    }

    /// An interview with no answer at all: the interviewer should record a refusal instead.
    static func emptyInterview(_ attempt: CallAttemptInput, answers: [String?]) -> StoreError? {
        guard answers.allSatisfy({ $0 == nil }) else { return nil }
        return StoreError(.data, file: "call \(attempt.caseID)", message: "the interview has no answer",
                          hint: "record the call as a refusal (soft-refusal or hard-refusal) instead", callRefusal: .emptyInterview)
    }

    /// The audit entry of a dial.
    static func audit(_ attempt: CallAttemptInput, final: CallFinal?) -> AuditRecord {
        AuditRecord(at: isoTime(attempt.endedAt), operator: attempt.interviewer, action: "call", caseID: attempt.caseID,
                    new: attempt.outcome.rawValue, reason: final.map { "final \($0.disposition) (AAPOR \($0.aapor))" } ?? attempt.note,
                    source: "telephone")
    }

    /// The refusal of a call on a questionnaire without call rules.
    static func notByTelephone(_ caseID: String) -> StoreError {
        StoreError(.usage, file: "call \(caseID)", message: "the case's questionnaire is not fielded by telephone (it has no calls: section)",
                   hint: "add calls: to the questionnaire file and load its list again", callRefusal: .notByTelephone)
    }

    // MARK: Callbacks

    /// A checked callback: the result, the differences as stored, the audit entry.
    struct CallbackCheck: Sendable {
        let result: CallbackResult
        let differencesJSON: String
        let audit: AuditRecord
    }

    /// Compares a callback's answers with the interview's on the rules' callback items.
    /// - Parameters:
    ///   - holder: who holds the callback (nil: nobody took it); `checkedAt`: when it was done.
    /// - Throws: ``StoreError`` when the case has no callback, another checker holds it, or it
    ///   was done already.
    static func callback(caseID: String, checker: String, holder: String?, checkedAt: Int64?, rules: CallRules?,
                         interview: [String: String], callback answers: [String: String], now: Int64) throws(StoreError) -> CallbackCheck {
        func refuse(_ r: CallRefusal, _ message: String, _ hint: String) -> StoreError {
            StoreError(.data, file: "callback \(caseID)", message: message, hint: hint, callRefusal: r)
        }
        guard let rules else { throw refuse(.noCallback, "case \(caseID) has no callback check", "take the next callback") }
        if checkedAt != nil { throw refuse(.callbackDone, "the callback of case \(caseID) was done already", "take the next callback") }
        if holder != checker {
            throw refuse(.callbackNotHeld, "the callback of case \(caseID) is not held by \(checker)", "take it with 下一个回访 (next callback) first")
        }
        let differences = differences(items: rules.callbackItems, interview: interview, callback: answers)
        let json = String(decoding: (try? JSONEncoder().encode(differences)) ?? Data("[]".utf8), as: UTF8.self)
        let audit = AuditRecord(at: isoTime(now), operator: checker, action: "callback", caseID: caseID,
                                new: differences.isEmpty ? "agrees" : "differs: " + differences.map(\.item).joined(separator: ", "),
                                source: "telephone")
        return CallbackCheck(result: CallbackResult(caseID: caseID, agreed: differences.isEmpty, differences: differences),
                             differencesJSON: json, audit: audit)
    }

    /// The differences of a callback as stored.
    static func decodeDifferences(_ json: String?) -> [CallbackDifference] {
        guard let json else { return [] }
        return (try? JSONDecoder().decode([CallbackDifference].self, from: Data(json.utf8))) ?? []
    }

    // MARK: Figures

    /// Per interviewer and Beijing day: dials, contacts, completes, refusals, minutes, and the
    /// callbacks of that day's completes. `callbacks`: each checked callback's interview case and
    /// whether it agreed.
    static func evenings(_ attempts: [CallAttemptRecord], callbacks: [String: Bool]) -> [InterviewerEvening] {
        struct Key: Hashable { let interviewer: String; let day: String }
        var groups: [Key: [CallAttemptRecord]] = [:]
        for a in attempts { groups[Key(interviewer: a.interviewer, day: day(a.startedAt)), default: []].append(a) }
        return groups.map { key, list in
            let completes = list.filter { $0.outcome == .complete }
            let checked = completes.compactMap { callbacks[$0.caseID] }
            return InterviewerEvening(
                interviewer: key.interviewer, day: key.day, dials: list.count, contacts: list.count(where: { $0.outcome.isContact }),
                completes: completes.count, refusals: list.count(where: { $0.outcome == .softRefusal || $0.outcome == .hardRefusal }),
                interviewMinutes: Double(completes.reduce(0) { $0 + $1.endedAt - $1.startedAt }) / 60,
                workedMinutes: Double((list.map(\.endedAt).max() ?? 0) - (list.map(\.startedAt).min() ?? 0)) / 60,
                callbacksChecked: checked.count, callbacksAgreed: checked.count(where: { $0 }))
        }
        .sorted { ($0.day, $0.interviewer) < ($1.day, $1.interviewer) }
    }

    private static func fnv(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
