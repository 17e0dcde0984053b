import DocumentPipeline
import Foundation
import Synchronization

/// Shows a `BatchConverter` run: a one-line progress bar on a terminal (documents, pages,
/// tiles, tokens/s, ETA), JSON lines on standard output, one line per finished document, or
/// nothing but errors. Failed documents always get one `palidoc: error:` line on stderr.
final class ProgressDisplay: Sendable {
    /// How progress is shown.
    enum Mode: String, CaseIterable, Sendable {
        case auto, tty, json, none
    }

    private struct State {
        var documents = 0, documentsFinished = 0, failed = 0
        var pagesDone = 0, tiles = 0, tokens = 0
        /// Per document in progress: pages done and pages to do.
        var open: [String: (done: Int, total: Int)] = [:]
        var lastDraw = Date.distantPast
    }

    private let mode: Mode
    private let state = Mutex(State())
    private let start = Date()

    /// A display; `auto` is a bar on a terminal and one line per document otherwise.
    init(mode: Mode) {
        self.mode = mode == .auto ? (isatty(STDERR_FILENO) == 1 ? .tty : .auto) : mode
    }

    /// Handles one event.
    func handle(_ event: BatchEvent) {
        if mode == .json { print(event.json) }
        let line: String? = state.withLock { s in
            switch event {
            case .started(let documents, _): s.documents = documents
            case .documentStarted(let file): s.open[file] = (0, 1)
            case .progress(.opened(let file, let todo, _)): s.open[file] = (0, max(todo, 1))
            case .progress(.tiles(_, let count, let tokens)):
                s.tiles += count
                s.tokens += tokens
            case .progress(.pageDone(let file, _)):
                s.pagesDone += 1
                s.open[file]?.done += 1
            case .documentDone(let file, let output, let pages, let seconds, let warnings):
                s.documentsFinished += 1
                s.open[file] = nil
                if mode == .auto {
                    return "\(file): done, \(pages) \(pages == 1 ? "page" : "pages") in "
                        + String(format: "%.1f s", seconds) + " → \(output)"
                        + warnings.map { " (\($0))" }.joined()
                }
            case .documentFailed(let file, _):
                s.documentsFinished += 1
                s.failed += 1
                s.open[file] = nil
            case .documentInterrupted(let file):
                s.documentsFinished += 1
                s.open[file] = nil
                return "\(file): interrupted, nothing published"
            case .skipped(let file, let reason):
                if mode == .auto || mode == .tty { return "\(file): skipped (\(reason))" }
            case .finished: return nil
            }
            return nil
        }
        if case .documentFailed(_, let failure) = event {
            clearBar()
            Diagnostics.error("\(failure.reason)")
        } else if case .documentDone(let file, _, _, _, let warnings) = event, mode != .auto,
            mode != .json
        {
            // The per-document line carries them in `auto`; the other modes still say so.
            for warning in warnings {
                clearBar()
                Diagnostics.warning("\(file): \(warning)")
            }
        } else if let line {
            clearBar()
            Diagnostics.note(line)
        }
        if mode == .tty { drawBar(force: event.isFinal) }
    }

    /// The summary line printed at the end.
    func finish(_ summary: BatchSummary, output: URL) {
        clearBar()
        guard mode != .json else { return }
        var parts = ["\(summary.done) done", "\(summary.failed) failed"]
        if summary.skipped > 0 { parts.append("\(summary.skipped) skipped") }
        if summary.interrupted > 0 { parts.append("\(summary.interrupted) interrupted") }
        if summary.repaired > 0 { parts.append("\(summary.repaired) repaired") }
        let rate = summary.seconds > 0 ? Double(summary.tokens) / summary.seconds : 0
        print(
            "palidoc: " + parts.joined(separator: ", ")
                + String(
                    format: "; %d pages, %d tokens (%.1f tokens/s) in %.1f s", summary.pages,
                    summary.tokens, rate, summary.seconds) + " → \(output.path)")
    }

    private func clearBar() {
        guard mode == .tty else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    private func drawBar(force: Bool) {
        let text: String? = state.withLock { s in
            let now = Date()
            guard force || now.timeIntervalSince(s.lastDraw) >= 0.1 else { return nil }
            s.lastDraw = now
            let partial = s.open.values.reduce(0.0) { $0 + Double($1.done) / Double($1.total) }
            let fraction =
                s.documents == 0 ? 1 : (Double(s.documentsFinished) + partial) / Double(s.documents)
            let elapsed = now.timeIntervalSince(start)
            let width = 24
            let filled = Int((fraction * Double(width)).rounded(.down))
            let bar =
                String(repeating: "#", count: filled)
                + String(repeating: "-", count: max(0, width - filled))
            let eta =
                fraction > 0 && fraction < 1
                ? Self.duration(elapsed * (1 - fraction) / fraction) : "--"
            let rate = elapsed > 0 ? Double(s.tokens) / elapsed : 0
            return "[\(bar)] docs \(s.documentsFinished)/\(s.documents)"
                + " pages \(s.pagesDone) tiles \(s.tiles)"
                + String(format: " %.1f tok/s", rate) + " ETA \(eta)"
        }
        if let text { FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8)) }
    }

    private static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}

extension BatchEvent {
    /// Whether the bar should be redrawn at once.
    fileprivate var isFinal: Bool {
        switch self {
        case .documentDone, .documentFailed, .finished, .started: true
        default: false
        }
    }
}
