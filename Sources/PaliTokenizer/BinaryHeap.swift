/// An element of a `BinaryHeap`, which pops the element that `precedes` all others first.
protocol HeapOrdered {
    /// Whether `self` leaves the heap before `other`.
    func precedes(_ other: Self) -> Bool
}

/// A binary heap (priority queue) over an array.
struct BinaryHeap<Element: HeapOrdered> {
    private var elements: [Element] = []

    /// Whether the heap is empty.
    var isEmpty: Bool { elements.isEmpty }

    /// An empty heap with room for `capacity` elements.
    init(capacity: Int) { elements.reserveCapacity(capacity) }

    /// Adds an element.
    mutating func push(_ element: Element) {
        elements.append(element)
        var child = elements.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard elements[child].precedes(elements[parent]) else { break }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the first element, or nil when empty.
    mutating func pop() -> Element? {
        guard let last = elements.popLast() else { return nil }
        guard !elements.isEmpty else { return last }
        let top = elements[0]
        elements[0] = last
        var parent = 0
        let count = elements.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { break }
            var first = left
            if left + 1 < count && elements[left + 1].precedes(elements[left]) { first = left + 1 }
            guard elements[first].precedes(elements[parent]) else { break }
            elements.swapAt(first, parent)
            parent = first
        }
        return top
    }
}
