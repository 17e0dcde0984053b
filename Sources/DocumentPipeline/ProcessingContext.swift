import DocumentModel
import Foundation
import Synchronization

/// What a `DocumentProcessor` gets for one attempt at one document: the claimed file, its
/// job, where to resume, where to write, and the calls that record progress durably.
public final class ProcessingContext: Sendable {
    /// The claimed input, inside `INBOX/.processing/`.
    public let file: URL
    /// The job as claimed for this attempt (`attempts` counts this one).
    public let job: Job
    /// Pages finished by earlier attempts (0-based).
    public let completedPages: Set<Int>
    /// Temporary folder for this document's outputs, kept across attempts until the
    /// results are published or the job fails for good.
    public let outputFolder: URL

    private let store: any JobStore
    private let owner: String
    private let stopFlag: StopFlag
    private let onPage: @Sendable (Int, Int?) -> Void
    /// Page count and the page last reported finished, for failure attribution.
    private let progress: Mutex<(pageCount: Int?, lastCompleted: Int?)>
    private let recordedWarnings = Mutex<[DocumentWarning]>([])

    /// What the processor found about the input itself (a damaged file it repaired), for
    /// the note the watcher leaves beside the finished file.
    public var warnings: [DocumentWarning] {
        get { recordedWarnings.withLock { $0 } }
        set { recordedWarnings.withLock { $0 = newValue } }
    }

    /// The first page index not finished yet (0 when none is).
    public var firstUnfinishedPage: Int { Self.firstUnfinishedPage(completedPages) }

    /// The lowest page index not in `completed`.
    static func firstUnfinishedPage(_ completed: Set<Int>) -> Int {
        var page = 0
        while completed.contains(page) { page += 1 }
        return page
    }

    /// Whether a stop (SIGINT/SIGTERM or `InboxWatcher.requestStop()`) has been requested.
    public var isStopRequested: Bool { stopFlag.isSet }

    init(
        file: URL, job: Job, completedPages: Set<Int>, outputFolder: URL, store: any JobStore,
        owner: String, stopFlag: StopFlag, onPage: @escaping @Sendable (Int, Int?) -> Void
    ) {
        self.file = file
        self.job = job
        self.completedPages = completedPages
        self.outputFolder = outputFolder
        self.store = store
        self.owner = owner
        self.stopFlag = stopFlag
        self.onPage = onPage
        progress = Mutex((job.pageCount, nil))
    }

    /// Records the document's page count.
    public func setPageCount(_ count: Int) async throws {
        try await store.setPageCount(count, contentHash: job.contentHash, owner: owner, at: Date())
        progress.withLock { $0.pageCount = count }
    }

    /// Records page `index` (0-based) as finished, durably. Call it only after the page's
    /// results are in `outputFolder`. Throws `ProcessingInterrupted` after recording when a
    /// stop was requested, so the processor ends after the current page.
    public func completePage(_ index: Int) async throws {
        try await store.completePage(index, contentHash: job.contentHash, owner: owner, at: Date())
        let count = progress.withLock { state -> Int? in
            state.lastCompleted = max(state.lastCompleted ?? index, index)
            return state.pageCount
        }
        onPage(index, count)
        if stopFlag.isSet { throw ProcessingInterrupted() }
    }

    /// The page a failure most likely belongs to: the one after the last finished page,
    /// or `nil` when the page count is unknown and no page was reached.
    var pageInProgress: Int? {
        progress.withLock { state in
            let next = (state.lastCompleted.map { $0 + 1 }) ?? firstUnfinishedPage
            if let count = state.pageCount { return next < count ? next : nil }
            return state.lastCompleted == nil && completedPages.isEmpty ? nil : next
        }
    }

    /// The known page count (reported now or by an earlier attempt).
    var pageCount: Int? { progress.withLock { $0.pageCount } }
}

/// Thrown by `ProcessingContext.completePage` when a stop was requested.
public struct ProcessingInterrupted: Error, Sendable, CustomStringConvertible {
    /// The error value.
    public init() {}
    /// Fixed text.
    public var description: String { "processing stopped on request" }
}
