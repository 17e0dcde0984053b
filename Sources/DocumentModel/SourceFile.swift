/// The file a document was read from.
public struct SourceFile: Sendable, Hashable, Codable {
    /// Path as given by the user (or the watcher).
    public var path: String
    /// Container format: `pdf`, `tiff`, `png` or `jpeg`.
    public var format: String
    /// SHA-256 of the file's bytes (lower-case hex), the idempotency key of batch runs.
    public var sha256: String?
    /// Size in bytes.
    public var byteCount: Int?

    /// A source file description.
    public init(path: String, format: String, sha256: String? = nil, byteCount: Int? = nil) {
        self.path = path
        self.format = format
        self.sha256 = sha256
        self.byteCount = byteCount
    }
}
