import CPoppler
import Foundation
import Testing

/// Proves poppler-glib and cairo are linked: cairo writes a one-page PDF, Poppler renders it.
@Suite struct PopplerTests {
    @Test func rendersPageOneOfACairoPDF() throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("palidoc-poppler-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = dir.appendingPathComponent("square.pdf")

        // A 200×100 pt page, white, with a black square covering x 0–50 pt, y 0–50 pt.
        let surface = cairo_pdf_surface_create(pdf.path, 200, 100)
        let cr = cairo_create(surface)
        cairo_set_source_rgb(cr, 0, 0, 0)
        cairo_rectangle(cr, 0, 0, 50, 50)
        cairo_fill(cr)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        cairo_surface_destroy(surface)

        var error: UnsafeMutablePointer<GError>?
        let document = poppler_document_new_from_file("file://" + pdf.path, nil, &error)
        #expect(error == nil)
        let doc = try #require(document)
        defer { g_object_unref(UnsafeMutableRawPointer(doc)) }
        #expect(poppler_document_get_n_pages(doc) == 1)
        let page = try #require(poppler_document_get_page(doc, 0))
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        var width = 0.0, height = 0.0
        poppler_page_get_size(page, &width, &height)
        #expect(width == 200 && height == 100)

        // Render at 144 DPI (scale 2) onto white.
        let image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 200)
        defer { cairo_surface_destroy(image) }
        let ctx = cairo_create(image)
        cairo_set_source_rgb(ctx, 1, 1, 1)
        cairo_paint(ctx)
        cairo_scale(ctx, 2, 2)
        poppler_page_render(page, ctx)
        cairo_destroy(ctx)
        cairo_surface_flush(image)

        let stride = Int(cairo_image_surface_get_stride(image))
        let data = try #require(cairo_image_surface_get_data(image))
        func pixel(_ x: Int, _ y: Int) -> UInt32 {
            UnsafeRawPointer(data).load(fromByteOffset: y * stride + x * 4, as: UInt32.self)
                & 0x00FF_FFFF
        }
        #expect(pixel(10, 10) == 0x000000)  // inside the square
        #expect(pixel(300, 150) == 0xFFFFFF)  // background
        #expect(pixel(99, 50) == 0x000000)  // square ends at 100 px
        #expect(pixel(102, 50) == 0xFFFFFF)
    }
}
