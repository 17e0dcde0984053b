import Foundation

/// The identity of a checkpoint: SHA-256 over its `config.json` and the headers (tensor
/// names, shapes, types and offsets) of its `*.safetensors` files, in name order. Equal
/// identities mean the same architecture and the same tensor layout, without reading
/// gigabytes of weights; jobs carry it so no document is converted by two different models.
public enum ModelIdentity {
    /// The identity of the checkpoint in `folder`; throws `ConverterError` when it has no
    /// `config.json` or a safetensors file is unreadable.
    public static func compute(folder: URL) throws -> String {
        var hash = SHA256()
        let config = folder.appendingPathComponent("config.json")
        do {
            hash.update(data: try Data(contentsOf: config))
        } catch {
            throw ConverterError("\(config.path): cannot read the model's config.json")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasSuffix(".safetensors") }.sorted()
        } catch {
            throw ConverterError("\(folder.path): cannot list the model folder")
        }
        for name in names {
            hash.update(data: Data(name.utf8))
            hash.update(data: try header(of: folder.appendingPathComponent(name)))
        }
        return hash.hexDigest()
    }

    /// The first 12 hex digits, for messages.
    public static func short(_ identity: String) -> String { String(identity.prefix(12)) }

    /// A safetensors file's 8-byte little-endian length and the JSON header it announces.
    private static func header(of file: URL) throws -> Data {
        guard let handle = try? FileHandle(forReadingFrom: file) else {
            throw ConverterError("\(file.path): cannot open the safetensors file")
        }
        defer { try? handle.close() }
        guard let prefix = try? handle.read(upToCount: 8), prefix.count == 8 else {
            throw ConverterError("\(file.path): not a safetensors file (too short)")
        }
        let length = prefix.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.1) << (8 * $1.0) }
        guard length <= 100_000_000, let json = try? handle.read(upToCount: Int(length)),
            json.count == Int(length)
        else {
            throw ConverterError("\(file.path): not a safetensors file (bad header length)")
        }
        return prefix + json
    }
}
