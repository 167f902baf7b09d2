import Questionnaire
import Testing

@Suite("Conditions and form checks")
struct FormCheckerTests {
    @Test(arguments: [
        ("a == 1", ["a": "1"], true),
        ("a == 1", ["a": "01"], true),
        ("a != 1", ["a": "2"], true),
        ("a != 1", [:], false),
        ("a >= 3 and b in [1, 2]", ["a": "3", "b": "2"], true),
        ("a >= 3 and b in [1, 2]", ["a": "3", "b": "4"], false),
        ("a < 3 or b == 'x'", ["a": "5", "b": "x"], true),
        ("not (a == 1)", ["a": "2"], true),
        ("not (a == 1)", [:], true),
        ("a > 2.5", ["a": "2.5"], false),
        ("c == \"城镇\"", ["c": "城镇"], true),
        ("c < 'x'", ["c": "a"], false),
    ])
    func conditions(source: String, values: [String: String], expected: Bool) throws {
        let condition = try Condition(parsing: source)
        #expect(condition.holds { values[$0] } == expected)
    }

    @Test func conditionNames() throws {
        #expect(try Condition(parsing: "a == 1 and (b > 2 or not c in [1])").names == ["a", "b", "c"])
    }

    static let questionnaire: Questionnaire = {
        let scale = Scale(id: "four-tier", title: "四档满意度",
                          tiers: [Tier(code: 1, label: "满意", score: 100, satisfied: true), Tier(code: 2, label: "比较满意", score: 80, satisfied: true),
                                  Tier(code: 3, label: "基本满意", score: 60, satisfied: true), Tier(code: 4, label: "不满意", score: 0, satisfied: false)],
                          specials: [SpecialCode(code: 7, label: "不了解/说不清", role: .dontKnow), SpecialCode(code: 8, label: "拒答", role: .refused)])
        return Questionnaire(
            id: "t", version: 1, title: "测试", group: .urban, scale: scale,
            units: [EvaluatedUnit(id: "D01", name: "甲局")],
            ownTown: OwnTown(label: "本镇", towns: [EvaluatedUnit(id: "T01", name: "城关街道")]),
            further: [
                Item(name: "members", label: "人口", kind: .number(minimum: 1, maximum: 20, decimals: 0)),
                Item(name: "income", label: "收入", kind: .number(minimum: 0, maximum: nil, decimals: 1), required: false),
                Item(name: "kids", label: "学生", kind: .single(choices: [Choice(code: 1, label: "有"), Choice(code: 2, label: "没有")])),
                Item(name: "school", label: "教育", kind: .tier, when: try? Condition(parsing: "kids == 1")),
                Item(name: "note", label: "意见", kind: .text(maxLength: 4), required: false),
            ])
    }()

    @Test func acceptsAndNormalises() {
        let checker = FormChecker(FormCheckerTests.questionnaire)
        var answers: [String?] = ["03", " 7 ", "+4", "1200.50", "1", "1", "好"]
        #expect(checker.check(&answers).isEmpty)
        #expect(answers == ["3", "7", "4", "1200.5", "1", "1", "好"])
        var skipped: [String?] = ["1", "1", "1", nil, "2", "  ", nil]
        #expect(checker.check(&skipped).isEmpty)
        #expect(skipped == ["1", "1", "1", nil, "2", nil, nil])
    }

    /// Full-width digits (a Chinese input method's, a WPS sheet's) are digits in codes and
    /// numbers, on every channel (the store's checks); text answers keep theirs; a refused
    /// answer is quoted as typed.
    @Test func fullWidthDigitsAreDigits() {
        let checker = FormChecker(FormCheckerTests.questionnaire)
        var answers: [String?] = ["３", "\u{3000}７", "１２", "１２００．５", "１", "１", "好１"]
        #expect(checker.check(&answers).isEmpty)
        #expect(answers == ["3", "7", "12", "1200.5", "1", "1", "好１"])
        var wrong: [String?] = ["５", "1", "1", nil, "2", nil, nil]
        #expect(checker.check(&wrong).map(\.message) == ["D01 = '５' is not a code of 四档满意度 (1–4, 7, 8)"])
    }

    @Test func listsEveryProblem() {
        let checker = FormChecker(FormCheckerTests.questionnaire)
        var answers: [String?] = ["5", nil, "21", "1.25", "1", nil, "太长的意见"]
        let problems = checker.check(&answers)
        #expect(problems.map(\.item) == [0, 1, 2, 3, 5, 6])
        #expect(problems.map(\.message) == [
            "D01 = '5' is not a code of 四档满意度 (1–4, 7, 8)",
            "own_town (本镇) is empty",
            "members = 21 is above the range 1–20",
            "income = '1.25' has 2 digits after the point",
            "school (教育) is empty",
            "note has 5 characters, more than 4",
        ])
        #expect(problems[0].hint == "key one of 1 满意, 2 比较满意, 3 基本满意, 4 不满意, 7 不了解/说不清, 8 拒答")
        #expect(problems[1].hint == "key the answer, or a special code (7 不了解/说不清, 8 拒答)")
        var skip: [String?] = ["1", "2", "0", "abc", "2", "3", nil]
        let more = checker.check(&skip)
        #expect(more.map(\.message) == [
            "members = 0 is below the range 1–20",
            "income = 'abc' is not a number",
            "school is answered ('3') but is skipped: its condition kids == 1 does not hold",
        ])
        var choice: [String?] = ["1", "2", "3", nil, "3", nil, nil]
        #expect(checker.check(&choice).map(\.message) == ["kids = '3' is not a choice of kids"])
    }
}
