import Composite
import Testing

/// 正定县 (seed 001 篇一): towns 指标 90 + 领导 10, departments 指标 60 + 公众 30 + 领导 10,
/// old-town units monthly 指标 70 + 领导 30; bonus and penalty capped at 4; 先进 = top 25 % and ≥ 90.
@Suite("zhengding.yaml")
struct ZhengdingTests {
    static let towns = """
        unit,class,component,period,value
        T1,town,indicator,H1,100
        T1,town,indicator,Y,100
        T1,town,leader,H1,90
        T1,town,leader,Y,100
        T2,town,indicator,H1,98
        T2,town,indicator,Y,96
        T2,town,leader,H1,90
        T2,town,leader,Y,90
        T3,town,indicator,H1,95
        T3,town,indicator,Y,95
        T3,town,leader,H1,95
        T3,town,leader,Y,95
        T4,town,indicator,H1,95
        T4,town,indicator,Y,95
        T4,town,leader,H1,95
        T4,town,leader,Y,95
        T5,town,indicator,H1,80
        T5,town,indicator,Y,80
        T5,town,leader,H1,80
        T5,town,leader,Y,80
        T6,town,indicator,H1,50
        T6,town,indicator,Y,60
        T6,town,leader,H1,50
        T6,town,leader,Y,50
        T7,town,leader,H1,70
        T7,town,leader,Y,80

        """
    /// T7's indicators: H1 (60 × 80/100 = 48) + (lower: 40 × 10/12.5 = 32) = 80 of 100;
    /// Y (60, beat) + (lower, under target: 40) = 100.
    static let indicators = """
        unit,indicator,points,target,actual,direction,period
        T7,gdp,60,100,80,higher,H1
        T7,emissions,40,10,12.5,lower,H1
        T7,gdp,60,100,120,higher,Y
        T7,emissions,40,10,8,lower,Y

        """
    static let events = """
        unit,kind,code
        T1,veto,safety-accident
        T5,bonus,central
        T5,bonus,city
        T6,penalty,criticism-province
        T6,penalty,criticism-city
        T6,penalty,discipline
        T6,penalty,complaint

        """

    @Test func townsWorkedExample() throws {
        let result = try Support.evaluate(Support.scheme("zhengding"), components: Self.towns,
                                          indicators: Self.indicators, events: Self.events)
        // T1: 100 × 0.9 + (90 + 100)/2 × 0.1 = 90 + 9.5 = 99.50, rank 1, but vetoed: not 先进.
        let t1 = try #require(result["T1"])
        #expect(close(t1.score, 99.5) && t1.rank == 1 && t1.grade == "合格")
        #expect(close(t1.contributions["indicator"], 90) && close(t1.contributions["leader"], 9.5))
        #expect(t1.notes == ["一票否决：发生特大生产安全事故，取消先进资格", "评为合格：得分不低于60分"])
        // Quota: 7 × 25 % = 1.75 → 2 places. T2: (98 + 96)/2 × 0.9 + 90 × 0.1 = 87.3 + 9 = 96.30 takes the first.
        let t2 = try #require(result["T2"])
        #expect(close(t2.score, 96.3) && t2.rank == 2 && t2.grade == "先进")
        #expect(t2.notes == ["评为先进：排名第2名，在名额（2名）内，得分不低于90分"])
        // T3 and T4: 95 × 0.9 + 95 × 0.1 = 95.00, tied at rank 3 for the one place left: ties: exclude.
        for (unit, other) in [("T3", "T4"), ("T4", "T3")] {
            let u = try #require(result[unit])
            #expect(close(u.score, 95) && u.rank == 3 && u.grade == "合格")
            #expect(u.notes.first == "与\(other)同分（95.00）并列第3名，先进名额仅余1名，按方案（ties: exclude）均不评先进，请研究决定")
        }
        // T7 from indicators: (80 + 100)/2 = 90 → 81; leader (70 + 80)/2 = 75 → 7.5; 88.50.
        let t7 = try #require(result["T7"])
        #expect(close(t7.score, 88.5) && t7.rank == 5 && t7.grade == "合格")
        #expect(close(t7.contributions["indicator"], 81))
        // T5: 80 + bonus 4 + 2 = 6, capped at 4 → 84.00.
        let t5 = try #require(result["T5"])
        #expect(close(t5.score, 84) && close(t5.bonus, 4) && t5.rank == 6)
        #expect(t5.notes.first == "加分6分（受党中央、国务院表彰或作为典型推广4分，受市委、市政府表彰或作为典型推广2分），按上限计4分")
        // T6: 55 × 0.9 + 5 = 54.5; penalties 2 + 1 + 1 + 0.5 = 4.5 capped at 4 → 50.50, below 60, bottom three.
        let t6 = try #require(result["T6"])
        #expect(close(t6.score, 50.5) && close(t6.penalty, 4) && t6.rank == 7 && t6.grade == "不合格")
        #expect(t6.notes.contains("得分50.50低于合格最低分60分"))
        #expect(t6.notes.last == "得分低于60分且排名后3名：县绩效办按干部管理权限抄送有关部门（§七2）")
        #expect(!t5.notes.contains { $0.contains("抄送") })
        #expect(result.units.map(\.unit) == ["T1", "T2", "T3", "T4", "T7", "T5", "T6"])
        #expect(!result.hasUncertainty)
    }

