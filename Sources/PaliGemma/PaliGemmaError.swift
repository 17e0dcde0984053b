import Foundation

/// A model folder, checkpoint, input or request the engine cannot use, with the reason.
public struct PaliGemmaError: Error, CustomStringConvertible, Equatable {
    /// The offending file, when there is one.
    public let file: URL?
    /// What is wrong, in words.
    public let reason: String

    /// Creates an error about `file` (or about the request when nil).
    public init(file: URL? = nil, _ reason: String) {
        self.file = file
        self.reason = reason
    }

    /// `<path>: <reason>`, or the reason alone.
    public var description: String { file.map { "\($0.path): \(reason)" } ?? reason }
}
