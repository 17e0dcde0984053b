import Foundation

/// Reading the JSON files of a checkpoint folder, with errors that name the file.
enum JSONFile {
    /// The top-level object of `url`.
    static func object(at url: URL) throws -> JSONValue {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.unreadable(file: url.path, reason: readReason(url, error))
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: Array(data))
        } catch let failure as JSONValue.Failure {
            throw TokenizerError.malformed(
                file: url.path, reason: "not valid JSON: \(failure.reason)")
        }
        guard value.members != nil else {
            throw TokenizerError.malformed(file: url.path, reason: "the top level is not an object")
        }
        return value
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

    /// An added-token object (`{"content": …, "special": …, …}`) with its id.
    static func addedToken(_ object: JSONValue, id: Int?) -> AddedToken? {
        guard let id, id >= 0, let content = object["content"]?.string else { return nil }
        let special = object["special"]?.bool ?? false
        return AddedToken(
            id: id, content: content, special: special,
            normalized: object["normalized"]?.bool ?? !special,
            lstrip: object["lstrip"]?.bool ?? false,
            rstrip: object["rstrip"]?.bool ?? false,
            singleWord: object["single_word"]?.bool ?? false)
    }
}
