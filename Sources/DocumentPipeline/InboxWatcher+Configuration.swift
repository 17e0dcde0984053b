import Foundation

extension InboxWatcher {
    /// How the watcher learns about new files.
    public enum Detection: Sendable, Equatable {
        /// inotify events on the inbox (local filesystems), with a full rescan every
        /// `rescanInterval` as a safety net; falls back to polling when inotify fails.
        case events
        /// A full listing every `interval` seconds: for network filesystems (NFS, SMB), which
        /// deliver no change events.
        case polling(interval: TimeInterval)
    }

    /// Everything a watcher needs besides its store and processor.
    public struct Configuration: Sendable {
        /// The watched folder.
        public var inbox: URL
        /// Where result folders are published.
        public var output: URL
        /// The pipeline's name (for the `{pipeline}` placeholder).
        public var pipelineName: String
        /// Result folder naming.
        public var outputLayout: OutputLayout
        /// Seconds a file's size and mtime must stay unchanged before it is taken.
        public var settleTime: TimeInterval
        /// inotify or polling.
        public var detection: Detection
        /// Seconds between safety rescans in `.events` mode.
        public var rescanInterval: TimeInterval
        /// Retries of transient failures (interrupted attempts count too).
        public var retryPolicy: RetryPolicy
        /// What to do with content seen before.
        public var duplicatePolicy: DuplicatePolicy
        /// This watcher's identity in the job store; stable across restarts so a restarted
        /// watcher takes back at once the jobs its predecessor held. Default
        /// `watch:<inbox path>` (no host name: containers get a new one on every start).
        /// Watchers on several machines sharing one store need distinct owners.
        public var owner: String
        /// A claim held by another owner on a file in this inbox's `.processing/` is taken
        /// over when it has shown no progress (no page finished) for this many seconds: its
        /// holder is presumed dead. Keep it above the longest time one page can take.
        public var staleClaimTimeout: TimeInterval
        /// Names ending in one of these are partial downloads or editor temp files: ignored.
        public var ignoredSuffixes: [String]
        /// The watcher's time (the system clock unless a test drives its own).
        public var clock: any WatchClock

        /// Default partial-file suffixes.
        public static let defaultIgnoredSuffixes = [
            ".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".swp", "~",
        ]

        /// A configuration with defaults: 2 s settle time, inotify, 30 s safety rescans.
        public init(
            inbox: URL, output: URL, pipelineName: String = "default",
            outputLayout: OutputLayout = OutputLayout(), settleTime: TimeInterval = 2,
            detection: Detection = .events, rescanInterval: TimeInterval = 30,
            retryPolicy: RetryPolicy = RetryPolicy(), duplicatePolicy: DuplicatePolicy = .skip,
            owner: String? = nil, staleClaimTimeout: TimeInterval = 900,
            ignoredSuffixes: [String] = defaultIgnoredSuffixes,
            clock: any WatchClock = SystemWatchClock()
        ) {
            let inbox = inbox.standardizedFileURL
            self.inbox = inbox
            self.output = output.standardizedFileURL
            self.pipelineName = pipelineName
            self.outputLayout = outputLayout
            self.settleTime = settleTime
            self.detection = detection
            self.rescanInterval = rescanInterval
            self.retryPolicy = retryPolicy
            self.duplicatePolicy = duplicatePolicy
            self.owner = owner ?? "watch:\(inbox.path)"
            self.staleClaimTimeout = staleClaimTimeout
            self.ignoredSuffixes = ignoredSuffixes
            self.clock = clock
        }

        /// A configuration taking naming, retries and duplicate handling from a pipeline.
        public init(
            inbox: URL, output: URL, pipeline: PipelineDefinition, settleTime: TimeInterval = 2,
            detection: Detection = .events
        ) {
            self.init(
                inbox: inbox, output: output, pipelineName: pipeline.name,
                outputLayout: pipeline.output, settleTime: settleTime, detection: detection,
                retryPolicy: pipeline.retries, duplicatePolicy: pipeline.duplicates)
        }
    }
}
