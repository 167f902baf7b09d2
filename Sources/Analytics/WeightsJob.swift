public import Formats
public import Tables

/// Weighting of a long answer table: non-response adjustment within weighting classes
/// (``NonresponseAdjustment``) and calibration to population counts. What `pingyi weights` runs
/// and what the workbench's analysis form runs before scoring.
public enum WeightsJob {
    public struct Outcome: Sendable {
        /// The long table with `weight` replaced, the design weight kept in `design_weight`, and
        /// the format column last: what `pingyi weights --out` writes.
        public var table: Table
        /// The classes of the non-response adjustment, when one was made.
        public var classes: [NonresponseAdjustment.ClassFactor]?
    }

    /// - Parameters:
    ///   - cases: the case file (``Formats/CasesFormat``) for the non-response adjustment, or nil.
    ///   - classes: its weighting-class column.
    ///   - calibration: calibrate the (adjusted) weights to population counts, or nil.
    public static func run(_ long: Table, cases: Table?, classes: String = CasesFormat.defaultClasses,
                           calibration: Calibration?) throws(AnalyticsError) -> Outcome {
        var table = long
        let caseColumn: Column
        do {
            try LongFormat.format.check(table)
            caseColumn = try table.column(LongFormat.caseID, purpose: "the respondent")
        } catch { throw .input(error) }
        guard let weightIndex = table.index(of: LongFormat.weight) else {
            throw .input(TablesError(.schema, file: table.source, line: 1, message: "no column named '\(LongFormat.weight)'", hint: "give a pingyi long file"))
        }
        let original = table.columns[weightIndex]
        var weights = (0..<table.rowCount).map { original.number($0) ?? .nan }
        var factors: [NonresponseAdjustment.ClassFactor]?
        if let cases {
            let adjustment = try NonresponseAdjustment(cases: cases, classColumn: classes)
            if let empty = adjustment.classes.first(where: { $0.factor.isNaN }) {
                throw .data(file: cases.source, line: nil, message: "weighting class \(empty.name) has \(empty.slots) sampled cases and no respondent",
                            hint: "merge it with a neighbour by choosing coarser --classes")
            }
            for r in 0..<table.rowCount {
                let id = caseColumn.string(r) ?? ""
                guard let w = adjustment.weights[id] else {
                    throw .data(file: table.source, line: table.line(of: r), message: "respondent \(id) is not a respondent in the case file",
                                hint: "export the long and case files from the same store")
                }
                weights[r] = w
            }
            factors = adjustment.classes
        }
        var columns = table.columns
        columns[weightIndex] = Column(name: LongFormat.weight, decimals: weights)
        table = Table(source: table.source, encoding: table.encoding, columns: columns)
        if let calibration {
            let design = try SurveyDesign(table: table, spec: DesignSpec.pingyiLongFile(table))
            let calibrated = try Scorer(design: design, options: ScoreOptions(scoring: .fourTier, calibration: calibration)).calibratedWeights()
            let ids: Factor
            do { ids = try table.column(LongFormat.caseID).factorize() } catch { throw .input(error) }
            weights = (0..<table.rowCount).map { calibrated[Int(ids.codes[$0])] }
            columns[weightIndex] = Column(name: LongFormat.weight, decimals: weights)
        }
        // The design weight kept, and the format column last.
        let format = columns.firstIndex { $0.name == FileFormat.column }.map { columns.remove(at: $0) }
        if table.index(of: LongFormat.designWeight) == nil { columns.append(Column(name: LongFormat.designWeight, decimals: original.numbers)) }
        if let format { columns.append(format) }
        return Outcome(table: Table(source: long.source, encoding: long.encoding, columns: columns), classes: factors)
    }
}
