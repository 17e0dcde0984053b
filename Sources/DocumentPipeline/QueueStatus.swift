import Foundation

/// What a shared queue holds: counts, running chunks with their lease holders, failures,
/// throughput and waiting jobs with the reason they wait.
public struct QueueStatus: Sendable, Equatable, Codable {
    /// A chunk under lease.
    public struct Running: Sendable, Equatable, Codable {
        /// The job's id.
        public var jobID: Int64
        /// The document's name.
        public var name: String
        /// First page (1-based) and page count of the chunk; `nil` for an assembly.
        public var firstPage: Int?
        /// Pages in the chunk.
        public var pageCount: Int
        /// The worker holding the lease.
        public var owner: String
        /// Seconds since the claim.
        public var ageSeconds: Double

        /// A running chunk.
        public init(
            jobID: Int64, name: String, firstPage: Int?, pageCount: Int, owner: String,
            ageSeconds: Double
        ) {
            self.jobID = jobID
            self.name = name
            self.firstPage = firstPage
            self.pageCount = pageCount
            self.owner = owner
            self.ageSeconds = ageSeconds
        }
    }

    /// A failed job.
    public struct Failed: Sendable, Equatable, Codable {
        /// The job's id.
        public var jobID: Int64
        /// The document's name.
        public var name: String
        /// Why it failed.
        public var reason: String

        /// A failed job.
        public init(jobID: Int64, name: String, reason: String) {
            self.jobID = jobID
            self.name = name
            self.reason = reason
        }
    }

    /// A job with chunks waiting for a worker.
    public struct Waiting: Sendable, Equatable, Codable {
        /// The job's id.
        public var jobID: Int64
        /// The document's name.
        public var name: String
        /// The model the job needs.
        public var model: String
        /// Seconds since it was submitted.
        public var waitingSeconds: Double
        /// Why no worker takes it, when no live worker has its model.
        public var reason: String?

        /// A waiting job.
        public init(
            jobID: Int64, name: String, model: String, waitingSeconds: Double,
            reason: String? = nil
        ) {
            self.jobID = jobID
            self.name = name
            self.model = model
            self.waitingSeconds = waitingSeconds
            self.reason = reason
        }
    }

    /// A worker seen recently.
    public struct Worker: Sendable, Equatable, Codable {
        /// The worker's id.
        public var id: String
        /// Its model identity.
        public var model: String
        /// Seconds since it last claimed or looked for work.
        public var lastSeenSeconds: Double

        /// A worker.
        public init(id: String, model: String, lastSeenSeconds: Double) {
            self.id = id
            self.model = model
            self.lastSeenSeconds = lastSeenSeconds
        }
    }

    /// Jobs with no chunk started.
    public var queued: Int
    /// Jobs being worked.
    public var runningJobs: Int
    /// Chunks under lease.
    public var running: [Running]
    /// Jobs done.
    public var done: Int
    /// Failed jobs, newest first.
    public var failed: [Failed]
    /// Page results committed over the last hour.
    public var pagesLastHour: Int
    /// Jobs with claimable chunks, oldest first.
    public var waiting: [Waiting]
    /// Workers seen over the last few minutes.
    public var workers: [Worker]

    /// A status; `reasons()` fills in why jobs wait.
    public init(
        queued: Int, runningJobs: Int, running: [Running], done: Int, failed: [Failed],
        pagesLastHour: Int, waiting: [Waiting], workers: [Worker]
    ) {
        self.queued = queued
        self.runningJobs = runningJobs
        self.running = running
        self.done = done
        self.failed = failed
        self.pagesLastHour = pagesLastHour
        self.waiting = waiting
        self.workers = workers
        for index in self.waiting.indices {
            self.waiting[index].reason = Self.reason(for: self.waiting[index], workers: workers)
        }
    }

    /// The oldest waiting job.
    public var oldestWaiting: Waiting? { waiting.first }

    /// Why a job waits: no live worker, or none with its model.
    private static func reason(for job: Waiting, workers: [Worker]) -> String? {
        if workers.isEmpty { return "no worker is running" }
        if workers.contains(where: { $0.model == job.model }) { return nil }
        let models = Set(workers.map { ModelIdentity.short($0.model) }).sorted()
        return "needs model \(ModelIdentity.short(job.model)); the running workers have "
            + models.joined(separator: ", ")
    }
}
