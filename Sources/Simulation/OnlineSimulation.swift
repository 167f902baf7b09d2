import Formats
public import Questionnaire
import Stats
public import Store
public import Tables

/// Simulated online self-completion (演示与检验用): invited respondents open their code, answer
/// item by item (each answer one save, as the phone page saves), and submit — or stop
/// part-way, or never open the letter. It drives the store's online channel (``InvitationStore``) with the
/// codes' hashes, so every answer passes the same entry rules as a real respondent's; nothing
/// it writes is real data.
///
/// The clock is simulated: respondents answer one after another from `start`, a few minutes
/// apart, so the same store, list, codes and seed give the same history.
public struct OnlineSimulation: Sendable {
    public struct Settings: Sendable {
        /// Share of the invited who open their letter's link.
        public var open: Double
        /// Share of those who open who submit (the rest stop after a number of items drawn uniformly).
        public var submit: Double
        /// The first moment (Unix seconds) a respondent opens a link.
        public var start: Int64

        public init(open: Double = 0.75, submit: Double = 0.85, start: Int64) {
            self.open = open
            self.submit = submit
            self.start = start
        }
    }

    public struct Summary: Sendable, Equatable {
        public var invited = 0
        public var opened = 0
        public var saves = 0
        public var submitted = 0
        public var brokenOff = 0
    }

    let questionnaire: Questionnaire
    let list: Table
    let seed: UInt32
    let settings: Settings

    public init(questionnaire: Questionnaire, list: Table, seed: UInt32, settings: Settings) {
        self.questionnaire = questionnaire
        self.list = list
        self.seed = seed
        self.settings = settings
    }

    /// Runs the respondents of `codes` (case id and code hash, in the codes file's order).
    public func run(on store: any InvitationStore, codes: [IssuedCode]) async throws -> Summary {
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
        var t = settings.start
        for code in codes {
            summary.invited += 1
            guard let row = rowOf[code.caseID] else {
                throw SimulationError(message: "case \(code.caseID) of the codes is not in the list; give the list the cases were loaded from")
            }
            let opens = rng.uniform() < settings.open, submits = rng.uniform() < settings.submit
            let form = model.form(for: row)
            t += 60 + Int64(rng.integer(below: 600))
            guard opens else { continue }
            guard case .open = try await store.invitation(hash: code.hash, now: t) else { continue }
            summary.opened += 1
            let answered = questionnaire.items.indices.filter { form[$0] != nil }
            let stop = submits ? answered.count : 1 + rng.integer(below: max(1, answered.count - 1))
            for i in answered.prefix(stop) {
                t += 5 + Int64(rng.integer(below: 20))
                _ = try await store.saveOnline(hash: code.hash, answers: [questionnaire.items[i].name: form[i] ?? ""], now: t)
                summary.saves += 1
            }
            if submits {
                t += 10
                _ = try await store.submitOnline(hash: code.hash, answers: [:], now: t)
                summary.submitted += 1
            } else {
                summary.brokenOff += 1
            }
        }
        return summary
    }
}
