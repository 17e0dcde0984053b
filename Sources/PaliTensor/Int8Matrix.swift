import CPaliKernels
import Foundation

/// A row-major int8 matrix `[rows, columns]` with one float32 scale per row: weights at a
/// quarter of the bytes of float32, for decode steps that are bound by reading weights.
///
/// Symmetric per-row quantisation: `scale = max |row| / 127`, `value = round(w / scale)`
/// (nearest even), so `w ≈ scale · value` with an error of at most `scale / 2` per element;
/// an all-zero row has scale 0. Decode products quantise the activations to int16 (or, for
/// `.int8` activations on AVX-512 VNNI, to int8) and sum exactly in integers, as many-row
/// products (prefill, vision) do on AVX-512 VNNI; elsewhere many-row products widen the weights
/// to float32, on the fly in the GEMM kernel or in blocks for `sgemm`.
public struct Int8Matrix: @unchecked Sendable {
    /// `[rows, columns]`.
    public let shape: [Int]
    /// First quantised value, `[rows, columns]`; valid while the matrix is alive.
    public let values: UnsafePointer<Int8>
    /// `[rows]`: the factor that turns a row's values back into weights.
    public let scales: UnsafePointer<Float>
    /// What products quantise the activations to (`with(activations:)`).
    public private(set) var activations = Int8Activations.int16
    /// `[rows]`: each row's sum of values, for the offset of u8 activations (`.int8` only).
    private var rowSums: AlignedBuffer<Int32>?
    /// Keeps the bytes alive.
    private let owner: QuantizedRows<Int8>

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// The 2-D `tensor`, quantised per row.
    public init(_ tensor: Tensor) {
        let source = UnsafeSendable(tensor.pointer)
        self.init(shape: tensor.shape) { row, columns, out in
            out.update(from: source.pointer + row * columns, count: columns)
        }
    }

    /// Quantises every row of a `[rows, columns]` matrix, rows split across the cores;
    /// `readRow(row, columns, out)` writes row `row` as float32 into `out[columns]`.
    private init(
        shape: [Int],
        readRow: @Sendable (Int, Int, UnsafeMutablePointer<Float>) -> Void
    ) {
        precondition(shape.count == 2, "an int8 matrix is 2-D, got \(shape)")
        let rows = shape[0], columns = shape[1]
        let buffer = QuantizedRows<Int8>(rows: rows, columns: columns)
        let values = UnsafeSendable(buffer.values), scales = UnsafeSendable(buffer.scales)
        let chunks = min(rows, ProcessInfo.processInfo.activeProcessorCount * 4)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let row = UnsafeMutablePointer<Float>.allocate(capacity: columns)  // [columns]
            defer { row.deallocate() }
            for r in rows * chunk / chunks..<rows * (chunk + 1) / chunks {
                readRow(r, columns, row)
                scales.pointer[r] = pali_int8_quantize_row(
                    row, values.pointer + r * columns, columns)
            }
        }
        self.shape = shape
        self.values = UnsafePointer(buffer.values)
        self.scales = UnsafePointer(buffer.scales)
        self.owner = buffer
    }

    /// The same weights, their products quantising activations to `activations`.
    public func with(activations: Int8Activations) -> Int8Matrix {
        var matrix = self
        matrix.activations = activations
        if activations == .int8 && rowSums == nil {
            let sums = AlignedBuffer<Int32>(count: shape[0])
            pali_int8_row_sums(values, shape[0], shape[1], sums.pointer)
            matrix.rowSums = sums
        }
        return matrix
    }

    /// The weight at flat index `i`, dequantised (`scale · value`).
    public subscript(_ i: Int) -> Float {
        scales[i / shape[1]] * Float(values[i])
    }

    /// Quantises `shape` elements of `dtype` at `source` into a new matrix and releases the
    /// mapped pages, so the weights are not resident twice.
    static func load(
        shape: [Int], dtype: TensorDType, source: UnsafeRawPointer, mapping: MappedFile
    ) -> Int8Matrix {
        let base = UnsafeSendable(source)
        let matrix = Int8Matrix(shape: shape) { row, columns, out in
            let bytes = base.pointer + row * columns * dtype.byteSize
            Tensor.widen(columns, dtype, at: bytes, into: out)
        }
        if let mapped = mapping.base {
            mapping.releasePages(offset: source - mapped, count: matrix.count * dtype.byteSize)
        }
        return matrix
    }
}

/// Quantised rows and their per-row scales on the heap: an `Int8Matrix`'s int8 weights, and
/// the int16 activations of a streaming product (`pali_int16_quantize_rows`, which orders each
/// row's columns for the kernel).
final class QuantizedRows<Value>: @unchecked Sendable {
    private let storage: AlignedBuffer<Value>
    let scales: UnsafeMutablePointer<Float>  // [rows]

