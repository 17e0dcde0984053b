import Foundation

/// A JSON Schema validator for exactly the keywords `DocumentSchema` uses (draft 2020-12
/// semantics): `$ref` to `#/$defs/…`, `type`, `properties`, `required`,
/// `additionalProperties` (bool or schema), `items`, `enum`, `minimum`, `maximum`,
/// `exclusiveMinimum`, `minLength`, `pattern`. Any other keyword is an error, so the
/// schema cannot silently use something this validator ignores.
public struct JSONSchemaValidator {
    /// The parsed schema.
    public let root: [String: Any]

    static let annotations: Set<String> = ["$schema", "$id", "title", "$defs", "description"]
    static let keywords: Set<String> = [
        "$ref", "type", "properties", "required", "additionalProperties", "items", "enum",
        "minimum", "maximum", "exclusiveMinimum", "minLength", "pattern",
    ]

    /// A validator for the schema text `schema`.
    public init(schema: String) throws {
        root = try JSONSerialization.jsonObject(with: Data(schema.utf8)) as! [String: Any]
    }

    /// Violations of `instance` (empty when valid), each with its JSON path.
    public func violations(_ instance: Any) -> [String] {
        var errors: [String] = []
        validate(instance, root, "$", &errors)
        return errors
    }

    private func validate(
        _ value: Any, _ schema: [String: Any], _ path: String, _ errors: inout [String]
    ) {
        for key in schema.keys where !Self.keywords.contains(key) && !Self.annotations.contains(key)
        {
            errors.append("\(path): unsupported schema keyword \(key)")
        }
        if let ref = schema["$ref"] as? String {
            let name = String(ref.dropFirst("#/$defs/".count))
            guard ref.hasPrefix("#/$defs/"),
                let target = (root["$defs"] as? [String: Any])?[name] as? [String: Any]
            else { return errors.append("\(path): unresolvable $ref \(ref)") }
            validate(value, target, path, &errors)
        }
        if let type = schema["type"] as? String, !Self.matches(value, type) {
            errors.append("\(path): expected \(type), found \(Swift.type(of: value))")
            return
        }
        if let options = schema["enum"] as? [Any],
            !options.contains(where: { ($0 as? NSObject)?.isEqual(value) == true })
        {
            errors.append("\(path): \(value) not in \(options)")
        }
        if let number = Self.number(value) {
            if let minimum = schema["minimum"] as? Double, number < minimum {
                errors.append("\(path): \(number) < \(minimum)")
            }
            if let maximum = schema["maximum"] as? Double, number > maximum {
                errors.append("\(path): \(number) > \(maximum)")
            }
            if let bound = schema["exclusiveMinimum"] as? Double, number <= bound {
                errors.append("\(path): \(number) <= \(bound)")
            }
        }
        if let string = value as? String {
            if let minLength = schema["minLength"] as? Int, string.count < minLength {
                errors.append("\(path): shorter than \(minLength)")
            }
            if let pattern = schema["pattern"] as? String {
                guard let regex = try? NSRegularExpression(pattern: pattern) else {
                    return errors.append("\(path): bad pattern \(pattern)")
                }
                let range = NSRange(string.startIndex..., in: string)
                if regex.firstMatch(in: string, range: range) == nil {
                    errors.append("\(path): \"\(string)\" does not match \(pattern)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, item) in array.enumerated() { validate(item, items, "\(path)[\(i)]", &errors) }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                errors.append("\(path): missing required \(name)")
            }
            for (name, child) in object {
                if let sub = properties[name] as? [String: Any] {
                    validate(child, sub, "\(path).\(name)", &errors)
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    validate(child, extra, "\(path).\(name)", &errors)
                } else if schema["additionalProperties"] as? Bool == false {
                    errors.append("\(path): unexpected property \(name)")
                }
            }
        }
    }

    private static func number(_ value: Any) -> Double? {
        guard let n = value as? NSNumber, !isBool(n) else { return nil }
        return n.doubleValue
    }

    private static func isBool(_ n: NSNumber) -> Bool {
        // JSONSerialization gives booleans the Objective-C type code of `char`.
        String(cString: n.objCType) == "c"
    }

    private static func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return (value as? NSNumber).map(isBool) ?? false
        case "number": return number(value) != nil
        case "integer":
            guard let n = number(value) else { return false }
            return n == n.rounded() && abs(n) < 1e15
        case "null": return value is NSNull
        default: return false
        }
    }
}
