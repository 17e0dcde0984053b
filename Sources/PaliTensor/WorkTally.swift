import Foundation
import Synchronization

/// Wall-clock seconds and floating-point operations of the matrix products (`Ops.linear`) and
/// of attention, summed over every call while enabled, so `palidoc bench` can say how fast
/// the GEMMs themselves run, apart from norms, RoPE, activations and copies. Off by default:
/// a disabled tally costs each call one relaxed atomic load.
///
/// Calls on several threads at once (`palidoc convert --jobs N`) add up their wall-clock
/// times; the benchmark runs one document at a time.
public enum WorkTally {
    /// What is counted.
    public enum Kind: Int, Sendable, CaseIterable {
        /// `Ops.linear`: `2 · rows · n · k` FLOP per product.
        case products
        /// Attention's two products per visible key: `4 · headDim` FLOP per (query, head, key).
        case attention
    }

    /// Time and work of one kind.
    public struct Totals: Sendable, Equatable {
        /// Wall-clock seconds inside the calls.
        public var seconds: Double
        /// Floating-point operations (multiply and add counted separately).
        public var flops: Double

        /// Creates totals.
        public init(seconds: Double = 0, flops: Double = 0) {
            self.seconds = seconds
            self.flops = flops
        }

        /// Achieved GFLOP/s; 0 when nothing was timed.
        public var gflopsPerSecond: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
    }

    /// One kind's running sums.
    private final class Counter: Sendable {
        let nanoseconds = Atomic<UInt64>(0)
        let flops = Atomic<UInt64>(0)
    }

    private static let enabled = Atomic<Bool>(false)
    private static let counters = Kind.allCases.map { _ in Counter() }  // [Kind.rawValue]

    /// Starts counting from zero.
    public static func start() {
        for counter in counters {
            counter.nanoseconds.store(0, ordering: .relaxed)
            counter.flops.store(0, ordering: .relaxed)
        }
        enabled.store(true, ordering: .releasing)
    }

    /// Stops counting and returns what was counted since `start()`.
    public static func stop() -> [Kind: Totals] {
        enabled.store(false, ordering: .releasing)
        var totals: [Kind: Totals] = [:]
        for kind in Kind.allCases {
            let counter = counters[kind.rawValue]
            totals[kind] = Totals(
                seconds: Double(counter.nanoseconds.load(ordering: .relaxed)) / 1e9,
                flops: Double(counter.flops.load(ordering: .relaxed)))
        }
        return totals
    }

    /// Runs `body`, adding its wall-clock time and `flops` to `kind` when enabled.
    @inline(__always)
    public static func count<Result>(
        _ kind: Kind, flops: @autoclosure () -> Int, _ body: () -> Result
    ) -> Result {
        let mark = begin()
        defer { end(kind, mark, flops: flops()) }
        return body()
    }

    /// The start of a counted call (nil when disabled), for `end(_:_:flops:)`.
    @inline(__always)
    public static func begin() -> UInt64? {
        enabled.load(ordering: .relaxed) ? DispatchTime.now().uptimeNanoseconds : nil
    }

    /// Adds the time since `mark` and `flops` to `kind` (nothing when `mark` is nil).
    @inline(__always)
    public static func end(_ kind: Kind, _ mark: UInt64?, flops: @autoclosure () -> Int) {
        guard let mark else { return }
        let elapsed = DispatchTime.now().uptimeNanoseconds - mark
        counters[kind.rawValue].nanoseconds.add(elapsed, ordering: .relaxed)
        counters[kind.rawValue].flops.add(UInt64(flops()), ordering: .relaxed)
    }
}
