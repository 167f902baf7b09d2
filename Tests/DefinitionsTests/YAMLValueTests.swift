import Testing
@testable import Definitions

@Suite("YAML definitions")
struct YAMLValueTests {
    let text = """
        name: 农村居民户
        stages:
          - unit: village
            allocation: {per-stratum: 2}
          - unit: household_id
            alocation: {per-unit: 15}
        share: 25%
        flag: yes
        """

    @Test func readsValuesWithTheirPlaces() throws {
        let root = try YAMLValue.parse(text, file: "d.yaml").mapping()
        #expect(try root.require("name").string() == "农村居民户")
        #expect(try root.require("share").double() == 0.25)
        #expect(try root.require("flag").bool())
        let stages = try root.require("stages").sequence()
        #expect(stages.count == 2)
        let allocation = try stages[0].mapping().require("allocation").mapping()
        #expect(try allocation.require("per-stratum").int() == 2)
        #expect(allocation.owner.path == "stages[1].allocation")
    }

    @Test func misspeltKeyIsLocatedWithASuggestion() throws {
        let root = try YAMLValue.parse(text, file: "d.yaml").mapping()
        let second = try root.require("stages").sequence()[1].mapping()
        do {
            try second.allowOnly(["unit", "allocation", "method"])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "d.yaml:6:16: stages[2]: unknown key 'alocation'; did you mean 'allocation'?")
        }
    }

    @Test func wrongTypeAndMissingKey() throws {
        let root = try YAMLValue.parse(text, file: "d.yaml").mapping()
        #expect(throws: DefinitionError.self) { try root.require("name").int() }
        do {
            _ = try root.require("id")
        } catch {
            #expect(error.description == "d.yaml:1:1: missing key 'id'; add id: …")
        }
    }

    @Test func syntaxErrorsAreLocated() {
        do {
            _ = try YAMLValue.parse("a: [1, 2\nb: 3\n", file: "bad.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "bad.yaml")
            #expect(error.line != nil)
            #expect(error.message.hasPrefix("YAML syntax"))
        }
    }

    @Test func editDistanceSuggestions() {
        #expect(editDistance("alocation", "allocation") == 1)
        #expect(editDistance("", "abc") == 3)
        #expect(editDistance("stratum", "strata") == 2)
    }
}
