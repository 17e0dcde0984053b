import DocumentModel
import DocumentTasks

/// Small deterministic documents exercising every exporter. `make()`: boxed words on two lines
/// (some with confidences, one needing escaping), a table with spans, a caption, detections,
/// and on page 2 a span-free table and plain OCR text without boxes. `musicAndMolecules()`:
/// a valid and an invalid `**kern` score, then a valid and an invalid SMILES.
enum SampleDocument {
    static func make() -> Document {
        let tile = Tile(index: 0, rect: PixelRect(x: 0, y: 0, width: 1000, height: 1000))
        var words = OCRWordsTask().parse(
            "<loc0100><loc0100><loc0140><loc0300> Hello ; <loc0102><loc0320><loc0141><loc0500> "
                + "world & <co> ; <loc0200><loc0100><loc0240><loc0420> second ; "
                + "<loc0201><loc0440><loc0239><loc0600> line",
            tile: tile, page: 1)
        words.words[0].confidence = 0.93
        words.words[1].confidence = 0.5
        let table = TableTask().parse(
            "<thead><tr><td rowspan=\"2\">Group</td><td colspan=\"2\"><b>Score</b></td></tr>"
                + "<tr><td>A</td><td>B</td></tr></thead><tbody><tr><td>x, \"y\"</td><td>1</td>"
                + "<td>2<sup>a</sup></td></tr><tr><td>z</td><td></td><td>4</td></tbody>",
            tile: tile, page: 1)
        let caption = CaptionTask().parse("A table of scores.", tile: tile, page: 1)
        let detect = DetectTask(objects: ["table"]).parse(
            "<loc0300><loc0050><loc0700><loc0950> table", tile: tile, page: 1)
        let page1 = Page(
            number: 1, width: 1000, height: 1000, dpi: 150, image: "sample-p1.png", tiles: [tile],
            regions: [words, table, caption, detect])
        let simple = TableTask().parse(
            "<thead><tr><td>k</td><td>v|w</td></tr></thead>"
                + "<tbody><tr><td>a</td><td>1</td></tr></tbody>",
            tile: tile, page: 2)
        let text = OCRTask().parse("Plain OCR text\nsecond  line ", tile: tile, page: 2)
        let page2 = Page(
            number: 2, width: 1000, height: 1000, tiles: [tile], regions: [simple, text])
        return Document(
            source: SourceFile(
                path: "in/sample.pdf", format: "pdf", sha256: String(repeating: "ab", count: 32),
                byteCount: 1234),
            pages: [page1, page2],
            model: ModelInfo(
                name: "paligemma2-3b-pt-896", family: "paligemma2", imageSize: 896, dtype: "float32"
            ),
            pipeline: PipelineInfo(
                name: "ocr", tasks: ["ocr-words", "table", "caption", "detect"],
                palidocVersion: "0.1.0"),
            timings: Timings(totalSeconds: 12.5, stages: ["decode": 10, "vision": 2.5]))
    }

    static func musicAndMolecules() -> Document {
        let tile = Tile(index: 0, rect: PixelRect(x: 0, y: 0, width: 800, height: 400))
        let lower = Tile(index: 1, rect: PixelRect(x: 0, y: 400, width: 800, height: 400))
        let valid = MusicTask().parse(
            "**kern\t**kern\n*clefF4\t*clefG2\n*M3/4\t*M3/4\n=1-\t=1-\n2.G\t4b\n.\t4a 4cc\n"
                + ".\t4r\n=2\t=2\n2.GG 2.D\t2.g\n==\t==\n*-\t*-\n",
            tile: tile, page: 1)
        let invalid = MusicTask().parse(
            "```kern\n**kern\n4c & <d>\n4e\n```", tile: lower, page: 1)
        let caffeine = MoleculeTask().parse("Cn1c(=O)c2c(ncn2C)n(C)c1=O", tile: tile, page: 2)
        let broken = MoleculeTask().parse("SMILES: C1CC(<", tile: lower, page: 2)
        return Document(
            source: SourceFile(path: "in/science.png", format: "png"),
            pages: [
                Page(
                    number: 1, width: 800, height: 800, tiles: [tile, lower],
                    regions: [valid, invalid]),
                Page(
                    number: 2, width: 800, height: 800, tiles: [tile, lower],
                    regions: [caffeine, broken]),
            ],
            pipeline: PipelineInfo(
                name: "science", tasks: ["music", "molecule"], palidocVersion: "0.1.0"))
    }
}
