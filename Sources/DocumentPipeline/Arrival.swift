import Foundation

/// One time a file arrived in an inbox, and what was done with it.
public struct Arrival: Sendable, Equatable {
    /// What became of an arriving file.
    public enum Disposition: String, CaseIterable, Sendable, Codable {
        /// New content: a job was created.
        case accepted
        /// Content already known: recorded and skipped.
        case duplicate
        /// Content already known, processed again (policy `reprocess`, or it had failed).
        case reprocessed
    }

    /// The content's SHA-256 (the job key).
    public var contentHash: String
    /// The file's name on arrival.
    public var fileName: String
    /// What was done with it.
    public var disposition: Disposition
    /// When it was taken in.
    public var at: Date

    /// An arrival record; see the properties.
    public init(contentHash: String, fileName: String, disposition: Disposition, at: Date) {
        self.contentHash = contentHash
        self.fileName = fileName
        self.disposition = disposition
        self.at = at
    }
}
