import DocumentPipeline
import Foundation
import PaliTestSupport
import Testing

/// The `JobQueue` contract, checked on SQLite and on a real PostgreSQL 15 server (blobs in
/// the database and in a blob folder).
@Suite("JobQueue (SQLite and PostgreSQL)")
struct JobQueueTests {
    @Test("the same content and pipeline make one job", arguments: QueueStore.allCases)
    func deduplicates(_ store: QueueStore) async throws {
        let (queue, keep) = try await store.make()
        defer { withExtendedLifetime(keep) {} }
        let first = try await queue.submit(submission("a"))
        let again = try await queue.submit(submission("a"))
        let otherPipeline = try await queue.submit(submission("a", pipeline: "tasks: [table]\n"))
        #expect(first.isNew && !again.isNew && otherPipeline.isNew)
        #expect(again.job.id == first.job.id)
        #expect(otherPipeline.job.id != first.job.id)
        #expect(try await queue.blob(first.job.contentSHA256) == Data("a".utf8))
    }

    @Test(
        "claims lease chunks in order, for the matching model only",
        arguments: QueueStore.allCases)
    func claims(_ store: QueueStore) async throws {
        let (queue, keep) = try await store.make()
        defer { withExtendedLifetime(keep) {} }
        let job = try await queue.submit(submission("b", pages: 5, chunkPages: 2)).job
        #expect(try await queue.claimChunk(worker: "w2", model: "model-b", leaseSeconds: 30) == nil)
        var ranges: [Range<Int>] = []
        var tokens: Set<String> = []
        while let lease = try await queue.claimChunk(
            worker: "w1", model: "model-a", leaseSeconds: 30)
        {
            #expect(lease.job.id == job.id && lease.kind == .pages && lease.attempts == 1)
            #expect(lease.pipelineYAML == "tasks: [ocr]\n")
            ranges.append(lease.pages)
            tokens.insert(lease.token)
        }
        #expect(ranges == [0..<2, 2..<4, 4..<5])
        #expect(tokens.count == 3)
        let status = try await queue.status()
        #expect(status.running.count == 3 && status.runningJobs == 1)
        #expect(status.running.allSatisfy { $0.owner == "w1" })
    }

