import Foundation

/// One table pair of `Tests/Fixtures/teds/pairs.json`, with the scores PubTabNet's own metric
/// gave it (written by `Tests/Fixtures/generator/generate_teds_fixtures.py`).
public struct TEDSReferencePair: Decodable, Sendable {
    /// The pair's name.
    public var name: String
    /// The predicted table's HTML.
    public var pred: String
    /// The ground truth's HTML.
    public var gt: String
    /// TEDS.
    public var teds: Double
    /// TEDS-S (structure only).
    public var teds_s: Double
    /// TEDS with `<b>` and `<sup>` stripped.
    public var teds_ignore_b_sup: Double

    /// Every committed pair, in the file's order.
    public static func all() throws -> [TEDSReferencePair] {
        struct File: Decodable { var pairs: [TEDSReferencePair] }
        let data = try Data(contentsOf: FixturePaths.fixture("teds/pairs.json"))
        return try JSONDecoder().decode(File.self, from: data).pairs
    }
}
