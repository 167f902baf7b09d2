public import Formats
public import Questionnaire
import Stats
public import Store
public import Tables

/// Simulated telephone evenings (演示与检验用): interviewers work the calling windows against the
/// store's scheduler, each asking for the next case, dialling, and recording what a simulated
/// respondent does, as `pingyi serve` would record it; then callbacks. Nothing it writes is real
/// data; it drives the real store, so the attempt history, the final dispositions, the reserves
/// they activate and the rates all come from the scheduler and the call rules.
///
/// The clock is simulated and events run one at a time in time order (the interviewer who is
/// free first acts next), so the same store, list and seed give the same history.
///
/// Respondents: each number works or not (and a few are fax lines); each case has its own chance
/// of answering a dial; a person who answers is the respondent or asks to be called back; the
/// respondent completes the interview, makes an appointment, refuses softly or firmly, breaks
/// off, cannot be interviewed or turns out not to be eligible, with shares typical of Chinese
/// public-evaluation telephone surveys (about half of the dialled numbers give an interview).
public struct CallSimulation: Sendable {
    public struct Settings: Sendable {
        public var interviewers: Int
        public var evenings: Int
        /// The first day (Beijing date) the interviewers work.
        public var start: CivilDate
        /// Share of numbers that work (the rest give non-working; a few of those are fax lines).
        public var workingNumbers: Double
        /// A respondent's choice when reached: complete, appointment, soft refusal, hard refusal,
        /// break-off, unable, not eligible (the rest).
        public var complete: Double
        public var appointment: Double
        public var softRefusal: Double
        public var hardRefusal: Double
        public var breakOff: Double
        public var unable: Double
        /// Share of callbacks whose answers agree with the interview.
        public var callbackAgreement: Double

        public init(interviewers: Int = 6, evenings: Int = 3, start: CivilDate, workingNumbers: Double = 0.9, complete: Double = 0.62,
                    appointment: Double = 0.12, softRefusal: Double = 0.1, hardRefusal: Double = 0.08, breakOff: Double = 0.04,
                    unable: Double = 0.01, callbackAgreement: Double = 0.95) {
            self.interviewers = interviewers
            self.evenings = evenings
            self.start = start
            self.workingNumbers = workingNumbers
            self.complete = complete
            self.appointment = appointment
            self.softRefusal = softRefusal
            self.hardRefusal = hardRefusal
            self.breakOff = breakOff
            self.unable = unable
            self.callbackAgreement = callbackAgreement
        }
    }

    /// What the evenings did.
    public struct Summary: Sendable, Equatable {
        public var dials = 0
        public var interviews = 0
        public var completes = 0
        public var closed = 0
        public var reserves = 0
        public var callbacks = 0
        public var callbacksDiffering = 0
        public var outcomes: [CallOutcome: Int] = [:]
    }

    public let questionnaire: Questionnaire
    public let rules: CallRules
    public let list: Table
    public let seed: UInt32
    public let settings: Settings

    public init(questionnaire: Questionnaire, list: Table, seed: UInt32, settings: Settings) throws(SimulationError) {
        guard let rules = questionnaire.calls else {
            throw SimulationError(message: "questionnaire \(questionnaire.id) has no calls: section; add call rules to simulate telephone evenings")
        }
        guard settings.interviewers >= 1, settings.evenings >= 1 else {
            throw SimulationError(message: "give at least one interviewer and one evening")
        }
        self.questionnaire = questionnaire
        self.rules = rules
        self.list = list
        self.seed = seed
        self.settings = settings
    }

    /// The interviewers' names: 访员01, 访员02, …
    public var interviewers: [String] {
        (1...settings.interviewers).map { "访员" + ($0 < 10 ? "0" : "") + String($0) }
    }

    /// A fixed uniform draw for a case (its traits do not depend on the order of calls).
    private func trait(_ caseID: String, _ what: String) -> Double {
        var z = stableHash("\(seed) \(what) \(caseID)") &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / 9_007_199_254_740_992
    }

