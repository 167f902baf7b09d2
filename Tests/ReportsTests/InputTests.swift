import Composite
import Testing
@testable import Reports

/// Reading the report's inputs: the fixtures read as written, and every rejection names the
/// file, line, field and what to do.
@Suite("Report inputs")
struct InputTests {
    static let units = """
        unit_id,unit,class
        D01,市政府办,department
        T01,城关街道,town

        """
    static let header = "unit,n,dont_know,score,score_se,score_low,score_high,rate,rate_se,rate_low,rate_high,deff,df,low_rate\n"

    func units() throws -> UnitDirectory {
        try UnitDirectory.read(path: try Support.file("units.csv", InputTests.units))
    }

    @Test func fixturesRead() throws {
        let content = try ReportContent.load(Support.request())
        #expect(content.scoreFiles.map(\.by) == [nil])
        #expect(content.scoreSets.map(\.group) == [nil])
        #expect(content.scoreSets[0].scores.map(\.unit) == ["D01", "D02", "D03", "T01", "T02"])
        #expect(content.scoreSets[0].ranked.map(\.unit) == ["D01", "T01", "D02", "T02", "D03"])
        let d03 = try #require(content.overall?.score(unit: "D03"))
        #expect(d03.n == 40 && close(d03.score, 60) && close(d03.scoreLow, 50) && close(d03.rate, 0.55) && d03.df == 40 && d03.rank == nil)
        #expect(content.units.name("T02") == "东城街道")
        let distribution = try #require(content.distribution)
        #expect(distribution.tiers.map(\.label) == ["满意", "比较满意", "基本满意", "不满意", "不了解/说不清"])
        #expect(close(distribution.cells(unit: "D02", by: nil)?[4]?.share, 0.15))
        let composite = try #require(content.composite)
        #expect(composite.rows.map(\.unit) == ["D01", "D02", "D03", "T01", "T02"])
        let d01 = try #require(composite.row(unit: "D01"))
        #expect(close(d01.score, 85) && d01.rank == 1 && d01.grade == "优秀")
        #expect(close(d01.contributions["work"], 63) && close(d01.contributions["public"], 24) && close(d01.deductions["inspection"], 2))
        #expect(d01.notes.first == "察访核验扣3分，按上限扣2分")
        #expect(composite.row(unit: "T01")?.grade == nil)
        #expect(close(composite.row(unit: "T01")?.penalty, 0.5))
        let rates = try #require(content.rates)
        #expect(rates.total?.counts["I"] == 115)
        #expect(close(rates.total?.rates["RR1"], 0.504))
    }

    @Test func scoresSplitByAGroupColumn() throws {
        let path = try Support.file("scores.csv", """
            unit,group,n,score,score_se,score_low,score_high,rate,rate_low,rate_high
            D01,urban,30,80,3,74,86,0.9,0.82,0.98
            D01,rural,20,70,4,62,78,0.7,0.6,0.8

            """)
        let scores = try ScoreFile.read(path: path, units: try units())
        #expect(scores.by == "group")
        #expect(scores.groups == ["urban", "rural"])
        #expect(scores.score(unit: "D01", by: "rural")?.n == 20)
    }

    static let scoreCases: [(String, String)] = [
        ("unit,n,score\nD01,3,80\n", "scores.csv:1: no column 'score_se', 'score_low', 'score_high', 'rate', 'rate_low', 'rate_high' (the scores file (pingyi score output) needs unit,n,score,score_se,score_low,score_high,rate,rate_low,rate_high); the columns are unit, n, score"),
        (header + "D99,60,0.05,80,3,74,86,0.9,0.04,0.82,0.98,1.2,40,\n", "scores.csv:2: field unit: unit D99 is not in units.csv; give the --units file of the units that were scored, or correct the id"),
        (header + "D01,60,0.05,80,3,74,86,87.5,0.04,0.82,0.98,1.2,40,\n", "scores.csv:2: field rate: 87.5 is outside 0–1; rates are proportions 0–1 (0.85 for 85 %); give pingyi score output"),
        (header + "D01,60,0.05,180,3,74,86,0.9,0.04,0.82,0.98,1.2,40,\n", "scores.csv:2: field score: 180 is outside 0–100; scores are on the 100-point basis; give pingyi score output"),
        (header + "D01,60,0.05,80,3,74,86,0.9,0.04,0.82,0.98,1.2,40,\nD01,60,0.05,80,3,74,86,0.9,0.04,0.82,0.98,1.2,40,\n", "scores.csv:3: unit D01 is scored twice (also on line 2); give one pingyi score output file"),
        (header + "D01,60,0.05,,3,74,86,0.9,0.04,0.82,0.98,1.2,40,\n", "scores.csv:2: field score: is empty (unit D01); a unit without answers cannot be reported; drop its row"),
        (header + "D01,sixty,0.05,80,3,74,86,0.9,0.04,0.82,0.98,1.2,40,\n", "scores.csv:2: field n: 'sixty' is not a number; write a plain number such as 0.85"),
        (header, "scores.csv:2: the scores file has no rows; give pingyi score output"),
    ]

