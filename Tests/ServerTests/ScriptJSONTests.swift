import Markup
import Testing

@Suite("JSON inside a script element")
struct ScriptJSONTests {
    struct Item: Encodable {
        let label: String
        let codes: [String: String]
    }

    @Test func nothingInTheTextCanCloseTheElement() {
        let item = Item(label: "</script><b>满意&\u{2028}不满意\u{2029}", codes: ["1": "满意", "9": "a>b"])
        #expect(scriptJSON(item).text == #"{"codes":{"1":"满意","9":"a\u003eb"},"label":"\u003c/script\u003e\u003cb\u003e满意\u0026\u2028不满意\u2029"}"#)
        // Other three-byte characters beginning with E2 80 (… and ‘) are copied as they are.
        #expect(scriptJSON(["…‘", "\u{2027}"]).text == "[\"…‘\",\"\u{2027}\"]")
    }
}