    /// Runs the evenings against `store`.
    public func run(on store: any ServerStore, progress: (String) -> Void = { _ in }) async throws -> Summary {
        let rng: RandomSource
        do { rng = try RandomSource(seed: seed) } catch { throw SimulationError(message: error.message) }
        let caseColumn: Column
        do { caseColumn = try list.column(RespondentListFormat.caseID, purpose: "the case of each row") } catch {
            throw SimulationError(message: error.description)
        }
        var rowOf: [String: Int] = [:]
        for r in 0..<list.rowCount { rowOf[caseColumn.string(r) ?? ""] = r }
        let model = AnswerModel(questionnaire: questionnaire, list: list, rng: rng, population: nil)
        var summary = Summary()
        var interviewed: [String: [String: String]] = [:]
        var refusedBefore: Set<String> = []

        for evening in 0..<settings.evenings {
            let date = settings.start.adding(days: evening)
            let midnight = Int64(date.daysSinceEpoch) * 86_400 - CallRules.offsetSeconds
            let weekday = CallRules.localTime(midnight).weekday
            for window in rules.windows[weekday].sorted(by: { $0.start < $1.start }) {
                let open = midnight + Int64(window.start) * 60, close = midnight + Int64(window.end) * 60
                // Each interviewer is free from the window's start (a few seconds apart).
                var free = Dictionary(uniqueKeysWithValues: interviewers.enumerated().map { ($1, open + Int64($0) * 7) })
                var finished = false
                while !finished, let (who, t) = free.filter({ $0.value < close }).min(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
                    switch try await store.nextCall(questionnaire: questionnaire.id, interviewer: who, now: t) {
                    case .none(.finished), .none(.notByTelephone):
                        finished = true
                    case .none(.outsideWindow):
                        free[who] = close
                    case .none(.nothingDue(let next)):
                        free[who] = min(close, max(t + 60, next ?? close))
                    case .call(let a):
                        let end = try await dial(a, who: who, at: t, store: store, rng: rng, model: model, row: rowOf[a.caseID],
                                                 refusedBefore: &refusedBefore, interviewed: &interviewed, summary: &summary)
                        free[who] = end + 30
                    }
                }
                // Callbacks at the end of the window, by each interviewer, of the others' completes.
                let late = max(open, close - 60)
                for who in interviewers {
                    while let c = try await store.nextCallback(questionnaire: questionnaire.id, checker: who, now: late) {
                        var answers = (interviewed[c.caseID] ?? [:]).filter { c.items.contains($0.key) }
                        if rng.uniform() > settings.callbackAgreement, let item = c.items.first {
                            let codes = questionnaire.scale.tiers.map { String($0.code) }.filter { $0 != answers[item] }
                            if !codes.isEmpty { answers[item] = codes[rng.integer(below: codes.count)] }
                        }
                        let result = try await store.recordCallback(caseID: c.caseID, checker: who, answers: answers, now: late)
                        summary.callbacks += 1
                        if !result.agreed { summary.callbacksDiffering += 1 }
                    }
                }
                progress("\(date) \(window.text)：累计拨打 \(summary.dials) 次，完成 \(summary.completes)")
                if finished { return summary }
            }
        }
        return summary
    }

