import DocumentExport
import DocumentModel
import Foundation
import PaliTestSupport
import Testing

@testable import DocumentPipeline

/// Model output is untrusted input: hostile text from the model goes through every task and
/// every exporter, and libxml2 reads the files back as a browser would. No element or
/// attribute outside what each writer builds may survive, no attribute may carry a script
/// or remote URL, and the HTML pages carry the Content-Security-Policy.
@Suite struct HostileModelOutputTests {
    /// Payloads in the ways markup injection is written: tags, event handlers, script URLs,
    /// other namespaces, entity-encoded and mixed-case variants, unterminated tags, NUL and
    /// control characters, table break-outs, and Markdown syntax.
    static let payloads: [String] = [
        "<tr><td><img src=x onerror=alert(1)>a</td><td><a href=\"javascript:alert(2)\">b</a>"
            + "</td><td><svg onload=alert(3)></svg>c</td></tr>",
        "<script>alert(1)</script>",
        "<tr><td><ScRiPt>alert(1)</sCrIpT>x</td><td><IMG SRC=JaVaScRiPt:alert(1)></td></tr>",
        "<tr><td><b onclick=\"alert(1)\" style=\"background:url(https://evil.example/)\">b</b>"
            + "<sup/onmouseover=alert(1)>1</sup><br/onload=alert(1)></td></tr>",
        "<tr><td><iframe src=\"https://evil.example/\"></iframe><object data=\"data:text/html;"
            + "base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object><embed src=x></td></tr>",
        "<tr><td><style>body{background:url(https://evil.example/x)}</style>s</td></tr>",
        "<tr><td>&lt;script&gt;alert(1)&lt;/script&gt;&#60;img src=x onerror=alert(1)&#62;"
            + "&amp;lt;b&amp;gt;</td></tr>",
        "<tr><td><a href=\"jav&#x09;ascript:alert(1)\">x<td><img src=x onerror=alert(1)",
        "<tr><td>a\u{0}<scr\u{0}ipt>alert(1)</script>\u{1}\u{1B}[31m\u{7F}\u{FFFE}</td></tr>",
        "<tr><td><math><mi xlink:href=\"javascript:alert(1)\">m</mi></math>"
            + "<svg><script>alert(1)</script></svg></td></tr>",
        "<thead><tr><th onclick=alert(1) colspan=\"2\">h</th></tr></thead><tbody><tr>"
            + "<td colspan=\"2 onmouseover=alert(1)\">c</td></tr></tbody>",
        "<tr><td></td></tr></tbody></table><script>alert(1)</script><table><tr><td>x</td>",
        "<tr><td><!--<script>alert(1)</script>--><![CDATA[<script>alert(1)</script>]]></td>",
        "<tr><td><form action=\"https://evil.example/\"><input name=x><button>go</button>"
            + "</form><meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">"
            + "<base href=\"https://evil.example/\"><link rel=stylesheet href=//evil.example/x>"
            + "</td></tr>",
        "x\n\n<script>alert(1)</script>\n\n[a](javascript:alert(1)) ![i](https://evil.example/i)"
            + " <https://evil.example/> <img src=x onerror=alert(1)>\n```\n<iframe src=x>",
        "\"><script>alert(1)</script><x y='",
    ]

    /// An engine that answers every request with `payload`, framed for the task that asked
    /// (the prompt says which): word and detection outputs get their location tokens.
    struct HostileEngine: Engine {
        let payload: String
        var info: EngineInfo {
            EngineInfo(model: ModelInfo(name: "hostile", family: "paligemma2", imageSize: 56))
        }

        func generate(_ requests: [EngineRequest]) async throws -> [EngineResult] {
            requests.map { request in
                let loc = "<loc0100><loc0120><loc0300><loc0500>"
                let text: String
                switch request.prompt {
                case "words", "detect": text = "\(loc) \(payload) ; \(loc) \(payload)"
                case "kern": text = "**kern\n4c\n\(payload)\n*-"
                default: text = payload
                }
                return EngineResult(text: text, ids: [1, 2, 3])
            }
        }
    }

    static let pipeline = PipelineDefinition(
        name: "hostile", dpi: 36,
        tasks: [
            PipelineTask(kind: .ocr), PipelineTask(kind: .ocrWords, prompt: "words"),
            PipelineTask(kind: .table), PipelineTask(kind: .music, prompt: "kern"),
            PipelineTask(kind: .molecule), PipelineTask(kind: .caption),
            PipelineTask(kind: .report), PipelineTask(kind: .answer),
            PipelineTask(kind: .detect, prompt: "detect"),
        ],
        exporters: ExporterKind.allCases)

