import DocumentIngest
import Foundation
import Raster

/// One picture file (PNG, JPEG, TIFF's first page) as the engine takes it, for callers that run
/// the model on an image without converting a document (`palidoc generate`).
public enum ImageInput {
    /// A PNG, JPEG or TIFF (its first page) as 8-bit RGB on white; errors name the file and the
    /// reason (a PDF is a document, not an image).
    public static func read(_ url: URL) throws -> RGBImage {
        try ImageFile.read(url)
    }
}
