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
extension FormKind: ExpressibleByArgument {}
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

    @Option(help: "Rake respondent weights to these columns' margins, as R's rake() (needs --population or a --margin per column).")
    var rake: String?

    @Option(help: ArgumentHelp("Calibrate respondent weights to the --margin tables, as R's calibrate() (GREG): linear, raking or logit distance.",
                               valueName: "distance"))
    var calibrate: Calibration.Distance?

    @Option(help: "Population counts of the calibration cells: the columns and a count column.")
    var population: String?

    @Option(help: ArgumentHelp("A margin's population counts, one table per column (COLUMN=FILE: the column and a count); repeat for each margin.",
                               valueName: "column=file"))
    var margin: [String] = []

    @Option(help: ArgumentHelp("Bounds L,U on g, the factor --calibrate multiplies each weight by (R's bounds; logit needs them).", valueName: "L,U"))
    var bounds: String?

    @Option(help: ArgumentHelp("Trim calibrated weights to [L, U], sharing what is cut equally among the others, as R's trimWeights().", valueName: "L,U"))
    var trim: String?

    @Flag(help: "With --trim: repeat until no weight is outside the bounds (R's strict = TRUE).")
    var trimStrict = false

    func validate() throws {
        let methods = [poststratify != nil, rake != nil, calibrate != nil].filter { $0 }.count
        if methods > 1 { throw ValidationError("give one of --poststratify, --rake and --calibrate.") }
        if poststratify != nil && population == nil { throw ValidationError("--poststratify needs --population.") }
        if poststratify != nil && !margin.isEmpty { throw ValidationError("--poststratify takes the joint cells (--population), not --margin.") }
        if rake != nil && (population == nil) == margin.isEmpty {
            throw ValidationError("--rake needs either --population (joint cells) or a --margin per column.")
        }
        if calibrate != nil && margin.isEmpty { throw ValidationError("--calibrate needs a --margin per column (COLUMN=FILE).") }
        if calibrate != nil && population != nil { throw ValidationError("--calibrate takes the margins as --margin COLUMN=FILE, not --population.") }
        if methods == 0 && (population != nil || !margin.isEmpty) {
            throw ValidationError("--population and --margin need one of --poststratify, --rake and --calibrate.")
        }
        if bounds != nil && calibrate == nil { throw ValidationError("--bounds goes with --calibrate.") }
        if trimStrict && trim == nil { throw ValidationError("--trim-strict goes with --trim.") }
        _ = try marginFiles()
        if let bounds { _ = try Self.pair(bounds, option: "--bounds") }
        if let trim {
            let (lower, upper) = try Self.pair(trim, option: "--trim")
            if lower < 0 { throw ValidationError("--trim: a weight cannot be below 0 (got \(trim)).") }
            _ = upper
        }
        if let rake, !margin.isEmpty {
            let columns = rake.split(separator: ",").map(String.init)
            let given = try marginFiles().map(\.column)
            if Set(columns) != Set(given) || columns.count != given.count {
                throw ValidationError("--rake \(rake) needs one --margin for each of its columns (given: \(given.joined(separator: ", "))).")
            }
        }
    }

    /// Whether any calibration or trimming is asked for.
    var isRequested: Bool { poststratify != nil || rake != nil || calibrate != nil || trim != nil }

    /// The --margin options as (column, file), in the order given.
    private func marginFiles() throws -> [(column: String, file: String)] {
        var seen = Set<String>()
        return try margin.map { text in
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex, text.index(after: eq) != text.endIndex else {
                throw ValidationError("--margin \(text): give COLUMN=FILE, e.g. --margin town=pop_town.csv.")
            }
            let column = String(text[..<eq])
            guard seen.insert(column).inserted else { throw ValidationError("--margin: the column \(column) is given twice.") }
            return (column, String(text[text.index(after: eq)...]))
        }
    }

    /// `L,U` as two numbers, lower below upper.
    private static func pair(_ text: String, option: String) throws -> (Double, Double) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let lower = Double(parts[0]), let upper = Double(parts[1]), !lower.isNaN, !upper.isNaN, lower < upper else {
            throw ValidationError("\(option) \(text): give two numbers L,U with L below U, e.g. \(option) 0.5,2.")
        }
        return (lower, upper)
    }

    /// The calibration asked for, reading the population or margin files; nil without one.
    func calibration() throws -> Calibration? {
        guard isRequested else { return nil }
        var calibration: Calibration
        if let columns = poststratify ?? rake, let population {
            try requireFile(population, option: "--population")
            calibration = Calibration(method: poststratify != nil ? .poststratify : .rake,
                                      population: try Calibration.Population.read(path: population, columns: columns.split(separator: ",").map(String.init)))
        } else if rake != nil || calibrate != nil {
            var tables: [Calibration.Population] = []
            for (column, file) in try marginFiles() {
                try requireFile(file, option: "--margin \(column)=")
                tables.append(try Calibration.Population.read(path: file, columns: [column]))
            }
            calibration = Calibration(method: calibrate.map { .greg($0) } ?? .rake, margins: tables)
        } else {
            calibration = Calibration(method: .none, population: .init(columns: [], cells: []))
        }
        if let bounds { calibration.bounds = try Self.pair(bounds, option: "--bounds") }
        if let trim {
            let (lower, upper) = try Self.pair(trim, option: "--trim")
            calibration.trim = Calibration.Trim(lower: lower, upper: upper, strict: trimStrict)
        }
        return calibration
    }

    /// How the calibration is said in the console (`事后分层 到 town`), or nil.
    var summary: String? {
        var parts: [String] = []
        if let columns = poststratify { parts.append("事后分层 到 \(columns)") }
        if let columns = rake { parts.append("耙权 到 \(columns)" + (margin.isEmpty ? "" : "（各边际表）")) }
        if let calibrate {
            let name = switch calibrate { case .linear: "线性"; case .raking: "耙权距离"; case .logit: "logit" }
            let columns = margin.compactMap { $0.split(separator: "=").first.map(String.init) }.joined(separator: ",")
            parts.append("GREG 校准（\(name)）到 \(columns)" + (bounds.map { "，g 界限 [\($0)]" } ?? ""))
        }
        if let trim { parts.append("截尾 [\(trim)]" + (trimStrict ? "（反复至全部在界内）" : "")) }
        return parts.isEmpty ? nil : parts.joined(separator: "；")
    }
}
extension Calibration.Distance: ExpressibleByArgument {}
