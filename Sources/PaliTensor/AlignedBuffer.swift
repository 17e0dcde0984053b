import Foundation

/// Bytes of one transparent huge page (x86-64, arm64 with 4 KiB base pages).
private let hugePageBytes = 2 << 20

/// `count` values on the heap, owned by this object: weights held in memory (float32 widened,
/// bf16 rounded or int8 quantised at load) and kernel operands prepared once per product
/// (int16 or rearranged float32 activations).
///
/// Why aligned: the kernels' 32-byte loads of rows whose length is a multiple of 32 then never
/// straddle two cache lines, as they may with malloc's 16-byte alignment (see
/// docs/benchmarks/).
///
/// Why huge pages: a buffer of at least one huge page starts on one and is advised
/// `MADV_HUGEPAGE` before its first write (the system's default, `madvise` mode, gives huge
/// pages only where asked). A decode step streams every weight once — 2.6 GB for Gemma 2 3B in
/// int8, 640 000 pages of 4 KiB, each a TLB miss and, in a virtual machine, a two-level page
/// walk; hardware prefetchers also stop at 4 KiB boundaries. Memory-mapped checkpoint weights
/// stay on the page cache's pages.
public final class AlignedBuffer<Value>: @unchecked Sendable {
    /// The first of `count` values (uninitialised until written).
    public let pointer: UnsafeMutablePointer<Value>

    /// Room for `count` values.
    public init(count: Int) {
        let bytes = max(count, 1) * MemoryLayout<Value>.stride
        let huge = bytes >= hugePageBytes
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: bytes, alignment: huge ? hugePageBytes : 64)
        if huge {
            // Advice only: without THP support the buffer keeps 4 KiB pages.
            _ = madvise(raw, bytes / hugePageBytes * hugePageBytes, MADV_HUGEPAGE)
        }
        pointer = raw.bindMemory(to: Value.self, capacity: max(count, 1))
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}
