import Definitions
import Foundation
import Questionnaire
import Testing

@Suite("Questionnaires")
struct QuestionnaireTests {
    @Test func shippedQuestionnairesDescribeTheCounty() throws {
        var groups: [RespondentGroup] = []
        for name in ["deputies", "enterprises", "urban", "rural"] {
            let q = try Questionnaire.load(path: shipped("surveys/questionnaires/\(name).yaml"))
            #expect(q.id == name)
            #expect(q.version == 1)
            #expect(q.entry == .double)
            #expect(q.scale.id == "four-tier")
            #expect(q.units.count == 44)
            #expect(q.units.first == EvaluatedUnit(id: "D01", name: "市政府办"))
            #expect(q.units.last == EvaluatedUnit(id: "D44", name: "市信息中心"))
            #expect(Array(q.items.prefix(44).map(\.name)) == (1...44).map { String(format: "D%02d", $0) })
            groups.append(q.group)
            if q.group.isHousehold {
                #expect(q.ownTown?.towns.count == 12)
                #expect(q.ownTown?.town(id: "T03")?.name == "西城街道")
                #expect(q.items[44].name == "own_town")
                #expect(q.items[44].kind == .ownTown)
                #expect(q.listColumns == ["household_id", "town_id"])
                #expect(q.items.count == 50)
                #expect(q.unitName("T12") == "杨庄乡")
            } else {
                #expect(q.ownTown == nil)
                // Enterprise managers are called: their list needs the phone column.
                #expect(q.listColumns == [q.group.frameIdentifier] + (q.group == .enterprises ? ["phone"] : []))
                #expect((q.calls != nil) == (q.group == .enterprises))
            }
        }
        #expect(groups == [.deputies, .enterprises, .urban, .rural])
        let enterprises = try Questionnaire.load(path: shipped("surveys/questionnaires/enterprises.yaml"))
        #expect(enterprises.item("q_business_env")?.label == "对本地营商环境的总体评价")
        #expect(enterprises.item("q_approval_days")?.when?.source == "q_approval == 1")
        #expect(enterprises.item("q_approval_days")?.kind == .number(minimum: 0, maximum: 365, decimals: 0))
    }

    @Test func definitionSurvivesJSON() throws {
        let q = try Questionnaire.load(path: shipped("surveys/questionnaires/urban.yaml"))
        let data = try JSONEncoder().encode(q)
        let back = try JSONDecoder().decode(Questionnaire.self, from: data)
        #expect(back == q)
        #expect(back.item("q_education")?.when?.holds { $0 == "q_students" ? "1" : nil } == true)
    }

    static let header = """
        id: t
        version: 1
        title: 测试
        group: urban
        scale: {id: s, tiers: [{code: 1, label: 好, score: 100, satisfied: true}, {code: 2, label: 差, score: 0, satisfied: false}], specials: [{code: 7, label: 说不清, role: dont-know}]}
        units: [{id: D01, label: 甲局}, {id: D02, label: 乙局}]

        """

    static func load(_ body: String) throws(DefinitionError) -> Questionnaire {
        try Questionnaire(yaml: YAMLValue.parse(header + body, file: "q.yaml"), directory: shipped("surveys/questionnaires"))
    }

    @Test(arguments: [
        ("items:\n  - {name: a, type: number, label: 甲, when: b == 1}\n  - {name: b, type: number, label: 乙}",
         "q.yaml:8:45: items[1].when: the condition reads 'b', which is not an earlier item; the items before it are D01, D02"),
        ("items:\n  - {name: a, type: choice, label: 甲}",
         "q.yaml:8:21: items[1].type: unknown item type 'choice'; the types are tier, single, number, text"),
        ("items:\n  - {name: weight, type: number, label: 甲}",
         "q.yaml:8:12: items[1].name: item name 'weight' is reserved for a column of entry files and exports; choose another name"),
        ("items:\n  - {name: D01, type: number, label: 甲}",
         "q.yaml:8:12: items[1].name: item name 'D01' is used twice (units are named by their ids); give every item its own name"),
        ("items:\n  - {name: a, type: number, label: 甲, range: [20, 1]}",
         "q.yaml:8:46: items[1].range: the range's lower bound exceeds its upper bound; write [low, high]"),
        ("items:\n  - {name: a, type: number, label: 甲, when: 'b ==='}",
         "q.yaml:8:45: items[1].when: cannot read the condition 'b ===': expected a number or a quoted text at character 5; write e.g. members >= 3, q_use in [1, 2], a == 1 and b != 2"),
        ("items:\n  - {name: a, type: tier, label: 甲, choices: {1: x, 2: y}}",
         "q.yaml:8:46: items[1].choices: 'choices' does not apply to a tier item; remove it or change the type"),
        ("items:\n  - {name: 第一题, type: tier, label: 甲}",
         "q.yaml:8:12: items[1].name: item name '第一题' is not an ASCII variable name; use at most 32 letters, digits or '_', starting with a letter (SPSS and Stata need this)"),
        ("own_town: {units: {file: ../../datasets/units.csv, class: village}}",
         "q.yaml:7:19: own_town.units: no unit of class 'village' in \(shipped("surveys/questionnaires"))/../../datasets/units.csv; the classes are department, town"),
        ("unit: []", "q.yaml:7:7: unknown key 'unit'; did you mean 'units'?"),
        ("online: {layout: wizard}", "q.yaml:7:18: online.layout: unknown layout 'wizard'; write page (one scrolling page) or one-per-screen"),
        ("online: {partial-above: 120%}",
         "q.yaml:7:25: online.partial-above: partial-above 1.2 is not a share from 0 up to 1; write e.g. 50%: saved answers covering more than half the applicable items count as a partial form at the deadline"),
    ])
    func rejectsBadQuestionnaires(body: String, message: String) throws {
        do {
            _ = try QuestionnaireTests.load(body)
            Issue.record("accepted: \(body)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func onlineRulesAreReadAndKeptInJSON() throws {
        let q = try QuestionnaireTests.load("online: {layout: one-per-screen, partial-above: 50%}")
        #expect(q.online == OnlineRules(layout: .onePerScreen, partialAbove: 0.5))
        #expect(try JSONDecoder().decode(Questionnaire.self, from: JSONEncoder().encode(q)) == q)
        #expect(try QuestionnaireTests.load("").online == nil)
    }

    @Test func unitsByIdFromTheUnitsFile() throws {
        let q = try QuestionnaireTests.load("items: []").self
        #expect(q.units.map(\.id) == ["D01", "D02"])
        let yaml = try YAMLValue.parse("""
            id: t
            version: 2
            title: 测试
            group: deputies
            scale: four-tier
            units: {file: ../../datasets/units.csv, ids: [D03, T05]}
            """, file: "q.yaml")
        let picked = try Questionnaire(yaml: yaml, directory: shipped("surveys/questionnaires"))
        #expect(picked.units == [EvaluatedUnit(id: "D03", name: "市发改局"), EvaluatedUnit(id: "T05", name: "青山镇")])
        #expect(picked.scale.tiers.count == 4)
        #expect(picked.listColumns == ["person_id"])
    }
}
