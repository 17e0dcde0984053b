import Foundation
@testable import PaliTensor
import Testing
import PaliTestSupport

/// Each kernel against a plain double-precision scalar version on seeded random data.
/// Tolerance: 1e-5 relative to the output's magnitude (float32 rounding only).
@Suite struct OpsTests {
    func maxRelativeError(_ actual: [Float], _ expected: [Double]) -> Double {
        let scale = max(expected.map(abs).max() ?? 1, 1e-30)
        return zip(actual, expected).map { abs(Double($0) - $1) }.max()! / scale
    }

    @Test(arguments: [(1, 7, 5), (13, 33, 64), (3, 1, 300)])
    func linearMatchesScalar(rows: Int, n: Int, k: Int) {
        var random = SeededRandom(seed: UInt64(rows * 1000 + n))
        let a = random.values(rows * k)  // [rows, k]
        let w = Tensor(shape: [n, k], values: random.values(n * k))
        let b = Tensor(shape: [n], values: random.values(n))
        var out = [Float](repeating: 0, count: rows * n)
        Ops.linear(a, rows: rows, weight: w, bias: b, into: &out)
        var expected = [Double](repeating: 0, count: rows * n)
        for r in 0..<rows {
            for j in 0..<n {
                var sum = Double(b.pointer[j])
                for p in 0..<k { sum += Double(a[r * k + p]) * Double(w.pointer[j * k + p]) }
                expected[r * n + j] = sum
            }
        }
        #expect(maxRelativeError(out, expected) < 1e-5)
    }

    @Test func rmsNormUsesOnePlusWeight() {
        var random = SeededRandom(seed: 2)
        let rows = 4, dim = 48
        let x = random.values(rows * dim, scale: 3)
        let w = Tensor(shape: [dim], values: random.values(dim))
        var out = [Float](repeating: 0, count: rows * dim)
        Ops.rmsNorm(x, rows: rows, dim: dim, weight: w, eps: 1e-6, into: &out)
        var expected: [Double] = []
        for r in 0..<rows {
            let row = x[(r * dim)..<((r + 1) * dim)].map(Double.init)
            let rms = (row.map { $0 * $0 }.reduce(0, +) / Double(dim) + 1e-6).squareRoot()
            expected += row.enumerated().map {
                $0.element / rms * (1 + Double(w.pointer[$0.offset]))
            }
        }
        #expect(maxRelativeError(out, expected) < 1e-5)
    }

    @Test func layerNormMatchesScalar() {
        var random = SeededRandom(seed: 3)
        let rows = 5, dim = 40
        let x = random.values(rows * dim, scale: 2).map { $0 + 0.7 }
        let w = Tensor(shape: [dim], values: random.values(dim))
        let b = Tensor(shape: [dim], values: random.values(dim))
        var out = [Float](repeating: 0, count: rows * dim)
        Ops.layerNorm(x, rows: rows, dim: dim, weight: w, bias: b, eps: 1e-6, into: &out)
        var expected: [Double] = []
        for r in 0..<rows {
            let row = x[(r * dim)..<((r + 1) * dim)].map(Double.init)
            let mean = row.reduce(0, +) / Double(dim)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(dim)
            expected += row.enumerated().map {
                ($0.element - mean) / (variance + 1e-6).squareRoot() * Double(w.pointer[$0.offset])
                    + Double(b.pointer[$0.offset])
            }
        }
        #expect(maxRelativeError(out, expected) < 1e-5)
    }

    @Test func geluTanhMatchesFormula() {
        var random = SeededRandom(seed: 4)
        var x = random.values(200, scale: 6)
        let expected = x.map { v -> Double in
            let v = Double(v)
            return 0.5 * v * (1 + tanh((2 / Double.pi).squareRoot() * (v + 0.044715 * v * v * v)))
        }
        Ops.geluTanh(&x, count: x.count)
        #expect(maxRelativeError(x, expected) < 1e-5)
    }

    @Test func exactGELUMatchesErf() {
        var random = SeededRandom(seed: 9)
        var x = random.values(200, scale: 6)
        let expected = x.map { 0.5 * Double($0) * (1 + erf(Double($0) / 2.0.squareRoot())) }
        Ops.gelu(&x, count: x.count)
        #expect(maxRelativeError(x, expected) < 1e-5)
    }

