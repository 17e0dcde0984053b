extension GemmaTokenizer {
    /// The id of `<locNNNN>` (detection coordinate bin `index`, 0…1023), looked up by name.
    public func id(ofLocation index: Int) -> Int? {
        guard (0...9999).contains(index) else { return nil }
        return id(of: "<loc" + Self.zeroPadded(index, width: 4) + ">")
    }

    /// The id of `<segNNN>` (segmentation code `index`, 0…127), looked up by name.
    public func id(ofSegment index: Int) -> Int? {
        guard (0...999).contains(index) else { return nil }
        return id(of: "<seg" + Self.zeroPadded(index, width: 3) + ">")
    }

    private static func zeroPadded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