    /// One dial of a case handed to `who` at `t`: what the simulated respondent does, recorded
    /// in the store. Returns when the interviewer hangs up.
    private func dial(_ a: CallAssignment, who: String, at t: Int64, store: any ServerStore, rng: RandomSource, model: AnswerModel, row: Int?,
                      refusedBefore: inout Set<String>, interviewed: inout [String: [String: String]], summary: inout Summary) async throws -> Int64 {
        // Try the numbers in turn: the first one not known to be dead.
        let dead = Set(a.history.filter { $0.outcome == .nonWorking || $0.outcome == .fax }.map(\.phoneRank))
        let rank = (1...max(1, a.phones.count)).first { !dead.contains($0) } ?? 1
        let working = trait(a.caseID, "number \(rank)") < settings.workingNumbers
        let answerChance = 0.25 + 0.5 * trait(a.caseID, "answers")
        var outcome: CallOutcome
        var minutes = 0.5 + rng.uniform() * 0.7
        var appointment: Int64?
        if !working {
            outcome = trait(a.caseID, "fax \(rank)") < 0.1 ? .fax : .nonWorking
        } else if rng.uniform() >= answerChance {
            let u = rng.uniform()
            outcome = u < 0.25 ? .busy : u < 0.85 ? .noAnswer : .answeringMachine
        } else if rng.uniform() < 0.2 {
            outcome = .notAvailable
            minutes += 0.5
        } else {
            let s = settings
            var u = rng.uniform()
            if refusedBefore.contains(a.caseID) {
                // Refusal conversion: a third agree, the rest refuse again.
                u = u < 0.3 ? 0 : (u < 0.7 ? s.complete + s.appointment + s.softRefusal + 0.001 : s.complete + s.appointment + 0.001)
            }
            let cuts = [s.complete, s.appointment, s.softRefusal, s.hardRefusal, s.breakOff, s.unable].reduce(into: [Double]()) { $0.append(($0.last ?? 0) + $1) }
            let kinds: [CallOutcome] = [.complete, .callBack, .softRefusal, .hardRefusal, .breakOff, .unable]
            outcome = zip(cuts, kinds).first { u < $0.0 }?.1 ?? .ineligible
            switch outcome {
            case .complete: minutes = 6 + 8 * rng.uniform()
            case .breakOff: minutes = 2 + 4 * rng.uniform()
            case .callBack: minutes += 0.5
            case .softRefusal, .hardRefusal: minutes = 1 + 2 * rng.uniform()
            default: minutes += 1
            }
        }
        let end = t + Int64((minutes * 60).rounded())
        if outcome == .callBack {
            // Later the same evening, or the next one.
            let later = end + Int64(30 + rng.integer(below: 90)) * 60
            appointment = rules.isCallingTime(later) ? later : (rules.nextCallingTime(after: later + 12 * 3600) ?? later)
        }
        let input = CallAttemptInput(caseID: a.caseID, interviewer: who, phoneRank: rank, startedAt: t, endedAt: end, outcome: outcome,
                                     appointmentAt: appointment)
        let result: CallAttemptResult
        if outcome == .complete || outcome == .breakOff, let row {
            var answers: [String: String] = [:]
            let form = model.form(for: row)
            for (item, value) in zip(questionnaire.items, form) { if let value { answers[item.name] = value } }
            if outcome == .breakOff {
                // The answers up to where the respondent stopped (at least one).
                let keep = 1 + rng.integer(below: max(1, questionnaire.items.count / 2))
                let names = Set(questionnaire.items.prefix(keep).map(\.name))
                answers = answers.filter { names.contains($0.key) }
                if answers.isEmpty, let first = form.indices.first(where: { form[$0] != nil }) {
                    answers[questionnaire.items[first].name] = form[first]
                }
            }
            result = try await store.recordInterview(input, answers: answers, now: end)
            interviewed[a.caseID] = answers
            summary.interviews += 1
        } else {
            if outcome == .softRefusal { refusedBefore.insert(a.caseID) }
            result = try await store.recordAttempt(CallAttemptInput(caseID: a.caseID, interviewer: who, phoneRank: rank, startedAt: t, endedAt: end,
                                                                    outcome: outcome == .complete || outcome == .breakOff ? .noAnswer : outcome,
                                                                    appointmentAt: appointment), now: end)
        }
        summary.dials += 1
        summary.outcomes[outcome, default: 0] += 1
        if result.final?.disposition == Disposition.complete.rawValue { summary.completes += 1 }
        if result.final != nil { summary.closed += 1 }
        if result.activatedReserve != nil { summary.reserves += 1 }
        return end
    }
}
