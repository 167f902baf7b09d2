public import Formats
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

    /// The rates in output order, named as ``Formats/RatesFormat/rates``.
    public var all: [(name: String, value: Double?)] {
        Array(zip(RatesFormat.rates, [rr1, rr2, rr3, rr4, rr5, rr6, coop1, coop2, coop3, coop4, ref1, ref2, ref3, con1, con2, con3]))
            .map { (name: $0.0, value: $0.1) }
    }

    /// Rates per value of `group` and for all cases, from a case file (`pingyi responses export
    /// --format cases`). With `weighted`, counts are sums of the `weight` column (base-weighted rates).
    public static func compute(cases table: Table, groupColumn: String = CasesFormat.group, weighted: Bool = false,
                               e: Double? = nil) throws(AnalyticsError) -> [ResponseRates] {
        let disposition: Column
        let group: Column?
        let weight: Column?
        do {
            try CasesFormat.format.check(table)
            disposition = try table.column(CasesFormat.disposition, purpose: "the case disposition")
            group = table.index(of: groupColumn) != nil ? try table.column(groupColumn) : nil
            weight = weighted ? try table.column(CasesFormat.weight, purpose: "base-weighted rates") : nil
        } catch { throw .input(error) }
        var order: [String] = []
        var counts: [String: [Double]] = [:]
        var tallies: [String: Int] = [:]
        for r in 0..<table.rowCount {
            let text = disposition.string(r) ?? Disposition.pending.rawValue
            guard let d = Disposition(rawValue: text) else {
                throw .data(file: table.source, line: table.line(of: r), message: "unknown disposition '\(text)'",
                            hint: "use \(Disposition.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let index: Int
            switch d {
            case .complete: index = 0
            case .partial: index = 1
            case .refusal: index = 2
            case .nonContact: index = 3
            case .other: index = 4
            case .unknown, .pending: index = 5
            case .notEligible: index = 6
            }
            let w = weight.map { $0.number(r) ?? 0 } ?? 1
            for key in [group?.string(r) ?? "", RatesFormat.total] where !(key.isEmpty && group != nil) {
                if counts[key] == nil {
                    counts[key] = [Double](repeating: 0, count: 7)
                    if key != RatesFormat.total { order.append(key) }
                }
                counts[key]?[index] += w
                tallies[key, default: 0] += 1
            }
        }
        return (order.sorted() + [RatesFormat.total]).compactMap { key in
            guard let c = counts[key] else { return nil }
            return ResponseRates(group: key, cases: tallies[key] ?? 0, complete: c[0], partial: c[1], refusal: c[2], nonContact: c[3],
                                 other: c[4], unknown: c[5], notEligible: c[6], e: e)
        }
    }

    /// ``Formats/RatesFormat``: `group,cases,I,P,R,NC,O,U,NE,e,RR1,…,CON3,format`; undefined
    /// rates are empty.
    public static func csv(_ rates: [ResponseRates]) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRow(RatesFormat.header)
        for r in rates {
            let counts = [r.complete, r.partial, r.refusal, r.nonContact, r.other, r.unknown, r.notEligible].map(formatDecimal)
            let values: [String?] = r.all.map { $0.value.map(formatDecimal) }
            writer.writeRow([r.group, String(r.cases)] + counts + [r.e.isNaN ? nil : formatDecimal(r.e)] + values + [RatesFormat.format.tag])
        }
        return writer.bytes
    }
}
