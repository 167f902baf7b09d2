import Composite
import Testing

/// 潭头 (seed 000): 指标考评 80 % (统一 80 % + 特色 20 %) + 公众评议 20 % − 察访核验 ≤ 2; ranking only.
@Suite("tantou.yaml")
struct TantouTests {
    @Test func indicatorsPublicAndCappedInspection() throws {
        let components = """
            unit,class,component,period,value
            A,town,inspection,,2.5
            B,town,,,
            C,town,inspection,,0
            D,town,inspection,,0

            """
        // A: unified 50 × 90/100 = 45 and (lower) 50 × 20/25 = 40 → 85; featured beat → 100.
        let indicators = """
            unit,component,indicator,points,target,actual,direction
            A,unified,u1,50,100,90,higher
            A,unified,u2,50,20,25,lower
            A,featured,f1,10,5,6,higher
            B,unified,u1,50,100,100,higher
            B,unified,u2,50,20,18,lower
            B,featured,f1,10,5,5,higher
            C,unified,u1,100,1,1,higher
            C,featured,f1,10,5,5,higher
            D,unified,u1,100,1,2,higher
            D,featured,f1,10,5,7,higher

            """
        let scores = """
            unit,n,dont_know,score,score_se,score_low,score_high,rate,rate_se,rate_low,rate_high,deff
            A,30,0,90,3,,,0.9,0.05,,,1
            B,30,0,80,2,,,0.8,0.05,,,1
            C,30,0,60,2,,,0.6,0.05,,,1
            D,30,0,60,2,,,0.6,0.05,,,1

            """
        let result = try Support.evaluate(Support.scheme("tantou"), components: components, indicators: indicators, scores: scores)
        // A: 指标 (0.8 × 85 + 0.2 × 100) = 88 → 70.4; 公众 90 → 18; 察访核验 2.5 capped at 2: 86.40.
        let a = try #require(result["A"])
        #expect(close(a.contributions["indicator"], 70.4) && close(a.contributions["public"], 18) && close(a.deductions["inspection"], 2))
        #expect(close(a.score, 86.4) && a.rank == 4 && a.grade == nil && a.notes == ["察访核验扣2.5分，按上限扣2分"])
        #expect(close(a.scoreSE, 0.6) && a.pGrade == nil)
        // B: 80 + 16 = 96.00; C and D: 80 + 12 = 92.00, tied at rank 2.
        #expect(close(result["B"]?.score, 96) && result["B"]?.rank == 1 && close(result["B"]?.scoreSE, 0.4))
        #expect(result["C"]?.rank == 2 && result["D"]?.rank == 2 && close(result["D"]?.score, 92))
        #expect(result.units.map(\.unit) == ["B", "C", "D", "A"])
        let csv = String(decoding: result.csv(), as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(csv[0] == "unit,class,score,rank,grade,indicator,public,inspection,bonus,penalty,score_se,p_grade,notes,format")
        #expect(csv[4] == "A,town,86.40,4,,70.40,18.00,2.00,0.00,0.00,0.6000,,察访核验扣2.5分，按上限扣2分,composite/1")
    }
}
