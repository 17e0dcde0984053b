import ArgumentParser
import DocumentPipeline
import Foundation
import PaliGemma
import PaliTensor
import PaliTokenizer
import Raster

/// `palidoc generate`: one image and prompt through a PaliGemma checkpoint; prints the text.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Run a PaliGemma / PaliGemma 2 checkpoint on one image and prompt.",
        discussion: """
            Prints the generated text (up to <eos> or --max-tokens). --json prints \
            {"text", "ids", "timings"}; --dump also writes pixel_values, image_features and \
            the logits of every generated step to a safetensors file for comparison with a \
            reference implementation.
            """)

    @Option(help: "Model folder (config.json, weights, tokenizer); default: $PALIDOC_MODEL.")
    var model: String?

    @Option(help: "Input image (PNG or JPEG).")
    var image: String

    @Option(help: "The prompt, e.g. \"caption en\" or \"ocr\".")
    var prompt: String

    @Option(name: .customLong("max-tokens"), help: "Most tokens to generate.")
    var maxTokens = 64

    @Option(help: "Beam count (1 = greedy).")
    var beams = 1

    @Option(help: "Resize kernel: bicubic (as transformers) or bilinear (as big_vision).")
    var resize = "bicubic"

    @Option(help: """
            Weights in memory: f32 is the reference path (equal to transformers in float32); \
            the others trade exactness for memory and speed (docs/parity.md).
            """)
    var weights = WeightPrecision.f32

    @Option(
        name: .customLong("kv-cache"),
        help: """
            Keys and values in memory: f32; bf16 (rounded to nearest even: half the bytes \
            a decode step's attention reads, which batched and 896 px decoding are bound by); \
            or int8 (a scale per 32 elements: 28% of the bytes, for a coarser rounding). \
            docs/parity.md states the deviations.
            """)
    var kvCache = KVCacheFormat.f32

    @Flag(help: "Print {\"text\", \"ids\", \"timings\"} as JSON.")
    var json = false

    @Option(help: "Write pixel_values, image_features and per-step logits to this file.")
    var dump: String?

    /// `--model`, else `$PALIDOC_MODEL`.
    private var modelFolder: String? {
        model ?? ProcessInfo.processInfo.environment["PALIDOC_MODEL"]
    }

    func validate() throws {
        guard modelFolder != nil else {
            throw ValidationError("give --model DIR or set PALIDOC_MODEL")
        }
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1") }
        guard beams >= 1 else { throw ValidationError("--beams must be at least 1") }
        guard ResampleFilter(rawValue: resize) != nil else {
            throw ValidationError("--resize must be bicubic or bilinear")
        }
        if dump != nil && beams > 1 {
            throw ValidationError("--dump records greedy steps: use it with --beams 1")
        }
    }

    func run() throws {
        do {
            let clock = ContinuousClock()
            let start = clock.now
            let modelURL = URL(fileURLWithPath: modelFolder!)
            let paligemma = try PaliGemmaModel(
                directory: modelURL, weights: weights, kvCache: kvCache)
            let tokenizer = try GemmaTokenizer.load(directory: modelURL)
            let loadSeconds = (clock.now - start) / .seconds(1)
            let picture = try ImageInput.read(URL(fileURLWithPath: image))
            let ids = try paligemma.inputIDs(prompt: prompt, tokenizer: tokenizer)
            let options = GenerationOptions(
                maxNewTokens: maxTokens, beams: beams, resize: ResampleFilter(rawValue: resize)!,
                recordLogits: dump != nil)
            let output = try paligemma.generate(
                [GenerationRequest(image: picture, inputIDs: ids)], options: options)[0]
            let text = try paligemma.text(of: output.ids, tokenizer: tokenizer)
            if let dump { try write(output, model: paligemma, to: URL(fileURLWithPath: dump)) }
            if json {
                try printJSON(text: text, output: output, loadSeconds: loadSeconds)
            } else {
                print(text)
            }
        } catch let error as PaliGemmaError {
            throw Diagnostics.error(error.description)
        } catch let error as TokenizerError {
            throw Diagnostics.error(error.description)
        } catch let error as DumpError {
            throw Diagnostics.error(error.description)
        } catch {
            // The image's reader (`ImageInput`): its errors name the file and the reason.
            throw Diagnostics.error("\(error)")
        }
    }

    /// A `--dump` file that could not be written.
    private struct DumpError: Error, CustomStringConvertible {
        let description: String
    }

    private func write(_ output: GenerationOutput, model: PaliGemmaModel, to url: URL) throws {
        let config = model.configuration
        let size = config.vision.imageSize
        var writer = SafetensorsWriter()
        writer.add("pixel_values", shape: [1, 3, size, size], values: output.pixelValues)
        writer.add(
            "image_features", shape: [1, config.vision.tokens, config.text.hiddenSize],
            values: output.imageFeatures)
        writer.add(
            "logits", shape: [output.stepLogits.count, config.text.vocabSize],
            values: output.stepLogits.flatMap { $0 })
        writer.add("ids", shape: [output.ids.count], integers: output.ids)
        do {
            try writer.write(to: url)
        } catch {
            throw DumpError(description: "\(url.path): cannot write: \(error.localizedDescription)")
        }
    }

    private func printJSON(text: String, output: GenerationOutput, loadSeconds: Double) throws {
        let t = output.timings
        let steps = max(output.ids.count - 1, 1)
        let object: [String: Any] = [
            "text": text,
            "ids": output.ids,
            "timings": [
                "load_s": loadSeconds, "vision_s": t.vision, "prefill_s": t.prefill,
                "decode_s": t.decode, "first_token_s": t.vision + t.prefill,
                "ms_per_token": t.decode / Double(steps) * 1000,
            ],
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

}
