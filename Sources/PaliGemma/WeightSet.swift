import Foundation
import PaliTensor

/// The checkpoint's tensors under canonical names, validated against `ParameterTable`.
struct WeightSet {
    private let tensors: [String: LinearWeight]

    /// The float32 tensor `name` (present: loading checked every table entry).
    subscript(_ name: String) -> Tensor {
        guard case .f32(let tensor) = tensors[name] else {
            preconditionFailure("parameter \(name) not loaded as float32")
        }
        return tensor
    }

    /// The linear weight `name`, in the precision it was loaded with.
    func linear(_ name: String) -> LinearWeight {
        guard let weight = tensors[name] else {
            preconditionFailure("parameter \(name) not loaded")
        }
        return weight
    }

    /// Maps every on-disk name through `ParameterTable`, then checks that each parameter is
    /// present once with its shape and that nothing else is there.
    /// Each parameter is held as `precision.format(of:onDisk:)` says (float32 unless
    /// `precision` holds it compactly).
    init(
        checkpoint: SafetensorsCheckpoint, config: PaliGemmaConfiguration,
        precision: WeightPrecision = .f32
    ) throws(PaliGemmaError) {
        let expected = ParameterTable.parameters(for: config)
        let shapes = Dictionary(uniqueKeysWithValues: expected.map { ($0.name, $0.shape) })
        let embeddingShape = shapes["language_model.embed_tokens.weight"]!
        var diskNames: [String: String] = [:]  // canonical -> on-disk
        for name in checkpoint.names.sorted() {
            let located = try Self.locate(name, in: checkpoint)
            guard let canonical = ParameterTable.canonicalName(name) else {
                throw PaliGemmaError(
                    file: located.file.url,
                    "unexpected tensor '\(name)' (not a PaliGemma parameter)")
            }
            if config.vision.useHead && canonical.hasPrefix("vision_tower.head.") { continue }
            if let other = diskNames[canonical] {
                throw PaliGemmaError(
                    file: located.file.url,
                    "tensor '\(name)' duplicates '\(other)' (both are \(canonical))")
            }
            if canonical == ParameterTable.tiedOutputName {
                // PaliGemma ties the output matrix to the embedding; a stored copy is ignored.
                guard located.entry.shape == embeddingShape else {
                    throw PaliGemmaError(
                        file: located.file.url,
                        "tensor '\(name)' has shape \(located.entry.shape),"
                            + " config.json needs \(embeddingShape)"
                    )
                }
                diskNames[canonical] = name
                continue
            }
            guard let shape = shapes[canonical] else {
                throw PaliGemmaError(
                    file: located.file.url,
                    "unexpected tensor '\(name)' (not in the model that config.json describes)")
            }
            guard located.entry.shape == shape else {
                throw PaliGemmaError(
                    file: located.file.url,
                    "tensor '\(name)' has shape \(located.entry.shape), config.json needs \(shape)")
            }
            guard located.entry.dtype.isFloatingPoint else {
                throw PaliGemmaError(
                    file: located.file.url,
                    "tensor '\(name)' is \(located.entry.dtype.rawValue), not floating point")
            }
            diskNames[canonical] = name
        }
        var names: [(canonical: String, disk: String, storage: WeightFormat)] = []
        for (canonical, _) in expected {
            guard let name = diskNames[canonical] else {
                throw PaliGemmaError(
                    file: checkpoint.directory,
                    "missing tensor '\(canonical)' (checked every accepted key layout)")
            }
            let dtype = try Self.locate(name, in: checkpoint).entry.dtype
            names.append((canonical, name, precision.format(of: canonical, onDisk: dtype)))
        }
        // Converting (and faulting the mapped pages in) is independent per tensor.
        let loaded = LoadedTensors(count: names.count)
        let diskOrder = names.map(\.disk), storage = names.map(\.storage)
        DispatchQueue.concurrentPerform(iterations: diskOrder.count) { i in
            loaded.store(
                i,
                Result { () throws(SafetensorsError) -> LinearWeight in
                    switch storage[i] {
                    case .f32: .f32(try checkpoint.floatTensor(diskOrder[i]))
                    case .bf16: .bf16(try checkpoint.bf16Matrix(diskOrder[i]))
                    case .int8:
                        .int8(
                            try checkpoint.int8Matrix(diskOrder[i])
                                .with(activations: precision.int8Activations))
                    }
                })
        }
        var tensors: [String: LinearWeight] = [:]
        for (i, name) in names.enumerated() {
            switch loaded.results[i]! {
            case .success(let tensor): tensors[name.canonical] = tensor
            case .failure(let error): throw PaliGemmaError(file: error.file, error.reason)
            }
        }
        self.tensors = tensors
    }

    private static func locate(
        _ name: String, in checkpoint: SafetensorsCheckpoint
    ) throws(PaliGemmaError) -> (file: SafetensorsFile, entry: SafetensorsFile.Entry) {
        do {
            return try checkpoint.entry(name)
        } catch {
            throw PaliGemmaError(file: error.file, error.reason)
        }
    }
}

/// Per-index results of the concurrent tensor loads.
private final class LoadedTensors: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var results: [Result<LinearWeight, SafetensorsError>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ result: Result<LinearWeight, SafetensorsError>) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }
}
