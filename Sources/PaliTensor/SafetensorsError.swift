import Foundation

/// A checkpoint or tensor file that cannot be used, with the file and the reason.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable {
    /// The offending file.
    public let file: URL
    /// What is wrong, in words.
    public let reason: String

    /// Creates an error for `file`.
    public init(file: URL, reason: String) {
        self.file = file
        self.reason = reason
    }

    /// `<path>: <reason>`.
    public var description: String { "\(file.path): \(reason)" }
}