    @Test func ropeRotatesHalfSplitPairs() {
        var random = SeededRandom(seed: 5)
        let rows = 3, heads = 2, dim = 8
        var x = random.values(rows * heads * dim)
        let original = x
        let positions = [1, 7, 300]
        let inv = Ops.ropeInverseFrequencies(headDim: dim, theta: 10000)
        for i in 0..<(dim / 2) {
            #expect(abs(Double(inv[i]) - pow(10000, -Double(2 * i) / Double(dim))) < 1e-6)
        }
        Ops.rope(
            &x, rows: rows, heads: heads, headDim: dim,
            table: RotaryTable(positions: positions, inverseFrequencies: inv))
        var expected = [Double](repeating: 0, count: x.count)
        for r in 0..<rows {
            for h in 0..<heads {
                let base = (r * heads + h) * dim
                for i in 0..<(dim / 2) {
                    let angle = Double(positions[r]) * pow(10000, -Double(2 * i) / Double(dim))
                    let a = Double(original[base + i]), b = Double(original[base + i + dim / 2])
                    expected[base + i] = a * cos(angle) - b * sin(angle)
                    expected[base + i + dim / 2] = b * cos(angle) + a * sin(angle)
                }
            }
        }
        // The float32 angle at position 300 carries ~1e-5 rad of rounding, as in transformers.
        #expect(maxRelativeError(x, expected) < 1e-4)
    }

    /// Large calls split rows or elements across threads; each item must come out exactly
    /// as from a call small enough to stay serial.
    @Test func parallelSplitIsBitIdenticalToSerial() {
        var random = SeededRandom(seed: 8)
        let rows = 43, dim = 2304, heads = 8, headDim = 288
        let x = random.values(rows * dim, scale: 3)  // [rows, dim]
        let w = Tensor(shape: [dim], values: random.values(dim))
        let b = Tensor(shape: [dim], values: random.values(dim))
        var whole = [Float](repeating: 0, count: rows * dim), rowByRow = whole
        Ops.rmsNorm(x, rows: rows, dim: dim, weight: w, eps: 1e-6, into: &whole)
        for r in 0..<rows {
            Ops.rmsNorm(
                Array(x[(r * dim)..<((r + 1) * dim)]), rows: 1, dim: dim, weight: w, eps: 1e-6,
                into: &rowByRow[r * dim])
        }
        #expect(whole == rowByRow)
        Ops.layerNorm(x, rows: rows, dim: dim, weight: w, bias: b, eps: 1e-6, into: &whole)
        for r in 0..<rows {
            Ops.layerNorm(
                Array(x[(r * dim)..<((r + 1) * dim)]), rows: 1, dim: dim, weight: w, bias: b,
                eps: 1e-6, into: &rowByRow[r * dim])
        }
        #expect(whole == rowByRow)

        whole = x
        rowByRow = x
        let inv = Ops.ropeInverseFrequencies(headDim: headDim, theta: 10000)
        Ops.rope(
            &whole, rows: rows, heads: heads, headDim: headDim,
            table: RotaryTable(positions: Array(100..<(100 + rows)), inverseFrequencies: inv))
        for r in 0..<rows {
            Ops.rope(
                &rowByRow[r * dim], rows: 1, heads: heads, headDim: headDim,
                table: RotaryTable(positions: [100 + r], inverseFrequencies: inv))
        }
        #expect(whole == rowByRow)

        let chunk = 1000  // 1000 elements stay on one thread
        typealias ElementWise = (UnsafeMutablePointer<Float>, Int) -> Void
        let kernels: [ElementWise] = [
            { Ops.geluTanh($0, count: $1) }, { Ops.gelu($0, count: $1) },
            { Ops.softcap($0, count: $1, cap: 3) },
        ]
        for kernel in kernels {
            whole = x
            rowByRow = x
            kernel(&whole, whole.count)
            rowByRow.withUnsafeMutableBufferPointer { values in
                for start in stride(from: 0, to: values.count, by: chunk) {
                    kernel(values.baseAddress! + start, min(chunk, values.count - start))
                }
            }
            #expect(whole == rowByRow)
        }

        let y = random.values(x.count)
        whole = x
        Ops.add(y, into: &whole, count: whole.count)
        #expect(whole == zip(x, y).map { $0 + $1 })
        whole = x
        Ops.multiply(y, into: &whole, count: whole.count)
        #expect(whole == zip(x, y).map { $0 * $1 })
    }

    @Test func softcapBoundsValues() {
        var random = SeededRandom(seed: 7)
        var x = random.values(50, scale: 200)
        let expected = x.map { 30 * tanh(Double($0) / 30) }
        Ops.softcap(&x, count: x.count, cap: 30)
        #expect(x.allSatisfy { abs($0) <= 30 })
        #expect(maxRelativeError(x, expected) < 1e-5)
    }

