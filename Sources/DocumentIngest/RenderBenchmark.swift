import Foundation

/// Measures rendering speed: pages per second for one document at given DPIs, rendering
/// (and converting to RGB) but writing nothing.
public enum RenderBenchmark {
    /// One measurement.
    public struct Measurement: Sendable {
        /// The DPI rendered at.
        public let dpi: Double
        /// Pages rendered.
        public let pages: Int
        /// Wall-clock seconds for all of them.
        public let seconds: Double
        /// Pages per second.
        public var pagesPerSecond: Double { Double(pages) / max(seconds, 1e-9) }
    }

    /// Renders `indices` of `document` once per DPI in `dpis`, after one warm-up page.
    public static func measure(_ document: any DocumentSource, indices: [Int], dpis: [Double])
        throws -> [Measurement]
    {
        if let first = indices.first { _ = try document.renderPage(index: first, dpi: dpis[0]) }
        return try dpis.map { dpi in
            let start = ContinuousClock.now
            for index in indices { _ = try document.renderPage(index: index, dpi: dpi) }
            let elapsed = ContinuousClock.now - start
            return Measurement(dpi: dpi, pages: indices.count, seconds: elapsed / .seconds(1))
        }
    }
}
