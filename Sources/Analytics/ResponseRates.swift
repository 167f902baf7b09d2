public import Tables

/// AAPOR outcome rates (Standard Definitions, 2016: RR1–RR6, COOP1–4, REF1–3, CON1–3) from case
/// dispositions. docs/algorithms/aapor.md has the formulas and a worked example.
///
/// Dispositions map to AAPOR classes: complete → I, partial → P, refusal → R, non-contact → NC,
/// other → O, unknown and pending (no final disposition) → unknown eligibility (UH + UO),
/// not-eligible → NE. `e`, the share of unknown cases taken as eligible, is estimated by
/// proportional allocation (CASRO) unless given: e = (I+P+R+NC+O) / (I+P+R+NC+O+NE).
public struct ResponseRates: Sendable, Equatable {
    public var group: String
    public var cases: Int
    public var complete: Double
    public var partial: Double
    public var refusal: Double
    public var nonContact: Double
    public var other: Double
    public var unknown: Double
    public var notEligible: Double
    public var e: Double

    public init(group: String, cases: Int, complete: Double, partial: Double, refusal: Double, nonContact: Double, other: Double,
                unknown: Double, notEligible: Double, e: Double? = nil) {
        self.group = group
        self.cases = cases
        self.complete = complete
        self.partial = partial
        self.refusal = refusal
        self.nonContact = nonContact
        self.other = other
        self.unknown = unknown
        self.notEligible = notEligible
        let eligible = complete + partial + refusal + nonContact + other
        self.e = e ?? (eligible + notEligible > 0 ? eligible / (eligible + notEligible) : .nan)
    }

    /// nil when the denominator is zero (the rate is undefined).
    private func ratio(_ a: Double, _ b: Double) -> Double? { b > 0 ? a / b : nil }

    private var respondents: Double { complete + partial }
    private var nonRespondents: Double { refusal + nonContact + other }

    public var rr1: Double? { ratio(complete, respondents + nonRespondents + unknown) }
    public var rr2: Double? { ratio(respondents, respondents + nonRespondents + unknown) }
    public var rr3: Double? { e.isNaN && unknown > 0 ? nil : ratio(complete, respondents + nonRespondents + e * unknown) }
    public var rr4: Double? { e.isNaN && unknown > 0 ? nil : ratio(respondents, respondents + nonRespondents + e * unknown) }
    public var rr5: Double? { ratio(complete, respondents + nonRespondents) }
    public var rr6: Double? { ratio(respondents, respondents + nonRespondents) }
    public var coop1: Double? { ratio(complete, respondents + refusal + other) }
    public var coop2: Double? { ratio(respondents, respondents + refusal + other) }
    public var coop3: Double? { ratio(complete, respondents + refusal) }
    public var coop4: Double? { ratio(respondents, respondents + refusal) }
    public var ref1: Double? { ratio(refusal, respondents + nonRespondents + unknown) }
    public var ref2: Double? { e.isNaN && unknown > 0 ? nil : ratio(refusal, respondents + nonRespondents + e * unknown) }
    public var ref3: Double? { ratio(refusal, respondents + nonRespondents) }
    public var con1: Double? { ratio(respondents + refusal + other, respondents + refusal + other + nonContact + unknown) }
    public var con2: Double? {
        e.isNaN && unknown > 0 ? nil : ratio(respondents + refusal + other, respondents + refusal + other + nonContact + e * unknown)
    }
    public var con3: Double? { ratio(respondents + refusal + other, respondents + refusal + other + nonContact) }

    /// The rates in output order.
    public var all: [(name: String, value: Double?)] {
        [("RR1", rr1), ("RR2", rr2), ("RR3", rr3), ("RR4", rr4), ("RR5", rr5), ("RR6", rr6),
         ("COOP1", coop1), ("COOP2", coop2), ("COOP3", coop3), ("COOP4", coop4),
         ("REF1", ref1), ("REF2", ref2), ("REF3", ref3), ("CON1", con1), ("CON2", con2), ("CON3", con3)]
    }

    /// Rates per value of `group` and for all cases, from a case file (`pingyi responses export
    /// --format cases`). With `weighted`, counts are sums of the `weight` column (base-weighted rates).
    public static func compute(cases table: Table, groupColumn: String = "group", weighted: Bool = false,
                               e: Double? = nil) throws(AnalyticsError) -> [ResponseRates] {
        let disposition: Column
        let group: Column?
        let weight: Column?
        do {
            disposition = try table.column("disposition", purpose: "the case disposition")
            group = table.index(of: groupColumn) != nil ? try table.column(groupColumn) : nil
            weight = weighted ? try table.column("weight", purpose: "base-weighted rates") : nil
        } catch { throw .input(error) }
        var order: [String] = []
        var counts: [String: [Double]] = [:]
        var tallies: [String: Int] = [:]
        let classes = ["complete", "partial", "refusal", "non-contact", "other", "unknown", "not-eligible"]
        for r in 0..<table.rowCount {
            let d = disposition.string(r) ?? "pending"
            let index: Int
            switch d {
            case "complete": index = 0
            case "partial": index = 1
            case "refusal": index = 2
            case "non-contact": index = 3
            case "other": index = 4
            case "unknown", "pending": index = 5
            case "not-eligible": index = 6
            default:
                throw .data(file: table.source, line: table.line(of: r), message: "unknown disposition '\(d)'",
                            hint: "use \(classes.joined(separator: ", ")) or pending")
            }
            let w = weight.map { $0.number(r) ?? 0 } ?? 1
            for key in [group?.string(r) ?? "", "all"] where !(key.isEmpty && group != nil) {
                if counts[key] == nil {
                    counts[key] = [Double](repeating: 0, count: 7)
                    if key != "all" { order.append(key) }
                }
                counts[key]?[index] += w
                tallies[key, default: 0] += 1
            }
        }
        return (order.sorted() + ["all"]).compactMap { key in
            guard let c = counts[key] else { return nil }
            return ResponseRates(group: key, cases: tallies[key] ?? 0, complete: c[0], partial: c[1], refusal: c[2], nonContact: c[3],
                                 other: c[4], unknown: c[5], notEligible: c[6], e: e)
        }
    }

    /// `group,cases,I,P,R,NC,O,U,NE,e,RR1,…,CON3`; undefined rates are empty.
    public static func csv(_ rates: [ResponseRates]) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRow(["group", "cases", "I", "P", "R", "NC", "O", "U", "NE", "e"] + (rates.first?.all.map(\.name) ?? []))
        for r in rates {
            let counts = [r.complete, r.partial, r.refusal, r.nonContact, r.other, r.unknown, r.notEligible].map(formatDecimal)
            let values: [String?] = r.all.map { $0.value.map(formatDecimal) }
            writer.writeRow([r.group, String(r.cases)] + counts + [r.e.isNaN ? nil : formatDecimal(r.e)] + values)
        }
        return writer.bytes
    }
}
