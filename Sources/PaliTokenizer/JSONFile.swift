import Foundation

/// Reading the JSON files of a checkpoint folder, with errors that name the file.
enum JSONFile {
    /// The top-level object of `url`.
    static func object(at url: URL) throws -> [String: Any] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.unreadable(file: url.path, reason: readReason(url, error))
        }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw TokenizerError.malformed(file: url.path, reason: "not valid JSON")
        }
        guard let object = value as? [String: Any] else {
            throw TokenizerError.malformed(file: url.path, reason: "the top level is not an object")
        }
        return object
    }

    /// Why `url` could not be read, in words.
    static func readReason(_ url: URL, _ error: Error) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            return "no such file"
        }
        if isDirectory.boolValue { return "is a directory" }
        return (error as NSError).localizedDescription
    }

    /// A JSON number that is an integer, or nil.
    static func integer(_ value: Any?) -> Int? {
        if let int = value as? Int { return int }
        guard let double = (value as? NSNumber)?.doubleValue, double == double.rounded(),
            abs(double) < 1e15
        else { return nil }
        return Int(double)
    }

    /// An added-token object (`{"content": …, "special": …, …}`) with its id.
    static func addedToken(_ object: [String: Any], id: Any?) -> AddedToken? {
        guard let id = integer(id), id >= 0, let content = object["content"] as? String else {
            return nil
        }
        let special = object["special"] as? Bool ?? false
        return AddedToken(
            id: id, content: content, special: special,
            normalized: object["normalized"] as? Bool ?? !special,
            lstrip: object["lstrip"] as? Bool ?? false,
            rstrip: object["rstrip"] as? Bool ?? false,
            singleWord: object["single_word"] as? Bool ?? false)
    }
}
