import Foundation
import Yams

/// Reads one YAML mapping strictly: every key must be consumed by a typed accessor, and
/// `finish()` reports the first key nobody asked for. Errors carry the file, the node's line
/// and column, and the key path.
struct YAMLMappingReader {
    /// The file the mapping came from (for messages).
    let file: String
    /// The key path of this mapping (`""` at the root, `tiling`, `tasks[2]`).
    let path: String
    /// The mapping node itself (its mark locates "missing key" errors).
    let node: Node
    /// Key text, key node and value node, in file order.
    private let entries: [(key: String, keyNode: Node, value: Node)]
    /// Keys read so far.
    private var consumed: Set<String> = []

    /// Wraps `node`, which must be a mapping whose keys are plain strings.
    init(_ node: Node, file: String, path: String) throws {
        self.file = file
        self.path = path
        self.node = node
        guard let mapping = node.mapping else {
            throw Self.error(
                file: file, node: node, key: path.isEmpty ? nil : path,
                reason: "expected a mapping of keys to values")
        }
        var entries: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw Self.error(
                    file: file, node: keyNode, key: path.isEmpty ? nil : path,
                    reason: "keys must be plain strings")
            }
            entries.append((scalar.string, keyNode, value))
        }
        self.entries = entries
    }

    /// The key path of `key` inside this mapping.
    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// An error located at `node` (or at this mapping).
    func error(_ key: String?, at node: Node? = nil, _ reason: String) -> PipelineDefinitionError {
        Self.error(file: file, node: node ?? self.node, key: key.map(keyPath), reason: reason)
    }

    /// An error located at `node`'s mark.
    static func error(file: String, node: Node, key: String?, reason: String)
        -> PipelineDefinitionError
    {
        PipelineDefinitionError(
            file: file, line: node.mark?.line, column: node.mark?.column, key: key, reason: reason)
    }

    /// The value of `key`, or `nil` when it is absent or null (`~`, `null`, empty).
    mutating func value(_ key: String) -> Node? {
        consumed.insert(key)
        guard let entry = entries.first(where: { $0.key == key }) else { return nil }
        if case .scalar(let scalar) = entry.value, scalar.style == .plain,
            entry.value.null != nil
        {
            return nil
        }
        return entry.value
    }

    /// A plain (unquoted) scalar, or an error naming the expected kind.
    private func plainScalar(_ key: String, _ node: Node, expected: String) throws -> String {
        guard case .scalar(let scalar) = node, scalar.style == .plain else {
            throw error(key, at: node, "expected \(expected), got \(describe(node))")
        }
        return scalar.string
    }

    /// An integer in `range`.
    mutating func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let node = value(key) else { return nil }
        let text = try plainScalar(key, node, expected: "an integer")
        guard let number = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw error(key, at: node, "expected an integer, got '\(text)'")
        }
        guard range.contains(number) else {
            throw error(
                key, at: node,
                "must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
        }
        return number
    }

    /// An integer from a fixed set.
    mutating func int(_ key: String, oneOf allowed: [Int]) throws -> Int? {
        guard let node = value(key) else { return nil }
        let text = try plainScalar(key, node, expected: "an integer")
        guard let number = Int(text), allowed.contains(number) else {
            let list = allowed.map(String.init).joined(separator: ", ")
            throw error(key, at: node, "must be one of \(list), got '\(text)'")
        }
        return number
    }

    /// A finite number in `range`.
    mutating func double(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let node = value(key) else { return nil }
        let text = try plainScalar(key, node, expected: "a number")
        guard let number = Double(text.replacingOccurrences(of: "_", with: "")),
            number.isFinite
        else {
            throw error(key, at: node, "expected a number, got '\(text)'")
        }
        guard range.contains(number) else {
            throw error(
                key, at: node,
                "must be between \(range.lowerBound) and \(range.upperBound), got \(text)")
        }
        return number
    }

    /// `true` or `false` (nothing else: `yes`/`on` are refused as ambiguous).
    mutating func bool(_ key: String) throws -> Bool? {
        guard let node = value(key) else { return nil }
        switch try plainScalar(key, node, expected: "true or false") {
        case "true": return true
        case "false": return false
        case let text: throw error(key, at: node, "expected true or false, got '\(text)'")
        }
    }

    /// A non-empty string scalar (quoted or not).
    mutating func string(_ key: String) throws -> String? {
        guard let node = value(key) else { return nil }
        guard case .scalar(let scalar) = node else {
            throw error(key, at: node, "expected a string, got \(describe(node))")
        }
        guard !scalar.string.isEmpty else { throw error(key, at: node, "must not be empty") }
        return scalar.string
    }

    /// One of the raw values of `T`.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type)
        throws -> T? where T.RawValue == String
    {
        guard let node = value(key) else { return nil }
        let text = try plainScalar(key, node, expected: "a word")
        return try Self.choice(text, as: type) { reason in error(key, at: node, reason) }
    }

    /// Parses `text` as a raw value of `T`, or throws `makeError` listing the allowed values.
    static func choice<T: RawRepresentable & CaseIterable>(
        _ text: String, as type: T.Type, makeError: (String) -> PipelineDefinitionError
    ) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw makeError("unknown value '\(text)' (allowed: \(allowed))")
        }
        return value
    }

    /// A nested mapping.
    mutating func mapping(_ key: String) throws -> YAMLMappingReader? {
        guard let node = value(key) else { return nil }
        return try YAMLMappingReader(node, file: file, path: keyPath(key))
    }

    /// A sequence's items with their key paths (`key[0]`, `key[1]`, …).
    mutating func sequence(_ key: String) throws -> [(node: Node, path: String)]? {
        guard let node = value(key) else { return nil }
        guard let sequence = node.sequence else {
            throw error(key, at: node, "expected a list, got \(describe(node))")
        }
        return sequence.enumerated().map { ($1, "\(keyPath(key))[\($0)]") }
    }

    /// Throws for the first key that no accessor consumed, listing the known ones.
    func finish() throws {
        for entry in entries where !consumed.contains(entry.key) {
            let known = consumed.sorted().joined(separator: ", ")
            throw Self.error(
                file: file, node: entry.keyNode, key: keyPath(entry.key),
                reason: "unknown key (known keys here: \(known))")
        }
    }

    /// A short description of a node's kind for messages.
    private func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar) where scalar.style == .plain: "'\(scalar.string)'"
        case .scalar(let scalar): "the quoted string '\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
