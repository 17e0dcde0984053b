/// A PDF that cannot be written as asked (a programming error in the exporter, or an
/// embedded image this writer cannot carry).
struct PDFWriterError: Error, CustomStringConvertible {
    /// Why.
    var reason: String
    /// The reason.
    var description: String { reason }
}
