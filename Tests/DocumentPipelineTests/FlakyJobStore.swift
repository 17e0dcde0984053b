import Foundation
import Synchronization

@testable import DocumentPipeline

/// A `JobStore` that forwards to another but fails chosen calls once each, to prove that a
/// store hiccup never loses or repeats a document (and that the protocol is all a watcher
/// needs from a store).
final class FlakyJobStore: JobStore {
    let base: any JobStore
    private let failOnce: Mutex<Set<String>>

    init(_ base: any JobStore, failOnce calls: Set<String>) {
        self.base = base
        failOnce = Mutex(calls)
    }

    private func hiccup(_ call: String) throws {
        if failOnce.withLock({ $0.remove(call) }) != nil {
            throw JobStoreError.unavailable(location: "flaky", reason: "\(call) failed once")
        }
    }

    func register(contentHash: String, originalName: String, at date: Date) async throws
        -> JobRegistration
    {
        try hiccup("register")
        return try await base.register(
            contentHash: contentHash, originalName: originalName, at: date)
    }
    func recordArrival(_ arrival: Arrival) async throws {
        try hiccup("recordArrival")
        try await base.recordArrival(arrival)
    }
    func arrivals(contentHash: String) async throws -> [Arrival] {
        try await base.arrivals(contentHash: contentHash)
    }
    func job(contentHash: String) async throws -> Job? {
        try await base.job(contentHash: contentHash)
    }
    func jobs(in states: Set<JobState>) async throws -> [Job] {
        try await base.jobs(in: states)
    }
    func claim(contentHash: String, owner: String, at date: Date) async throws -> Job? {
        try hiccup("claim")
        return try await base.claim(contentHash: contentHash, owner: owner, at: date)
    }
    func markProcessing(contentHash: String, owner: String, at date: Date) async throws {
        try hiccup("markProcessing")
        try await base.markProcessing(contentHash: contentHash, owner: owner, at: date)
    }
    func setPageCount(_ count: Int, contentHash: String, owner: String, at date: Date) async throws
    {
        try hiccup("setPageCount")
        try await base.setPageCount(count, contentHash: contentHash, owner: owner, at: date)
    }
    func completePage(_ pageIndex: Int, contentHash: String, owner: String, at date: Date)
        async throws
    {
        try hiccup("completePage")
        try await base.completePage(pageIndex, contentHash: contentHash, owner: owner, at: date)
    }
    func completedPages(contentHash: String) async throws -> Set<Int> {
        try await base.completedPages(contentHash: contentHash)
    }
    func setOutputPath(_ path: String, contentHash: String, owner: String, at date: Date)
        async throws
    {
        try hiccup("setOutputPath")
        try await base.setOutputPath(path, contentHash: contentHash, owner: owner, at: date)
    }
    func markDone(contentHash: String, owner: String, at date: Date) async throws {
        try hiccup("markDone")
        try await base.markDone(contentHash: contentHash, owner: owner, at: date)
    }
    func markFailed(
        contentHash: String, owner: String, failure: JobFailure, retryAt: Date?, at date: Date
    ) async throws {
        try hiccup("markFailed")
        try await base.markFailed(
            contentHash: contentHash, owner: owner, failure: failure, retryAt: retryAt, at: date)
    }
    func reset(contentHash: String, originalName: String, at date: Date) async throws -> Job {
        try await base.reset(contentHash: contentHash, originalName: originalName, at: date)
    }
    func releaseClaim(contentHash: String, owner: String, at date: Date) async throws -> Bool {
        try await base.releaseClaim(contentHash: contentHash, owner: owner, at: date)
    }
    func releaseClaims(owner: String, refundAttempt: Bool, at date: Date) async throws -> [Job] {
        try await base.releaseClaims(owner: owner, refundAttempt: refundAttempt, at: date)
    }
}
