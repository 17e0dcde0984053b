import Foundation

/// A per-thread float32 buffer for many-row products with compact weights (the GEMM kernel's
/// packed operands, or the float32 expansion that `sgemm` multiplies without AVX2), kept
/// between calls: allocating (and page-faulting) megabytes for every product of a prefill
/// would cost about as much as the expansion itself.
final class ExpansionScratch {
    private static let key = "PaliTensor.ExpansionScratch"
    private var pointer: UnsafeMutablePointer<Float>
    private var capacity: Int

    private init(capacity: Int) {
        pointer = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    deinit { pointer.deallocate() }

    /// This thread's buffer, grown to hold at least `capacity` floats; valid until the next
    /// call on this thread.
    static func current(capacity: Int) -> UnsafeMutablePointer<Float> {
        let dictionary = Thread.current.threadDictionary
        let scratch: ExpansionScratch
        if let existing = dictionary[key] as? ExpansionScratch {
            scratch = existing
        } else {
            scratch = ExpansionScratch(capacity: capacity)
            dictionary[key] = scratch
        }
        if scratch.capacity < capacity {
            scratch.pointer.deallocate()
            scratch.pointer = .allocate(capacity: capacity)
            scratch.capacity = capacity
        }
        return scratch.pointer
    }
}
