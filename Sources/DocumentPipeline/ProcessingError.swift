/// The error a `DocumentProcessor` throws to describe a failure precisely. Any other error
/// counts as permanent, in the stage and on the page the processor last reported.
public struct ProcessingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One-line reason, naming what was wrong with the document.
    public var reason: String
    /// The step that failed.
    public var stage: ProcessingStage
    /// 0-based page index, when the failure belongs to a page.
    public var pageIndex: Int?
    /// Whether trying again later may succeed (out of disk space, resource busy); the
    /// watcher retries those with backoff up to the pipeline's `max_attempts`.
    public var isTransient: Bool

    /// A processing failure; see the properties.
    public init(
        reason: String, stage: ProcessingStage, pageIndex: Int? = nil, isTransient: Bool = false
    ) {
        self.reason = reason
        self.stage = stage
        self.pageIndex = pageIndex
        self.isTransient = isTransient
    }

    /// The reason, with stage and page.
    public var description: String {
        let page = pageIndex.map { ", page \($0 + 1)" } ?? ""
        return "\(reason) (stage \(stage.rawValue)\(page))"
    }

    /// The failure as the job store records it.
    public var failure: JobFailure {
        JobFailure(reason: reason, stage: stage, pageIndex: pageIndex, isTransient: isTransient)
    }
}
