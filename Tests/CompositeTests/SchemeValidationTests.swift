import Composite
import Testing

@Suite("Scheme validation")
struct SchemeValidationTests {
    @Test(arguments: ["tantou", "zhengding", "qitai", "town-internal", "dashiqiao"])
    func shippedSchemesLoad(name: String) throws {
        let scheme = try Support.scheme(name)
        #expect(scheme.id == name)
        #expect(!scheme.outline().isEmpty)
    }

    @Test func zhengdingVocabulary() throws {
        let scheme = try Support.scheme("zhengding")
        #expect(scheme.classIDs == ["town", "department", "old-town"])
        #expect(scheme.gradeNames(ofClass: "town") == ["先进", "合格", "不合格"])
        #expect(scheme.gradeNames(ofClass: "old-town") == ["先进", "合格", "不合格"])
        let text = scheme.outline().flatMap(\.rows).flatMap { $0 }
        for code in ["city", "province", "central", "city-dept", "province-dept", "central-dept", "criticism-province",
                     "criticism-city", "criticism-county", "complaint", "discipline", "accountability", "safety-accident",
                     "public-security", "corruption", "indicator", "leader", "public"] {
            #expect(text.contains(code), "missing \(code)")
        }
        let departments = try #require(scheme.outline().first { $0.title == "类别 部门和单位（department）：构成" })
        #expect(departments.rows[1] == ["indicator", "指标评估", "60分", "60分", "H1 50%；Y 50%", "指标计分（达标满分，未达标按比例）"])
        #expect(departments.rows[2] == ["public", "公众评估", "30分", "30分", "Q1 25%；Q2 25%；Q3 25%；Q4 25%", "公众评议得分（pingyi score）"])
    }

    static let base = """
        scheme: test
        label: 测试
        classes:
          - id: town
            label: 乡镇
            components:
              - {id: indicator, label: 指标, weight: 80%}
              - id: satisfaction
                label: 满意度
                weight: 20%
                components:
                  - {id: leader, label: 领导, points: 14}
                  - {id: public, label: 公众, points: 6, source: public}
            grading:
              grades:
                - {grade: 优秀, share: 25%, min_score: 90}
                - {grade: 合格}
        bonus:
          cap: 4
          codes:
            - {code: city, label: 市级表彰, points: 2}
        vetoes:
          - {code: accident, label: 事故, withdraw: [优秀]}

        """

    static func check(_ from: String, _ to: String) -> String? {
        let text = base.replacingOccurrences(of: from, with: to)
        #expect(text != base, "the replacement did not apply")
        return Support.failure { _ = try Scheme.parse(text, file: "s.yaml") }
    }

    @Test func baseIsValid() throws {
        let scheme = try Scheme.parse(Self.base, file: "s.yaml")
        #expect(scheme.label == "测试" && scheme.decimals == 2)
    }

    @Test(arguments: [
        ("weight: 80%", "weight: 70%",
         "s.yaml:7:7: classes[1].components: the weights of the components of class 'town' add up to 90%; they must add up to 100%; correct the weights so that they add up to 1 (100%)"),
        ("points: 14", "points: 15",
         "s.yaml:12:11: classes[1].components[2].components: the points of the components of component 'satisfaction' add up to 21; they must add up to 20; the points of component 'satisfaction'"),
        ("{id: leader, label: 领导, points: 14}", "{id: leader, label: 领导, weight: 70%}",
         "s.yaml:13:13: classes[1].components[2].components[2]: component 'public' mixes points with the weights of its siblings; give every component of component 'satisfaction' a weight, or every one points"),
        ("{id: indicator, label: 指标, weight: 80%}", "{id: indicator, label: 指标, weight: 80%, periods: {H1: 50%, Y: 40%}}",
         "s.yaml:7:58: classes[1].components[1].periods: the period weights of component 'indicator' add up to 0.9; they must add up to 100% or to the component's 80 points; correct the weights"),
        ("withdraw: [优秀]", "withdraw: [先进]",
         "s.yaml:23:5: vetoes[1]: unknown grade '先进'; the grades are 优秀, 合格"),
        ("{code: city, label: 市级表彰, points: 2}", "{code: city, label: 市级表彰, points: 2, group: commendation}",
         "s.yaml:21:51: bonus.codes[1].group: unknown group 'commendation'; declare it under groups"),
        ("  cap: 4\n", "  cap: 4\n  classes: [towns]\n",
         "s.yaml:20:12: bonus.classes: unknown class 'towns'; the classes are town"),
        ("- {grade: 合格}", "- {grade: 合格, min_score: 60}",
         "s.yaml:17:11: classes[1].grading.grades[2]: the last grade '合格' takes every unit left, so it has no share, count or min_score; add the grade for the remaining units at the end"),
        ("    grading:", "    gradng:",
         "s.yaml:15:7: classes[1]: unknown key 'gradng'; did you mean 'grading'?"),
        ("{id: leader,", "{id: score,",
         "s.yaml:12:18: classes[1].components[2].components[1].id: 'score' is a column of RESULT.csv and cannot be a component id; choose another id"),
        ("{id: indicator,", "{id: 指标,",
         "s.yaml:7:14: classes[1].components[1].id: '指标' is not an id; ids are lower-case ASCII letters, digits, '-' and '_' (put Chinese in label)"),
        ("source: public}", "source: survey}",
         "s.yaml:13:56: classes[1].components[2].components[2].source: unknown source 'survey'; the sources are components, indicators, public"),
        ("{id: leader, label: 领导, points: 14}", "{id: leader, label: 领导, points: 14, source: public}",
         "s.yaml:7:7: classes[1].components: class 'town' has more than one component with source: public; the public-evaluation scores feed one component; nest the others under it"),
    ])
    func rejected(from: String, to: String, message: String) {
        #expect(Self.check(from, to) == message)
    }

