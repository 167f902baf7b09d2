import Tables

/// Checks and normalises the answers of one form against a questionnaire: codes of the scale or
/// of the choices, number ranges and decimals, text length, required items and skips (`when`).
///
/// Build one checker per questionnaire and reuse it for every form (it precomputes lookups).
/// Answers are given in ``Questionnaire/items`` order; `nil` or blank text is an empty answer.
///
/// Rules, per item:
/// - asked (no `when`, or its condition holds) and required: an answer must be keyed;
/// - not asked (its `when` does not hold): the answer must be empty (a skip violation otherwise);
/// - scale items: a code of the scale (tiers or special codes), keyed as a whole number;
/// - single choice: one of the choice codes; number: within the range, at most `decimals`
///   digits after the point; text: at most `max_length` characters.
///
/// Conditions read the normalised answers of earlier items.
public struct FormChecker: Sendable {
    public let questionnaire: Questionnaire
    private let indexByName: [String: Int]
    /// For scale and single-choice items: `allowed[item][code]` for codes 0…9 (fast path).
    private let allowedDigit: [[Bool]]
    private let allowedCodes: [Set<Int>]

    public init(_ questionnaire: Questionnaire) {
        self.questionnaire = questionnaire
        var index: [String: Int] = [:]
        for (i, item) in questionnaire.items.enumerated() { index[item.name] = i }
        indexByName = index
        let scaleCodes = Set(questionnaire.scale.codes)
        allowedCodes = questionnaire.items.map { item in
            switch item.kind {
            case .unit, .ownTown, .tier: scaleCodes
            case .single(let choices): Set(choices.map(\.code))
            case .number, .text: []
            }
        }
        allowedDigit = allowedCodes.map { codes in (0...9).map { codes.contains($0) } }
    }

    /// Checks one form, replacing each answer by its normal form (trimmed, codes and numbers
    /// without leading zeros or `+`, empty text as nil).
    /// - Returns: the problems, in item order; empty when the form is acceptable.
    /// - Complexity: O(items + the size of the conditions).
    public func check(_ answers: inout [String?]) -> [ItemProblem] {
        precondition(answers.count == questionnaire.items.count, "one answer per item")
        var problems: [ItemProblem] = []
        for (i, item) in questionnaire.items.enumerated() {
            let asked = item.when.map { condition in
                condition.holds { name in indexByName[name].flatMap { answers[$0] } }
            } ?? true
            let raw = answers[i]
            guard let raw, let text = normalisedText(raw) else {
                answers[i] = nil
                if asked && item.required {
                    problems.append(ItemProblem(item: i, message: "\(item.name) (\(item.label)) is empty", hint: emptyHint(item), isMissing: true))
                }
                continue
            }
            guard asked else {
                answers[i] = text
                problems.append(ItemProblem(item: i,
                                            message: "\(item.name) is answered ('\(text)') but is skipped: its condition \(item.when?.source ?? "") does not hold",
                                            hint: "leave \(item.name) empty, or correct the answers the condition reads"))
                continue
            }
            if text.utf8.contains(0) {
                answers[i] = text
                problems.append(ItemProblem(item: i, message: "\(item.name) contains a NUL byte (0x00)",
                                            hint: "the answer is damaged: key it again"))
                continue
            }
            // Codes and numbers typed with full-width digits (an input method's, a WPS sheet's)
            // are the digits; a refused answer is quoted as it was typed.
            let ascii = halfWidth(text).trimmingWhitespace()
            switch item.kind {
            case .unit, .ownTown, .tier, .single:
                if let code = parseCode(ascii), (0...9).contains(code) ? allowedDigit[i][code] : allowedCodes[i].contains(code) {
                    answers[i] = String(code)
                } else {
                    answers[i] = text
                    problems.append(ItemProblem(item: i, message: "\(item.name) = '\(text)' is not \(codesPhrase(item))",
                                                hint: "key one of \(codesList(item))"))
                }
            case .number(let minimum, let maximum, let decimals):
                answers[i] = text
                guard let value = parseDecimal(ascii) else {
                    problems.append(ItemProblem(item: i, message: "\(item.name) = '\(text)' is not a number", hint: "key digits, e.g. 3"))
                    continue
                }
                let places = decimalPlaces(ascii)
                if places > decimals {
                    problems.append(ItemProblem(item: i, message: "\(item.name) = '\(text)' has \(places) digits after the point",
                                                hint: decimals == 0 ? "key a whole number" : "key at most \(decimals) digits after the point"))
                } else if let minimum, value < minimum {
                    problems.append(ItemProblem(item: i, message: "\(item.name) = \(text) is below \(rangeText(minimum, maximum))",
                                                hint: "check the paper form and key a value in range"))
                } else if let maximum, value > maximum {
                    problems.append(ItemProblem(item: i, message: "\(item.name) = \(text) is above \(rangeText(minimum, maximum))",
                                                hint: "check the paper form and key a value in range"))
                } else {
                    answers[i] = formatNumber(value, decimals: decimals, text: ascii)
                }
            case .text(let maxLength):
                answers[i] = text
                if let maxLength, text.count > maxLength {
                    problems.append(ItemProblem(item: i, message: "\(item.name) has \(text.count) characters, more than \(maxLength)",
                                                hint: "shorten the text to \(maxLength) characters"))
                }
            }
        }
        return problems
    }

