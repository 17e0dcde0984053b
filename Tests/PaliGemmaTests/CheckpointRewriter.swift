import Foundation
import PaliTensor
import PaliTestSupport

/// Copies a fixture model folder into a temporary one, rewriting its weights on the way
/// (renamed keys, another dtype, a wrong shape, an extra or a missing tensor).
struct CheckpointRewriter {
    let source: URL
    let target: TemporaryDirectory

    init(fixture: String) throws {
        source = FixturePaths.fixture(fixture)
        target = try TemporaryDirectory("checkpoint")
        for file in ["config.json", "tokenizer.model", "tokenizer.json", "tokenizer_config.json"] {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(file), to: target.file(file))
        }
    }

    /// Writes every tensor into one `model.safetensors`; `transform` returns the new name,
    /// dtype and shape (nil drops the tensor).
    func write(
        extra: [(String, [Float])] = [],
        _ transform: (String, SafetensorsFile.Entry) -> (
            name: String, dtype: TensorDType, shape: [Int]
        )? = {
            ($0, $1.dtype, $1.shape)
        }
    ) throws {
        let checkpoint = try SafetensorsCheckpoint(directory: source)
        var writer = SafetensorsWriter()
        for name in checkpoint.names.sorted() {
            let (file, entry) = try checkpoint.entry(name)
            guard let out = transform(name, entry) else { continue }
            let values = try file.floatTensor(name).toArray()
            if out.shape == entry.shape {
                writer.add(out.name, shape: out.shape, values: values, as: out.dtype)
            } else {
                let count = out.shape.reduce(1, *)
                writer.add(
                    out.name, shape: out.shape, values: Array(repeating: 0.5, count: count),
                    as: out.dtype)
            }
        }
        for (name, values) in extra { writer.add(name, shape: [values.count], values: values) }
        try writer.write(to: target.file("model.safetensors"))
    }
}
