import Foundation
import Synchronization

/// Runs an operation with a time limit that holds even when the operation ignores
/// cancellation: the caller gets `Expired` on time and the operation is cancelled and left
/// to end on its own.
enum Deadline {
    /// The limit passed first.
    struct Expired: Error {}

    /// `body`'s result, or `Expired` after `seconds`.
    static func run<T: Sendable>(
        seconds: Double, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = Mutex<CheckedContinuation<T, any Error>?>(nil)
        let work = Mutex<Task<Void, Never>?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.withLock { $0 = continuation }
                let finish: @Sendable (Result<T, any Error>) -> Void = { result in
                    outcome.withLock { $0.take() }?.resume(with: result)
                }
                let task = Task {
                    do {
                        finish(.success(try await body()))
                    } catch {
                        finish(.failure(error))
                    }
                }
                work.withLock { $0 = task }
                Task {
                    try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                    finish(.failure(Expired()))
                    task.cancel()
                }
            }
        } onCancel: {
            work.withLock { $0 }?.cancel()
        }
    }
}