    /// `[rows, columns]`, on a cache line.
    var values: UnsafeMutablePointer<Value> { storage.pointer }

    init(rows: Int, columns: Int) {
        storage = AlignedBuffer(count: rows * columns)
        scales = .allocate(capacity: max(rows, 1))
    }

    deinit { scales.deallocate() }
}

/// A decode step's few activation rows, quantised once per product for an `Int8Matrix`'s
/// kernels: to int16 (exact on every level), or to int8 stored as q + 128 where the matrix's
/// products take 8-bit activations on AVX-512 VNNI.
enum Int8StreamingRows: Sendable {
    case int16(QuantizedRows<Int16>)
    case eightBit(QuantizedRows<UInt8>)
}

extension Int8Matrix: CompactWeight {
    /// Each row quantised once per product: to 8 bits where the many-row products take them
    /// (`eightBitRowSums`), so a row's value does not depend on the rows beside it; else to
    /// int16.
    func streamingInput(_ a: UnsafePointer<Float>, rows: Int) -> Int8StreamingRows {
        let k = shape[1]
        if eightBitRowSums != nil {
            let input = QuantizedRows<UInt8>(rows: rows, columns: k)
            pali_u8_quantize_rows(a, rows, k, input.values, input.scales)
            return .eightBit(input)
        }
        let input = QuantizedRows<Int16>(rows: rows, columns: k)
        pali_int16_quantize_rows(a, rows, k, input.values, input.scales)
        return .int16(input)
    }

    func product(
        _ input: Int8StreamingRows, rows: Int, outputs: Range<Int>,
        into out: UnsafeMutablePointer<Float>
    ) {
        let n = shape[0], k = shape[1]
        switch input {
        case .int16(let q):
            pali_int8_linear_range(
                values, scales, q.values, q.scales, out, rows, n, k, outputs.lowerBound,
                outputs.upperBound)
        case .eightBit(let u):
            // Built only for `.int8` activations, which every matrix sharing the input has,
            // and which keep their row sums (each matrix its own).
            let sums = rowSums!
            pali_int8_u8_rows_range(
                values, scales, sums.pointer, u.values, u.scales, out, rows, n, k,
                outputs.lowerBound, outputs.upperBound)
            withExtendedLifetime(sums) {}
        }
    }

    /// The weights' row sums where products take 8-bit activations: `.int8` activations, a
    /// CPU (or test cap) with AVX-512 VNNI, and columns the u8 × s8 kernels take.
    private var eightBitRowSums: AlignedBuffer<Int32>? {
        guard activations == .int8, KernelLevel.allows(PALI_ISA_AVX512_VNNI),
            pali_u8_activations_fit(shape[1]) != 0
        else { return nil }
        return rowSums
    }

    func multiply(
        _ a: UnsafePointer<Float>, rows: Int, outputs: Range<Int>,
        into out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        pali_int8_gemm_range(
            values, scales, a, out, rows, shape[0], shape[1], outputs.lowerBound,
            outputs.upperBound, scratch)
    }

    /// AVX-512 VNNI: activations quantised to int16 as for a decode step, packed once, and
    /// multiplied in exact integer sums (`pali_int8_gemm_vnni_range`), so every row count and
    /// every instruction set give the same value as the decode kernels; or, for `.int8`
    /// activations, quantised to int8 (`multiplyEightBit`).
    func multiplyNatively(
        _ a: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>
    ) -> Bool {
        guard KernelLevel.allows(PALI_ISA_AVX512_VNNI) else { return false }
        let rowSums = eightBitRowSums
        if OneDNNProducts.takes(rowSums == nil ? .int16Activations : .eightBitActivations)
            && multiplyThroughOneDNN(a, rows: rows, rowSums: rowSums, into: out)
        {
            return true
        }
        let n = shape[0], k = shape[1]
        if let rowSums {
            multiplyEightBit(a, rows: rows, rowSums: rowSums, into: out)
            return true
        }
        // [⌈rows / 32⌉, ⌈k / 2⌉, 32] int16 pairs.
        let bytes = pali_int8_gemm_vnni_scratch_bytes(k)
        multiplyPacked(a, rows: rows, lanesPerRow: (k + 1) / 2, pack: pali_int16_quantize_pairs) {
            outputs, packed, packedScales in
            let scratch = ExpansionScratch.current(capacity: (bytes + 3) / 4)
            pali_int8_gemm_vnni_range(
                values, scales, packed, packedScales, out, rows, n, k, outputs.lowerBound,
                outputs.upperBound, scratch)
        }
        return true
    }