    @Test func everyPipelineTaskAndExporterIsCovered() {
        #expect(Set(Self.pipeline.tasks.map(\.kind)) == Set(PipelineTaskKind.allCases))
        #expect(Self.pipeline.exporters == ExporterKind.allCases)
    }

    @Test(arguments: payloads.indices)
    func outputsHoldOnlyWhatTheWritersBuild(_ index: Int) async throws {
        let folder = try TemporaryDirectory("hostile")
        let input = folder.file("page.png")
        try RealEngine.png(seed: index).write(to: input)
        let converter = try DocumentConverter(
            pipeline: Self.pipeline, engine: HostileEngine(payload: Self.payloads[index]))
        let output = folder.file("out")
        let progress = DocumentConverter.Progress(
            completed: [], setPageCount: { _ in }, completePage: { _ in })
        let document = try await converter.convert(
            file: input, sourcePath: "page.png", contentHash: nil, into: output,
            progress: progress, events: { _ in })
        #expect(!document.pages.flatMap(\.regions).isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: output.path)
        for exporter in ["html", "hocr", "alto.xml", "md", "json"] {
            #expect(files.contains("page.\(exporter)"), "no page.\(exporter) among \(files)")
        }
        for name in files {
            let url = output.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            switch name {
            case "page.html": try Self.checkHTML(text)
            case "page.hocr": try Self.checkHOCR(text)
            case "page.alto.xml": try Self.checkALTO(text)
            case "page.md": try Self.checkMarkdown(text)
            case "page.json": _ = try JSONSerialization.jsonObject(with: Data(text.utf8))
            case _ where name.hasSuffix(".csv"): Self.checkCSV(text, name: name)
            default: break
            }
        }
    }

    // MARK: - What each writer may build

    static let cellTags = Cell.inlineTags
    static let htmlElements: Set<String> = [
        "html", "head", "meta", "title", "style", "body", "section", "h2", "div", "img", "span",
        "p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "pre", "code",
    ]
    static let htmlAttributes: Set<String> = [
        "lang", "charset", "http-equiv", "content", "class", "id", "style", "src", "alt",
        "title", "rowspan", "colspan",
    ]

