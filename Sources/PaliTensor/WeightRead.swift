import CPaliKernels
import Foundation

/// A plain read of weights' values, split across the cores as one-row products split their
/// outputs: what a decode step's weight stream is held against. Reading the same bytes in the
/// same process, right after a step, gives the bound at the memory's rate of that moment —
/// on shared and virtual machines the rate moves by half from minute to minute.
public enum WeightRead {
    /// Bytes of the weights' values (int8 scales, one float per row, aside).
    public static func bytes(_ weights: [LinearWeight]) -> Int {
        weights.reduce(0) { $0 + $1.valueBytes.count }
    }

    /// Wall-clock seconds to read every weight's values once, one weight after another, each
    /// split across `BLASThreads.current` cores as `Ops.linear` splits a one-row product.
    public static func seconds(_ weights: [LinearWeight]) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for weight in weights {
            let bytes = weight.valueBytes, n = weight.shape[0], k = weight.shape[1]
            let base = UnsafeSendable(bytes.baseAddress!), rowBytes = bytes.count / n
            Ops.splitOutputs(rows: 1, n: n, k: k) { outputs in
                _ = pali_read_bytes(
                    base.pointer + outputs.lowerBound * rowBytes, outputs.count * rowBytes)
            }
        }
        return (clock.now - start) / .seconds(1)
    }
}

extension LinearWeight {
    /// The values a product streams, `[outputs, inputs]` in the held format.
    var valueBytes: UnsafeRawBufferPointer {
        switch self {
        case .f32(let tensor):
            UnsafeRawBufferPointer(start: tensor.pointer, count: tensor.count * 4)
        case .bf16(let matrix):
            UnsafeRawBufferPointer(start: matrix.pointer, count: matrix.count * 2)
        case .int8(let matrix):
            UnsafeRawBufferPointer(start: matrix.values, count: matrix.count)
        }
    }
}
