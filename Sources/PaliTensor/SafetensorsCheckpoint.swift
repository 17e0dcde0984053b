import Foundation

/// The weights of a Hugging Face checkpoint folder: one `model.safetensors`, or the shards
/// listed by `model.safetensors.index.json`, all memory-mapped.
public final class SafetensorsCheckpoint: Sendable {
    /// The checkpoint folder.
    public let directory: URL
    /// The opened shard files.
    public let files: [SafetensorsFile]
    /// Which file holds each tensor.
    private let owners: [String: SafetensorsFile]

    /// Opens the weights in `directory`, validating every shard header and the index.
    public init(directory: URL) throws(SafetensorsError) {
        self.directory = directory
        let index = directory.appendingPathComponent("model.safetensors.index.json")
        let single = directory.appendingPathComponent("model.safetensors")
        let manager = FileManager.default
        var files: [SafetensorsFile] = []
        var owners: [String: SafetensorsFile] = [:]
        if manager.fileExists(atPath: index.path) {
            guard let data = manager.contents(atPath: index.path),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let weightMap = json["weight_map"] as? [String: String]
            else {
                throw SafetensorsError(
                    file: index,
                    reason: "not a safetensors index (needs a \"weight_map\" object of strings)")
            }
            var opened: [String: SafetensorsFile] = [:]
            for shard in Set(weightMap.values).sorted() {
                let url = directory.appendingPathComponent(shard)
                guard manager.fileExists(atPath: url.path) else {
                    throw SafetensorsError(
                        file: url, reason: "shard listed in model.safetensors.index.json is missing"
                    )
                }
                let file = try SafetensorsFile(url: url)
                opened[shard] = file
                files.append(file)
            }
            for (name, shard) in weightMap {
                let file = opened[shard]!
                guard file.entries[name] != nil else {
                    throw SafetensorsError(
                        file: file.url,
                        reason: "tensor '\(name)' listed in the index is not in this shard")
                }
                owners[name] = file
            }
            for file in files {
                for name in file.entries.keys where owners[name] == nil {
                    throw SafetensorsError(
                        file: file.url,
                        reason: "tensor '\(name)' is not listed in model.safetensors.index.json")
                }
            }
        } else if manager.fileExists(atPath: single.path) {
            let file = try SafetensorsFile(url: single)
            files = [file]
            for name in file.entries.keys { owners[name] = file }
        } else {
            throw SafetensorsError(
                file: directory,
                reason: "no model.safetensors or model.safetensors.index.json in this folder")
        }
        self.files = files
        self.owners = owners
    }

    /// Every tensor name in the checkpoint.
    public var names: Set<String> { Set(owners.keys) }

    /// The header entry of `name` and the file holding it.
    public func entry(_ name: String) throws(SafetensorsError) -> (
        file: SafetensorsFile, entry: SafetensorsFile.Entry
    ) {
        guard let file = owners[name] else {
            throw SafetensorsError(
                file: directory, reason: "no tensor named '\(name)' in the checkpoint")
        }
        return (file, try file.entry(name))
    }

    /// The tensor `name` as float32 (see `SafetensorsFile.floatTensor`).
    public func floatTensor(_ name: String) throws(SafetensorsError) -> Tensor {
        try entry(name).file.floatTensor(name)
    }

    /// The tensor `name` as a bf16 matrix (see `SafetensorsFile.bf16Matrix`).
    public func bf16Matrix(_ name: String) throws(SafetensorsError) -> BF16Matrix {
        try entry(name).file.bf16Matrix(name)
    }

    /// The tensor `name` as an int8 matrix (see `SafetensorsFile.int8Matrix`).
    public func int8Matrix(_ name: String) throws(SafetensorsError) -> Int8Matrix {
        try entry(name).file.int8Matrix(name)
    }
}
