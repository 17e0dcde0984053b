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
        withoutActuallyEscaping(body) { body in
            // Chunks touch disjoint items of the callers' buffers.
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                body((count * chunk / chunks)..<(count * (chunk + 1) / chunks))
            }
        }
    }
}
