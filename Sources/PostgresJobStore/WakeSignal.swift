import Foundation
import Synchronization

/// Wakes tasks waiting for work: `signal` (a NOTIFY arrived) resumes every waiter, or is
/// kept for the next one when none waits.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
        /// Waits whose time ran out before they started waiting.
        var expired: Set<UUID> = []
    }

    private let state = Mutex(State())

    /// Resumes the waiters, or marks the signal pending.
    func signal() {
        let waiters = state.withLock { state in
            let waiting = Array(state.waiters.values)
            state.waiters.removeAll()
            if waiting.isEmpty { state.pending = true }
            return waiting
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns at the next signal (or a pending one), or after `timeout` seconds.
    func wait(timeout: Double) async {
        let id = UUID()
        let timer = Task { [weak self] in
            do {
                try await Task.sleep(nanoseconds: UInt64(max(0, timeout) * 1e9))
            } catch {
                return  // woken by a signal first
            }
            self?.resume(id)
        }
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.expired.remove(id) != nil { return true }
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiters[id] = continuation
                return false
            }
            if ready { continuation.resume() }
        }
        timer.cancel()
    }

    private func resume(_ id: UUID) {
        state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                state.expired.insert(id)
                return nil
            }
            return waiter
        }?.resume()
    }
}
