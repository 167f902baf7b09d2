/// A skip condition (`when:`), e.g. `members >= 3`, `q_use in [1, 2]`,
/// `q_use == 1 and members > 2`, `not (q_kind == 3)`.
///
/// Grammar: `or := and ('or' and)*`, `and := unary ('and' unary)*`,
/// `unary := 'not' unary | '(' or ')' | NAME OP LITERAL | NAME 'in' '[' LITERAL (',' LITERAL)* ']'`,
/// OP one of `== != < <= > >=`, LITERAL a number or a quoted text (`"…"` or `'…'`).
///
/// Evaluation: values compare as numbers when both sides are numbers, otherwise as text (text
/// supports only `==`, `!=`, `in`). A comparison with an item left empty is false, whatever the
/// operator (`!=` too), so an item that depends on an unanswered one is not asked.
public struct Condition: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The condition as written.
    public let source: String
    let expression: Expression

    /// The items the condition reads.
    public var names: [String] { expression.names }

    public var description: String { source }

    /// Parses a condition; the error message says what was expected where.
    public init(parsing source: String) throws(ConditionSyntaxError) {
        var parser = ConditionParser(source)
        self.source = source
        self.expression = try parser.parseAll()
    }

    /// Evaluates the condition; `value(name)` returns an item's answer or nil when empty.
    public func holds(_ value: (String) -> String?) -> Bool {
        expression.evaluate(value)
    }
}

extension Condition: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(source)
    }
}

/// Why a condition does not parse, with the character offset where it failed.
public struct ConditionSyntaxError: Error, Sendable, Equatable {
    public let message: String
    public let offset: Int
}

indirect enum Expression: Sendable, Equatable, Hashable {
    case and(Expression, Expression)
    case or(Expression, Expression)
    case not(Expression)
    case compare(String, ComparisonOperator, Literal)
    case member(String, [Literal])

    var names: [String] {
        switch self {
        case .and(let a, let b), .or(let a, let b): a.names + b.names
        case .not(let a): a.names
        case .compare(let n, _, _), .member(let n, _): [n]
        }
    }

    func evaluate(_ value: (String) -> String?) -> Bool {
        switch self {
        case .and(let a, let b): return a.evaluate(value) && b.evaluate(value)
        case .or(let a, let b): return a.evaluate(value) || b.evaluate(value)
        case .not(let a): return !a.evaluate(value)
        case .compare(let name, let op, let literal):
            guard let v = value(name) else { return false }
            return op.apply(v, literal)
        case .member(let name, let literals):
            guard let v = value(name) else { return false }
            return literals.contains { ComparisonOperator.equal.apply(v, $0) }
        }
    }
}

enum ComparisonOperator: String, Sendable, Equatable, Hashable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    func apply(_ value: String, _ literal: Literal) -> Bool {
        if case .number(let n) = literal, let v = Double(value) {
            switch self {
            case .equal: return v == n
            case .notEqual: return v != n
            case .less: return v < n
            case .lessOrEqual: return v <= n
            case .greater: return v > n
            case .greaterOrEqual: return v >= n
            }
        }
        let text: String
        switch literal {
        case .number(let n): text = formatScore(n)
        case .text(let t): text = t
        }
        switch self {
        case .equal: return value == text
        case .notEqual: return value != text
        case .less, .lessOrEqual, .greater, .greaterOrEqual: return false
        }
    }
}

enum Literal: Sendable, Equatable, Hashable {
    case number(Double)
    case text(String)
}

/// A recursive-descent parser over the characters of a condition.
struct ConditionParser {
    private let characters: [Character]
    private var position = 0

    init(_ source: String) {
        characters = Array(source)
    }

    mutating func parseAll() throws(ConditionSyntaxError) -> Expression {
        let e = try parseOr()
        skipSpaces()
        if position < characters.count {
            throw fail("unexpected '\(String(characters[position...]))'")
        }
        return e
    }

    private func fail(_ message: String) -> ConditionSyntaxError {
        ConditionSyntaxError(message: message + " at character \(position + 1)", offset: position)
    }

    private mutating func skipSpaces() {
        while position < characters.count && characters[position].isWhitespace { position += 1 }
    }

    /// Consumes `word` when it comes next as a whole word.
    private mutating func keyword(_ word: String) -> Bool {
        skipSpaces()
        let w = Array(word)
        guard position + w.count <= characters.count, Array(characters[position..<position + w.count]) == w else { return false }
        let after = position + w.count
        if after < characters.count, characters[after].isLetter || characters[after].isNumber || characters[after] == "_" { return false }
        position = after
        return true
    }

    private mutating func symbol(_ s: String) -> Bool {
        skipSpaces()
        let w = Array(s)
        guard position + w.count <= characters.count, Array(characters[position..<position + w.count]) == w else { return false }
        position += w.count
        return true
    }

    private mutating func parseOr() throws(ConditionSyntaxError) -> Expression {
        var left = try parseAnd()
        while keyword("or") { left = .or(left, try parseAnd()) }
        return left
    }

    private mutating func parseAnd() throws(ConditionSyntaxError) -> Expression {
        var left = try parseUnary()
        while keyword("and") { left = .and(left, try parseUnary()) }
        return left
    }

    private mutating func parseUnary() throws(ConditionSyntaxError) -> Expression {
        if keyword("not") { return .not(try parseUnary()) }
        if symbol("(") {
            let inner = try parseOr()
            guard symbol(")") else { throw fail("expected ')'") }
            return inner
        }
        let name = try parseName()
        if keyword("in") {
            guard symbol("[") else { throw fail("expected '[' after 'in'") }
            var literals = [try parseLiteral()]
            while symbol(",") { literals.append(try parseLiteral()) }
            guard symbol("]") else { throw fail("expected ']' or ','") }
            return .member(name, literals)
        }
        for op in [ComparisonOperator.equal, .notEqual, .lessOrEqual, .greaterOrEqual, .less, .greater] where symbol(op.rawValue) {
            return .compare(name, op, try parseLiteral())
        }
        throw fail("expected a comparison (==, !=, <, <=, >, >=) or 'in' after '\(name)'")
    }

    private mutating func parseName() throws(ConditionSyntaxError) -> String {
        skipSpaces()
        let start = position
        while position < characters.count, characters[position].isASCII,
              characters[position].isLetter || characters[position].isNumber || characters[position] == "_" {
            position += 1
        }
        guard position > start, let first = characters[start].unicodeScalars.first, !("0"..."9").contains(first) else {
            position = start
            throw fail("expected an item name")
        }
        return String(characters[start..<position])
    }

    private mutating func parseLiteral() throws(ConditionSyntaxError) -> Literal {
        skipSpaces()
        guard position < characters.count else { throw fail("expected a number or a quoted text") }
        let quote = characters[position]
        if quote == "\"" || quote == "'" {
            position += 1
            let start = position
            while position < characters.count && characters[position] != quote { position += 1 }
            guard position < characters.count else { throw fail("unclosed quote") }
            let text = String(characters[start..<position])
            position += 1
            return .text(text)
        }
        let start = position
        while position < characters.count, characters[position].isNumber || "+-.eE".contains(characters[position]) {
            position += 1
        }
        guard position > start, let value = Double(String(characters[start..<position])) else {
            position = start
            throw fail("expected a number or a quoted text")
        }
        return .number(value)
    }
}