    @Test(arguments: scoreCases)
    func scoresRejected(_ text: String, _ message: String) throws {
        let path = try Support.file("scores.csv", text)
        let units = try units()
        let error = Support.failure { _ = try ScoreFile.read(path: path, units: units) }
        #expect(error?.replacingOccurrences(of: path, with: "scores.csv").replacingOccurrences(of: units.file ?? "", with: "units.csv") == message)
    }

    @Test func unitsFileRejectsDuplicates() throws {
        let path = try Support.file("units.csv", "unit_id,unit\nD01,市政府办\nD01,市信访局\n")
        let error = Support.failure { _ = try UnitDirectory.read(path: path) }
        #expect(error == "\(path):3: field unit_id: D01 is listed twice (also on line 2); keep one row per unit")
    }

    static let scores = header + "D01,60,0.05,80,3,74,86,0.9,0.04,0.82,0.98,1.2,40,\nT01,70,0.02,75,3.5,68,82,0.8,0.05,0.7,0.9,1.4,40,\n"

    @Test(arguments: [
        ("unit,tier,label,n,share\nD01,1,满意,10,0.6\nD01,4,不满意,5,0.3\n", "dist.csv:2: the shares of unit D01 add up to 0.9, not 1; shares are among all answers of the unit, special codes included; give pingyi score --distribution output"),
        ("unit,tier,label,n,share\nT09,1,满意,10,1\n", "dist.csv:2: field unit: unit T09 is not in units.csv; give the --units file of the units that were scored, or correct the id"),
        ("unit,tier,label,n,share\nD01,1,满意,10,0.5\nT01,1,很满意,10,0.5\n", "dist.csv:3: field label: tier 1 is '很满意' here but '满意' on line 2; one distribution file holds answers on one scale"),
        ("unit,tier,label,n,share\nD01,1,满意,10,1.5\n", "dist.csv:2: field share: 1.5 is outside 0–1; shares are proportions 0–1"),
        ("unit,tier,label,n,share\nD01,1.5,满意,10,1\n", "dist.csv:2: field tier: 1.5 is not a tier code; tier codes are whole numbers (1, 2, …)"),
        ("unit,tier,label,n\nD01,1,满意,10\n", "dist.csv:1: no column 'share' (the distribution file (pingyi score --distribution) needs unit,tier,label,n,share); the columns are unit, tier, label, n"),
    ])
    func distributionRejected(_ text: String, _ message: String) throws {
        let units = try units()
        let path = try Support.file("dist.csv", text)
        let error = Support.failure { _ = try DistributionFile.read(path: path, units: units, scored: ["D01", "T01"]) }
        #expect(error?.replacingOccurrences(of: path, with: "dist.csv").replacingOccurrences(of: units.file ?? "", with: "units.csv") == message)
    }

