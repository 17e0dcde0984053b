import Foundation
import Raster

/// Single raster images on disk: what other targets use to load a picture or save one.
public enum ImageFile {
    /// Reads a PNG, JPEG or TIFF (its first page) as 8-bit RGB on white, detecting the format
    /// from the content. PDFs are documents, not images: open them with `openDocument`.
    public static func read(_ url: URL) throws -> RGBImage {
        let source = try openDocument(url: url)
        guard source.format != .pdf else {
            throw IngestError(url, .notAnImage)
        }
        return try source.renderPage(index: 0, dpi: defaultRenderDPI).image
    }

    /// Writes `image` as an 8-bit RGB PNG, atomically: to a temporary file in the same folder,
    /// then renamed over `url`, so readers never see a partial file.
    public static func writePNG(_ image: RGBImage, to url: URL) throws {
        try writeAtomically(to: url, format: "PNG") { try PNGCodec.write(image, to: $0) }
    }

    /// Writes `image` as a baseline 8-bit RGB JPEG at `quality` (1–100), atomically.
    public static func writeJPEG(_ image: RGBImage, quality: Int, to url: URL) throws {
        let data = try JPEGCodec.encode(image, quality: quality, url)
        try writeAtomically(to: url, format: "JPEG") { temporary in
            do {
                try data.write(to: temporary)
            } catch {
                throw IngestError(url, .outputFailed("cannot write JPEG (\(error))"))
            }
        }
    }

    /// Runs `write` on a temporary file in `url`'s folder, then renames it over `url`.
    private static func writeAtomically(
        to url: URL, format: String, _ write: (URL) throws -> Void
    ) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(
            ".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try write(temporary)
        } catch let error as IngestError {
            try? FileManager.default.removeItem(at: temporary)
            throw IngestError(url, error.reason)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw IngestError(url, .outputFailed("cannot write \(format) (\(why))"))
        }
    }
}
