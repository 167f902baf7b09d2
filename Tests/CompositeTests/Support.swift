import Composite
import Foundation
import Tables

/// Shipped schemes and in-memory CSV inputs for the composite tests.
enum Support {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A scheme from surveys/schemes/, named in errors as `NAME.yaml`.
    static func scheme(_ name: String) throws -> Scheme {
        try Scheme.load(path: root.appendingPathComponent("surveys/schemes/\(name).yaml").path, name: "\(name).yaml")
    }

    static func table(_ text: String, _ name: String) throws -> Table {
        try CSVReader.read(bytes: Array(text.utf8), name: name)
    }

    /// Reads the inputs and evaluates them.
    static func evaluate(_ scheme: Scheme, components: String, indicators: String? = nil, events: String? = nil,
                         scores: String? = nil, previous: String? = nil,
                         simulation: Simulation = Simulation(draws: 500)) throws -> CompositeResult {
        let inputs = try CompositeInputs(
            scheme: scheme, components: table(components, "C.csv"),
            indicators: try indicators.map { try table($0, "I.csv") }, events: try events.map { try table($0, "E.csv") },
            publicScores: try scores.map { [PublicScores(table: try table($0, "P.csv"))] } ?? [],
            previous: try previous.map { try table($0, "prev.csv") })
        return try scheme.evaluate(inputs, simulation: simulation)
    }

    /// The error thrown while reading or evaluating, as its one-line description.
    static func failure(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }
}

extension CompositeResult {
    subscript(_ unit: String) -> UnitResult? {
        units.first { $0.unit == unit }
    }
}

/// `|a − b| ≤ tolerance`.
func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}

/// Rows `unit,class,component,period,value` for every period of a component with one value.
func rows(_ unit: String, _ unitClass: String, _ component: String, _ periods: [String], _ value: Double) -> String {
    periods.map { "\(unit),\(unitClass),\(component),\($0),\(value)\n" }.joined()
}
