import Foundation
import Synchronization

/// Renews one chunk lease every `interval` seconds from a thread of its own, so inference,
/// rendering or a busy task pool never delay a heartbeat past the lease. Once a renewal says
/// the lease is lost, `isLost` turns true and the worker abandons the chunk.
final class LeaseHeartbeat: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private let lost = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    /// Whether a renewal found the lease taken over.
    var isLost: Bool { lost.load(ordering: .acquiring) }

    /// Starts renewing `lease` by `leaseSeconds` every `interval` seconds through `renewer`;
    /// `onProblem` hears of renewals that failed (the store unreachable), which are retried.
    init(
        lease: ChunkLease, renewer: any LeaseRenewer, leaseSeconds: Double, interval: Double,
        onProblem: @escaping @Sendable (String) -> Void
    ) {
        let thread = Thread { [self] in
            defer { done.signal() }
            while waitOrStop(interval) {
                do {
                    if try !renewer.renew(lease, seconds: leaseSeconds) {
                        lost.store(true, ordering: .releasing)
                        return
                    }
                } catch {
                    onProblem("cannot renew the lease of job \(lease.job.id): \(error)")
                }
            }
        }
        thread.name = "palidoc-heartbeat"
        thread.start()
    }

    /// Stops the thread and waits for it.
    func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
        done.wait()
    }

    /// Sleeps `seconds` unless stopped first; `true` when the time passed.
    private func waitOrStop(_ seconds: Double) -> Bool {
        condition.withLock {
            let deadline = Date().addingTimeInterval(seconds)
            while !stopped && condition.wait(until: deadline) {}
            return !stopped
        }
    }
}