    @Test(
        "the last chunk hands over one assembly; finishing stores the outputs",
        arguments: QueueStore.allCases)
    func assembles(_ store: QueueStore) async throws {
        let (queue, keep) = try await store.make()
        defer { withExtendedLifetime(keep) {} }
        let job = try await queue.submit(submission("c", pages: 3)).job
        var leases: [ChunkLease] = []
        while let lease = try await queue.claimChunk(
            worker: "w", model: "model-a", leaseSeconds: 30)
        {
            leases.append(lease)
        }
        #expect(leases.count == 3)
        var assemblies: [ChunkLease] = []
        // Out of order, as workers finish.
        for lease in [leases[2], leases[0], leases[1]] {
            #expect(
                try await queue.savePageResult(
                    Data("page \(lease.pages.lowerBound)".utf8), page: lease.pages.lowerBound,
                    lease: lease))
            if case .assemble(let next) = try await queue.completeChunk(lease, leaseSeconds: 30) {
                assemblies.append(next)
            }
        }
        #expect(assemblies.count == 1)
        let assembly = try #require(assemblies.first)
        #expect(assembly.kind == .assemble && assembly.pages == 0..<3)
        #expect(try await queue.claimChunk(worker: "w", model: "model-a", leaseSeconds: 30) == nil)
        let results = try await queue.pageResults(jobID: job.id, pages: 0..<3)
        #expect(
            results == [0: Data("page 0".utf8), 1: Data("page 1".utf8), 2: Data("page 2".utf8)])
        let sha = try await queue.putBlob(Data("{}".utf8))
        let output = JobOutput(path: "c.json", sha256: sha, byteCount: 2)
        #expect(try await queue.finishJob(assembly, outputs: [output]))
        #expect(try await queue.job(id: job.id)?.state == .done)
        #expect(try await queue.outputs(jobID: job.id) == [output])
        #expect(try await queue.status().done == 1)
    }

    @Test(
        "after a lease expires and is taken over, the old token writes nothing",
        arguments: QueueStore.allCases)
    func rejectsLateWrites(_ store: QueueStore) async throws {
        let (queue, keep) = try await store.make()
        defer { withExtendedLifetime(keep) {} }
        let job = try await queue.submit(submission("d", pages: 1)).job
        let stale = try #require(
            try await queue.claimChunk(worker: "slow", model: "model-a", leaseSeconds: 0.2))
        try await Task.sleep(nanoseconds: 400_000_000)
        #expect(try await queue.reapExpiredLeases() == 1)
        let fresh = try #require(
            try await queue.claimChunk(worker: "fast", model: "model-a", leaseSeconds: 30))
        #expect(fresh.attempts == 2 && fresh.token != stale.token && fresh.pages == 0..<1)
        #expect(try await !queue.savePageResult(Data("late".utf8), page: 0, lease: stale))
        #expect(try await queue.completeChunk(stale, leaseSeconds: 30) == .lost)
        #expect(try await !queue.failChunk(stale, reason: "late", retryAfter: nil))
        // Renewers block their (heartbeat) thread: call them from a thread of their own.
        let renewer = try queue.makeLeaseRenewer()
        defer { renewer.close() }
        #expect(try await onOwnThread { try !renewer.renew(stale, seconds: 30) })
        #expect(try await onOwnThread { try renewer.renew(fresh, seconds: 30) })
        #expect(try await queue.savePageResult(Data("fresh".utf8), page: 0, lease: fresh))
        #expect(try await queue.pageResults(jobID: job.id, pages: 0..<1) == [0: Data("fresh".utf8)])
        #expect(try await queue.job(id: job.id)?.state == .running)
    }

    @Test(
        "a chunk whose every lease expires fails its job after max attempts",
        arguments: QueueStore.allCases)
    func failsAfterMaxAttempts(_ store: QueueStore) async throws {
        let (queue, keep) = try await store.make()
        defer { withExtendedLifetime(keep) {} }
        let poison = try await queue.submit(submission("poison", pages: 1, maxAttempts: 2)).job
        for attempt in 1...2 {
            let lease = try #require(
                try await queue.claimChunk(
                    worker: "w\(attempt)", model: "model-a", leaseSeconds: 0.1))
            #expect(lease.attempts == attempt)
            try await Task.sleep(nanoseconds: 250_000_000)
            #expect(try await queue.reapExpiredLeases() == 1)
        }
        let failed = try #require(try await queue.job(id: poison.id))
        #expect(failed.state == .failed)
        #expect(failed.failure?.contains("gave up after 2 attempts") == true)
        #expect(try await queue.claimChunk(worker: "w", model: "model-a", leaseSeconds: 30) == nil)
        #expect(try await queue.status().failed.map(\.jobID) == [poison.id])
    }

    @Test(
        "failures: retried after the delay, or final; a stop refunds the attempt",
        arguments: QueueStore.allCases)
    func failuresAndRelease(_ store: QueueStore) async throws {
        let (queue, keep) = try await store.make()
        defer { withExtendedLifetime(keep) {} }
        // Not before its delay: an hour, which no slow machine outlasts.
        let later = try await queue.submit(submission("later", pages: 1)).job
        let postponed = try #require(
            try await queue.claimChunk(worker: "w", model: "model-a", leaseSeconds: 30))
        #expect(postponed.job.id == later.id)
        #expect(try await queue.failChunk(postponed, reason: "disk full", retryAfter: 3600))
        #expect(try await queue.claimChunk(worker: "w", model: "model-a", leaseSeconds: 30) == nil)
        // After it: a delay of 1 s, claimed again once it has passed.
        let job = try await queue.submit(submission("e", pages: 1)).job
        let first = try #require(
            try await queue.claimChunk(worker: "w", model: "model-a", leaseSeconds: 30))
        #expect(first.job.id == job.id)
        #expect(try await queue.failChunk(first, reason: "disk full", retryAfter: 1))
        try await Task.sleep(nanoseconds: 1_500_000_000)
        let second = try #require(
            try await queue.claimChunk(worker: "w", model: "model-a", leaseSeconds: 30))
        #expect(second.job.id == job.id && second.attempts == 2)
        try await queue.releaseChunk(second)
        let third = try #require(
            try await queue.claimChunk(worker: "w", model: "model-a", leaseSeconds: 30))
        #expect(third.attempts == 2)
        #expect(try await queue.failChunk(third, reason: "corrupt page", retryAfter: nil))
        let failed = try #require(try await queue.job(id: job.id))
        #expect(failed.state == .failed && failed.failure == "corrupt page")
    }

    @Test("concurrent claimers take every chunk exactly once", arguments: QueueStore.allCases)
    func concurrentClaims(_ store: QueueStore) async throws {
        let (queue, keep) = try await store.make()
        defer { withExtendedLifetime(keep) {} }
        for index in 0..<6 { _ = try await queue.submit(submission("doc\(index)", pages: 4)) }
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var mine: [String] = []
                    while let lease = try await queue.claimChunk(
                        worker: "w\(worker)", model: "model-a", leaseSeconds: 30)
                    {
                        mine.append("\(lease.job.id)/\(lease.chunk)")
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.count == 24)
        #expect(Set(claimed).count == 24)
    }

    @Test(
        "status says why a job waits; prune removes finished jobs and their blobs",
        arguments: QueueStore.allCases)
    func statusAndPrune(_ store: QueueStore) async throws {
        let (queue, keep) = try await store.make()
        defer { withExtendedLifetime(keep) {} }
        let other = try await queue.submit(submission("f", pages: 1, model: "model-b")).job
        let job = try await queue.submit(submission("g", pages: 1)).job
        let lease = try #require(
            try await queue.claimChunk(worker: "w", model: "model-a", leaseSeconds: 30))
        #expect(lease.job.id == job.id)
        let status = try await queue.status()
        #expect(status.queued == 1 && status.workers.map(\.id) == ["w"])
        let waiting = try #require(status.waiting.first { $0.jobID == other.id })
        #expect(waiting.reason?.contains("needs model model-b") == true)
        #expect(try await queue.failChunk(lease, reason: "broken", retryAfter: nil))
        try await Task.sleep(nanoseconds: 300_000_000)
        let pruned = try await queue.prune(olderThan: 0.1)
        #expect(pruned.jobs == 1 && pruned.blobs == 1)
        #expect(try await queue.job(id: job.id) == nil)
        #expect(try await queue.job(id: other.id) != nil)
    }

    @Test("blobs over several chunks come back whole", arguments: QueueStore.allCases)
    func largeBlobs(_ store: QueueStore) async throws {
        let (queue, keep) = try await store.make()
        defer { withExtendedLifetime(keep) {} }
        var random = SeededRandom(seed: 7)
        let data = Data((0..<(2_500_000)).map { _ in UInt8.random(in: 0...255, using: &random) })
        let sha = try await queue.putBlob(data)
        #expect(sha == SHA256.hexDigest(of: data))
        #expect(try await queue.putBlob(data) == sha)
        #expect(try await queue.blob(sha) == data)
    }
}

/// Runs a blocking call on a new thread, off the task pool.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws
    -> T
{
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
