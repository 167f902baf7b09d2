import Composite
import Testing

/// 奇台县 (seed 001 篇二): 重点考核 90 (H1 30 + Y 60 of the total) + 公众评议 10 − 查访核验 (≤ 2) −
/// 投诉查处 (≤ 2); bands 90/80/70; a satisfaction rate below 60 % withdraws 优秀.
@Suite("qitai.yaml")
struct QitaiTests {
    static let townGroups = ["key-work", "economy", "society", "services", "conduct"]

    /// A town whose five indicator groups score `h1` and `y`, with its 专项 value.
    static func town(_ unit: String, h1: Double, y: Double, special: Double) -> String {
        var text = ""
        for group in townGroups {
            text += "\(unit),town,\(group),H1,\(h1)\n\(unit),town,\(group),Y,\(y)\n"
        }
        return text + "\(unit),town,special,,\(special)\n"
    }

    static let components = "unit,class,component,period,value\n"
        + town("Q1", h1: 90, y: 96, special: 100) + town("Q2", h1: 90, y: 96, special: 100)
        + town("Q3", h1: 90, y: 96, special: 100) + town("Q4", h1: 90, y: 96, special: 100)
        + town("Q5", h1: 70, y: 70, special: 50) + town("Q6", h1: 80, y: 80, special: 80)
        + town("Q7", h1: 60, y: 90, special: 90)
        + "Q3,town,inspection,,3\nQ3,town,complaints,,1.5\n"
        + rows("DEP1", "department", "key-work", ["H1", "Y"], 100) + rows("DEP1", "department", "targets", ["H1", "Y"], 100)
        + rows("DEP1", "department", "conduct", ["H1", "Y"], 100) + "DEP1,department,special,,80\n"
        + "P1,project,tracking,,92\nP1,project,audit,,80\nP2,project,tracking,,70\nP2,project,audit,,60\n"

    static let scores = """
        unit,n,dont_know,score,score_se,score_low,score_high,rate,rate_se,rate_low,rate_high,deff
        Q1,40,0,95,2,,,0.9,0.05,,,1
        Q2,40,0,95,2,,,0.55,0.05,,,1
        Q3,40,0,95,2,,,0.9,0.05,,,1
        Q4,40,0,95,2,,,0.9,0.05,,,1
        Q5,40,0,60,2,,,0.7,0.05,,,1
        Q6,40,0,80,2,,,0.8,0.05,,,1
        Q7,40,0,75,2,,,0.8,0.05,,,1
        DEP1,40,0,100,0,,,1,0,,,1
        P1,40,0,90,3,,,0.9,0.05,,,1
        P2,40,0,80,3,,,0.8,0.05,,,1

        """

    @Test func townsBandsRateRuleDeductionsAndVeto() throws {
        let events = "unit,kind,code\nQ4,veto,safety-accident\n"
        let result = try Support.evaluate(Support.scheme("qitai"), components: Self.components, events: events, scores: Self.scores)
        // Q1: each group (90 × 30 + 96 × 60)/90 = 94; 80 points × 94 % + 专项 10 × 100 % = 85.2; 公众 95 × 10 % = 9.5.
        let q1 = try #require(result["Q1"])
        #expect(close(q1.score, 94.7) && close(q1.contributions["focus"], 85.2) && close(q1.contributions["public"], 9.5))
        #expect(q1.grade == "优秀" && q1.rank == 1 && q1.notes == ["评为优秀：得分不低于90分"])
        // 0.2 points of SE per unit (2 × 10 %); 优秀 is 4.7 points away.
        #expect(close(q1.scoreSE, 0.2) && q1.pGrade == 0)
        // Q2: the same score, but a satisfaction rate of 55 % withdraws 优秀.
        let q2 = try #require(result["Q2"])
        #expect(close(q2.score, 94.7) && q2.rank == 1 && q2.grade == "良好")
        #expect(q2.notes == ["满意率55%低于60%：取消各级主要负责人的年度评优资格并责令整改", "评为良好：得分不低于80分"])
        // Q3: 查访核验 3 capped at 2, 投诉查处 1.5: 94.7 − 3.5 = 91.20.
        let q3 = try #require(result["Q3"])
        #expect(close(q3.score, 91.2) && close(q3.deductions["inspection"], 2) && close(q3.deductions["complaints"], 1.5))
        #expect(q3.grade == "优秀" && q3.notes.prefix(2) == ["查访核验扣3分，按上限扣2分", "投诉查处扣1.5分"])
        // Q4: the same score (rank 1 with Q1 and Q2), vetoed → 良好.
        #expect(result["Q4"]?.grade == "良好" && result["Q4"]?.notes.first == "一票否决：发生重大安全责任事故，取消优秀、先进资格")
        // Q5: 80 × 70 % + 10 × 50 % + 6 = 67.00 → 不合格.
        let q5 = try #require(result["Q5"])
        #expect(close(q5.score, 67) && q5.grade == "不合格" && q5.notes == ["得分67.00低于合格最低分70分", "评为不合格"])
        // Q6: 64 + 8 + 8 = 80.00, exactly on the 良好 line.
        #expect(close(result["Q6"]?.score, 80) && result["Q6"]?.grade == "良好")
        // Q7: each group (60 × 30 + 90 × 60)/90 = 80 → 64; 专项 9; 公众 7.5 → 80.50.
        #expect(close(result["Q7"]?.score, 80.5) && result["Q7"]?.grade == "良好")
        // Department: 80 points at 100 % + 专项 8 + 公众 10 = 98.00.
        #expect(close(result["DEP1"]?.score, 98) && result["DEP1"]?.grade == "优秀")
        // Projects: 跟踪督查 80 % + 公众 10 % + 审计 10 %: 73.6 + 9 + 8 = 90.60 先进; 56 + 8 + 6 = 70.00 一般.
        #expect(close(result["P1"]?.score, 90.6) && result["P1"]?.grade == "先进")
        #expect(close(result["P2"]?.score, 70) && result["P2"]?.grade == "一般")
        #expect(result.units.map(\.unit) == ["Q1", "Q2", "Q4", "Q3", "Q7", "Q6", "Q5", "DEP1", "P1", "P2"])
    }

    @Test func specialValueMustMatchAProjectGrade() throws {
        let components = Self.components.replacingOccurrences(of: "Q6,town,special,,80", with: "Q6,town,special,,70")
        let message = Support.failure { _ = try Support.evaluate(Support.scheme("qitai"), components: components, scores: Self.scores) }
        // Q6 is the sixth town of 11 rows: its 专项 row is line 1 + 5 × 11 + 11 = 67.
        #expect(message == "C.csv:67: field value: 70 is not a value component 'special' can take (unit Q6); the values are 优秀 100, 良好 80–90, 一般 50–60, 差 0")
    }

    @Test func rateRuleNeedsTheRate() throws {
        let scores = "unit,score,score_se\nQ1,95,2\n"
        let message = Support.failure { _ = try Support.evaluate(Support.scheme("qitai"), components: Self.components, scores: scores) }
        #expect(message == "P.csv:2: field rate: is missing, but the scheme's rule “取消各级主要负责人的年度评优资格并责令整改” needs the satisfaction rate (unit Q1); use pingyi score output, which has a rate column")
    }
}
