/// Turns one claimed input file into outputs; the watcher's plug-in point for the real
/// conversion (ingest, model, parsers, exporters).
///
/// Contract:
/// - Process pages from `context.firstUnfinishedPage` on; pages in
///   `context.completedPages` were finished by an earlier, interrupted attempt and their
///   results are already in `context.outputFolder`.
/// - Call `context.setPageCount(_:)` once the page count is known, and
///   `context.completePage(_:)` after each page's results are written to
///   `context.outputFolder`. `completePage` throws once a stop was requested: let that error
///   propagate (the page is recorded; the next run resumes after it).
/// - Write only inside `context.outputFolder`. On return the watcher renames that folder
///   into place under the output directory; it must then hold the complete results. When
///   every page is already complete, only the document-level outputs remain to be written.
/// - Throw `JobFailure` (with `isTransient` where a retry may help) to fail; any other
///   error is a permanent failure. A thrown error never stops the watcher.
public protocol DocumentProcessor: Sendable {
    /// Processes the claimed document described by `context`.
    func process(_ context: ProcessingContext) async throws
}
