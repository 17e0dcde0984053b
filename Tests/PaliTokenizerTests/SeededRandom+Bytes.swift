import PaliTestSupport

extension SeededRandom {
    /// 1…maxLength bytes drawn from "a", "b" and the bytes of "▁".
    mutating func bytes(maxLength: Int) -> [UInt8] {
        (0..<(1 + next(maxLength))).map { _ in [0x61, 0x62, 0xE2, 0x96, 0x81][next(5)] }
    }
}
