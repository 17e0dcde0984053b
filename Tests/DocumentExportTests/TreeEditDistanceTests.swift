@testable import DocumentExport
import Testing
import PaliTestSupport

/// Zhang–Shasha against a direct recursive forest edit distance (the textbook recurrence,
/// memoised) on seeded random trees of any shape, not only table-shaped ones.
@Suite struct TreeEditDistanceTests {
    final class Tree {
        let label: Int
        let children: [Tree]
        init(_ label: Int, _ children: [Tree]) {
            self.label = label
            self.children = children
        }
    }


    static func random(_ size: Int, _ rng: inout SeededRandom) -> Tree {
        guard size > 1 else { return Tree(Int.random(in: 0..<3, using: &rng), []) }
        var remaining = size - 1
        var children: [Tree] = []
        while remaining > 0 {
            let part = Int.random(in: 1...remaining, using: &rng)
            children.append(random(part, &rng))
            remaining -= part
        }
        return Tree(Int.random(in: 0..<3, using: &rng), children)
    }

    /// Forest distance of two ordered forests (rightmost-root decomposition).
    static func forest(_ f: [Tree], _ g: [Tree], _ memo: inout [String: Double]) -> Double {
        if f.isEmpty { return Double(g.reduce(0) { $0 + count($1) }) }
        if g.isEmpty { return Double(f.reduce(0) { $0 + count($1) }) }
        let ids = { (trees: [Tree]) in trees.map { ObjectIdentifier($0).hashValue } }
        let key = "\(ids(f))|\(ids(g))"
        if let known = memo[key] { return known }
        let v = f.last!, w = g.last!
        let deleteV = forest(Array(f.dropLast()) + v.children, g, &memo) + 1
        let insertW = forest(f, Array(g.dropLast()) + w.children, &memo) + 1
        let match =
            forest(v.children, w.children, &memo)
            + forest(Array(f.dropLast()), Array(g.dropLast()), &memo)
            + (v.label == w.label ? 0 : 1)
        let result = min(deleteV, insertW, match)
        memo[key] = result
        return result
    }

    static func count(_ t: Tree) -> Int { 1 + t.children.reduce(0) { $0 + count($1) } }

    @Test func agreesWithTheRecurrenceOnRandomTrees() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<60 {
            let a = Self.random(Int.random(in: 1...9, using: &rng), &rng)
            let b = Self.random(Int.random(in: 1...9, using: &rng), &rng)
            let (pa, na) = TreeEditDistance.Postorder.make(root: a) { $0.children }
            let (pb, nb) = TreeEditDistance.Postorder.make(root: b) { $0.children }
            let fast = TreeEditDistance.distance(pa, pb) { i, j in
                na[i].label == nb[j].label ? 0 : 1
            }
            var memo: [String: Double] = [:]
            #expect(fast == Self.forest([a], [b], &memo))
        }
    }
}
