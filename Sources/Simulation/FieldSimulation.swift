public import Formats
public import Questionnaire
import Stats
public import Tables

/// A simulated field period for demonstrations and tests — clearly not real data.
///
/// From a respondent list and its questionnaire it draws, with a seeded generator:
/// - dispositions for the sampled cases (completes and realistic non-response), and for the
///   reserves that non-response activates, in the order `pingyi cases dispose` activates them
///   (the next unused reserve of the case's reserve group, by rank);
/// - the paper forms of the completed cases: unit ratings from a model with a quality per unit,
///   a leniency per respondent and per cluster (so answers are correlated the way real ones are),
///   don't-know answers more common for little-known units, and valid answers to the further
///   items (skips respected, ranges kept);
/// - two keyed passes of those forms, each with a few keying slips, so that double entry finds
///   disagreements to resolve.
public struct FieldSimulation: Sendable {
    public struct Settings: Sendable {
        /// Share of sampled cases that complete the interview.
        public var responseRate: Double
        /// Share of not-eligible cases (moved away, closed).
        public var notEligibleRate: Double
        /// Probability that one keyed answer differs from the form, per pass.
        public var keyingSlipRate: Double

        public init(responseRate: Double, notEligibleRate: Double = 0.01, keyingSlipRate: Double = 0.0015) {
            self.responseRate = responseRate
            self.notEligibleRate = notEligibleRate
            self.keyingSlipRate = keyingSlipRate
        }

        /// Typical rates per group: deputies and CPPCC members answer almost always, enterprise
        /// managers and households less.
        public static func typical(for group: RespondentGroup) -> Settings {
            switch group {
            case .deputies: Settings(responseRate: 0.93, notEligibleRate: 0.005)
            case .enterprises: Settings(responseRate: 0.80, notEligibleRate: 0.02)
            case .urban: Settings(responseRate: 0.72, notEligibleRate: 0.02)
            case .rural: Settings(responseRate: 0.78, notEligibleRate: 0.015)
            }
        }
    }

    public struct Output: Sendable {
        /// `case_id,disposition` in the order to record them.
        public var dispositions: [(caseID: String, disposition: Disposition)]
        /// Item names, in the questionnaire's order.
        public var items: [String]
        /// The paper forms, and the two keyed passes (same cases, same order).
        public var forms: [(caseID: String, answers: [String?])]
        public var pass1: [(caseID: String, answers: [String?])]
        public var pass2: [(caseID: String, answers: [String?])]
        /// Answers that differ between the passes.
        public var disagreements: Int
    }

    public let questionnaire: Questionnaire
    public let list: Table
    public let settings: Settings
    public let seed: UInt32
    /// When given, the respondents rate the units as this population's members do.
    public let population: PopulationModel?

    public init(questionnaire: Questionnaire, list: Table, seed: UInt32, settings: Settings? = nil, population: PopulationModel? = nil) {
        self.questionnaire = questionnaire
        self.list = list
        self.seed = seed
        self.settings = settings ?? .typical(for: questionnaire.group)
        self.population = population
    }

    /// Draws the field period.
    /// - Throws: ``SimulationError`` for a list that lacks a respondent list's columns or is of an
    ///   older format (``Formats/RespondentListFormat/check(_:)``).
    public func run() throws(SimulationError) -> Output {
        let rng: RandomSource
        do { rng = try RandomSource(seed: seed) } catch { throw SimulationError(message: error.message) }
        func column(_ name: String) throws(SimulationError) -> Column {
            do { return try list.column(name, purpose: "a respondent list column") } catch {
                throw SimulationError(message: error.description)
            }
        }
        typealias L = RespondentListFormat
        do { try L.check(list) } catch { throw SimulationError(message: error.description) }
        let caseID = try column(L.caseID), role = try column(L.role), rank = try column(L.reserveRank), group = try column(L.reserveGroup)
        // Reserves of each group, by rank.
        var reserves: [String: [Int]] = [:]
        for r in 0..<list.rowCount where role.string(r) == CaseRole.reserve.rawValue {
            reserves[group.string(r) ?? "", default: []].append(r)
        }
        for key in reserves.keys { reserves[key]?.sort { (rank.integer($0) ?? 0) < (rank.integer($1) ?? 0) } }
        var used: [String: Int] = [:]
        var dispositions: [(caseID: String, disposition: Disposition)] = []
        var completed: [Int] = []
        func dispose(_ r: Int) {
            let d = drawDisposition(rng)
            dispositions.append((caseID.string(r) ?? "", d))
            if d == .complete {
                completed.append(r)
            } else if d != .notEligible {
                let key = group.string(r) ?? ""
                let next = used[key] ?? 0
                if let pool = reserves[key], next < pool.count {
                    used[key] = next + 1
                    dispose(pool[next])
                }
            }
        }
        for r in 0..<list.rowCount where role.string(r) == CaseRole.sample.rawValue { dispose(r) }

        let model = AnswerModel(questionnaire: questionnaire, list: list, rng: rng, population: population)
        var forms: [(caseID: String, answers: [String?])] = []
        for r in completed {
            forms.append((caseID.string(r) ?? "", model.form(for: r)))
        }
        let pass1 = forms.map { (caseID: $0.caseID, answers: slips($0.answers, rng)) }
        let pass2 = forms.map { (caseID: $0.caseID, answers: slips($0.answers, rng)) }
        var disagreements = 0
        for (a, b) in zip(pass1, pass2) {
            disagreements += zip(a.answers, b.answers).filter { $0 != $1 }.count
        }
        return Output(dispositions: dispositions, items: questionnaire.items.map(\.name), forms: forms,
                      pass1: pass1, pass2: pass2, disagreements: disagreements)
    }

    private func drawDisposition(_ rng: RandomSource) -> Disposition {
        let u = rng.uniform()
        if u < settings.notEligibleRate { return .notEligible }
        if u < settings.notEligibleRate + settings.responseRate { return .complete }
        // Non-response: refusals and non-contacts dominate.
        let v = rng.uniform()
        return v < 0.45 ? .refusal : v < 0.85 ? .nonContact : v < 0.95 ? .other : .unknown
    }

    /// A keyed copy of a form: each unit rating slips to a neighbouring code with a small chance.
    private func slips(_ answers: [String?], _ rng: RandomSource) -> [String?] {
        let codes = questionnaire.scale.tiers.map(\.code)
        return answers.enumerated().map { i, answer in
            guard let answer, questionnaire.items[i].usesScale, rng.uniform() < settings.keyingSlipRate, let code = Int(answer) else {
                return answer
            }
            let others = codes.filter { $0 != code }
            return others.isEmpty ? answer : String(others[rng.integer(below: others.count)])
        }
    }
}

/// Why a simulation could not run.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}
