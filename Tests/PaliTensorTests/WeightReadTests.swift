import CPaliKernels
import Testing

@testable import PaliTensor

/// The plain read that bounds a decode step: every byte read once, at every kernel level, and
/// each weight format's bytes counted as held.
@Suite struct WeightReadTests {
    @Test func readsEveryByteAtEveryLevel() {
        let data = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        KernelLevels.each { level in
            // Lengths off the 256-byte loop and its 64-byte portable form, from unaligned starts.
            for (start, count) in [(0, 0), (1, 1), (3, 63), (0, 64), (5, 255), (7, 256), (9, 257),
                                   (13, 1000), (0, 4099), (17, 4983)] {
                let expected = data[start..<start + count].reduce(UInt64(0)) { $0 + UInt64($1) }
                let sum = data.withUnsafeBytes { pali_read_bytes($0.baseAddress! + start, count) }
                #expect(sum == expected, "\(level), \(count) bytes from \(start)")
            }
        }
    }

    @Test func countsEachFormatAsHeld() {
        let tensor = Tensor(shape: [24, 40], values: (0..<960).map { Float($0 % 13) - 6 })
        let weights: [LinearWeight] = [
            .f32(tensor), .bf16(BF16Matrix(tensor)), .int8(Int8Matrix(tensor)),
        ]
        #expect(weights.map { WeightRead.bytes([$0]) } == [960 * 4, 960 * 2, 960])
        #expect(WeightRead.bytes(weights) == 960 * 7)
        #expect(WeightRead.seconds(weights) > 0)
    }
}