    /// Without a veto, the top two take the places and the tied pair stays outside the quota.
    @Test func quotaWithoutVeto() throws {
        let result = try Support.evaluate(Support.scheme("zhengding"), components: Self.towns, indicators: Self.indicators)
        #expect(result.units.filter { $0.grade == "先进" }.map(\.unit) == ["T1", "T2"])
        let t3 = try #require(result["T3"])
        #expect(t3.notes == ["排名第3名，超出先进名额（2名）", "评为合格：得分不低于60分"])
    }

    /// 32 departments: quota 32 × 25 % = 8. Department k has indicator 100, leader 100 and a
    /// public score of 100 − k in every quarter, so its score is 60 + 10 + 0.3 × (100 − k) =
    /// 100 − 0.3k. Quarterly standard errors of 2 give a public SE of √(4 × 0.25² × 2²) = 1, and a
    /// score SE of 0.3.
    static func departments(decree: String = "") -> (components: String, scores: String) {
        var components = "unit,class,component,period,value\n"
        var scores = "unit,period,n,dont_know,score,score_se,score_low,score_high,rate,rate_se,rate_low,rate_high,deff\n"
        for k in 1...32 {
            let unit = "D\(k < 10 ? "0" : "")\(k)"
            components += rows(unit, "department", "indicator", ["H1", "Y"], 100) + rows(unit, "department", "leader", ["H1", "Y"], 100)
            for q in ["Q1", "Q2", "Q3", "Q4"] {
                scores += "\(unit),\(q),50,0.02,\(100 - k),2,,,0.9,0.03,,,1.1\n"
            }
        }
        return (components, scores)
    }

