/// Ordered labelled tree edit distance (Zhang & Shasha 1989) with unit insert/delete costs
/// and a caller-supplied rename cost.
///
/// APTED (Pawlik & Augsten), which PubTabNet's metric calls, computes this same minimum
/// over edit scripts, only choosing its decomposition paths more cleverly for deep trees.
/// Table trees are at most a few levels deep, where Zhang–Shasha's
/// O(|T1|·|T2|·depth1·depth2) is already near-quadratic, so the distances agree and the
/// simpler algorithm is the one kept here.
struct TreeEditDistance {
    /// A tree flattened in postorder: `parent`-free, each node's leftmost-leaf index.
    struct Postorder {
        /// `leftmostLeaf[i]`: postorder index of node i's leftmost leaf descendant.
        var leftmostLeaf: [Int]
        /// Nodes whose leftmost leaf differs from their parent's (plus the root).
        var keyroots: [Int]
        var count: Int { leftmostLeaf.count }

        /// Flattens a tree given by a children accessor. Returns the postorder and the node
        /// values in that order.
        static func make<Node>(root: Node, children: (Node) -> [Node]) -> (Postorder, [Node]) {
            var nodes: [Node] = []
            var leftmost: [Int] = []
            // Iterative postorder so a pathological input cannot exhaust the stack.
            var stack: [(node: Node, childIndex: Int, firstLeaf: Int?)] = [(root, 0, nil)]
            while !stack.isEmpty {
                let top = stack.count - 1
                let kids = children(stack[top].node)
                if stack[top].childIndex < kids.count {
                    let child = kids[stack[top].childIndex]
                    stack[top].childIndex += 1
                    stack.append((child, 0, nil))
                    continue
                }
                let finished = stack.removeLast()
                let index = nodes.count
                nodes.append(finished.node)
                let leaf = finished.firstLeaf ?? index
                leftmost.append(leaf)
                if let parent = stack.indices.last, stack[parent].firstLeaf == nil {
                    stack[parent].firstLeaf = leaf
                }
            }
            // A keyroot is the highest node for each leftmost leaf.
            var highest: [Int: Int] = [:]
            for i in 0..<nodes.count { highest[leftmost[i]] = i }
            return (Postorder(leftmostLeaf: leftmost, keyroots: highest.values.sorted()), nodes)
        }
    }

    /// The minimum cost of turning tree 1 into tree 2 (insert = delete = 1).
    static func distance(
        _ t1: Postorder, _ t2: Postorder, rename: (Int, Int) -> Double
    ) -> Double {
        let n1 = t1.count
        let n2 = t2.count
        // [n1, n2] distances between the subtrees rooted at each node pair.
        var treeDistance = [Double](repeating: 0, count: n1 * n2)
        // [(n1 + 1), (n2 + 1)] forest distances, reused per keyroot pair; row/column 0 is
        // the empty forest in front of the current subtree.
        var forest = [Double](repeating: 0, count: (n1 + 1) * (n2 + 1))
        let width = n2 + 1
        for i in t1.keyroots {
            for j in t2.keyroots {
                let li = t1.leftmostLeaf[i]
                let lj = t2.leftmostLeaf[j]
                // Forest index k stands for postorder node li + k - 1.
                let rows = i - li + 1
                let cols = j - lj + 1
                forest[0] = 0
                for a in 1...rows { forest[a * width] = forest[(a - 1) * width] + 1 }
                for b in 1...cols { forest[b] = forest[b - 1] + 1 }
                for a in 1...rows {
                    let x = li + a - 1
                    let lx = t1.leftmostLeaf[x]
                    for b in 1...cols {
                        let y = lj + b - 1
                        let ly = t2.leftmostLeaf[y]
                        let delete = forest[(a - 1) * width + b] + 1
                        let insert = forest[a * width + b - 1] + 1
                        if lx == li && ly == lj {
                            // Both forests are whole subtrees: the root pair may be renamed.
                            let value = min(
                                delete, insert, forest[(a - 1) * width + b - 1] + rename(x, y))
                            forest[a * width + b] = value
                            treeDistance[x * n2 + y] = value
                        } else {
                            let prefix = forest[(lx - li) * width + (ly - lj)]
                            forest[a * width + b] = min(
                                delete, insert, prefix + treeDistance[x * n2 + y])
                        }
                    }
                }
            }
        }
        return treeDistance[(n1 - 1) * n2 + (n2 - 1)]
    }
}
