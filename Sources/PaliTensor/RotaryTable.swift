import Foundation

/// The cosines and sines of RoPE's rotation angles for the rows of one decoder pass,
/// `[rows, headDim / 2]` each: computed once per pass and shared by the queries and keys of
/// every layer (per layer and projection they cost 2 · 26 times the `cosf`/`sinf` calls, ≈ 54 M
/// for a 896 px prefill).
public struct RotaryTable: Sendable {
    /// Rows (positions) in the table.
    public let rows: Int
    /// Angles per row: `headDim / 2`.
    public let half: Int
    let cosines: [Float]  // [rows, half]
    let sines: [Float]  // [rows, half]

    /// Row r rotates by `Float(positions[r]) · inverseFrequencies[i]` (a float32 product, as
    /// in transformers' rotary embedding).
    public init(positions: [Int], inverseFrequencies: [Float]) {
        rows = positions.count
        half = inverseFrequencies.count
        var cosines = [Float](repeating: 0, count: rows * half), sines = cosines
        for (r, position) in positions.enumerated() {
            let p = Float(position)
            for i in 0..<half {
                let angle = p * inverseFrequencies[i]
                cosines[r * half + i] = cosf(angle)
                sines[r * half + i] = sinf(angle)
            }
        }
        self.cosines = cosines
        self.sines = sines
    }
}
