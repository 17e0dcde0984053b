import CPoppler
import DocumentIngest
import Foundation
import PaliTestSupport
import Raster
import Testing

/// Shared helpers for the ingestion tests.
enum IngestTestHelpers {
    /// `Tests/Fixtures/ingest/<name>`.
    static func fixture(_ name: String) -> URL {
        FixturePaths.fixture("ingest").appendingPathComponent(name)
    }

    /// The generator's manifest entry for `name`.
    static func manifestEntry(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: fixture("manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let files = try #require(manifest["files"] as? [String: Any])
        return try #require(files[name] as? [String: Any])
    }

    /// Whether two images have the same size and bytes (one `memcmp`, fast in debug builds).
    static func identical(_ a: RGBImage, _ b: RGBImage) -> Bool {
        guard a.width == b.width, a.height == b.height, a.pixels.count == b.pixels.count else {
            return false
        }
        return a.pixels.withUnsafeBytes { p in
            b.pixels.withUnsafeBytes { q in
                p.isEmpty || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0
            }
        }
    }

    /// Mean absolute difference over all channels of two equally sized images.
    static func meanAbsoluteDifference(_ a: RGBImage, _ b: RGBImage) -> Double {
        precondition(a.width == b.width && a.height == b.height)
        if identical(a, b) { return 0 }
        var sum = 0
        a.pixels.withUnsafeBufferPointer { p in
            b.pixels.withUnsafeBufferPointer { q in
                for i in 0..<p.count { sum += abs(Int(p[i]) - Int(q[i])) }
            }
        }
        return Double(sum) / Double(max(1, a.pixels.count))
    }

    /// Largest absolute channel difference.
    static func maxAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    /// Renders page `page` (1-based) of `pdf` with `pdftoppm -r dpi -png` (plus `options`,
    /// e.g. `-cropbox` or a `-x -y -W -H` region) and reads it back.
    static func pdftoppm(
        _ pdf: URL, page: Int, dpi: Int, options: [String] = [], in directory: URL
    ) throws -> RGBImage {
        let prefix = directory.appendingPathComponent("ref-\(page)-\(dpi)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pdftoppm", "-r", String(dpi), "-png", "-singlefile",
                             "-f", String(page), "-l", String(page)] + options
            + [pdf.path, prefix.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0,
                     "pdftoppm failed (install poppler-utils: `make deps`)")
        return try ImageFile.read(prefix.appendingPathExtension("png"))
    }

    /// Writes a PDF with cairo: one page per entry of `sizes` (points), each drawn by `draw`.
    static func cairoPDF(
        at url: URL, sizes: [(Double, Double)],
        draw: (OpaquePointer?, Int, Double, Double) -> Void
    ) {
        let surface = cairo_pdf_surface_create(url.path, sizes[0].0, sizes[0].1)
        let cr = cairo_create(surface)
        for (index, size) in sizes.enumerated() {
            cairo_pdf_surface_set_size(surface, size.0, size.1)
            draw(cr, index, size.0, size.1)
            cairo_show_page(cr)
        }
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        cairo_surface_destroy(surface)
    }

    /// Draws text in two embedded fonts, vector shapes and a scaled photo-like image.
    static func drawRichPage(_ cr: OpaquePointer?, index: Int, width: Double, height: Double) {
        cairo_set_source_rgb(cr, 0, 0, 0)
        cairo_select_font_face(cr, index % 2 == 0 ? "DejaVu Serif" : "DejaVu Sans",
                               CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, 11)
        var y = 48.0
        while y < height * 0.45 {
            cairo_move_to(cr, 36, y)
            cairo_show_text(cr, "Page \(index + 1): the quick brown fox jumps over 13 lazy dogs.")
            y += 15
        }
        cairo_set_source_rgb(cr, 0.1, 0.3, 0.8)
        cairo_rectangle(cr, 40, height * 0.55, width * 0.3, height * 0.1)
        cairo_fill(cr)
        cairo_set_source_rgb(cr, 0.8, 0.1, 0.1)
        cairo_set_line_width(cr, 1.5)
        cairo_move_to(cr, 40, height * 0.8)
        cairo_curve_to(cr, width * 0.3, height * 0.6, width * 0.5, height * 0.95, width * 0.6,
                       height * 0.7)
        cairo_stroke(cr)
        // A 48×32 image with a gradient and a sharp block, drawn at about 3× its size.
        drawImage(
            cr, pixelWidth: 48, pixelHeight: 32, x: width * 0.55, y: height * 0.5, scaleX: 3,
            scaleY: 3
        ) { px, py in
            let block = (12..<24).contains(px) && (8..<16).contains(py)
            let r = block ? 250 : px * 5, g = block ? 230 : py * 7, b = (px + py) * 3
            return UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
        }
    }

    /// Draws a `pixelWidth`×`pixelHeight` RGB image whose pixel (x, y) is `pixel(x, y)`
    /// (`0xRRGGBB`), its top-left corner at (`x`, `y`), `scaleX`×`scaleY` points a pixel.
    static func drawImage(
        _ cr: OpaquePointer?, pixelWidth: Int, pixelHeight: Int, x: Double, y: Double,
        scaleX: Double, scaleY: Double, pixel: (Int, Int) -> UInt32
    ) {
        let image = cairo_image_surface_create(
            CAIRO_FORMAT_RGB24, Int32(pixelWidth), Int32(pixelHeight))
        let stride = Int(cairo_image_surface_get_stride(image))
        let data = cairo_image_surface_get_data(image)!
        for py in 0..<pixelHeight {
            let row = UnsafeMutableRawPointer(data + py * stride).assumingMemoryBound(
                to: UInt32.self)
            for px in 0..<pixelWidth { row[px] = pixel(px, py) }
        }
        cairo_surface_mark_dirty(image)
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_scale(cr, scaleX, scaleY)
        cairo_set_source_surface(cr, image, 0, 0)
        cairo_paint(cr)
        cairo_restore(cr)
        cairo_surface_destroy(image)
    }
}
