import Foundation

/// The engine could not load its model or run a request.
public struct EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model folder or input concerned, when there is one.
    public var file: String?
    /// What went wrong.
    public var reason: String

    /// An error about `file` (or about the request when `nil`).
    public init(file: String? = nil, reason: String) {
        self.file = file
        self.reason = reason
    }

    /// `<file>: <reason>`, or the reason alone.
    public var description: String { file.map { "\($0): \(reason)" } ?? reason }
}
