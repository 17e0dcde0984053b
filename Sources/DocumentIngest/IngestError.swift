import Foundation

/// Why a document could not be read or a page not produced. The message names the file and
/// the reason on one line, ready for `palidoc: error: <message>`.
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reasons ingestion fails.
    public enum Reason: Sendable, Equatable {
        /// The file does not exist or cannot be opened for reading.
        case unreadable(String)
        /// The file has zero bytes.
        case emptyFile
        /// The content is none of PDF, TIFF, PNG or JPEG (whatever the file name says).
        case unknownFormat(named: String?)
        /// A PDF handed to something that wants a single raster image.
        case notAnImage
        /// A PDF that ends before its `%%EOF` trailer.
        case truncatedPDF
        /// Poppler could not parse the PDF.
        case damagedPDF(String)
        /// The PDF is encrypted and no password was given.
        case passwordRequired
        /// The PDF is encrypted and the given password opens neither user nor owner access.
        case wrongPassword
        /// The document has no pages.
        case noPages
        /// A page size (in points) outside anything a real document has.
        case absurdPageSize(width: Double, height: Double)
        /// Rendering the page would exceed the decompression-bomb guard.
        case pageTooLarge(width: Int, height: Int, limitMegapixels: Double)
        /// A page index outside `0..<pageCount`.
        case pageOutOfRange(index: Int, pageCount: Int)
        /// libtiff reported a damaged, truncated or unsupported TIFF.
        case corruptTIFF(String)
        /// A PNG or JPEG that its decoder rejected.
        case corruptImage(String)
        /// A rendering failure inside Poppler or cairo, or writing a file failed.
        case outputFailed(String)
        /// A DPI that is not a positive finite number.
        case invalidDPI(Double)
    }

    /// The file concerned.
    public let file: URL
    /// What went wrong.
    public let reason: Reason

    /// An error for `file`.
    public init(_ file: URL, _ reason: Reason) {
        self.file = file
        self.reason = reason
    }

    /// `<path>: <reason>` on one line.
    public var description: String { "\(file.path): \(reason.text)" }
}

extension IngestError.Reason {
    /// The human-readable reason, one line.
    public var text: String {
        let line: String
        switch self {
        case .unreadable(let why): line = "cannot read the file (\(why))"
        case .emptyFile: line = "empty file (0 bytes)"
        case .unknownFormat(let name):
            let named = name.map { " although it is named .\($0)" } ?? ""
            line = "not a PDF, TIFF, PNG or JPEG file\(named) (unrecognised content)"
        case .notAnImage: line = "a PDF document, not a single image"
        case .truncatedPDF: line = "truncated PDF (the %%EOF trailer is missing)"
        case .damagedPDF(let why): line = "damaged PDF (\(why))"
        case .passwordRequired: line = "encrypted PDF: a password is required (--password)"
        case .wrongPassword: line = "encrypted PDF: the password is wrong"
        case .noPages: line = "the document has no pages"
        case .absurdPageSize(let w, let h):
            line = "absurd page size \(Self.format(w)) × \(Self.format(h)) pt"
        case .pageTooLarge(let w, let h, let limit):
            let mp = Double(w) * Double(h) / 1_000_000
            line = "page of \(w) × \(h) px (\(Self.format(mp)) MP) exceeds the limit of "
                + "\(Self.format(limit)) MP (decompression-bomb guard: lower the DPI "
                + "or raise --max-megapixels)"
        case .pageOutOfRange(let index, let count):
            line = "page \(index + 1) does not exist (the document has \(count) pages)"
        case .corruptTIFF(let why): line = "corrupt or truncated TIFF (\(why))"
        case .corruptImage(let why): line = "corrupt or truncated image (\(why))"
        case .outputFailed(let why): line = why
        case .invalidDPI(let dpi): line = "invalid DPI \(dpi) (must be a positive number)"
        }
        // Library messages may carry newlines; the error stays one line.
        return line.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15
            ? String(Int(value)) : String(format: "%.1f", value)
    }
}