    /// u8 × s8 on AVX-512 VNNI (`pali_int8_gemm_u8s8_range`): activations quantised to int8
    /// per row and packed once; exact integer sums of those.
    private func multiplyEightBit(
        _ a: UnsafePointer<Float>, rows: Int, rowSums: AlignedBuffer<Int32>,
        into out: UnsafeMutablePointer<Float>
    ) {
        let n = shape[0], k = shape[1]
        // [⌈rows / 32⌉, k / 4, 32] quads of unsigned bytes.
        multiplyPacked(a, rows: rows, lanesPerRow: k / 4, pack: pali_u8_quantize_quads) {
            outputs, packed, packedScales in
            pali_int8_gemm_u8s8_range(
                values, scales, rowSums.pointer, packed, packedScales, out, rows, n, k,
                outputs.lowerBound, outputs.upperBound)
        }
        withExtendedLifetime(rowSums) {}
    }

    /// The same outputs with oneDNN's sums (`OneDNNProducts`): the activations quantised as for
    /// the own kernels but row-major, to 8 bits where `rowSums` (`eightBitRowSums`) are given,
    /// else to int16 as two byte planes. False where oneDNN could not run a part, for the own
    /// kernels to compute the whole product.
    private func multiplyThroughOneDNN(
        _ a: UnsafePointer<Float>, rows: Int, rowSums: AlignedBuffer<Int32>?,
        into out: UnsafeMutablePointer<Float>
    ) -> Bool {
        let n = shape[0], k = shape[1]
        guard k <= 65536 else { return false }
        if let rowSums {
            let input = QuantizedRows<UInt8>(rows: rows, columns: k)  // [rows, k], q + 128
            let u = UnsafeSendable(input.values), scales = UnsafeSendable(input.scales)
            Parallel.forEachRange(count: rows, costPerItem: 2 * k) { range in
                let first = range.lowerBound
                pali_u8_quantize_rows(
                    a + first * k, range.count, k, u.pointer + first * k, scales.pointer + first)
            }
            return withExtendedLifetime((input, rowSums)) {
                OneDNNProducts.split(rows: rows, n: n, k: k) { outputs in
                    pali_onednn_u8s8_range(
                        values, self.scales, rowSums.pointer, u.pointer, scales.pointer, out,
                        rows, n, k, outputs.lowerBound, outputs.upperBound)
                }
            }
        }
        let high = QuantizedRows<Int8>(rows: rows, columns: k)  // [rows, k]: q >> 8
        let low = AlignedBuffer<UInt8>(count: rows * k)  // [rows, k]: q & 255
        let h = UnsafeSendable(high.values), l = UnsafeSendable(low.pointer)
        let scales = UnsafeSendable(high.scales)
        Parallel.forEachRange(count: rows, costPerItem: 2 * k) { range in
            pali_int16_quantize_bytes(
                a, k, range.lowerBound, range.upperBound, h.pointer, l.pointer, scales.pointer)
        }
        return withExtendedLifetime((high, low)) {
            OneDNNProducts.split(rows: rows, n: n, k: k) { outputs in
                pali_onednn_int16_range(
                    values, self.scales, h.pointer, l.pointer, scales.pointer, out, rows, n, k,
                    outputs.lowerBound, outputs.upperBound)
            }
        }
    }

    /// The many-row products' common frame: quantises and packs the activations once, 32-row
    /// blocks split across the cores (`pack`, `lanesPerRow` int32 lanes per row, scales
    /// [blocks · 32]), then runs `multiply` on each core's share of the outputs.
    private func multiplyPacked(
        _ a: UnsafePointer<Float>, rows: Int, lanesPerRow: Int,
        pack: @convention(c) (
            UnsafePointer<Float>?, Int, Int, Int, Int, UnsafeMutablePointer<Int32>?,
            UnsafeMutablePointer<Float>?
        ) -> Void,
        multiply: (Range<Int>, UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Float>) -> Void
    ) {
        let k = shape[1], blocks = (rows + 31) / 32
        let input = QuantizedRows<Int32>(rows: blocks * 32, columns: lanesPerRow)
        let packed = UnsafeSendable(input.values), scales = UnsafeSendable(input.scales)
        Parallel.forEachRange(count: blocks, costPerItem: 32 * k) { range in
            pack(a, rows, k, range.lowerBound, range.upperBound, packed.pointer, scales.pointer)
        }
        Ops.splitOutputs(rows: rows, n: shape[0], k: k) { outputs in
            multiply(outputs, packed.pointer, scales.pointer)
        }
        withExtendedLifetime(input) {}
    }

    func expand(rows: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        let k = shape[1]
        pali_int8_dequantize(
            values + rows.lowerBound * k, scales + rows.lowerBound, out, rows.count, k)
    }
}
