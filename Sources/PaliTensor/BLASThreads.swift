import COpenBLAS
import Synchronization

/// The number of cores one matrix product (and every other parallel kernel) may use.
/// Callers that run several products at once (one per document in `palidoc convert --jobs N`)
/// split the cores between them, so N products do not oversubscribe the machine.
///
/// OpenBLAS itself is made single-threaded: the products split their outputs across Dispatch
/// workers (`Ops.linear`), so every kernel shares one pool. OpenBLAS's own worker threads spin
/// in `sched_yield` for a while after each product, so between the products of a layer (norms,
/// attention, expansion of compact weights on Dispatch threads) they would take CPU time from
/// the Dispatch workers, and far more once other processes compete for the cores.
public enum BLASThreads {
    /// The cores OpenBLAS was configured for (`OPENBLAS_NUM_THREADS`, else all), read once,
    /// after which OpenBLAS runs each call on its caller's thread.
    private static let cores = Atomic<Int>({
        let configured = Int(openblas_get_num_threads())
        openblas_set_num_threads(1)
        return max(1, configured)
    }())

    /// Cores per product now.
    public static var current: Int { cores.load(ordering: .relaxed) }

    /// Sets the cores per product (at least 1).
    public static func set(_ count: Int) {
        cores.store(max(1, count), ordering: .relaxed)
    }
}
