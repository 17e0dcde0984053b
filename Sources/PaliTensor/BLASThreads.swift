import COpenBLAS

/// The number of threads OpenBLAS uses inside one matrix product. Callers that run several
/// products at once (one per document in `palidoc convert --jobs N`) split the cores between
/// them, so N multi-threaded products do not oversubscribe the machine.
public enum BLASThreads {
    /// Threads per product now.
    public static var current: Int { Int(openblas_get_num_threads()) }

    /// Sets the threads per product (at least 1).
    public static func set(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }
}
