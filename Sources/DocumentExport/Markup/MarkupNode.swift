import CXMLShim

/// A parsed HTML or XML node as a plain Swift value, read from libxml2's tree (through
/// `CXMLShim`) so the rest of the code never touches C pointers. Comments and processing
/// instructions are dropped, as lxml does with `remove_comments=True`.
public indirect enum MarkupNode: Sendable, Hashable {
    /// An element.
    case element(MarkupElement)
    /// Character data (text or CDATA).
    case text(String)
}

/// An element: its lower-case (HTML) or as-written (XML) local name, attributes in document
/// order, and children.
public struct MarkupElement: Sendable, Hashable {
    /// Local name.
    public var name: String
    /// Namespace URI ("" for none).
    public var namespace: String
    /// Attributes in document order.
    public var attributes: [MarkupAttribute]
    /// Child nodes in document order.
    public var children: [MarkupNode]

    /// The value of attribute `name`, if present.
    public func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// Child elements only.
    public var elements: [MarkupElement] {
        children.compactMap { if case .element(let e) = $0 { e } else { nil } }
    }

    /// Child elements named `name`.
    public func elements(named name: String) -> [MarkupElement] {
        elements.filter { $0.name == name }
    }

    /// All descendant elements named `name`, in document order.
    public func descendants(named name: String) -> [MarkupElement] {
        var found: [MarkupElement] = []
        for child in elements {
            if child.name == name { found.append(child) }
            found += child.descendants(named: name)
        }
        return found
    }

    /// The concatenated text of this element and all its descendants.
    public var textContent: String {
        children.map {
            switch $0 {
            case .text(let text): text
            case .element(let element): element.textContent
            }
        }.joined()
    }

    /// Text directly inside the element before its first child element (lxml's `.text`).
    public var leadingText: String? {
        var text: String?
        for child in children {
            guard case .text(let t) = child else { break }
            text = (text ?? "") + t
        }
        return text
    }
}

/// One attribute.
public struct MarkupAttribute: Sendable, Hashable {
    /// Attribute name (without prefix).
    public var name: String
    /// Value with entities resolved.
    public var value: String
}

/// Why markup could not be read.
public struct MarkupError: Error, Sendable, CustomStringConvertible {
    /// libxml2's message.
    public var message: String
    /// The message.
    public var description: String { message }
}

/// Parsing entry points (libxml2 through `CXMLShim`).
public enum Markup {
    /// Parses HTML as lxml's `HTMLParser()` would (libxml2, recover mode) and returns the
    /// document's root element (libxml2 adds the `html`/`body` it implies).
    public static func parseHTML(_ html: String) throws(MarkupError) -> MarkupElement {
        try parse(html, html: true)
    }

    /// Parses well-formed XML and returns the root element.
    public static func parseXML(_ xml: String) throws(MarkupError) -> MarkupElement {
        try parse(xml, html: false)
    }

    /// Validates XML against the XML Schema file at `schemaPath` with libxml2. Returns `nil`
    /// when valid, else the first error; throws when the schema itself cannot be used.
    public static func schemaViolation(in xml: String, schemaPath: String)
        throws(MarkupError) -> String?
    {
        var error = [CChar](repeating: 0, count: 1024)
        let bytes = Array(xml.utf8)
        let result = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                xmlshim_validate_schema(
                    $0.baseAddress, $0.count, schemaPath, &error, error.count)
            }
        }
        let message = String(decoding: error.prefix { $0 != 0 }.map(UInt8.init), as: UTF8.self)
        if result < 0 { throw MarkupError(message: "\(schemaPath): \(message)") }
        return result == 0 ? nil : message
    }

    private static func parse(_ text: String, html: Bool) throws(MarkupError) -> MarkupElement {
        var error = [CChar](repeating: 0, count: 512)
        let bytes = Array(text.utf8)
        let doc = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                html
                    ? xmlshim_html_parse($0.baseAddress, $0.count, &error, error.count)
                    : xmlshim_xml_parse($0.baseAddress, $0.count, &error, error.count)
            }
        }
        guard let doc else {
            let message = String(decoding: error.prefix { $0 != 0 }.map(UInt8.init), as: UTF8.self)
            throw MarkupError(message: message.isEmpty ? "document is empty" : message)
        }
        defer { xmlshim_doc_free(doc) }
        guard let root = xmlshim_doc_root(doc) else {
            throw MarkupError(message: "document is empty")
        }
        return element(root)
    }

    private static func element(_ node: UnsafeMutableRawPointer) -> MarkupElement {
        var attributes: [MarkupAttribute] = []
        var attribute = xmlshim_node_first_attribute(node)
        while let current = attribute {
            let raw = xmlshim_attribute_value(current)
            let value = raw.map { String(cString: $0) } ?? ""
            xmlshim_string_free(raw)
            attributes.append(
                MarkupAttribute(name: String(cString: xmlshim_attribute_name(current)), value: value))
            attribute = xmlshim_attribute_next(current)
        }
        var children: [MarkupNode] = []
        var child = xmlshim_node_first_child(node)
        while let current = child {
            switch xmlshim_node_kind(current) {
            case 1: children.append(.element(element(current)))
            case 2, 3:
                let text = String(cString: xmlshim_node_text(current))
                // Adjacent text (split by a dropped comment) reads as one run, as in lxml.
                if case .text(let previous)? = children.last {
                    children[children.count - 1] = .text(previous + text)
                } else {
                    children.append(.text(text))
                }
            default: break
            }
            child = xmlshim_node_next(current)
        }
        return MarkupElement(
            name: String(cString: xmlshim_node_name(node)),
            namespace: String(cString: xmlshim_node_namespace(node)),
            attributes: attributes, children: children)
    }
}