    /// More rejections, each pinned to the key path and the hint; the line and column come first.
    @Test(arguments: [
        ("decimals", "scheme: test\n", "scheme: test\ndecimals: 9\n", "decimals must be between 0 and 6, found 9"),
        ("ties", "      grades:\n", "      ties: random\n      grades:\n", "unknown tie rule 'random'"),
        ("count", "share: 25%", "count: {min: 4, max: 2}", "count needs 0 ≤ min ≤ max, found min 4, max 2"),
        ("fail", "      grades:\n", "      fail: {grade: 较差}\n      grades:\n", "fail needs below: SCORE or last_two_years: true"),
        ("flags", "    grading:\n", "    flags: [{note: 提示}]\n    grading:\n", "a flag needs below: SCORE, top: N or bottom: N"),
        ("veto", "withdraw: [优秀]}", "withdraw: [优秀], assign: 合格}", "veto 'accident' has both withdraw and assign"),
        ("rate", "vetoes:\n", "rate_rule: {below: 1.5, label: 评优}\nvetoes:\n", "below must be a rate between 0 and 100%, found 1.5"),
        ("periods", "weight: 80%}", "weight: 80%, periods: monthly}", "periods must be a list, a mapping or none, found 'monthly'"),
        ("term", "weight: 80%}", "weight: 80%, periods: [{weight: 50%}, {period: Y, weight: 50%}]}", "a period term needs period: ID or average: [IDs]"),
        ("twice", "weight: 80%}", "weight: 80%, periods: [{average: [Q1, Q2], weight: 50%}, {period: Q2, weight: 50%}]}", "period 'Q2' appears twice in component 'indicator'"),
        ("allowed", "weight: 80%}", "weight: 80%, allowed: [{label: 良好, min: 90, max: 80}]}", "min 90 is above max 80"),
        ("class twice", "bonus:\n", "  - {id: town, label: 又一个, components: [{id: a, label: 甲, weight: 100%}]}\nbonus:\n", "class 'town' is defined twice"),
        ("id twice", "{id: leader,", "{id: indicator,", "component id 'indicator' is used twice in class 'town'"),
        ("deduction id", "vetoes:\n", "deductions: [{id: leader, label: 领导扣分}]\nvetoes:\n", "deduction 'leader' has the id of a component of class 'town'"),
        ("source on parent", "    weight: 20%\n", "    weight: 20%\n        source: public\n", "component 'satisfaction' has sub-components, so its value comes from them"),
        ("zero points", "points: 2}", "points: 0}", "points must be greater than 0, found 0"),
        ("no weight", "{id: indicator, label: 指标, weight: 80%}", "{id: indicator, label: 指标}", "component 'indicator' needs either weight (e.g. 80%) or points (e.g. 60)"),
    ])
    func rejectedMore(name: String, from: String, to: String, message: String) throws {
        let text = Self.base.replacingOccurrences(of: from, with: to)
        #expect(text != Self.base, "the replacement did not apply")
        let failure = try #require(Support.failure { _ = try Scheme.parse(text, file: "s.yaml") })
        #expect(failure.hasPrefix("s.yaml:"))
        #expect(failure.contains(message), "\(failure)")
    }

    @Test func duplicateCode() {
        let message = Self.check("    - {code: city, label: 市级表彰, points: 2}\n",
                                 "    - {code: city, label: 市级表彰, points: 2}\n    - {code: city, label: 又一个, points: 1}\n")
        #expect(message == "s.yaml:22:14: bonus.codes[2].code: code 'city' appears twice in the table; give each code its own id")
    }
}
