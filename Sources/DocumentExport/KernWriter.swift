import DocumentModel
import Foundation

/// Writes a music score as a Humdrum `**kern` file (`.krn`): the score's `kern` text (the
/// model's output with "bekern" mapped back), ending with a line break. An invalid score is
/// written all the same, followed by global comments `!!palidoc-invalid: line N: reason` (after
/// the score, so line numbers still match), so nothing the model said is lost and Humdrum
/// tools see why it may not load. Files are written atomically (`AtomicFile`).
public enum KernWriter {
    /// The file's text.
    public static func render(_ score: MusicScore) -> String {
        var text = score.kern
        if !text.hasSuffix("\n") { text += "\n" }
        for problem in score.problems {
            let place = problem.line.map { "line \($0): " } ?? ""
            let message = String(problem.message.map { $0.isNewline ? " " : $0 })
            text += "!!palidoc-invalid: \(place)\(message)\n"
        }
        return text
    }

    /// Writes `render(score)` to `url` atomically.
    public static func write(_ score: MusicScore, to url: URL) throws(ExportError) {
        try AtomicFile.write(render(score), to: url)
    }

    /// Writes every music score of `document` to `folder` as `<stem>-p<page>-m<n>.krn` (n counts
    /// scores within the page from 1, in region order), atomically; returns the files in order.
    @discardableResult
    public static func write(_ document: Document, to folder: URL, stem: String) throws(ExportError)
        -> [URL]
    {
        var written: [URL] = []
        for page in document.pages {
            for (n, score) in page.regions.flatMap(\.music).enumerated() {
                let url = folder.appendingPathComponent("\(stem)-p\(page.number)-m\(n + 1).krn")
                try write(score, to: url)
                written.append(url)
            }
        }
        return written
    }
}
