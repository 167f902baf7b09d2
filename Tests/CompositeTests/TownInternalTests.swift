import Composite
import Testing

/// A town's internal assessment (seed 002): 业绩 (Q1–Q3 average 40 % + Q4 60 %) × 70 % + 履职
/// (50/30/20) × 30 % + bonus − penalty; 优秀 30 %, 良好 60 %, 一般 the rest (12 offices: 4, 7, 1);
/// below 60 or last two years running → 较差.
@Suite("town-internal.yaml")
struct TownInternalTests {
    /// An office whose every evaluation is `value` (so its score is `value`).
    static func office(_ unit: String, _ value: Double) -> String {
        rows(unit, "office", "performance", ["Q1", "Q2", "Q3", "Q4"], value)
            + rows(unit, "office", "leadership", [""], value) + rows(unit, "office", "heads", [""], value)
            + rows(unit, "office", "villages", [""], value)
    }

    /// O1 differs in every period and rater: 业绩 ((80 + 90 + 100)/3 × 40 % + 95 × 60 %) = 36 + 57 = 93,
    /// × 70 % = 65.1; 履职 90 × 50 % + 80 × 30 % + 70 × 20 % = 83, × 30 % = 24.9; 90.00 before bonus.
    static let o1 = """
        O1,office,performance,Q1,80
        O1,office,performance,Q2,90
        O1,office,performance,Q3,100
        O1,office,performance,Q4,95
        O1,office,leadership,,90
        O1,office,heads,,80
        O1,office,villages,,70

        """