    private func emptyHint(_ item: Item) -> String {
        guard item.usesScale else { return "key the answer" }
        let specials = questionnaire.scale.specials
            .filter { $0.role == .dontKnow || $0.role == .refused || $0.role == .notApplicable }
            .map { "\($0.code) \($0.label)" }
        return specials.isEmpty ? "key the answer" : "key the answer, or a special code (\(specials.joined(separator: ", ")))"
    }

    private func codesPhrase(_ item: Item) -> String {
        if case .single = item.kind { return "a choice of \(item.name)" }
        return "a code of \(questionnaire.scale.title) (\(questionnaire.scale.codesDescription))"
    }

    private func codesList(_ item: Item) -> String {
        switch item.kind {
        case .single(let choices):
            return choices.map { "\($0.code) \($0.label)" }.joined(separator: ", ")
        default:
            let scale = questionnaire.scale
            return (scale.tiers.map { "\($0.code) \($0.label)" } + scale.specials.map { "\($0.code) \($0.label)" })
                .joined(separator: ", ")
        }
    }
}

/// A problem with one answer of a form.
public struct ItemProblem: Sendable, Equatable, Hashable {
    /// The item's index in ``Questionnaire/items``.
    public let item: Int
    /// What is wrong, naming the item and the value.
    public let message: String
    /// What to do.
    public let hint: String
    /// The problem is only that a required item is empty (which a break-off's form may be).
    public let isMissing: Bool

    public init(item: Int, message: String, hint: String, isMissing: Bool = false) {
        self.item = item
        self.message = message
        self.hint = hint
        self.isMissing = isMissing
    }
}

/// Trimmed text, or nil when blank.
func normalisedText(_ s: String) -> String? {
    if let first = s.utf8.first, let last = s.utf8.last, first > 0x20, last > 0x20 { return s }
    let trimmed = s.trimmingWhitespace()
    return trimmed.isEmpty ? nil : trimmed
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let f = scalars.first, f.properties.isWhitespace { scalars.removeFirst() }
        while let l = scalars.last, l.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

/// A whole number keyed as digits with an optional sign; nil otherwise (so `3.0` is refused).
@inline(__always)
func parseCode(_ text: String) -> Int? {
    let utf8 = text.utf8
    if utf8.count == 1, let b = utf8.first, b >= 0x30, b <= 0x39 { return Int(b - 0x30) }
    return Int(text)
}

func rangeText(_ minimum: Double?, _ maximum: Double?) -> String {
    switch (minimum, maximum) {
    case let (lo?, hi?): "the range \(formatScore(lo))–\(formatScore(hi))"
    case let (lo?, nil): "the minimum \(formatScore(lo))"
    case let (nil, hi?): "the maximum \(formatScore(hi))"
    case (nil, nil): "the range"
    }
}

/// A number in its normal form: whole numbers without a point, others as keyed (trimmed of a
/// leading `+` and trailing zeros after the point).
func formatNumber(_ value: Double, decimals: Int, text: String) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    var t = text.hasPrefix("+") ? String(text.dropFirst()) : text
    if t.contains(".") {
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
    }
    return t
}

/// Digits after the point, not counting trailing zeros (`1200.50` has 1).
func decimalPlaces(_ text: String) -> Int {
    guard let point = text.firstIndex(of: "."), !text.contains("e"), !text.contains("E") else { return 0 }
    var fraction = text[text.index(after: point)...]
    while fraction.last == "0" { fraction.removeLast() }
    return fraction.count
}

/// Full-width ASCII forms (U+FF01…U+FF5E) and the ideographic space as their ASCII characters;
/// everything else unchanged (`Ｕ－０１` is `U-01`, `３` is `3`, as a Chinese input method types
/// them). Applied to codes, numbers and case numbers, never to text answers.
public func halfWidth(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { (0xFF01...0xFF5E).contains($0.value) || $0.value == 0x3000 }) else { return text }
    var scalars = String.UnicodeScalarView()
    for u in text.unicodeScalars {
        if (0xFF01...0xFF5E).contains(u.value), let a = Unicode.Scalar(u.value - 0xFEE0) { scalars.append(a) }
        else if u.value == 0x3000 { scalars.append(" ") }
        else { scalars.append(u) }
    }
    return String(scalars)
}
