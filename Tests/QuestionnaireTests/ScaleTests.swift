import Definitions
import Foundation
import Questionnaire
import Testing

/// The repository's root, from this file's path.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func shipped(_ path: String) -> String {
    root.appendingPathComponent(path).path
}

@Suite("Scales")
struct ScaleTests {
    @Test func fourTierScale() throws {
        let scale = try Scale.load(path: shipped("surveys/scales/four-tier.yaml"))
        #expect(scale.id == "four-tier")
        #expect(scale.tiers.map(\.code) == [1, 2, 3, 4])
        #expect(scale.tiers.map(\.label) == ["满意", "比较满意", "基本满意", "不满意"])
        #expect(scale.tiers.map(\.score) == [100, 80, 60, 0])
        #expect(scale.tiers.map(\.satisfied) == [true, true, true, false])
        #expect(scale.specials.map(\.code) == [6, 7, 8, 9])
        #expect(scale.specials.map(\.role) == [.notApplicable, .dontKnow, .refused, .invalid])
        #expect(scale.special(role: .dontKnow)?.label == "不了解/说不清")
        #expect(scale.lookup(code: 2) == .tier(Tier(code: 2, label: "比较满意", score: 80, satisfied: true)))
        #expect(scale.lookup(code: 9) == .special(SpecialCode(code: 9, label: "无效（多选）", role: .invalid)))
        #expect(scale.lookup(code: 5) == nil)
        #expect(scale.codesDescription == "1–4, 6–9")
    }

    @Test func fiveTierScale() throws {
        let scale = try Scale.load(path: shipped("surveys/scales/five-tier.yaml"))
        #expect(scale.tiers.map(\.label) == ["很满意", "满意", "基本满意", "不太满意", "不满意"])
        #expect(scale.tiers.map(\.score) == [100, 80, 60, 30, 0])
        #expect(scale.tiers.filter(\.satisfied).map(\.code) == [1, 2, 3])
        #expect(scale.tier(code: 4)?.score == 30)
        #expect(scale.special(code: 8)?.role == .refused)
        #expect(scale.codesDescription == "1–9")
    }

    @Test(arguments: [
        ("tiers:\n  - {code: 1, label: a, score: 100, satisfied: true}\n  - {code: 1, label: b, score: 0, satisfied: false}",
         "s.yaml:4:12: tiers[2].code: code 1 is used twice (also for a); give every tier and special code its own code"),
        ("tiers:\n  - {code: 12, label: a, score: 100, satisfied: true}\n  - {code: 2, label: b, score: 0, satisfied: false}",
         "s.yaml:3:12: tiers[1].code: code 12 is not a single keystroke; use a code from 0 to 9"),
        ("tiers:\n  - {code: 1, label: a, score: 120, satisfied: true}\n  - {code: 2, label: b, score: 0, satisfied: false}",
         "s.yaml:3:32: tiers[1].score: score 120 is outside 0–100; scores are on the 100-point basis (百分制)"),
        ("tiers:\n  - {code: 1, label: a, score: 100, satisfied: true}\n  - {code: 2, label: b, score: 0, satisfied: false}\nspecials:\n  - {code: 7, label: c, role: dontknow}",
         "s.yaml:6:31: specials[1].role: unknown role 'dontknow'; the roles are not-applicable, dont-know, refused, invalid"),
        ("tiers:\n  - {code: 1, label: a, score: 100, satisfied: true}",
         "s.yaml:3:3: tiers: a scale needs at least two tiers; list the tiers from best to worst"),
        ("tiers:\n  - {code: 1, label: a, score: 100, satisfied: true, color: red}",
         "s.yaml:3:61: tiers[1]: unknown key 'color'; the keys here are code, label, score, satisfied"),
    ])
    func rejectsBadScales(body: String, message: String) throws {
        let yaml = try YAMLValue.parse("id: s\n" + body, file: "s.yaml")
        #expect(throws: DefinitionError.self) { try Scale(yaml: yaml) }
        do {
            _ = try Scale(yaml: yaml)
        } catch {
            #expect(error.description == message)
        }
    }
}
