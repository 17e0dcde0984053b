import Foundation

/// Why a tokenizer file could not be used, or why an operation on it failed.
public enum TokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read (missing, unreadable, a directory...).
    case unreadable(file: String, reason: String)
    /// The file is not a well-formed file of the expected kind (truncated protobuf, bad JSON...).
    case malformed(file: String, reason: String)
    /// The file is well formed but asks for something this tokenizer does not implement.
    case unsupported(file: String, reason: String)
    /// A checkpoint folder holds neither `tokenizer.model` nor `tokenizer.json`.
    case noTokenizerFile(directory: String)
    /// A piece the tokenizer needs (`<bos>`, `<image>`...) is not defined by its files.
    case missingToken(file: String, piece: String)
    /// `decode` was given an id outside `0..<count` (or one no file defines).
    case idOutOfRange(file: String, id: Int, count: Int)
    /// A PaliGemma prompt argument the reference processor would not accept as given.
    case invalidPrompt(reason: String)

    /// One line naming the file (where there is one) and the reason.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
        case .malformed(let file, let reason): return "\(file): \(reason)"
        case .unsupported(let file, let reason): return "\(file): unsupported: \(reason)"
        case .noTokenizerFile(let directory):
            return "\(directory): no tokenizer.model or tokenizer.json in this folder"
        case .missingToken(let file, let piece): return "\(file): no piece \(piece) is defined"
        case .idOutOfRange(let file, let id, let count):
            return "\(file): token id \(id) is out of range (the tokenizer has ids 0..<\(count))"
        case .invalidPrompt(let reason): return "invalid prompt: \(reason)"
        }
    }
}
