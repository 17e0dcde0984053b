import Dispatch
import Foundation

import Glibc

/// Turns signals (by default SIGINT and SIGTERM) into a callback, through DispatchSource so
/// the handler runs as ordinary code rather than inside a signal handler. The first signal
/// calls `onSignal` (a watcher finishes its current page and returns); a second one of the
/// same kind restores the default action and re-raises it, for a user who really wants out
/// (safe: the job store is durable at every step). `cancel()` or release restores the
/// previous handling.
// Unchecked: dispatch sources are thread-safe, and the arrays never change after init.
public final class SignalTrap: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    private let signals: [Int32]

    /// Installs the trap.
    public init(
        signals: [Int32] = [SIGINT, SIGTERM], onSignal: @escaping @Sendable (Int32) -> Void
    ) {
        self.signals = signals
        let queue = DispatchQueue(label: "palidoc.signals")
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            // The default action must be off, or the process would die before the source
            // sees the signal.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            let count = SignalCount()
            source.setEventHandler {
                if count.increment() == 1 {
                    onSignal(number)
                } else {
                    signal(number, SIG_DFL)
                    raise(number)
                }
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Stops trapping and restores the default action of the signals.
    public func cancel() {
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }

    deinit { cancel() }
}

/// Counts deliveries of one signal (touched only on the trap's serial queue).
private final class SignalCount: @unchecked Sendable {
    private var value = 0

    /// Adds one and returns the new count.
    func increment() -> Int {
        value += 1
        return value
    }
}