    /// Products large enough to be split across cores (output ranges at multiples of 16, a
    /// ragged last one) match the scalar product, for one row (`sgemv`) and several (`sgemm`),
    /// with float32, bf16 and int8 weights, on any number of cores. Checked on every 7th
    /// output, the last ones and those around the split points.
    @Test(arguments: [1, 3, 9])
    func splitProductsMatchScalar(rows: Int) {
        var random = SeededRandom(seed: UInt64(40 + rows))
        let n = 1000, k = 2100
        let a = random.values(rows * k)  // [rows, k]
        let w = Tensor(shape: [n, k], values: random.values(n * k))  // [n, k]
        let weights: [LinearWeight] = [.f32(w), .bf16(BF16Matrix(w)), .int8(Int8Matrix(w))]
        let columns = Set(Array(stride(from: 0, to: n, by: 7)) + Array(n - 20..<n)
            + Array(320..<350) + Array(480..<520) + Array(650..<680)).sorted()
        for (index, weight) in weights.enumerated() {
            var expected: [Double] = []  // [rows, columns.count]
            for r in 0..<rows {
                for j in columns {
                    var sum = 0.0
                    for p in 0..<k {
                        let element: Float
                        switch weight {
                        case .f32(let tensor): element = tensor.pointer[j * k + p]
                        case .bf16(let matrix): element = matrix[j * k + p]
                        case .int8(let matrix): element = matrix[j * k + p]
                        }
                        sum += Double(a[r * k + p]) * Double(element)
                    }
                    expected.append(sum)
                }
            }
            for cores in [1, 2, 3] {
                let saved = BLASThreads.current
                BLASThreads.set(cores)
                var out = [Float](repeating: .nan, count: rows * n)  // [rows, n]
                // At the CPU's best level, which no other suite can cap meanwhile.
                KernelLevel.run(at: .best) {
                    Ops.linear(a, rows: rows, weight: weight, into: &out)
                }
                BLASThreads.set(saved)
                let actual = (0..<rows).flatMap { r in columns.map { out[r * n + $0] } }
                // int8 products quantise the activations to int16 (relative step 3e-5) in
                // decoding and, with AVX-512 VNNI, at any row count.
                let int16 = rows <= Ops.streamingRows || KernelLevel.avx512VNNI.isSupported
                let tolerance = index == 2 && int16 ? 1e-4 : 1e-5
                #expect(
                    maxRelativeError(actual, expected) < tolerance,
                    "weight \(index), \(cores) cores")
            }
        }
    }

    /// Weights sharing an input (query/key/value, gate/up) multiplied in one call give each
    /// output bit for bit what one product per weight gives: decode steps (1–8 rows, one
    /// parallel pass over all outputs, split points inside weights) and larger inputs (one
    /// product each), for float32, bf16 and int8 weights; outputs start as NaN, so an output
    /// left unwritten fails.
    @Test(arguments: [1, 3, 8, 12])
    func sharedInputProductsMatchSeparateOnes(rows: Int) {
        var random = SeededRandom(seed: UInt64(70 + rows))
        let k = 300, sizes = [100, 37, 250]
        let a = random.values(rows * k)  // [rows, k]
        let tensors = sizes.map { Tensor(shape: [$0, k], values: random.values($0 * k)) }
        let kinds: [[LinearWeight]] = [
            tensors.map { .f32($0) }, tensors.map { .bf16(BF16Matrix($0)) },
            tensors.map { .int8(Int8Matrix($0)) },
        ]
        // Both at the CPU's best level, which no other suite can cap in between.
        for (kind, weights) in kinds.enumerated() {
            KernelLevel.run(at: .best) {
                let separate = zip(weights, sizes).map { weight, n in
                    var out = [Float](repeating: .nan, count: rows * n)  // [rows, n]
                    Ops.linear(a, rows: rows, weight: weight, into: &out)
                    return out
                }
                var o0 = [Float](repeating: .nan, count: rows * sizes[0])  // [rows, sizes[0]]
                var o1 = [Float](repeating: .nan, count: rows * sizes[1])  // [rows, sizes[1]]
                var o2 = [Float](repeating: .nan, count: rows * sizes[2])  // [rows, sizes[2]]
                o0.withUnsafeMutableBufferPointer { o0 in
                    o1.withUnsafeMutableBufferPointer { o1 in
                        o2.withUnsafeMutableBufferPointer { o2 in
                            Ops.linear(
                                a, rows: rows, weights: weights,
                                into: [o0.baseAddress!, o1.baseAddress!, o2.baseAddress!])
                        }
                    }
                }
                let fused = [o0, o1, o2]
                for i in sizes.indices {
                    #expect(
                        fused[i].map(\.bitPattern) == separate[i].map(\.bitPattern),
                        "kind \(kind), weight \(i)")
                    #expect(!fused[i].contains { $0.isNaN }, "kind \(kind), weight \(i)")
                }
            }
        }
    }
}
