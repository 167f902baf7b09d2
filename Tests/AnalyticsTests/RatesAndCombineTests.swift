import Testing
@testable import Analytics
import Tables

@Suite("AAPOR rates")
struct RatesTests {
    /// docs/algorithms/aapor.md's worked example, by hand: I 620, P 45, R 130, NC 95, O 20, U 90, NE 100.
    @Test func workedExample() throws {
        var text = "case_id,group,disposition\n"
        var n = 0
        for (d, count) in [("complete", 620), ("partial", 45), ("refusal", 130), ("non-contact", 95), ("other", 20),
                           ("unknown", 60), ("pending", 30), ("not-eligible", 100)] {
            for _ in 0..<count {
                n += 1
                text += "C\(n),g,\(d)\n"
            }
        }
        let table = try CSVReader.read(bytes: Array(text.utf8), name: "cases.csv")
        let rates = try ResponseRates.compute(cases: table)
        #expect(rates.map(\.group) == ["g", "all"])
        let r = rates[1]
        #expect(r.cases == 1100)
        #expect(abs(r.e - 91.0 / 101.0) < 1e-15)
        let expected: [String: Double] = [
            "RR1": 31.0 / 50, "RR2": 133.0 / 200, "RR3": 3131.0 / 5005, "RR4": 1919.0 / 2860, "RR5": 62.0 / 91, "RR6": 19.0 / 26,
            "COOP1": 124.0 / 163, "COOP2": 133.0 / 163, "COOP3": 124.0 / 159, "COOP4": 133.0 / 159,
            "REF1": 13.0 / 100, "REF2": 101.0 / 770, "REF3": 1.0 / 7, "CON1": 163.0 / 200, "CON2": 16463.0 / 20020, "CON3": 163.0 / 182,
        ]
        for (name, value) in r.all {
            let want = try #require(expected[name])
            #expect(abs((value ?? .nan) - want) < 1e-14, "\(name)")
        }
    }

    @Test func undefinedRatesAreEmptyNotZero() throws {
        let table = try CSVReader.read(bytes: Array("case_id,group,disposition\nA,g,unknown\nB,g,pending\n".utf8), name: "c.csv")
        let r = try ResponseRates.compute(cases: table)[0]
        #expect(r.rr1 == 0)
        #expect(r.rr3 == nil && r.rr5 == nil && r.coop1 == nil)
        let csv = String(decoding: ResponseRates.csv([r]), as: UTF8.self)
        #expect(csv.split(separator: "\n")[1].hasPrefix("g,2,0,0,0,0,0,2,0,,0,0,,,,"))
    }

    @Test func unknownDispositionIsLocated() throws {
        let table = try CSVReader.read(bytes: Array("case_id,disposition\nA,complete\nB,moved\n".utf8), name: "c.csv")
        #expect(throws: AnalyticsError.data(file: "c.csv", line: 3, message: "unknown disposition 'moved'",
                                            hint: "use pending, complete, partial, refusal, non-contact, other, unknown, not-eligible")) {
            try ResponseRates.compute(cases: table)
        }
    }
}

@Suite("Combining and non-response")
struct CombineTests {
    func unit(_ id: String, score: Double, se: Double, rate: Double, rateSE: Double, df: Int, deff: Double = 2) -> UnitScore {
        UnitScore(unit: id, by: nil, n: 100, dontKnow: 0.1, score: score, scoreSE: se, scoreLow: .nan, scoreHigh: .nan, rate: rate,
                  rateSE: rateSE, rateLow: .nan, rateHigh: .nan, deff: deff, rateDeff: .nan, df: df)
    }

    /// Four quarters at 25 % each: score = mean, SE = ½·√(Σ SE²), Satterthwaite df.
    @Test func quarterlyAverage() throws {
        let quarters = [(80.0, 4.0), (84.0, 3.0), (78.0, 5.0), (86.0, 2.0)]
        let inputs = quarters.enumerated().map { q, v in ("Q\(q + 1)", [unit("D01", score: v.0, se: v.1, rate: 0.9, rateSE: 0.02, df: 20)]) }
        let combined = try ScoreCombiner.combine(inputs, weights: [25, 25, 25, 25])
        let d = try #require(combined.first)
        #expect(abs(d.score - 82) < 1e-12)
        let v = (16.0 + 9 + 25 + 4) / 16
        #expect(abs(d.scoreSE - v.squareRoot()) < 1e-12)
        // df = v² / Σ (se²/16)²/20 = 3.375² / ((1 + 0.31640625 + 2.44140625 + 0.0625) / 20) = 59.63… → 59.
        #expect(d.df == 59)
        #expect(abs(d.deff - 2) < 1e-12)
        #expect(d.n == 400)
    }

    @Test func missingUnitIsAnError() throws {
        let a = ("a.csv", [unit("D01", score: 80, se: 1, rate: 0.9, rateSE: 0.01, df: 9)])
        let b = ("b.csv", [unit("D02", score: 80, se: 1, rate: 0.9, rateSE: 0.01, df: 9)])
        #expect(throws: AnalyticsError.data(file: "b.csv", line: nil, message: "unit D01 has no score here", hint: "every file must score the same units, or combine with --partial")) {
            try ScoreCombiner.combine([a, b], weights: [1, 1])
        }
        // With --partial each unit is combined over the inputs that score it.
        let partial = try ScoreCombiner.combine([a, b], weights: [1, 3], partial: true)
        #expect(partial.map(\.unit) == ["D01", "D02"])
        #expect(partial.allSatisfy { abs($0.score - 80) < 1e-12 && abs($0.scoreSE - 1) < 1e-12 })
    }

    /// Class A: slots of weight 10, 10, 20 (one not eligible); respondents: the first and, through
    /// its reserve, the third. Factor = (10 + 20) / (10 + 20)… with the second slot not eligible.
    @Test func nonresponseClasses() throws {
        let text = """
            case_id,role,replaces,disposition,entered,weight,stage1_stratum
            A1,sample,,complete,yes,10,A
            A2,sample,,not-eligible,no,10,A
            A3,sample,,refusal,no,20,A
            A4,reserve,A3,complete,yes,20,A
            B1,sample,,complete,yes,5,B
            B2,sample,,non-contact,no,5,B
            B3,sample,,other,no,10,B

            """
        let adjustment = try NonresponseAdjustment(cases: try CSVReader.read(bytes: Array(text.utf8), name: "cases.csv"))
        // A: eligible 10 + 20 = 30, responding 10 + 20 = 30 → 1. B: eligible 20, responding 5 → 4.
        #expect(adjustment.classes.map(\.factor) == [1, 4])
        #expect(adjustment.weights == ["A1": 10, "A4": 20, "B1": 20])
    }
}
