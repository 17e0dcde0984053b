import Foundation
import PaliTensor
import PaliTestSupport
import Testing

/// Reading, writing and validating safetensors files and sharded checkpoints.
@Suite struct SafetensorsTests {
    @Test func roundTripsEveryDType() throws {
        let dir = try TemporaryDirectory("safetensors")
        var writer = SafetensorsWriter()
        let values: [Float] = [0, 1, -2.5, 3.140625, 1e-3, -65504]
        writer.add("f32", shape: [2, 3], values: values)
        writer.add("bf16", shape: [6], values: values, as: .bf16)
        writer.add("f16", shape: [3, 2], values: values, as: .f16)
        writer.add("ids", shape: [3], integers: [7, -1, 257152])
        writer.metadata = ["format": "pt"]
        try writer.write(to: dir.file("t.safetensors"))
        let file = try SafetensorsFile(url: dir.file("t.safetensors"))
        #expect(file.metadata == ["format": "pt"])
        #expect(try file.floatTensor("f32").toArray() == values)
        #expect(try file.floatTensor("f32").shape == [2, 3])
        let bf16 = try file.floatTensor("bf16").toArray()
        let f16 = try file.floatTensor("f16").toArray()
        for (i, v) in values.enumerated() {
            #expect(abs(bf16[i] - v) <= abs(v) / 256)
            #expect(abs(f16[i] - v) <= abs(v) / 1024)
        }
        #expect(try file.integers("ids") == [7, -1, 257152])
    }

    /// A file with `header` and 4 data bytes.
    func file(_ header: String) -> Data {
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        return data + Data(header.utf8) + Data(count: 4)
    }

    @Test func rejectsCorruptHeadersWithTheReason() throws {
        let dir = try TemporaryDirectory("safetensors-bad")
        let cases: [(String, Data)] = [
            ("short", Data([1, 2, 3])),
            ("length", Data([0xFF, 0, 0, 0, 0, 0, 0, 0]) + Data("{}".utf8)),
            ("json", Data([4, 0, 0, 0, 0, 0, 0, 0]) + Data("nope".utf8)),
            ("bytes", file(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#)),
            ("dtype", file(#"{"x":{"dtype":"Q99","shape":[1],"data_offsets":[0,4]}}"#)),
        ]
        let reasons = [
            "shorter than", "exceeds file size", "not a JSON object", "needs 8",
            "unsupported dtype Q99",
        ]
        for ((name, data), reason) in zip(cases, reasons) {
            let url = dir.file(name + ".safetensors")
            try data.write(to: url)
            #expect {
                _ = try SafetensorsFile(url: url)
            } throws: { error in
                let e = error as! SafetensorsError
                return e.file == url && e.reason.contains(reason)
            }
        }
    }

    @Test func shardedCheckpointReportsMissingShard() throws {
        let dir = try TemporaryDirectory("shards")
        var a = SafetensorsWriter(), b = SafetensorsWriter()
        a.add("x", shape: [2], values: [1, 2])
        b.add("y", shape: [1], values: [3])
        try a.write(to: dir.file("model-00001-of-00002.safetensors"))
        try b.write(to: dir.file("model-00002-of-00002.safetensors"))
        let index =
            #"{"metadata":{},"weight_map":{"x":"model-00001-of-00002.safetensors","#
            + #""y":"model-00002-of-00002.safetensors"}}"#
        try Data(index.utf8).write(to: dir.file("model.safetensors.index.json"))
        let checkpoint = try SafetensorsCheckpoint(directory: dir.url)
        #expect(checkpoint.names == ["x", "y"])
        #expect(try checkpoint.floatTensor("y").toArray() == [3])
        try FileManager.default.removeItem(at: dir.file("model-00002-of-00002.safetensors"))
        #expect(
            throws: SafetensorsError(
                file: dir.file("model-00002-of-00002.safetensors"),
                reason: "shard listed in model.safetensors.index.json is missing")
        ) {
            _ = try SafetensorsCheckpoint(directory: dir.url)
        }
        let empty = try TemporaryDirectory("no-weights")
        #expect(throws: SafetensorsError.self) {
            _ = try SafetensorsCheckpoint(directory: empty.url)
        }
    }
}
