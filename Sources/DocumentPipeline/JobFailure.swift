/// Why a job's attempt failed: reason, stage, page, and whether trying again may help.
///
/// It is both what a `DocumentProcessor` throws to describe a failure precisely and what the
/// job store records; any other error a processor throws counts as permanent, in the stage and
/// on the page it last reported.
public struct JobFailure: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    /// One-line human-readable reason.
    public var reason: String
    /// The processing step that failed.
    public var stage: ProcessingStage
    /// 0-based index of the page being processed, when the failure belongs to one.
    public var pageIndex: Int?
    /// Whether the cause may go away by itself (a full disk, a busy resource), so the job
    /// is retried with backoff; permanent failures (a corrupt file) are not.
    public var isTransient: Bool

    /// A failure; see the properties.
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
}