    @Test func sharesTiesHighestLevelOnceAndBelowSixty() throws {
        var components = "unit,class,component,period,value\n" + Self.o1
        for (unit, value) in [("O2", 95.0), ("O3", 92), ("O4", 88), ("O5", 88), ("O6", 85), ("O7", 84), ("O8", 83),
                              ("O9", 82), ("O10", 81), ("O11", 86), ("O12", 55)] {
            components += Self.office(unit, value)
        }
        // O1: national and city commendation for the same flood work count once (5), the county
        // one for the census counts too (2): bonus 7. O11: city and county criticism of the same
        // work count once (3), media exposure 3 more: penalty 6, 86 − 6 = 80.
        let events = """
            unit,kind,code,item
            O1,bonus,commend-city,防汛
            O1,bonus,commend-national,防汛
            O1,bonus,commend-county,普查
            O11,penalty,criticism-county,信访
            O11,penalty,criticism-city,信访
            O11,penalty,media-exposure,

            """
        let result = try Support.evaluate(Support.scheme("town-internal"), components: components, events: events)
        let o1 = try #require(result["O1"])
        #expect(close(o1.contributions["performance"], 65.1) && close(o1.contributions["duty"], 24.9))
        #expect(close(o1.bonus, 7) && close(o1.score, 97) && o1.rank == 1 && o1.grade == "优秀")
        #expect(o1.notes.prefix(2) == [
            "同一项工作受到多层级表彰的以表彰最高层级加分一次：“防汛”计获得国家级先进部门或个人称号及表彰5分，不计获得市级先进部门或个人称号及表彰3分",
            "加分7分（获得国家级先进部门或个人称号及表彰5分，获得县级先进部门或个人称号及表彰2分）",
        ])
        #expect(o1.notes.last == "排名前3名：分管领导干部及科级以下人员在个人平时考核和年终考核时优先被定为优秀等次")
        let o11 = try #require(result["O11"])
        #expect(close(o11.penalty, 6) && close(o11.score, 80) && o11.rank == 11 && o11.grade == "良好")
        // 优秀: 12 × 30 % = 3.6 → 4 places. O1, O2, O3, then O4 and O5 tied on 88 for the last
        // place: “左右”, ties: include → both 优秀.
        #expect(result.units.filter { $0.grade == "优秀" }.map(\.unit) == ["O1", "O2", "O3", "O4", "O5"])
        #expect(result["O4"]?.notes.first == "与O5同分（88.00）并列第4名，优秀名额仅余1名，按方案（ties: include）均评为优秀，超出名额1名，请研究确认")
        // O12 (55) is 较差 before any share is counted; 良好 (7 places) takes O6–O11.
        let o12 = try #require(result["O12"])
        #expect(o12.grade == "较差" && o12.rank == 12)
        #expect(o12.notes == ["得分55.00低于60分，评为较差",
                              "排名末位：分管领导干部及科室负责人受镇党委、纪委负责同志约谈，年终考核不得被评为优秀等次"])
        #expect(result.units.filter { $0.grade == "良好" }.map(\.unit) == ["O6", "O7", "O8", "O9", "O10", "O11"])
    }

    /// Twelve distinct scores 96, 94, …, 74: 4 优秀, 7 良好, 1 一般 — unless the last office was
    /// also last the year before.
    static var distinct: String {
        "unit,class,component,period,value\n" + (1...12).map { Self.office("O\($0)", Double(98 - 2 * $0)) }.joined()
    }

    @Test func lastTwoYearsRunning() throws {
        let scheme = try Support.scheme("town-internal")
        let plain = try Support.evaluate(scheme, components: Self.distinct)
        #expect(plain.units.map { $0.grade ?? "" } == ["优秀", "优秀", "优秀", "优秀"] + Array(repeating: "良好", count: 7) + ["一般"])
        #expect(plain["O12"]?.notes.first == "排名第12名，超出良好名额（7名）")
        // Last year's RESULT.csv: O12 was last (12 of 12) → 较差 this year.
        var previous = "unit,class,score,rank,grade\n"
        for k in 1...12 { previous += "O\(k),office,\(90 - k),\(k),\n" }
        let twice = try Support.evaluate(scheme, components: Self.distinct, previous: previous)
        #expect(twice["O12"]?.grade == "较差")
        #expect(twice["O12"]?.notes.first == "连续两年排名最后（上年第12名/共12名，本年第12名/共12名），评为较差")
        #expect(twice["O11"]?.grade == "良好")
        // O12 was third last year: 一般 again.
        let swapped = previous.replacingOccurrences(of: "O12,office,78,12", with: "O12,office,78,3")
            .replacingOccurrences(of: "O3,office,87,3", with: "O3,office,87,12")
        let once = try Support.evaluate(scheme, components: Self.distinct, previous: swapped)
        #expect(once["O12"]?.grade == "一般")
    }

    @Test func variablePointsMustBeGiven() throws {
        let events = "unit,kind,code,points\nO1,bonus,model-experience,\n"
        #expect(Support.failure { _ = try Support.evaluate(Support.scheme("town-internal"), components: Self.distinct, events: events) }
            == "E.csv:2: field points: is empty, but code 'model-experience' needs its points (unit O1); write the points decided, 2–5")
        let outside = "unit,kind,code,points\nO1,bonus,model-experience,6\n"
        #expect(Support.failure { _ = try Support.evaluate(Support.scheme("town-internal"), components: Self.distinct, events: outside) }
            == "E.csv:2: field points: 6 is outside 2–5 for code 'model-experience' (unit O1)")
        let fixed = "unit,kind,code,points\nO1,bonus,information,3\n"
        #expect(Support.failure { _ = try Support.evaluate(Support.scheme("town-internal"), components: Self.distinct, events: fixed) }
            == "E.csv:2: field points: code 'information' is worth 2, found 3 (unit O1); leave points empty for codes with fixed points")
        let given = "unit,kind,code,points,item\nO1,bonus,model-experience,4.5,\nO1,bonus,information,,a\nO1,bonus,information,,b\n"
        let result = try Support.evaluate(Support.scheme("town-internal"), components: Self.distinct, events: given)
        #expect(close(result["O1"]?.bonus, 8.5) && close(result["O1"]?.score, 104.5))
    }
}
