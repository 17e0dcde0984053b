import DocumentExport
import DocumentModel
import Foundation

/// Runs a pipeline's exporters on a finished document, writing into one folder. File names
/// start with `stem`: `<stem>.json`, `.html`, `.md`, `.hocr`, `.alto.xml`, `.pdf`, and per
/// table, score or document `<stem>-p<page>-t<n>.csv`, `<stem>-p<page>-m<n>.krn`, `<stem>.smi`.
enum DocumentExporters {
    /// Writes every format of `exporters`; `pageImage` gives the `html` exporter each page's
    /// raster as PNG and the `pdf` exporter as the pipeline encodes it. Throws `ExportError`.
    static func write(
        _ document: Document, exporters: [ExporterKind], to folder: URL, stem: String,
        pageImage: (Page, PDFPageImage.Encoding) throws -> Data, pdfImage: PDFPageImage.Encoding
    ) throws {
        func file(_ suffix: String) -> URL { folder.appendingPathComponent(stem + suffix) }
        for exporter in exporters {
            switch exporter {
            case .json: try JSONExporter.write(document, to: file(".json"))
            case .html:
                try HTMLExporter.write(document, to: file(".html")) { try pageImage($0, .png) }
            case .markdown: try MarkdownExporter.write(document, to: file(".md"))
            case .hocr: try HOCRExporter.write(document, to: file(".hocr"))
            case .alto: try ALTOExporter.write(document, to: file(".alto.xml"))
            case .csv: try CSVExporter.write(document, to: folder, stem: stem)
            case .krn: try KernWriter.write(document, to: folder, stem: stem)
            case .smi: try SMILESWriter.write(document, to: folder, stem: stem)
            case .pdf:
                try PDFExporter.write(document, to: file(".pdf")) { page in
                    PDFPageImage(encoding: pdfImage, data: try pageImage(page, pdfImage))
                }
            }
        }
    }
}
