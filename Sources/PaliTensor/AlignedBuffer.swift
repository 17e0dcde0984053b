/// `count` values on the heap starting on a 64-byte cache line, owned by this object: kernel
/// operands prepared once per product (int16 or rearranged float32 activations) and int8
/// weights.
///
/// Why aligned: the kernels' 32-byte loads of rows whose length is a multiple of 32 then never
/// straddle two cache lines (from L2, 3 and 5 int16 rows ran at 49 and 53 G MAC/s with
/// malloc's 16-byte alignment, 62 and 71 aligned).
final class AlignedBuffer<Value>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Value>

    init(count: Int) {
        let count = max(count, 1)
        pointer = UnsafeMutableRawPointer.allocate(
            byteCount: count * MemoryLayout<Value>.stride, alignment: 64
        ).bindMemory(to: Value.self, capacity: count)
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}
