/// A pointer handed to `concurrentPerform` workers, which read shared data or write disjoint
/// elements.
struct UnsafeSendable<Pointer>: @unchecked Sendable {
    let pointer: Pointer
    init(_ pointer: Pointer) { self.pointer = pointer }
}
