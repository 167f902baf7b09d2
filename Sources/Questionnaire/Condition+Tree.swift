/// A skip condition as nested arrays, for a program outside Swift (the keying page's script) to
/// evaluate with the same rules as ``Condition/holds(_:)``:
/// `["and", A, B]`, `["or", A, B]`, `["not", A]`, `["cmp", NAME, OP, LITERAL]`,
/// `["in", NAME, [LITERAL, …]]`; a number literal is a JSON number, a text literal `{"text": "…"}`.
public indirect enum ConditionTree: Sendable, Equatable, Encodable {
    case and(ConditionTree, ConditionTree)
    case or(ConditionTree, ConditionTree)
    case not(ConditionTree)
    case compare(name: String, operator: String, literal: ConditionLiteral)
    case member(name: String, literals: [ConditionLiteral])

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        switch self {
        case .and(let a, let b): try c.encode("and"); try c.encode(a); try c.encode(b)
        case .or(let a, let b): try c.encode("or"); try c.encode(a); try c.encode(b)
        case .not(let a): try c.encode("not"); try c.encode(a)
        case .compare(let name, let op, let literal): try c.encode("cmp"); try c.encode(name); try c.encode(op); try c.encode(literal)
        case .member(let name, let literals): try c.encode("in"); try c.encode(name); try c.encode(literals)
        }
    }
}

/// A literal of a condition: a number, or a text (`{"text": "…"}` in JSON).
public enum ConditionLiteral: Sendable, Equatable, Encodable {
    case number(Double)
    case text(String)

    private enum Key: String, CodingKey { case text }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .number(let n):
            var c = encoder.singleValueContainer()
            try c.encode(n)
        case .text(let t):
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(t, forKey: .text)
        }
    }
}

extension Condition {
    /// The condition as a ``ConditionTree``.
    public var tree: ConditionTree { expression.tree }
}

extension Expression {
    var tree: ConditionTree {
        switch self {
        case .and(let a, let b): .and(a.tree, b.tree)
        case .or(let a, let b): .or(a.tree, b.tree)
        case .not(let a): .not(a.tree)
        case .compare(let name, let op, let literal): .compare(name: name, operator: op.rawValue, literal: literal.tree)
        case .member(let name, let literals): .member(name: name, literals: literals.map(\.tree))
        }
    }
}

extension Literal {
    var tree: ConditionLiteral {
        switch self {
        case .number(let n): .number(n)
        case .text(let t): .text(t)
        }
    }
}
