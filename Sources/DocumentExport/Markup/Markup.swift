import CXMLShim

/// Parsing entry points (libxml2 through `CXMLShim`).
public enum Markup {
    /// libxml2's one-time global set-up, done before the first parse (parses may then run
    /// on several threads at once, each with its own parser context).
    private static let initialized: Void = xmlshim_init()

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
        Markup.initialized
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
        Markup.initialized
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
                MarkupAttribute(
                    name: String(cString: xmlshim_attribute_name(current)), value: value))
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
