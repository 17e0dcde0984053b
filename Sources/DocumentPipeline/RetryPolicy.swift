import Foundation

/// Bounded retries with exponential backoff for transient failures.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included (1 means never retry). Interrupted attempts (a
    /// crash or `kill -9` mid-document) count too, so a document that kills the process
    /// every time ends in `failed/` instead of looping.
    public var maxAttempts: Int
    /// Delay before the second attempt, in seconds.
    public var initialBackoff: TimeInterval
    /// Upper bound of any delay, in seconds.
    public var maxBackoff: TimeInterval

    /// Allowed attempt counts.
    public static let maxAttemptsRange = 1...100

    /// A policy; the defaults allow three attempts, 10 s then 20 s apart.
    public init(
        maxAttempts: Int = 3, initialBackoff: TimeInterval = 10, maxBackoff: TimeInterval = 600
    ) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// The wait after failed attempt number `attempt` (1-based): initial · 2^(attempt−1),
    /// capped at `maxBackoff`.
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = Double(max(0, min(attempt - 1, 62)))
        return min(maxBackoff, initialBackoff * pow(2, exponent))
    }
}
