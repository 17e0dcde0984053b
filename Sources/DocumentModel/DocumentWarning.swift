/// Something about the input file itself that a reader of the results should know: a damaged
/// PDF that was repaired to be read (`repaired`).
public struct DocumentWarning: Sendable, Hashable, Codable {
    /// A stable machine-readable code: `repaired`.
    public var code: String
    /// One line for people.
    public var message: String
    /// What was found wrong and what the reading library (Poppler) reported, one line each.
    public var details: [String]
    /// Pages the document has as read after the repair (`repaired` only).
    public var pagesRecovered: Int?

    /// The warning code of a damaged file that was repaired.
    public static let repairedCode = "repaired"

    /// A warning.
    public init(code: String, message: String, details: [String] = [], pagesRecovered: Int? = nil)
    {
        self.code = code
        self.message = message
        self.details = details
        self.pagesRecovered = pagesRecovered
    }

    /// The warning for a damaged file read with its damage repaired: `details` say what was
    /// wrong, `pages` how many pages it has as repaired.
    public static func repaired(details: [String], pages: Int) -> DocumentWarning {
        DocumentWarning(
            code: repairedCode,
            message: "damaged file repaired to be read (\(pages) \(pages == 1 ? "page" : "pages")"
                + " recovered): " + (details.first ?? "damaged"),
            details: details, pagesRecovered: pages)
    }
}
