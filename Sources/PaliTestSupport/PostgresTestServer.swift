import Foundation

/// A real PostgreSQL 15 server for tests: `initdb` into a temporary folder and `pg_ctl start`
/// on a unix socket and a loopback port, stopped when the test process exits. As root the
/// server runs as `nobody` (initdb refuses root). Unix-socket logins are trusted; TCP logins
/// need `password` (SCRAM). Tests that need it fail with `Failure` naming the cause when it
/// cannot start.
public final class PostgresTestServer: @unchecked Sendable {
    /// Why the server could not be used.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public let description: String
    }

    /// Debian's PostgreSQL 15 programs.
    public static let binaries = URL(fileURLWithPath: "/usr/lib/postgresql/15/bin")
    /// The superuser's password (TCP logins).
    public let password = "palidoc-test-password"
    /// The superuser.
    public let user = "postgres"
    /// The temporary folder holding data, socket and log.
    public let folder: URL
    /// The loopback TCP port, which also names the socket file.
    public let port: Int
    /// The folder holding the unix socket.
    public var socketDirectory: URL { folder.appendingPathComponent("socket") }
    /// The server's self-signed TLS certificate (for 127.0.0.1 and localhost): the root a
    /// `verify-full` client trusts.
    public var certificate: URL { folder.appendingPathComponent("server.crt") }
    /// A database that takes TCP logins over TLS only (`hostnossl … reject`).
    public let tlsOnlyDatabase = "palidoc_tls_only"
    private var dataDirectory: URL { folder.appendingPathComponent("data") }
    private var logFile: URL { folder.appendingPathComponent("server.log") }
    private let lock = NSLock()
    private var databases = 0

    /// The server of this test process, started on first use.
    public static let shared: Result<PostgresTestServer, any Error> = Result {
        try PostgresTestServer.started()
    }

    /// The shared server, or a `Failure` saying why there is none.
    public static func get() throws -> PostgresTestServer { try shared.get() }

    /// A server of its own, for a test that stops or restarts it: the suites running beside
    /// it on the shared server would otherwise lose their connections mid-test.
    public static func dedicated() throws -> PostgresTestServer { try started() }

    /// Every server started, stopped when the process exits.
    nonisolated(unsafe) private static var running: [PostgresTestServer] = []
    private static let runningLock = NSLock()

    private static func started() throws -> PostgresTestServer {
        let server = try PostgresTestServer()
        runningLock.withLock {
            if running.isEmpty {
                atexit {
                    PostgresTestServer.runningLock.withLock {
                        for server in PostgresTestServer.running { server.stop() }
                    }
                }
            }
            running.append(server)
        }
        return server
    }

    private init() throws {
        guard
            FileManager.default.isExecutableFile(
                atPath: Self.binaries.appendingPathComponent("initdb").path)
        else {
            throw Failure(
                description: "PostgreSQL 15 is not installed (\(Self.binaries.path)/initdb "
                    + "missing): run `make deps` or `apt-get install postgresql-15`")
        }
        folder = URL(fileURLWithPath: "/tmp/palidoc-pg-\(UUID().uuidString.prefix(8))")
        port = try Self.freePort()
        let manager = FileManager.default
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        try manager.createDirectory(
            at: folder.appendingPathComponent("socket"), withIntermediateDirectories: true)
        let passwordFile = folder.appendingPathComponent("password")
        try Data(password.utf8).write(to: passwordFile)
        if getuid() == 0 {
            for path in [folder, socketDirectory, passwordFile] {
                try manager.setAttributes(
                    [.ownerAccountName: "nobody", .groupOwnerAccountName: "nogroup"],
                    ofItemAtPath: path.path)
            }
        }
        try run(
            "initdb",
            [
                "-D", dataDirectory.path, "-U", user, "--auth-local=trust",
                "--auth-host=scram-sha-256", "--pwfile=\(passwordFile.path)", "--no-sync",
                "-E", "UTF8", "--locale=C",
            ])
        try enableTLS()
        try start()
        _ = try psql("CREATE DATABASE \(tlsOnlyDatabase)", database: "postgres")
    }

    /// A self-signed certificate and key for the server (openssl), TLS turned on, and the
    /// TLS-only database's plain TCP logins rejected ahead of every other rule.
    private func enableTLS() throws {
        let key = folder.appendingPathComponent("server.key")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
            "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", key.path, "-out", certificate.path,
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        do {
            try openssl.run()
        } catch {
            throw Failure(description: "cannot run /usr/bin/openssl for the test server's TLS")
        }
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else {
            throw Failure(description: "openssl could not make the test server's certificate")
        }
        let manager = FileManager.default
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key.path)
        try manager.setAttributes([.posixPermissions: 0o644], ofItemAtPath: certificate.path)
        if getuid() == 0 {
            try manager.setAttributes(
                [.ownerAccountName: "nobody", .groupOwnerAccountName: "nogroup"],
                ofItemAtPath: key.path)
        }
        let settings = "\nssl = on\nssl_cert_file = '\(certificate.path)'\n"
            + "ssl_key_file = '\(key.path)'\n"
        let conf = dataDirectory.appendingPathComponent("postgresql.conf")
        let hba = dataDirectory.appendingPathComponent("pg_hba.conf")
        let handle = try FileHandle(forWritingTo: conf)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(settings.utf8))
        try handle.close()
        let rules = try String(contentsOf: hba, encoding: .utf8)
        try ("hostnossl \(tlsOnlyDatabase) all 127.0.0.1/32 reject\n" + rules)
            .write(to: hba, atomically: false, encoding: .utf8)
    }

    /// Starts the server (after `stop`, or `init`).
    public func start() throws {
        try run(
            "pg_ctl",
            [
                "-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60", "-o",
                "-k \(socketDirectory.path) -p \(port) -c listen_addresses=127.0.0.1 "
                    + "-c fsync=off -c max_connections=200", "start",
            ])
    }

    /// Restarts the server; `immediate` kills it like a crash (`-m immediate`).
    public func restart(immediate: Bool) throws {
        try run(
            "pg_ctl",
            [
                "-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60",
                "-m", immediate ? "immediate" : "fast", "restart",
            ])
    }

    /// Stops the server at once.
    public func stop() {
        _ = try? run("pg_ctl", ["-D", dataDirectory.path, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: folder)
    }

    /// Creates a new empty database and returns its name.
    public func createDatabase(_ label: String = "t") throws -> String {
        let name = lock.withLock {
            databases += 1
            return "\(label)_\(databases)_\(UUID().uuidString.prefix(6).lowercased())"
        }
        _ = try psql("CREATE DATABASE \(name)", database: "postgres")
        return name
    }

    /// A store URL: over the unix socket (trusted, no password) or over TCP (with
    /// `password`, or none for the caller to supply).
    public func url(database: String, tcp: Bool = false, password: String? = nil) -> String {
        if tcp {
            let secret = password.map { ":\($0)" } ?? ""
            return "postgres://\(user)\(secret)@127.0.0.1:\(port)/\(database)?sslmode=disable"
        }
        return "postgres://\(user)@/\(database)?host=\(socketDirectory.path)&port=\(port)"
    }

    /// Runs SQL with psql over the socket; returns its unaligned output.
    @discardableResult
    public func psql(_ sql: String, database: String) throws -> String {
        try run(
            "psql",
            [
                "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory.path,
                "-p", String(port), "-U", user, "-d", database, "-c", sql,
            ], asServer: false)
    }

    /// Runs one of the server's programs, as `nobody` when root (for the server's own).
    /// Spawned and reaped directly (`posix_spawn`, `waitpid`): the server that `pg_ctl`
    /// leaves running inherits the output descriptors, so the output goes to a file.
    @discardableResult
    private func run(_ program: String, _ arguments: [String], asServer: Bool = true) throws
        -> String
    {
        let tool = Self.binaries.appendingPathComponent(program).path
        var argv = [tool] + arguments
        if asServer && getuid() == 0 {
            argv =
                ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
                + argv
        }
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "palidoc-pg-output-\(UUID().uuidString)"
        ).path
        defer { unlink(outputFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(
            &actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else {
            throw Failure(
                description: "cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            throw Failure(
                description: "\(program) \(arguments.joined(separator: " ")) failed "
                    + "(status \(code)): \(text) \(log.suffix(1500))")
        }
        return text
    }

    /// A TCP port nothing listens on now.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "cannot open a socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length)
            }
        }
        guard bound == 0 else { throw Failure(description: "cannot bind a loopback port") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(fd, $0, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
