import Definitions
import Formats

extension CallRules {
    static let keys = ["phones", "windows", "max-attempts", "lock-minutes", "retry-minutes", "quota", "callback", "seed", "finals"]
    static let dayKeys = ["weekdays", "weekend", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// The rules every questionnaire gets unless its `finals:` says otherwise, after AAPOR's
    /// Standard Definitions for telephone surveys (2016, Table 1 and §1.2): a completed
    /// interview 1.1, a break-off with answers 1.2, a firm refusal 2.11, an unable respondent
    /// 2.30, a case reached but not eligible 4.70, a number that does not work (or a fax) on
    /// every number 4.30; once the attempts are used up, a soft refusal stays a refusal (2.112),
    /// a case where a person was reached is a non-contact (2.21: the respondent never
    /// available), one never answered is of unknown eligibility (3.13).
    public static let defaultFinals: [FinalRule] = [
        FinalRule(last: [.complete], final: CallFinal(disposition: "complete", aapor: "1.1")),
        FinalRule(last: [.breakOff], final: CallFinal(disposition: "partial", aapor: "1.2")),
        FinalRule(last: [.hardRefusal], final: CallFinal(disposition: "refusal", aapor: "2.11")),
        FinalRule(last: [.unable], final: CallFinal(disposition: "other", aapor: "2.30")),
        FinalRule(last: [.ineligible], final: CallFinal(disposition: "not-eligible", aapor: "4.70")),
        FinalRule(everyNumber: [.nonWorking, .fax], final: CallFinal(disposition: "not-eligible", aapor: "4.30")),
        FinalRule(ever: [.softRefusal], exhausted: true, final: CallFinal(disposition: "refusal", aapor: "2.112")),
        FinalRule(exhausted: true, contact: true, final: CallFinal(disposition: "non-contact", aapor: "2.21")),
        FinalRule(exhausted: true, contact: false, final: CallFinal(disposition: "unknown", aapor: "3.13")),
    ]

    /// Reads the `calls:` section.
    init(yaml: YAMLValue) throws(DefinitionError) {
        let map = try yaml.mapping()
        try map.allowOnly(CallRules.keys)
        let phonesNode = try map.require("phones")
        let phones: [String]
        if case .scalar = phonesNode.node { phones = [try phonesNode.string()] } else { phones = try phonesNode.strings() }
        guard !phones.isEmpty else { throw phonesNode.error("no phone column", hint: "name the list columns with the numbers, e.g. phones: [phone]") }

        var windows = [[CallWindow]](repeating: [], count: 7)
        let windowsNode = try map.require("windows")
        let days = try windowsNode.mapping()
        try days.allowOnly(CallRules.dayKeys)
        for key in days.keys {
            guard let node = days[key] else { continue }
            var parsed: [CallWindow] = []
            for w in try node.sequence() { parsed.append(try CallRules.window(w)) }
            let weekdays: [Int] = switch key {
            case "weekdays": [1, 2, 3, 4, 5]
            case "weekend": [0, 6]
            default: [CallRules.dayKeys.firstIndex(of: key).map { ($0 - 2 + 1) % 7 } ?? 0]
            }
            for d in weekdays { windows[d] = parsed }
        }
        guard windows.contains(where: { !$0.isEmpty }) else {
            throw windowsNode.error("no calling window", hint: "give at least one, e.g. weekdays: [18:30-21:00]")
        }

        let maxAttempts = try map.optionalInt("max-attempts") ?? 6
        if maxAttempts < 1 { throw try map.require("max-attempts").error("max-attempts \(maxAttempts) is not at least 1", hint: "e.g. max-attempts: 6") }
        let lockMinutes = try map.optionalInt("lock-minutes") ?? 20
        if lockMinutes < 1 { throw try map.require("lock-minutes").error("lock-minutes \(lockMinutes) is not at least 1", hint: "e.g. lock-minutes: 20 (how long a case stays with its interviewer)") }

        var retry: [CallOutcome: Int] = [.busy: 15, .noAnswer: 90, .answeringMachine: 120, .notAvailable: 60, .softRefusal: 1440, .callBack: 0]
        if let node = map["retry-minutes"] {
            let m = try node.mapping()
            for key in m.keys {
                guard let value = m[key] else { continue }
                let outcome = try CallRules.outcome(key, at: value)
                let minutes = try value.int()
                guard minutes >= 0 else {
                    throw value.error("retry-minutes for \(key) is \(minutes), a negative delay", hint: "give the minutes to wait before calling again, 0 or more")
                }
                retry[outcome] = minutes
            }
        }
        var stopAtQuota = false
        if let node = map["quota"] {
            let text = try node.string()
            guard text == "stop" || text == "none" else {
                throw node.error("unknown quota rule '\(text)'", hint: "write stop (a stratum that reached its target gets no fresh cases) or none")
            }
            stopAtQuota = text == "stop"
        }
        var share = 0.0, items: [String] = []
        if let node = map["callback"] {
            let m = try node.mapping()
            try m.allowOnly(["share", "items"])
            let shareNode = try m.require("share")
            share = try shareNode.double()
            guard (0...1).contains(share) else { throw shareNode.error("callback share \(share) is not between 0 and 1", hint: "e.g. share: 10%") }
            items = try m.optionalStrings("items") ?? []
        }
        let seed = try map.optionalInt("seed") ?? 20_170_401
        var finals = CallRules.defaultFinals
        if let node = map["finals"] {
            finals = []
            for rule in try node.sequence() { finals.append(try CallRules.finalRule(rule)) }
            guard !finals.isEmpty else { throw node.error("no final rule", hint: "leave finals out for the AAPOR defaults, or list rules") }
        }
        self.init(phones: phones, windows: windows, maxAttempts: maxAttempts, lockMinutes: lockMinutes, retryMinutes: retry,
                  stopAtQuota: stopAtQuota, callbackShare: share, callbackItems: items, seed: UInt32(truncatingIfNeeded: seed), finals: finals)
    }

    /// `18:30-21:00`.
    static func window(_ node: YAMLValue) throws(DefinitionError) -> CallWindow {
        let text = try node.string()
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        func minutes(_ s: String) -> Int? {
            let hm = s.split(separator: ":")
            guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440 else { return nil }
            return h * 60 + m
        }
        guard parts.count == 2, let start = minutes(parts[0]), let end = minutes(parts[1]) else {
            throw node.error("'\(text)' is not a window HH:MM-HH:MM", hint: "e.g. 18:30-21:00")
        }
        guard end > start else {
            throw node.error("the window \(text) ends before it starts", hint: "write the start first, e.g. 18:30-21:00; a window may not pass midnight")
        }
        return CallWindow(start: start, end: end)
    }

    static func outcome(_ text: String, at node: YAMLValue) throws(DefinitionError) -> CallOutcome {
        guard let outcome = CallOutcome(rawValue: text) else {
            throw node.error("unknown outcome code '\(text)'", hint: "the codes are \(CallOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return outcome
    }

    static func outcomes(_ node: YAMLValue?) throws(DefinitionError) -> [CallOutcome]? {
        guard let node else { return nil }
        let texts: [String]
        if case .scalar = node.node { texts = [try node.string()] } else { texts = try node.strings() }
        var out: [CallOutcome] = []
        for t in texts { out.append(try outcome(t, at: node)) }
        return out
    }

    static func finalRule(_ node: YAMLValue) throws(DefinitionError) -> FinalRule {
        let m = try node.mapping()
        try m.allowOnly(["last", "ever", "every-number", "exhausted", "days", "contact", "final", "aapor"])
        let finalNode = try m.require("final")
        let text = try finalNode.string()
        guard let disposition = Disposition(rawValue: text), disposition != .pending else {
            throw finalNode.error("unknown final disposition '\(text)'",
                                  hint: "use \(Disposition.allCases.filter { $0 != .pending }.map(\.rawValue).joined(separator: ", "))")
        }
        let aaporNode = try m.require("aapor")
        let aapor = try aaporNode.string()
        guard let first = aapor.first, "1234".contains(first), aapor.dropFirst().first == ".", aapor.count >= 3,
              aapor.dropFirst(2).allSatisfy(\.isNumber) else {
            throw aaporNode.error("'\(aapor)' is not an AAPOR disposition code", hint: "e.g. \"2.11\" (quoted, so that YAML keeps it as text)")
        }
        let rule = FinalRule(last: try outcomes(m["last"]), ever: try outcomes(m["ever"]), everyNumber: try outcomes(m["every-number"]),
                             exhausted: try m.optionalBool("exhausted"), days: try m.optionalInt("days"), contact: try m.optionalBool("contact"),
                             final: CallFinal(disposition: text, aapor: aapor), line: node.line)
        guard rule.last != nil || rule.ever != nil || rule.everyNumber != nil || rule.exhausted != nil || rule.contact != nil else {
            throw node.error("the rule has no condition", hint: "give last, ever, every-number, exhausted or contact")
        }
        if let days = rule.days, days < 1 { throw node.error("days \(days) is not at least 1", hint: "the attempts must span this many days") }
        return rule
    }
}
