@testable import Server
import Testing

@Suite("The API's JSON reader")
struct JSONValueTests {
    func parse(_ text: String) throws(JSONValue.SyntaxError) -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    @Test func valuesEscapesAndOrder() throws {
        let value = try parse(#" {"b": [1, -0.5, 2e3, true, false, null], "a": "x\"\\\/\b\f\n\r\t\u00e9\u6ee1\ud83d\ude00", "c": {}} "#)
        #expect(value == .object([
            ("b", .array([.number("1"), .number("-0.5"), .number("2e3"), .bool(true), .bool(false), .null])),
            ("a", .string("x\"\\/\u{08}\u{0C}\n\r\té满😀")),
            ("c", .object([])),
        ]))
        #expect(try parse("\"满意\"") == .string("满意"))
        #expect(try parse("[]") == .array([]))
    }

    @Test(arguments: [
        ("", "not JSON: a value at byte 1"),
        ("{", "not JSON: a member name in double quotes at byte 2"),
        ("{\"a\" 1}", "not JSON: ':' after a member name at byte 6"),
        ("{\"a\": 1,}", "not JSON: a member name in double quotes at byte 9"),
        ("[1 2]", "not JSON: ',' or ']' in an array at byte 4"),
        ("01", "not JSON: the end of the text at byte 2"),
        ("1.", "not JSON: a digit after '.' at byte 3"),
        ("-", "not JSON: a digit at byte 2"),
        ("\"abc", "not JSON: a closing '\"' at byte 5"),
        ("\"a\u{01}\"", "not JSON: no control character inside a string (write it as an escape) at byte 3"),
        ("\"\\x\"", "not JSON: one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX at byte 3"),
        ("\"\\ud83d\"", "not JSON: the second half of a surrogate pair at byte 8"),
        ("\"\\ude00\"", "not JSON: a first half before the second half of a surrogate pair at byte 8"),
        ("tru", "not JSON: 'true' at byte 4"),
        ("[1] x", "not JSON: the end of the text at byte 5"),
    ])
    func refusals(text: String, message: String) {
        #expect(throws: JSONValue.SyntaxError.self) { try parse(text) }
        do { _ = try parse(text) } catch { #expect(error.description == message) }
    }

    @Test func invalidUTF8AndDeepNesting() {
        do {
            _ = try JSONValue.parse([0x22, 0xE6, 0xBB, 0x22])
            Issue.record("invalid UTF-8 was accepted")
        } catch {
            #expect(error.description == "not JSON: UTF-8 text in a string at byte 4")
        }
        #expect(throws: JSONValue.SyntaxError.self) { try parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) }
        #expect(throws: Never.self) { try parse(String(repeating: "[", count: 60) + String(repeating: "]", count: 60)) }
    }

    @Test func formsRequests() throws {
        let request = try APIController.FormsRequest.read(Array(#"""
            {"questionnaire": "urban", "pass": 2, "version": null, "forms": [
              {"case_id": "U-01-0001", "answers": {"D01": "1", "members": 3, "q_rate": 2.50, "big": 3e0, "none": null}}]}
            """#.utf8))
        #expect(request.questionnaire == "urban" && request.pass == 2 && request.version == nil && request.forms.count == 1)
        let answers = request.forms[0].answers.mapValues { $0.text ?? "(null)" }
        #expect(answers == ["D01": "1", "members": "3", "q_rate": "2.5", "big": "3", "none": "(null)"])
        func message(_ text: String) -> String? {
            do { _ = try APIController.FormsRequest.read(Array(text.utf8)); return nil } catch { return error.message }
        }
        #expect(message("[]") == "the body is not a JSON object")
        #expect(message(#"{"questionnaire": "u", "pass": 1}"#) == "no forms")
        #expect(message(#"{"questionnaire": "u", "pass": "1", "forms": []}"#) == "wrong type at pass")
        #expect(message(#"{"pass": 1, "forms": []}"#) == "no questionnaire")
        #expect(message(#"{"questionnaire": "u", "pass": 1, "forms": [{"answers": {}}]}"#) == "no forms.0.case_id")
        #expect(message(#"{"questionnaire": "u", "pass": 1, "forms": [{"case_id": 7, "answers": {}}]}"#) == "wrong type at forms.0.case_id")
        #expect(message(#"{"questionnaire": "u", "pass": 1, "forms": [{"case_id": "a", "answers": {"D01": [1]}}]}"#) == "wrong type at forms.0.answers.D01")
        #expect(message(#"{"questionnaire": "u", "pass": 1, "version": "1", "forms": []}"#) == "wrong type at version")
        #expect(message("{") == "not JSON: a member name in double quotes at byte 2")
    }
}
