import Foundation
import PaliTestSupport
import Testing

/// `palidoc bench` on the tiny fixture: the report's shape and consistency, not its timings.
@Suite struct BenchCommandTests {
    @Test func jsonReportHasEveryPhase() throws {
        let folder = FixturePaths.fixture("paligemma2-tiny")
        let result = try PalidocProcess.run([
            "bench", "--model", folder.path, "--resolution", "56", "--batch", "2",
            "--new-tokens", "5", "--runs", "2", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["resolution"] as? Int == 56)
        #expect(json["batch"] as? Int == 2)
        #expect(json["new_tokens"] as? Int == 5)
        #expect(json["runs"] as? Int == 2)
        #expect(json["weights"] as? String == "f32")
        // 16 image tokens (56 px / patch 14, squared), <bos>, "ocr", "\n".
        let prefix = try #require(json["prefix_tokens"] as? Int)
        #expect(prefix > 16)
        let seconds = ["load_s", "encode_s", "prefill_s", "decode_ms_per_step", "batch_s"]
        for key in seconds {
            let value = try #require(json[key] as? Double, "\(key) missing")
            #expect(value > 0, "\(key)")
        }
        let step = try #require(json["decode_ms_per_step"] as? Double) / 1000
        let rate = try #require(json["decode_tokens_per_s"] as? Double)
        #expect(abs(rate - 2 / step) <= 1e-6 * rate)
        let batchSeconds = try #require(json["batch_s"] as? Double)
        let pages = try #require(json["pages_per_hour"] as? Double)
        #expect(abs(pages - 2 * 3600 / batchSeconds) <= 1e-6 * pages)
        // Projection to longer pages, and the FLOP rates from the cost model.
        let projected = try #require(json["projected_pages_per_hour"] as? Double)
        #expect(json["projected_tokens"] as? Int == 500 && projected < pages)
        let encodeRate = try #require(json["encode_gflops_per_s"] as? Double)
        let encodeFLOP = try #require(json["encode_gflop"] as? Double)
        let encodeSeconds = try #require(json["encode_s"] as? Double)
        #expect(abs(encodeRate - encodeFLOP / encodeSeconds) <= 1e-6 * encodeRate)
        #expect(try #require(json["prefill_gflops_per_s"] as? Double) > 0)
        #expect(try #require(json["decode_weight_params"] as? Double) > 0)
        // The time inside the products and attention, and their FLOP as counted at each call:
        // together exactly the cost model's FLOP of the phase, within the phase's time.
        for phase in ["encode", "prefill"] {
            let total = try #require(json["\(phase)_gflop"] as? Double)
            let products = try #require(json["\(phase)_products_gflop"] as? Double)
            let attention = try #require(json["\(phase)_attention_gflop"] as? Double)
            #expect(products > 0 && attention > 0, "\(phase)")
            #expect(abs(products + attention - total) <= 1e-9 * total, "\(phase)")
            let inProducts = try #require(json["\(phase)_products_s"] as? Double)
            let inAttention = try #require(json["\(phase)_attention_s"] as? Double)
            let seconds = try #require(json["\(phase)_s"] as? Double)
            #expect(inProducts > 0 && inAttention > 0, "\(phase)")
            #expect(inProducts + inAttention <= seconds, "\(phase)")
            let rate = try #require(json["\(phase)_products_gflops_per_s"] as? Double)
            #expect(abs(rate - products / inProducts) <= 1e-6 * rate, "\(phase)")
        }
        // A decode step's products: every decoder projection and the LM head once per page.
        let stepProducts = try #require(json["decode_step_products_gflop"] as? Double)
        let params = try #require(json["decode_weight_params"] as? Double)
        #expect(abs(stepProducts - 2 * 2 * params / 1e9) <= 1e-9 * stepProducts)
        #expect(try #require(json["decode_step_attention_gflop"] as? Double) > 0)
        let stepInProducts = try #require(json["decode_step_products_s"] as? Double)
        let stepInAttention = try #require(json["decode_step_attention_s"] as? Double)
        #expect(stepInProducts > 0 && stepInAttention > 0)
        #expect(stepInProducts + stepInAttention <= step)
        // The step's weights read alone: f32 here, 4 bytes per decode weight; the step
        // against that read.
        #expect(try #require(json["decode_weight_bytes"] as? Int) == 4 * Int(params))
        let read = try #require(json["decode_step_read_ms"] as? Double) / 1000
        let overRead = try #require(json["decode_step_over_read"] as? Double)
        #expect(read > 0 && abs(overRead - step / read) <= 1e-6 * overRead)
        let rss = try #require(json["peak_rss_bytes"] as? Int)
        #expect(rss > 1_000_000)
    }

    @Test func plainTextReport() throws {
        let folder = FixturePaths.fixture("paligemma1-tiny")
        let result = try PalidocProcess.run([
            "bench", "--model", folder.path, "--resolution", "56", "--new-tokens", "3",
            "--weights", "bf16",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("pages/hour") && result.stdout.contains("peak RSS"))
        #expect(result.stdout.contains("weights read alone") && result.stdout.contains("step / read"))
        #expect(result.stdout.contains("bf16 weights"))
        #expect(result.stdout.contains("products") && result.stdout.contains("attention"))
        #expect(result.stdout.contains("ms, other"), "decode step breakdown")
    }

    @Test func badInputsGiveOneErrorLine() throws {
        let folder = FixturePaths.fixture("paligemma2-tiny")
        let dir = try TemporaryDirectory("bench-bad")
        let cases: [([String], String)] = [
            (["--model", folder.path, "--resolution", "224"], "resolution is 56 px"),
            (["--model", dir.file("nowhere").path, "--resolution", "56"], "nowhere"),
        ]
        for (arguments, mention) in cases {
            let result = try PalidocProcess.run(["bench"] + arguments)
            #expect(result.status != 0)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("palidoc: error: "), "\(result.stderr)")
            #expect(result.stderr.contains(mention), "\(result.stderr)")
        }
    }
}
