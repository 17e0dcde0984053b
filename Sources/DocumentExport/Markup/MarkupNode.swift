/// A parsed HTML or XML node as a plain Swift value, read from libxml2's tree (through
/// `CXMLShim`) so the rest of the code never touches C pointers. Comments and processing
/// instructions are dropped (lxml drops comments with `remove_comments=True`, as PubTabNet's
/// metric asks; processing instructions do not occur in tables).
public indirect enum MarkupNode: Sendable, Hashable {
    /// An element.
    case element(MarkupElement)
    /// Character data (text or CDATA).
    case text(String)
}

/// One attribute.
public struct MarkupAttribute: Sendable, Hashable {
    /// Attribute name (without prefix).
    public var name: String
    /// Value with entities resolved.
    public var value: String
}
