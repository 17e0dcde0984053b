/// Why a job's attempt failed: reason, stage, page, and whether trying again may help.
public struct JobFailure: Sendable, Equatable, Codable {
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
}
