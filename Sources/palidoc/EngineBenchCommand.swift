import ArgumentParser
import Foundation
import PaliGemma
import PaliTensor
import PaliTokenizer

/// `palidoc bench engine` (what `palidoc bench` runs without a subcommand): times image
/// encode, prefill and forced decoding on synthetic pages.
struct EngineBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Time image encode, prefill and per-token decode of a checkpoint.",
        discussion: """
            Runs --batch synthetic noise pages at the checkpoint's resolution through the \
            model: encode (per page), one batched prefill, then --new-tokens tokens per page \
            forced (decoding does not stop at <eos>). Each phase reports the fastest of \
            --runs passes; pages/hour is for the whole batch; peak RSS is the process's \
            VmHWM. Threads follow OPENBLAS_NUM_THREADS.
            """)

    @Option(help: "Model folder (config.json, weights, tokenizer); default: $PALIDOC_MODEL.")
    var model: String?

    @Option(help: "Input resolution in pixels (224, 448, 896); must match the checkpoint.")
    var resolution: Int

    @Option(help: "Pages prefilled and decoded together.")
    var batch = 1

    @Option(name: .customLong("new-tokens"), help: "Tokens generated per page (at least 2).")
    var newTokens = 16

    @Option(help: "Prompt after the image tokens.")
    var prompt = "ocr"

    @Option(help: "Timed passes; each phase reports its fastest.")
    var runs = 1

    @Option(help: "Weights in memory (see `palidoc generate`).")
    var weights = WeightPrecision.f32

    @Option(
        name: .customLong("kv-cache"), help: "Keys and values in memory (see `palidoc generate`).")
    var kvCache = KVCacheFormat.f32

    @Option(
        name: .customLong("project-tokens"),
        help: "Also project pages/hour for pages of this many generated tokens (OCR: ~500).")
    var projectTokens = 500

    @Option(
        name: .customLong("kernel-level"),
        help: """
            Cap the C kernels at this instruction-set level (portable, avx2, avx-vnni, avx512, \
            avx512-vnni, avx512-bf16) to compare paths on one machine; default: the CPU's best.
            """)
    var kernelLevel: KernelLevel?

    @Flag(help: "Print the measurements as one JSON object.")
    var json = false

    /// `--model`, else `$PALIDOC_MODEL`.
    private var modelFolder: String? {
        model ?? ProcessInfo.processInfo.environment["PALIDOC_MODEL"]
    }

    func validate() throws {
        guard modelFolder != nil else {
            throw ValidationError("give --model DIR or set PALIDOC_MODEL")
        }
        guard resolution >= 1 else { throw ValidationError("--resolution must be positive") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard newTokens >= 2 else { throw ValidationError("--new-tokens must be at least 2") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard projectTokens >= 1 else {
            throw ValidationError("--project-tokens must be at least 1")
        }
    }

    func run() throws {
        if let kernelLevel { KernelLevel.limit(to: kernelLevel) }
        let benchmark = PaliGemmaBenchmark(
            directory: URL(fileURLWithPath: modelFolder!), resolution: resolution, batch: batch,
            newTokens: newTokens, prompt: prompt, runs: runs,
            weights: weights, kvCache: kvCache)
        let report: PaliGemmaBenchmarkReport
        do {
            report = try benchmark.run()
        } catch let error as PaliGemmaError {
            throw Diagnostics.error(error.description)
        } catch let error as TokenizerError {
            throw Diagnostics.error(error.description)
        }
        if json {
            let data = try JSONSerialization.data(
                withJSONObject: object(report), options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(text(report))
        }
    }

    /// The JSON fields: times in seconds, decode also in ms per step, RSS in bytes, FLOP
    /// rates of the matrix products in GFLOP/s (`*_gflops_per_s`: the whole phase over its
    /// FLOP; `*_products_*`, `*_attention_*`: the time inside those kernels and their rate;
    /// `decode_step_*`: per step, averaged over the steps).
    private func object(_ r: PaliGemmaBenchmarkReport) -> [String: Any] {
        [
            "resolution": r.resolution, "batch": r.batch, "new_tokens": r.newTokens,
            "prefix_tokens": r.prefixTokens, "runs": r.runs, "weights": r.weights.rawValue,
            "kv_cache": r.kvCache.rawValue,
            "load_s": r.loadSeconds,
            "encode_s": r.phases.encodeSeconds, "prefill_s": r.phases.prefillSeconds,
            "decode_ms_per_step": r.phases.decodeStepSeconds * 1000,
            "decode_tokens_per_s": r.decodeTokensPerSecond, "batch_s": r.batchSeconds,
            "pages_per_hour": r.pagesPerHour,
            "projected_tokens": projectTokens,
            "projected_pages_per_hour": r.pagesPerHour(tokens: projectTokens),
            "encode_gflop": r.encodeFLOPs / 1e9, "prefill_gflop": r.prefillFLOPs / 1e9,
            "encode_gflops_per_s": r.encodeGFLOPsPerSecond,
            "prefill_gflops_per_s": r.prefillGFLOPsPerSecond,
            "decode_weight_params": r.decodeWeightParameters,
            "decode_weight_bytes": r.decodeWeightBytes,
            "decode_step_read_ms": r.phases.decodeStepReadSeconds * 1000,
            "decode_step_over_read": r.decodeStepOverRead.map { $0 as Any } ?? NSNull(),
            "encode_products_gflop": r.phases.encodeWork.products.flops / 1e9,
            "encode_attention_gflop": r.phases.encodeWork.attention.flops / 1e9,
            "prefill_products_gflop": r.phases.prefillWork.products.flops / 1e9,
            "prefill_attention_gflop": r.phases.prefillWork.attention.flops / 1e9,
            "encode_products_s": r.phases.encodeWork.products.seconds,
            "encode_products_gflops_per_s": r.phases.encodeWork.products.gflopsPerSecond,
            "encode_attention_s": r.phases.encodeWork.attention.seconds,
            "encode_attention_gflops_per_s": r.phases.encodeWork.attention.gflopsPerSecond,
            "prefill_products_s": r.phases.prefillWork.products.seconds,
            "prefill_products_gflops_per_s": r.phases.prefillWork.products.gflopsPerSecond,
            "prefill_attention_s": r.phases.prefillWork.attention.seconds,
            "prefill_attention_gflops_per_s": r.phases.prefillWork.attention.gflopsPerSecond,
            "decode_step_products_gflop": r.phases.decodeStepWork.products.flops / 1e9,
            "decode_step_attention_gflop": r.phases.decodeStepWork.attention.flops / 1e9,
            "decode_step_products_s": r.phases.decodeStepWork.products.seconds,
            "decode_step_products_gflops_per_s": r.phases.decodeStepWork.products.gflopsPerSecond,
            "decode_step_attention_s": r.phases.decodeStepWork.attention.seconds,
            "peak_rss_bytes": r.peakResidentBytes.map { $0 as Any } ?? NSNull(),
            "kernels": KernelReport.current().object,
        ]
    }

    /// A short human-readable table.
    private func text(_ r: PaliGemmaBenchmarkReport) -> String {
        func f(_ value: Double, _ digits: Int = 3) -> String {
            String(format: "%.\(digits)f", value)
        }
        let rss = r.peakResidentBytes.map { f(Double($0) / 1e9, 2) + " GB" } ?? "n/a"
        func work(_ w: PaliGemmaBenchmarkReport.Work, of seconds: Double) -> String {
            let rest = seconds - w.products.seconds - w.attention.seconds
            return "  products \(f(w.products.seconds)) s (\(f(w.products.gflopsPerSecond, 1)) "
                + "GFLOP/s), attention \(f(w.attention.seconds)) s "
                + "(\(f(w.attention.gflopsPerSecond, 1)) GFLOP/s), other \(f(rest)) s"
        }
        // A decode step, in milliseconds.
        func stepWork(_ w: PaliGemmaBenchmarkReport.Work, of seconds: Double) -> String {
            let ms = { f($0 * 1000, 1) }
            let rest = seconds - w.products.seconds - w.attention.seconds
            return "  products \(ms(w.products.seconds)) ms (\(f(w.products.gflopsPerSecond, 1)) "
                + "GFLOP/s), attention \(ms(w.attention.seconds)) ms, other \(ms(rest)) ms"
        }
        // The step's weights read alone right after each step: the bandwidth bound then.
        func weightRead(_ r: PaliGemmaBenchmarkReport) -> String {
            let read = r.phases.decodeStepReadSeconds
            guard let ratio = r.decodeStepOverRead else { return "  weights read alone: n/a" }
            return "  weights read alone \(f(read * 1000, 1)) ms "
                + "(\(f(Double(r.decodeWeightBytes) / read / 1e9, 1)) GB/s): "
                + "step / read \(f(ratio, 2))×"
        }
        return """
            resolution \(r.resolution) px, batch \(r.batch), \(r.prefixTokens) prefix tokens, \
            \(r.newTokens) new tokens, \(r.weights.rawValue) weights, \(r.kvCache.rawValue) KV \
            cache, fastest of \(r.runs)
            load            \(f(r.loadSeconds)) s
            encode / page   \(f(r.phases.encodeSeconds)) s \
            (\(f(r.encodeGFLOPsPerSecond, 1)) GFLOP/s)
            \(work(r.phases.encodeWork, of: r.phases.encodeSeconds))
            prefill (batch) \(f(r.phases.prefillSeconds)) s \
            (\(f(r.prefillGFLOPsPerSecond, 1)) GFLOP/s)
            \(work(r.phases.prefillWork, of: r.phases.prefillSeconds))
            decode step     \(f(r.phases.decodeStepSeconds * 1000, 1)) ms \
            (\(f(r.decodeTokensPerSecond, 2)) tokens/s)
            \(stepWork(r.phases.decodeStepWork, of: r.phases.decodeStepSeconds))
            \(weightRead(r))
            pages/hour      \(f(r.pagesPerHour, 1)) \
            (projected at \(projectTokens) tokens/page: \
            \(f(r.pagesPerHour(tokens: projectTokens), 1)))
            peak RSS        \(rss)
            \(KernelReport.current().lines.joined(separator: "\n"))
            """
    }
}
