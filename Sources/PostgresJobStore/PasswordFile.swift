import Foundation

/// libpq's password file (`~/.pgpass`): lines `host:port:database:user:password`, `*`
/// matching anything, `\:` and `\\` escaped; the first matching line wins. Like libpq, a file
/// that others can read is ignored.
enum PasswordFile {
    /// The password for the connection, or `nil`.
    static func lookup(file: String, host: String, port: Int, database: String, user: String)
        -> String?
    {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
            let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0,
            let text = try? String(contentsOfFile: file, encoding: .utf8)
        else { return nil }
        let wanted = [host, String(port), database, user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(String(line))
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0.0 == "*" || $0.0 == $0.1 }) {
                return fields[4]
            }
        }
        return nil
    }

    /// Splits a line at unescaped colons, removing the escapes.
    private static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
