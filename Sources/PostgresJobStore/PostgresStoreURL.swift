import DocumentPipeline
import Foundation

/// A `postgres://` or `postgresql://` store URL, read as libpq reads it: user, password, host,
/// port and database; `?host=/dir` for a unix socket folder; `sslmode` and `sslrootcert`.
/// A password missing from the URL comes from `PGPASSWORD`, then from the `PALIDOC_STORE`
/// URL when it names the same server, database and user, then from `~/.pgpass` (or
/// `PGPASSFILE`). `description` never shows the password.
public struct PostgresStoreURL: Sendable, Equatable, CustomStringConvertible {
    /// libpq's TLS modes.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it, unverified.
        case allow
        /// TLS when the server offers it, unverified (libpq's default).
        case prefer
        /// TLS always, the certificate unverified.
        case require
        /// TLS always, the certificate checked against the trusted roots.
        case verifyCA = "verify-ca"
        /// TLS always, the certificate and the host name checked.
        case verifyFull = "verify-full"
    }

    /// The role to log in as.
    public var user: String
    /// The password, when one is known.
    public var password: String?
    /// Host name or address, when connecting over TCP.
    public var host: String?
    /// The folder holding the server's unix socket, when connecting through one.
    public var socketDirectory: String?
    /// TCP port, which also names the unix socket file.
    public var port: Int
    /// The database.
    public var database: String
    /// TLS mode.
    public var sslMode: SSLMode
    /// PEM file of trusted root certificates (`verify-ca`, `verify-full`).
    public var sslRootCert: String?

    /// Query parameters understood in a store URL.
    static let knownParameters: Set<String> = [
        "host", "port", "user", "password", "dbname", "sslmode", "sslrootcert",
        "application_name", "connect_timeout",
    ]

    /// Whether `text` is a PostgreSQL URL (rather than a SQLite file path).
    public static func isPostgresURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Parses `text`; throws `JobStoreError.unavailable` naming the (masked) URL and what is
    /// wrong with it.
    public init(
        parsing text: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        let shown = Self.mask(text)
        func bad(_ reason: String) -> JobStoreError {
            .unavailable(location: shown, reason: "not a usable PostgreSQL URL: \(reason)")
        }
        guard Self.isPostgresURL(text) else {
            throw bad("it must start with postgres:// or postgresql://")
        }
        guard let components = URLComponents(string: text) else {
            throw bad(
                "it does not parse as a URL (characters such as @ : / in the user or "
                    + "password must be percent-encoded)")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard Self.knownParameters.contains(item.name) else {
                throw bad("unknown parameter '\(item.name)'")
            }
            query[item.name] = item.value ?? ""
        }
        user =
            query["user"] ?? components.percentEncodedUser.flatMap { $0.removingPercentEncoding }
            ?? environment["PGUSER"] ?? Self.loginName()
        password =
            query["password"]
            ?? components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        let portText = query["port"] ?? components.port.map(String.init) ?? environment["PGPORT"]
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw bad("port '\(portText)' is not a number from 1 to 65535")
            }
            port = value
        } else {
            port = 5432
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : ""
        database =
            query["dbname"] ?? (path.isEmpty ? nil : path.removingPercentEncoding)
            ?? environment["PGDATABASE"] ?? user
        let hostText =
            query["host"] ?? components.host.flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["PGHOST"]
        if let hostText, hostText.hasPrefix("/") {
            socketDirectory = hostText
        } else if let hostText {
            host = hostText
        } else {
            socketDirectory = "/var/run/postgresql"
        }
        let modeText = query["sslmode"] ?? environment["PGSSLMODE"] ?? "prefer"
        guard let mode = SSLMode(rawValue: modeText) else {
            throw bad(
                "sslmode '\(modeText)' is not one of "
                    + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if socketDirectory != nil && (mode == .require || mode == .verifyCA || mode == .verifyFull)
        {
            throw bad("sslmode=\(modeText) needs a TCP host, not a unix socket")
        }
        sslMode = mode
        sslRootCert = query["sslrootcert"] ?? environment["PGSSLROOTCERT"]
        if password == nil { password = Self.passwordFromEnvironment(self, environment) }
    }

    /// The URL with the password replaced by `***` (and no other secret shown).
    public var description: String {
        var text = "postgres://\(user)"
        if password != nil { text += ":***" }
        text += "@\(host ?? "")"
        if host != nil { text += ":\(port)" }
        text += "/\(database)"
        var parameters: [String] = []
        if let socketDirectory { parameters.append("host=\(socketDirectory)") }
        if host == nil { parameters.append("port=\(port)") }
        if sslMode != .prefer { parameters.append("sslmode=\(sslMode.rawValue)") }
        return parameters.isEmpty ? text : text + "?" + parameters.joined(separator: "&")
    }

    /// The unix socket file, when connecting through one.
    public var socketPath: String? {
        socketDirectory.map { "\($0)/.s.PGSQL.\(port)" }
    }

    /// `text` with any password (between `user:` and `@`, or `password=`) replaced by `***`,
    /// for messages about URLs that do not parse.
    public static func mask(_ text: String) -> String {
        var masked = text.replacingOccurrences(
            of: #"(://[^:/@?#]*:)[^@/?#]*@"#, with: "$1***@", options: .regularExpression)
        masked = masked.replacingOccurrences(
            of: #"([?&]password=)[^&#]*"#, with: "$1***", options: .regularExpression)
        return masked
    }

    /// The password from `PGPASSWORD`, a matching `PALIDOC_STORE` URL, or the password file.
    private static func passwordFromEnvironment(
        _ url: PostgresStoreURL, _ environment: [String: String]
    ) -> String? {
        if let value = environment["PGPASSWORD"], !value.isEmpty { return value }
        if let stored = environment["PALIDOC_STORE"], isPostgresURL(stored),
            var other = try? PostgresStoreURL(parsing: stored, environment: [:]),
            let secret = other.password
        {
            other.password = nil
            var mine = url
            mine.password = nil
            if other.host == mine.host && other.socketDirectory == mine.socketDirectory
                && other.port == mine.port && other.database == mine.database
                && other.user == mine.user
            {
                return secret
            }
        }
        let file =
            environment["PGPASSFILE"]
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.pgpass")
        return PasswordFile.lookup(
            file: file, host: url.host ?? "localhost", port: url.port, database: url.database,
            user: url.user)
    }

    /// The login name of the process's user (libpq's default role).
    private static func loginName() -> String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return "postgres"
    }
}
