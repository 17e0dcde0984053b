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

    /// The number of elements below this one, at any depth (XPath `.//*`).
    public var descendantCount: Int {
        elements.reduce(0) { $0 + 1 + $1.descendantCount }
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
