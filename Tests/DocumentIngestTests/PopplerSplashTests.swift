import CPopplerSplash
import Foundation
import Raster
import Testing

/// The C surface of CPopplerSplash on its own: opening from memory, statuses and messages.
@Suite struct PopplerSplashTests {
    typealias H = IngestTestHelpers

    /// The message of a `cps_error`.
    static func message(_ error: cps_error) -> String {
        withUnsafeBytes(of: error.message) {
            String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    @Test func opensFromMemoryAndRendersLikeFromAFile() throws {
        let url = H.fixture("mixed.pdf")
        let bytes = try Data(contentsOf: url)
        var error = cps_error()
        let fromMemory = try #require(bytes.withUnsafeBytes {
            cps_document_open_data($0.baseAddress, $0.count, nil, &error)
        })
        defer { cps_document_close(fromMemory) }
        let fromFile = try #require(cps_document_open_file(url.path, nil, &error))
        defer { cps_document_close(fromFile) }
        #expect(cps_document_page_count(fromMemory) == 4)
        var width = 0.0, height = 0.0
        #expect(cps_page_size(fromMemory, 2, &width, &height, &error) == CPS_OK)
        #expect(width == 200.25 && height == 300.5)
        // Page 3 at 72 DPI: 201 × 301 px.
        var a = [UInt8](repeating: 0, count: 301 * 201 * 3)  // [301, 201, 3]
        var b = a
        #expect(cps_render_page(fromMemory, 2, 72, 201, 0, 301, &a, 201 * 3, &error) == CPS_OK)
        #expect(cps_render_page(fromFile, 2, 72, 201, 0, 301, &b, 201 * 3, &error) == CPS_OK)
        #expect(a == b && a.contains { $0 < 128 })
    }

    @Test func failuresHaveStatusesAndOneLineMessages() throws {
        var error = cps_error()
        let garbage = Data("%PDF-1.4\nnot really a PDF\n%%EOF\n".utf8)
        let none = garbage.withUnsafeBytes {
            cps_document_open_data($0.baseAddress, $0.count, nil, &error)
        }
        #expect(none == nil && error.status == CPS_DAMAGED)
        #expect(!Self.message(error).isEmpty && !Self.message(error).contains("\n"))

        let encrypted = H.fixture("encrypted.pdf").path
        #expect(cps_document_open_file(encrypted, nil, &error) == nil)
        #expect(error.status == CPS_PASSWORD_REQUIRED)
        #expect(cps_document_open_file(encrypted, "guess", &error) == nil)
        #expect(error.status == CPS_WRONG_PASSWORD)
        #expect(cps_document_open_file("/nonexistent/file.pdf", nil, &error) == nil)
        #expect(error.status == CPS_DAMAGED && Self.message(error).contains("/nonexistent"))

        let document = try #require(
            cps_document_open_file(H.fixture("mixed.pdf").path, nil, &error))
        defer { cps_document_close(document) }
        var width = 0.0, height = 0.0
        #expect(cps_page_size(document, 4, &width, &height, &error) == CPS_PAGE_UNAVAILABLE)
        #expect(Self.message(error) == "page 5 does not exist")
        var pixel = [UInt8](repeating: 0, count: 3)
        #expect(cps_render_page(document, 0, 0, 1, 0, 1, &pixel, 3, &error)
                == CPS_INVALID_ARGUMENT)
        #expect(cps_render_page(document, 0, 72, 1, 0, 1, &pixel, 2, &error)
                == CPS_INVALID_ARGUMENT)
        // A 1 × 1 band at the page's top-left corner: white paper.
        #expect(cps_render_page(document, 0, 72, 1, 0, 1, &pixel, 3, &error) == CPS_OK)
        #expect(pixel == [255, 255, 255] && Self.message(error).isEmpty)
    }
}
