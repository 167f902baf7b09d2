public import Analytics
public import ArgumentParser
import Foundation
public import Questionnaire
public import Store

/// The seed of a random draw, the same range for every command: 1 to 4294967295 (GSL's MT19937
/// takes any 32-bit seed but 0, which it replaces by its default).
struct Seed: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let value: UInt32

    init(_ value: UInt32) {
        self.value = value
    }

    init?(argument: String) {
        guard let value = UInt32(argument), value >= 1 else { return nil }
        self.value = value
    }

    var description: String { String(value) }
    var defaultValueDescription: String { String(value) }
    static var defaultCompletionKind: CompletionKind { .default }
}

// Options with a fixed set of values: help lists them and the parser words a wrong one.
extension TierScoring.DontKnowRule: ExpressibleByArgument {}
extension LonelyRule: ExpressibleByArgument {}
extension RateInterval: ExpressibleByArgument {}
extension Pass: ExpressibleByArgument {}
extension DegreesOfFreedom: ExpressibleByArgument {}
extension UserRole: ExpressibleByArgument {}
extension RespondentGroup: ExpressibleByArgument {}

/// How standard errors are computed (`--variance`).
enum VarianceChoice: String, CaseIterable, ExpressibleByArgument {
    case taylor, jackknife, bootstrap

    var chineseName: String {
        switch self {
        case .taylor: "泰勒线性化"
        case .jackknife: "JKn 刀切法"
        case .bootstrap: "Rao–Wu 自助法"
        }
    }
}

/// Calibration of respondent weights to population counts, the same options for `pingyi score`
/// (standard errors that account for it) and `pingyi weights` (the calibrated weights).
struct CalibrationOptions: ParsableArguments {
    @Option(help: "Post-stratify respondent weights to these columns' joint cells (needs --population).")
    var poststratify: String?

    @Option(help: "Rake respondent weights to these columns' margins (needs --population).")
    var rake: String?

    @Option(help: "Population counts of the calibration cells: the columns and a count column.")
    var population: String?

    func validate() throws {
        if poststratify != nil && rake != nil { throw ValidationError("give --poststratify or --rake, not both.") }
        if (poststratify != nil || rake != nil) != (population != nil) {
            throw ValidationError("--poststratify and --rake need --population, and --population needs one of them.")
        }
    }

    /// The calibration asked for, reading the population file; nil without one.
    func calibration() throws -> Calibration? {
        guard let columns = poststratify ?? rake, let population else { return nil }
        try requireFile(population, option: "--population")
        return Calibration(method: poststratify != nil ? .poststratify : .rake,
                           population: try Calibration.Population.read(path: population, columns: columns.split(separator: ",").map(String.init)))
    }

    /// How the calibration is said in the console (`事后分层 到 town`), or nil.
    var summary: String? {
        guard let columns = poststratify ?? rake, population != nil else { return nil }
        return "\(poststratify != nil ? "事后分层" : "耙权") 到 \(columns)"
    }
}
