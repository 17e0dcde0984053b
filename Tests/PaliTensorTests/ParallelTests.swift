import CPaliKernels
import Foundation
import Synchronization
import Testing

@testable import PaliTensor

/// `Parallel.perform` over the helper pool: every iteration runs exactly once whatever the
/// iteration and thread counts, with steps nested, from several threads at once, and after
/// the helpers have parked.
@Suite struct ParallelTests {
    /// Runs a step of `iterations` and returns how many times each iteration ran.
    private func counts(iterations: Int, threads: Int) -> [Int] {
        let runs = Mutex([Int](repeating: 0, count: iterations))
        Parallel.perform(iterations: iterations, threads: threads) { i in
            runs.withLock { $0[i] += 1 }
        }
        return runs.withLock { $0 }
    }

    @Test func runsEveryIterationOnce() {
        for threads in 1...4 {
            for iterations in [0, 1, 2, 3, 7, 64, 301] {
                #expect(counts(iterations: iterations, threads: threads)
                    == Array(repeating: 1, count: iterations), "\(iterations) on \(threads)")
            }
        }
    }

    @Test func helpersShareTheWork() {
        // Iterations that wait for each other: they finish only if two threads run them.
        guard ProcessInfo.processInfo.activeProcessorCount > 1 else { return }
        let arrived = Atomic<Int>(0)
        let deadline = ContinuousClock.now + .seconds(10)
        Parallel.perform(iterations: 2, threads: 2) { _ in
            arrived.add(1, ordering: .relaxed)
            while arrived.load(ordering: .relaxed) < 2 && ContinuousClock.now < deadline {}
        }
        #expect(arrived.load(ordering: .relaxed) == 2 && ContinuousClock.now < deadline)
    }

    @Test func nestedStepsRunEveryIteration() {
        let runs = Mutex([Int](repeating: 0, count: 6 * 5))
        Parallel.perform(iterations: 6, threads: 3) { outer in
            Parallel.perform(iterations: 5, threads: 3) { inner in
                runs.withLock { $0[outer * 5 + inner] += 1 }
            }
        }
        #expect(runs.withLock { $0 } == Array(repeating: 1, count: 30))
    }

    @Test func busyPoolTurnsAwayASecondCaller() {
        // Inside a pool step the pool is taken: a nested call runs nothing and says so. (Other
        // suites' steps may hold the pool for a moment: the outer call retries until it runs.)
        var nested = -1
        while pali_pool_run(2, 2, { context, i in
            if i == 0 {
                context!.assumingMemoryBound(to: Int.self).pointee =
                    Int(pali_pool_run(4, 2, { _, _ in }, nil))
            }
        }, &nested) == 0 {}
        #expect(nested == 0)
    }

    @Test func concurrentCallersAndParkedHelpers() async {
        // Several callers at once (one holds the pool, the others fall back to Dispatch), with
        // pauses longer than the helpers' spin between steps so they park and are woken.
        await withTaskGroup(of: Bool.self) { group in
            for caller in 0..<4 {
                group.addTask {
                    for step in 0..<60 {
                        if step % 15 == caller { usleep(2_000) }
                        let total = Atomic<Int>(0)
                        Parallel.perform(iterations: 37, threads: 2) { i in
                            total.add(i, ordering: .relaxed)
                        }
                        if total.load(ordering: .relaxed) != 37 * 36 / 2 { return false }
                    }
                    return true
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