    static func checkHTML(_ html: String) throws {
        let root = try Markup.parseHTML(html)
        try checkTree(
            root, elements: htmlElements.union(cellTags), attributes: htmlAttributes, file: "html")
        let metas = root.descendants(named: "meta")
        #expect(
            metas.contains {
                $0.attribute("http-equiv") == "Content-Security-Policy"
                    && $0.attribute("content") == HTMLExporter.contentSecurityPolicy
            })
        #expect(metas.allSatisfy { ($0.attribute("http-equiv") ?? "") != "refresh" })
        for image in root.descendants(named: "img") {
            let source = image.attribute("src") ?? ""
            #expect(source.hasPrefix("pages/page-") && source.hasSuffix(".png"), "\(source)")
        }
        // The one style sheet is the writer's own.
        #expect(root.descendants(named: "style").count == 1)
        for element in root.descendants(named: "body") {
            #expect(element.descendants(named: "style").isEmpty)
        }
    }

    static func checkHOCR(_ hocr: String) throws {
        let root = try Markup.parseXML(hocr)
        try checkTree(
            root, elements: ["html", "head", "title", "meta", "body", "div", "p", "span"],
            attributes: ["lang", "http-equiv", "content", "name", "class", "id", "title"],
            file: "hocr")
    }

    static func checkALTO(_ alto: String) throws {
        let root = try Markup.parseXML(alto)
        try checkTree(
            root,
            elements: [
                "alto", "Description", "MeasurementUnit", "sourceImageInformation", "fileName",
                "Processing", "processingSoftware", "softwareName", "softwareVersion", "Layout",
                "Page", "PrintSpace", "TextBlock", "TextLine", "String", "SP",
                // Where the text came from: `<Tags><OtherTag ID LABEL DESCRIPTION/>` referenced
                // by TAGREFS.
                "Tags", "OtherTag",
            ],
            attributes: [
                "schemaLocation", "ID", "PHYSICAL_IMG_NR", "WIDTH", "HEIGHT", "HPOS", "VPOS",
                "CONTENT", "WC", "TAGREFS", "LABEL", "DESCRIPTION",
            ], file: "alto")
    }

    /// Markdown read as HTML: any raw HTML the writer did not build would show as an element.
    /// Code blocks and code spans are literal text to CommonMark (a renderer escapes them),
    /// so they are taken out first.
    static func checkMarkdown(_ markdown: String) throws {
        let root = try Markup.parseHTML(withoutCode(markdown))
        try checkTree(
            root,
            elements: ["html", "body", "p", "table", "thead", "tbody", "tr", "th", "td"]
                .reduce(into: cellTags) { $0.insert($1) },
            attributes: ["rowspan", "colspan"], file: "markdown")
        // A raw HTML block (the tables) ends at a blank line; the writer keeps each on one.
        for line in markdown.split(separator: "\n") where line.hasPrefix("<table>") {
            #expect(line.hasSuffix("</table>"), "a table's HTML spans lines: \(line)")
        }
        // No link or image: every `]` outside code and the tables' HTML is backslash-escaped.
        let prose = Array(
            withoutCode(markdown).split(separator: "\n").filter { !$0.hasPrefix("<table>") }
                .joined(separator: "\n"))
        for (i, c) in prose.enumerated() where c == "]" {
            #expect(i > 0 && prose[i - 1] == "\\", "an unescaped ] in the Markdown")
        }
    }

    /// `markdown` without fenced code blocks and code spans, by CommonMark's rules: a fence
    /// closes at a line of at least as many backticks; a span at the next run of exactly as
    /// many backticks.
    static func withoutCode(_ markdown: String) -> String {
        var kept: [Substring] = []
        var fence: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let ticks = line.prefix { $0 == "`" }.count
            if let open = fence {
                if ticks >= open && line.dropFirst(ticks).allSatisfy(\.isWhitespace) {
                    fence = nil
                }
                continue
            }
            if ticks >= 3 {
                fence = ticks
                continue
            }
            kept.append(line)
        }
        let text = Array(kept.joined(separator: "\n"))
        var out = "", i = 0
        while i < text.count {
            guard text[i] == "`" else {
                // A backslash-escaped backtick opens nothing.
                if text[i] == "\\", i + 1 < text.count {
                    out.append(text[i])
                    out.append(text[i + 1])
                    i += 2
                    continue
                }
                out.append(text[i])
                i += 1
                continue
            }
            var run = 0
            while i + run < text.count && text[i + run] == "`" { run += 1 }
            var j = i + run, close: Int?
            while j < text.count {
                var other = 0
                while j + other < text.count && text[j + other] == "`" { other += 1 }
                if other == run {
                    close = j
                    break
                }
                j += max(other, 1)
            }
            if let close {
                i = close + run
            } else {
                out += String(repeating: "`", count: run)
                i += run
            }
        }
        return out
    }

    static func checkCSV(_ csv: String, name: String) {
        for line in csv.split(separator: "\r\n") {
            for field in line.split(separator: ",", omittingEmptySubsequences: false) {
                let value = field.hasPrefix("\"") ? field.dropFirst() : field
                #expect(!["=", "@"].contains(value.first), "\(name): formula field \(field)")
            }
        }
    }

    /// Every element and attribute of `root` is in the allowed sets, and no attribute a
    /// browser loads or applies (`src`, `style`, a meta `content`) holds a script, data or
    /// remote URL, nor a CSS `url(` (text attributes such as ALTO's `CONTENT` hold the
    /// model's words, escaped, and are data).
    static func checkTree(
        _ root: MarkupElement, elements: Set<String>, attributes: Set<String>, file: String
    ) throws {
        func walk(_ element: MarkupElement) {
            #expect(elements.contains(element.name), "\(file): <\(element.name)> survived")
            for attribute in element.attributes {
                #expect(
                    attributes.contains(attribute.name),
                    "\(file): attribute \(attribute.name) on <\(element.name)> survived")
                guard ["src", "style", "content"].contains(attribute.name) else { continue }
                let value = attribute.value.lowercased().filter { !$0.isWhitespace }
                for needle in ["javascript:", "data:", "url(", "http:", "https:", "//"] {
                    #expect(
                        !value.contains(needle),
                        "\(file): \(attribute.name)=\"\(attribute.value)\" on <\(element.name)>")
                }
            }
            element.elements.forEach(walk)
        }
        walk(root)
    }
}
