import Foundation

/// What a `BatchConverter` run reports, for the CLI's progress bar and JSON-lines output.
public enum BatchEvent: Sendable, Equatable {
    /// The run starts with this many documents (and skipped files).
    case started(documents: Int, skipped: Int)
    /// A file was left out (not a document).
    case skipped(file: String, reason: String)
    /// A document starts.
    case documentStarted(file: String)
    /// Progress inside a document.
    case progress(ConversionEvent)
    /// A document's results were published to `output`; `warnings` are the messages of its
    /// `DocumentWarning`s (a damaged file that was repaired).
    case documentDone(
        file: String, output: String, pages: Int, seconds: Double, warnings: [String] = [])
    /// A document failed; nothing was published for it.
    case documentFailed(file: String, failure: JobFailure)
    /// A document was stopped by a cancellation; nothing was published for it.
    case documentInterrupted(file: String)
    /// The run ended.
    case finished(BatchSummary)

    /// The event as one JSON object (for `--progress json`), keys sorted.
    public var json: String {
        var object: [String: Any]
        switch self {
        case .started(let documents, let skipped):
            object = ["event": "started", "documents": documents, "skipped": skipped]
        case .skipped(let file, let reason):
            object = ["event": "skipped", "file": file, "reason": reason]
        case .documentStarted(let file):
            object = ["event": "document-started", "file": file]
        case .progress(.opened(let file, let todo, let selected)):
            object = ["event": "opened", "file": file, "pages": todo, "pagesSelected": selected]
        case .progress(.tiles(let file, let count, let tokens)):
            object = ["event": "tiles", "file": file, "tiles": count, "tokens": tokens]
        case .progress(.pageDone(let file, let index)):
            object = ["event": "page-done", "file": file, "page": index + 1]
        case .documentDone(let file, let output, let pages, let seconds, let warnings):
            object = [
                "event": "document-done", "file": file, "output": output, "pages": pages,
                "seconds": seconds,
            ]
            if !warnings.isEmpty { object["warnings"] = warnings }
        case .documentFailed(let file, let failure):
            object = [
                "event": "document-failed", "file": file, "reason": failure.reason,
                "stage": failure.stage.rawValue,
            ]
            if let page = failure.pageIndex { object["page"] = page + 1 }
        case .documentInterrupted(let file):
            object = ["event": "document-interrupted", "file": file]
        case .finished(let summary):
            object = [
                "event": "finished", "done": summary.done, "failed": summary.failed,
                "skipped": summary.skipped, "interrupted": summary.interrupted,
                "repaired": summary.repaired,
                "pages": summary.pages, "tokens": summary.tokens,
                "seconds": summary.seconds,
            ]
        }
        let data = try? JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