    @Test func distributionWithoutUnitsFileChecksTheScores() throws {
        let path = try Support.file("dist.csv", "unit,tier,label,n,share\nT09,1,满意,10,1\n")
        #expect(Support.failure { _ = try DistributionFile.read(path: path, units: .idsOnly, scored: ["D01"]) }
            == "\(path):2: field unit: unit T09 is not in the scores; give the --distribution file written by the same pingyi score run as --scores")
    }

    @Test func distributionSplitByGroup() throws {
        let path = try Support.file("dist.csv", """
            unit,group,tier,label,n,share
            T01,rural,1,满意,6,0.6
            T01,rural,4,不满意,4,0.4
            D01,urban,1,满意,10,1
            T01,urban,4,不满意,3,1

            """)
        let distribution = try DistributionFile.read(path: path, units: try units(), scored: [])
        #expect(distribution.by == "group" && distribution.groups == ["rural", "urban"])
        #expect(distribution.units(in: "urban") == ["D01", "T01"])
        #expect(distribution.cells(unit: "T01", by: "rural")?[4] == DistributionFile.Cell(n: 4, share: 0.4))
        #expect(distribution.cells(unit: "D01", by: "rural") == nil)
    }

    @Test func scoreFilesMustBeOneOverallAndSplitOnes() throws {
        var request = Support.request()
        request.scores = [Support.fixture("scores.csv"), Support.fixture("scores.csv")]
        #expect(Support.failure { _ = try ReportContent.load(request) }
            == "\(Support.fixture("scores.csv")): both this and \(Support.fixture("scores.csv")) have no by column; give one overall score file and any number split by a column (pingyi score --by group)")
        request.scores = []
        #expect(Support.failure { _ = try ReportContent.load(request) } == "pingyi report: no scores were given; give --scores SCORES.csv (pingyi score output)")
    }

    @Test func ratesRejected() throws {
        let missing = try Support.file("rates.csv", "group,cases,I,P,R,NC,O,U,NE,e,RR1\nall,10,5,0,1,1,1,1,1,0.9,0.5\n")
        #expect(Support.failure { _ = try RatesFile.read(path: missing) }?.hasPrefix("\(missing):1: no column 'RR2', 'RR3'") == true)
        var text = (try String(contentsOfFile: Support.fixture("rates.csv"), encoding: .utf8))
        text = text.replacingOccurrences(of: "all,220,115,9,30,35,9,18,4,0.9,0.504", with: "all,220,115,9,30,35,9,18,4,0.9,50.4")
        let percent = try Support.file("rates.csv", text)
        #expect(Support.failure { _ = try RatesFile.read(path: percent) }
            == "\(percent):4: field RR1: 50.4 is outside 0–1; rates are proportions 0–1 (0.45 for 45 %); give pingyi rates output")
    }

    /// RESULT.csv with one line changed, read against the fixture scheme and units.
    func compositeError(_ edit: (String) -> String) throws -> String? {
        let text = edit(try String(contentsOfFile: Support.fixture("result.csv"), encoding: .utf8))
        let path = try Support.file("result.csv", text)
        let scheme = try Scheme.load(path: Support.fixture("scheme.yaml"), name: "scheme.yaml")
        let units = try UnitDirectory.read(path: Support.fixture("units.csv"))
        return Support.failure { _ = try CompositeTable.read(path: path, scheme: scheme, units: units) }?
            .replacingOccurrences(of: path, with: "result.csv").replacingOccurrences(of: Support.fixture("units.csv"), with: "units.csv")
    }

    @Test func compositeRejectsUnknownUnit() throws {
        #expect(try compositeError { $0.replacingOccurrences(of: "T02,town", with: "T09,town") }
            == "result.csv:6: field unit: unit T09 is not in units.csv; give the --units file of the units that were scored, or correct the id")
    }

    @Test func compositeRejectsClassThatDisagreesWithUnits() throws {
        #expect(try compositeError { $0.replacingOccurrences(of: "T02,town", with: "T02,department") }
            == "result.csv:6: field class: unit T02 is in class 'department' here but 'town' in units.csv; give the units file and RESULT.csv of the same evaluation")
    }

    @Test func compositeRejectsUnknownClass() throws {
        #expect(try compositeError { $0.replacingOccurrences(of: "T02,town", with: "T02,village") }
            == "result.csv:6: field class: 'village' is not a class of scheme test (unit T02); the classes are department, town; give the RESULT.csv that pingyi composite wrote with --scheme scheme.yaml")
    }

    @Test func compositeRejectsAnotherSchemesColumns() throws {
        #expect(try compositeError { $0.replacingOccurrences(of: ",work,", with: ",indicator,") }
            == "result.csv:1: no column 'work', which scheme test has; give the RESULT.csv that pingyi composite wrote with --scheme scheme.yaml")
        #expect(try compositeError { $0.replacingOccurrences(of: ",score_se,", with: ",party,") }
            == "result.csv:1: column 'party' is not a component or deduction of scheme test; give the RESULT.csv that pingyi composite wrote with --scheme scheme.yaml")
    }

    @Test func compositeRejectsRepeatedUnitAndMissingRank() throws {
        #expect(try compositeError { $0.replacingOccurrences(of: "T02,town", with: "T01,town") }
            == "result.csv:6: field unit: unit T01 is listed twice (also on line 5); give the RESULT.csv that pingyi composite wrote with --scheme scheme.yaml")
        #expect(try compositeError { $0.replacingOccurrences(of: "73.00,2,", with: "73.00,,") }
            == "result.csv:6: field rank: is empty or 0 (unit T02); give the RESULT.csv that pingyi composite wrote with --scheme scheme.yaml")
    }

    @Test func compositeNeedsSchemeAndIssuedDate() throws {
        var request = Support.request()
        request.scheme = nil
        #expect(Support.failure { _ = try ReportContent.load(request) }
            == "\(Support.fixture("result.csv")): --composite and --scheme go together; give the RESULT.csv and the scheme it was computed with")
        request = Support.request()
        request.issued = nil
        #expect(Support.failure { _ = try ReportContent.load(request) }
            == "\(Support.fixture("result.csv")): the feedback sheets need the date they are issued; give --issued YYYY-MM-DD; the review deadline counts 2 working days from it")
    }

    @Test func scaleMustCoverTheTiers() throws {
        var request = Support.request()
        let text = try String(contentsOfFile: Support.fixture("dist.csv"), encoding: .utf8)
        request.distribution = try Support.file("dist.csv", text.replacingOccurrences(of: ",4,不满意,", with: ",10,不满意,"))
        let error = Support.failure { _ = try ReportContent.load(request) }
        #expect(error?.hasPrefix("\(request.distribution ?? ""): tier code 10 (不满意) is not on the scale four-tier; give the --scale the answers were scored with") == true)
    }
}
