import Foundation
import Tables
public import Yams

/// A node of a YAML definition file that knows where it is, so every error it raises names the
/// file, line, column and key path (`stages[2].allocation.total`).
///
/// Definitions are read through this type rather than `Codable` so that a wrong type, a missing
/// key or a misspelt key is reported at its place in the file, with the keys that are allowed.
public struct YAMLValue: @unchecked Sendable {
    public let node: Node
    public let file: String
    /// The key path from the root, for messages.
    public let path: String

    /// Reads and parses a YAML file.
    public static func load(path: String, name: String? = nil) throws(DefinitionError) -> YAMLValue {
        let display = name ?? path
        let text: String
        do {
            text = try readTextFile(path: path, name: display)
        } catch {
            throw DefinitionError(file: display, line: error.line, column: error.column,
                                  message: error.message,
                                  hint: error.kind == .io ? "check the path" : error.hint)
        }
        return try parse(text, file: display)
    }

    /// Parses YAML text.
    public static func parse(_ text: String, file: String) throws(DefinitionError) -> YAMLValue {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw DefinitionError.from(error, file: file)
        } catch {
            throw DefinitionError(file: file, message: "cannot parse the YAML (\(error))", hint: "check its indentation and quoting")
        }
        guard let root else {
            throw DefinitionError(file: file, line: 1, message: "the file is empty", hint: "write the definition as YAML")
        }
        return YAMLValue(node: root, file: file, path: "")
    }

    public var line: Int? { node.mark?.line }
    public var column: Int? { node.mark?.column }

    /// An error located at this node.
    public func error(_ message: String, hint: String = "") -> DefinitionError {
        let where_ = path.isEmpty ? "" : "\(path): "
        return DefinitionError(file: file, line: line, column: column, message: where_ + message, hint: hint)
    }

    private func child(_ node: Node, _ component: String) -> YAMLValue {
        YAMLValue(node: node, file: file, path: path.isEmpty ? component : (component.hasPrefix("[") ? path + component : path + "." + component))
    }

    // MARK: Scalars

    public var isNull: Bool {
        if case .scalar(let s) = node, s.tag == .implicit || s.string == "~" || s.string == "null" {
            return s.string == "" || s.string == "~" || s.string == "null"
        }
        return false
    }

    /// The node as text; numbers and booleans are returned as written.
    public func string() throws(DefinitionError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected text, found \(kind)") }
        return scalar.string
    }

    public func int() throws(DefinitionError) -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string.trimmingCharacters(in: .whitespaces)) else {
            throw error("expected a whole number, found \(describe)")
        }
        return value
    }

    public func double() throws(DefinitionError) -> Double {
        guard case .scalar(let scalar) = node else { throw error("expected a number, found \(kind)") }
        var text = scalar.string.trimmingCharacters(in: .whitespaces)
        var percent = false
        if text.hasSuffix("%") {
            percent = true
            text.removeLast()
        }
        guard let value = Double(text), value.isFinite else {
            throw error("expected a number, found \(describe)")
        }
        return percent ? value / 100 : value
    }

    public func bool() throws(DefinitionError) -> Bool {
        guard case .scalar(let scalar) = node else { throw error("expected true or false, found \(kind)") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, found \(describe)")
        }
    }

    // MARK: Collections

    public func sequence() throws(DefinitionError) -> [YAMLValue] {
        guard case .sequence(let items) = node else { throw error("expected a list, found \(kind)") }
        return items.enumerated().map { child($1, "[\($0 + 1)]") }
    }

    /// A list of texts; a single text is accepted as a list of one.
    public func strings() throws(DefinitionError) -> [String] {
        if case .scalar = node { return [try string()] }
        var out: [String] = []
        for item in try sequence() { out.append(try item.string()) }
        return out
    }

    public func mapping() throws(DefinitionError) -> YAMLMapping {
        guard case .mapping(let pairs) = node else { throw error("expected keys and values, found \(kind)") }
        var entries: [(key: String, value: YAMLValue)] = []
        for (k, v) in pairs {
            guard case .scalar(let key) = k else {
                throw YAMLValue(node: k, file: file, path: path).error("a key must be text")
            }
            entries.append((key.string, child(v, key.string)))
        }
        return YAMLMapping(owner: self, entries: entries)
    }

    private var kind: String {
        switch node {
        case .scalar: "a single value"
        case .sequence: "a list"
        case .mapping: "keys and values"
        case .alias: "an alias"
        }
    }

    private var describe: String {
        if case .scalar(let s) = node { return "'\(s.string)'" }
        return kind
    }
}

/// The keys of a YAML mapping, in file order.
public struct YAMLMapping: Sendable {
    public let owner: YAMLValue
    public let entries: [(key: String, value: YAMLValue)]

    public var keys: [String] { entries.map(\.key) }

    public subscript(_ key: String) -> YAMLValue? {
        entries.first { $0.key == key }?.value
    }

    /// The value of a key that must be present.
    public func require(_ key: String) throws(DefinitionError) -> YAMLValue {
        guard let value = self[key] else {
            throw owner.error("missing key '\(key)'", hint: "add \(key): …")
        }
        return value
    }

    /// Rejects keys outside `allowed`, suggesting the closest allowed key.
    public func allowOnly(_ allowed: [String]) throws(DefinitionError) {
        for (key, value) in entries where !allowed.contains(key) {
            let suggestion = allowed.min { editDistance($0, key) < editDistance($1, key) }
            let hint = suggestion.map { editDistance($0, key) <= 2 ? "did you mean '\($0)'?" : "" } ?? ""
            throw YAMLValue(node: value.node, file: owner.file, path: owner.path)
                .error("unknown key '\(key)'", hint: hint.isEmpty ? "the keys here are \(allowed.joined(separator: ", "))" : hint)
        }
    }

    public func optionalString(_ key: String) throws(DefinitionError) -> String? {
        guard let v = self[key], !v.isNull else { return nil }
        return try v.string()
    }

    public func optionalInt(_ key: String) throws(DefinitionError) -> Int? {
        guard let v = self[key], !v.isNull else { return nil }
        return try v.int()
    }

    public func optionalDouble(_ key: String) throws(DefinitionError) -> Double? {
        guard let v = self[key], !v.isNull else { return nil }
        return try v.double()
    }

    public func optionalBool(_ key: String) throws(DefinitionError) -> Bool? {
        guard let v = self[key], !v.isNull else { return nil }
        return try v.bool()
    }

    public func optionalStrings(_ key: String) throws(DefinitionError) -> [String]? {
        guard let v = self[key], !v.isNull else { return nil }
        return try v.strings()
    }
}

extension DefinitionError {
    static func from(_ error: YamlError, file: String) -> DefinitionError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let what = context.map { "\(problem) \($0.text)" } ?? problem
            return DefinitionError(file: file, line: mark.line, column: mark.column,
                                   message: "YAML syntax: \(what)", hint: "check indentation, colons and quotes")
        case let .duplicatedKeysInMapping(duplicates, context):
            return DefinitionError(file: file, line: context.mark.line, column: context.mark.column,
                                   message: "key \(duplicates.joined(separator: ", ")) appears twice", hint: "keep one of them")
        default:
            return DefinitionError(file: file, message: "cannot parse the YAML: \(error)", hint: "check the file")
        }
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var current = [i] + [Int](repeating: 0, count: b.count)
        for j in 1...max(b.count, 1) where !b.isEmpty {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return a.isEmpty ? b.count : previous[b.count]
}
