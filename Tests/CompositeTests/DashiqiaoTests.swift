import Composite
import Testing

/// 大石桥 (seed 004): 指标 (结果 90 % + 过程 10 %) × 80 % + 党建 × 10 % + 满意度 × 10 % − 察访核验 ±
/// points; departments 满意度 = 领导 70 % + 公众 30 %, towns 领导 50 % + 市直部门 20 % + 公众 30 %.
@Suite("dashiqiao.yaml")
struct DashiqiaoTests {
    @Test func departmentAndTownWorkedExample() throws {
        let components = """
            unit,class,component,period,value
            D1,department,process,,80
            D1,department,party,,90
            D1,department,leader,,80
            D1,department,inspection,,0.5
            D2,department,process,,100
            D2,department,party,,100
            D2,department,leader,,100
            T1,town,process,,100
            T1,town,party,,100
            T1,town,leader,,80
            T1,town,departments,,90
            T1,town,inspection,,3

            """
        let indicators = """
            unit,indicator,points,target,actual,direction
            D1,r1,6,100,100,higher
            D1,r2,4,50,40,higher
            D2,r1,10,1,1,higher
            T1,r1,5,30,25,lower

            """
        let events = "unit,kind,code,item,points\nD1,bonus,rule-bonus,省级表彰,1.5\nD1,penalty,rule-penalty,迟报,0.5\nD2,veto,party-responsibility,,\n"
        let scores = "unit,score,score_se,rate\nD1,70,5,0.7\nD2,100,0,1\nT1,70,5,0.7\n"
        let result = try Support.evaluate(Support.scheme("dashiqiao"), components: components, indicators: indicators,
                                          events: events, scores: scores)
        // D1: 结果 (6 + 4 × 40/50)/10 = 92 %; 指标 0.9 × 92 + 0.1 × 80 = 90.8 → × 0.8 = 72.64; 党建 9;
        // 满意度 0.7 × 80 + 0.3 × 70 = 77 → 7.7; − 0.5 + 1.5 − 0.5: 89.84.
        let d1 = try #require(result["D1"])
        #expect(close(d1.contributions["indicator"], 72.64) && close(d1.contributions["party"], 9) && close(d1.contributions["satisfaction"], 7.7))
        #expect(close(d1.score, 89.84) && d1.rank == 2 && d1.grade == nil)
        // Public weight 10 % × 30 % = 3 %: SE 5 × 0.03 = 0.15.
        #expect(close(d1.scoreSE, 0.15) && d1.pGrade == nil)
        #expect(d1.notes.last == "排名末位：当年综合考核排名末位，且未完成考核任务的，视情况调整党政主要领导（§六1）")
        // D2: everything 100 → 100.00; the §六5 veto is noted, the rank stays.
        let d2 = try #require(result["D2"])
        #expect(close(d2.score, 100) && d2.rank == 1 && d2.notes.first?.hasPrefix("不履行或履行全面从严治党主体责任不力") == true)
        // T1: 结果 100 % (lower, under target); 指标 80; 党建 10; 满意度 0.5 × 80 + 0.2 × 90 + 0.3 × 70 = 79 → 7.9;
        // 察访核验 3 (no cap): 94.90, ranked alone in its class.
        let t1 = try #require(result["T1"])
        #expect(close(t1.score, 94.9) && t1.rank == 1 && close(t1.deductions["inspection"], 3))
        #expect(result.units.map(\.unit) == ["D2", "D1", "T1"])
    }
}