    @Test func departmentsQuotaAndGradeUncertainty() throws {
        let data = Self.departments()
        let result = try Support.evaluate(Support.scheme("zhengding"), components: data.components, scores: data.scores,
                                          simulation: Simulation(draws: 1000, seed: 7))
        #expect(result.hasUncertainty)
        let d01 = try #require(result["D01"])
        #expect(close(d01.score, 99.7) && close(d01.contributions["public"], 29.7) && close(d01.scoreSE, 0.3, 1e-12))
        #expect(result.units.filter { $0.grade == "先进" }.map(\.unit) == (1...8).map { "D0\($0)" })
        let d32 = try #require(result["D32"])
        #expect(close(d32.score, 90.4) && d32.grade == "合格")
        // D01 (7 SE above the boundary) and D32 (far below) never change grade; D08 and D09,
        // 0.3 points apart on either side of the boundary, often do: they swap when D09's draw
        // beats D08's by 0.3, P ≈ Φ(−0.3 / (0.3√2)) = Φ(−0.71) ≈ 0.24, plus swaps with D07 and D10.
        #expect(d01.pGrade == 0 && d32.pGrade == 0)
        let d08 = try #require(result["D08"]?.pGrade)
        let d09 = try #require(result["D09"]?.pGrade)
        #expect(d08 > 0.18 && d08 < 0.4)
        #expect(d09 > 0.18 && d09 < 0.4)
        // The closer to the boundary, the less firm the grade.
        let p = (4...8).map { result["D0\($0)"]?.pGrade ?? -1 }
        #expect(p == p.sorted() && p[0] < 0.01)
        // The same seed gives the same probabilities; another seed nearly the same.
        let again = try Support.evaluate(Support.scheme("zhengding"), components: data.components, scores: data.scores,
                                         simulation: Simulation(draws: 1000, seed: 7))
        #expect(again.units.map(\.pGrade) == result.units.map(\.pGrade))
        let other = try Support.evaluate(Support.scheme("zhengding"), components: data.components, scores: data.scores,
                                         simulation: Simulation(draws: 1000, seed: 8))
        #expect(abs((other["D08"]?.pGrade ?? 0) - d08) < 0.1)
    }

    /// Old-town units, monthly: only two reach 95, fewer than the 3–5 先进 the plan wants.
    @Test func oldTownMonthlyWithShortQuota() throws {
        let months = (1...12).map { "M\($0 < 10 ? "0" : "")\($0)" }
        var components = "unit,class,component,period,value\n"
        // O1: indicator 100 in M01–M06 and 94 in M07–M12 → 97 × 0.7 = 67.9; leader 100 → 30; 97.90.
        components += rows("O1", "old-town", "indicator", Array(months[0..<6]), 100)
        components += rows("O1", "old-town", "indicator", Array(months[6...]), 94)
        components += rows("O1", "old-town", "leader", months, 100)
        for (unit, value) in [("O2", 96.0), ("O3", 94.0), ("O4", 80.0), ("O5", 59.0)] {
            components += rows(unit, "old-town", "indicator", months, value) + rows(unit, "old-town", "leader", months, value)
        }
        let result = try Support.evaluate(Support.scheme("zhengding"), components: components)
        #expect(close(result["O1"]?.score, 97.9) && result["O1"]?.grade == "先进")
        #expect(result["O2"]?.grade == "先进")
        #expect(result["O3"]?.grade == "合格" && result["O3"]?.notes.first == "得分94.00低于先进最低分95分")
        #expect(result["O5"]?.grade == "不合格")
        for unit in result.units {
            #expect(unit.notes.contains("本类先进2名，少于方案规定的3名（符合条件的单位不足）"))
        }
        // No bonus table for old-town units: an event is rejected.
        let events = "unit,kind,code\nO1,bonus,city\n"
        #expect(Support.failure { _ = try Support.evaluate(Support.scheme("zhengding"), components: components, events: events) }
            == "E.csv:2: the bonus table applies to town, department, not to class 'old-town' (unit O1)")
    }

    /// A decision of 不合格 (dereliction) fixes the grade whatever the score.
    @Test func assignedGradeByDecision() throws {
        let events = "unit,kind,code\nT2,veto,dereliction\n"
        let result = try Support.evaluate(Support.scheme("zhengding"), components: Self.towns, indicators: Self.indicators, events: events)
        let t2 = try #require(result["T2"])
        #expect(t2.grade == "不合格" && t2.rank == 2)
        #expect(t2.notes == ["一票否决：因工作失职渎职造成重大损失和恶劣影响，经县绩效管理机构研究并报县委、县政府主要领导审定，评为不合格"])
        // T1 and T2 do not both take places: T1 gets one, the tied T3/T4 share rank 3 for the other.
        #expect(result["T1"]?.grade == "先进" && result["T3"]?.grade == "合格")
    }
}
