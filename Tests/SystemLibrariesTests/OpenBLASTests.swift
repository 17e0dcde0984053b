import COpenBLAS
import Testing

/// Proves OpenBLAS is linked: `cblas_sgemm` equals a scalar triple loop.
@Suite struct OpenBLASTests {
    @Test func sgemmMatchesScalarLoop() {
        let m = 37, n = 29, k = 53
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
        let a = (0..<(m * k)).map { _ in next() }  // [m, k]
        let b = (0..<(k * n)).map { _ in next() }  // [k, n]
        var c = [Float](repeating: 0, count: m * n)  // [m, n]
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
        var maxError: Float = 0
        for i in 0..<m {
            for j in 0..<n {
                var sum: Double = 0
                for p in 0..<k { sum += Double(a[i * k + p]) * Double(b[p * n + j]) }
                maxError = max(maxError, abs(Float(sum) - c[i * n + j]))
            }
        }
        #expect(maxError < 1e-4)
    }
}
