import CPaliKernels
import Foundation

/// Splits element-wise and row-wise kernels across the cores OpenBLAS may use
/// (`BLASThreads.current`), so that `palidoc convert --jobs N` keeps its per-document share.
enum Parallel {
    /// Scalar operations below which a call stays on the calling thread (thread hand-off
    /// costs a few microseconds).
    static let minimumWork = 1 << 15

    /// Calls `body` on disjoint ranges covering `0..<count`, concurrently when
    /// `count · costPerItem` is large enough. Each item is processed exactly as a serial loop
    /// would, so results do not depend on the split.
    static func forEachRange(
        count: Int, costPerItem: Int, _ body: (Range<Int>) -> Void
    ) {
        let workers = min(BLASThreads.current, count, count * costPerItem / minimumWork)
        guard workers > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        // A few chunks per worker even out preemption by other processes.
        let chunks = min(count, workers * 4)
        // Chunks touch disjoint items of the callers' buffers.
        perform(iterations: chunks, threads: workers) { chunk in
            body((count * chunk / chunks)..<(count * (chunk + 1) / chunks))
        }
    }

    /// Calls `body(i)` for every `i` in `0..<iterations` on up to `threads` cores (this thread
    /// among them), returning when all are done: `pali_pool_run`'s helpers, which stay awake
    /// between the many short steps of a decode step, or, while they run another caller's
    /// step (nested, or a second document's), Dispatch's pool. `body` must be safe to call
    /// concurrently.
    static func perform(
        iterations: Int, threads: Int = BLASThreads.current, _ body: (Int) -> Void
    ) {
        withoutActuallyEscaping(body) { body in
            var task = body
            let ran = withUnsafeMutablePointer(to: &task) { task in
                pali_pool_run(iterations, threads, { context, i in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(i)
                }, task)
            }
            if ran == 0 {
                nonisolated(unsafe) let body = body
                DispatchQueue.concurrentPerform(iterations: iterations) { body($0) }
            }
        }
    }
}
