/// SplitMix64, seeded, so that failures of randomised tests reproduce.
struct SeededRandom {
    var state: UInt64

    /// A number in `0..<bound`.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }

    /// 1…maxLength bytes drawn from "a", "b" and the bytes of "▁".
    mutating func bytes(maxLength: Int) -> [UInt8] {
        (0..<(1 + next(maxLength))).map { _ in [0x61, 0x62, 0xE2, 0x96, 0x81][next(5)] }
    }
}
