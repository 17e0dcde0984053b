import DocumentPipeline
import Foundation
import PaliTestSupport
import Testing

@testable import PostgresJobStore

/// What only the PostgreSQL store does: connection errors, schema versions, NOTIFY,
/// reconnection, blob checks.
@Suite("PostgresJobStore")
struct PostgresJobStoreTests {
    private func open(_ database: String, in server: PostgresTestServer) async throws
        -> PostgresJobStore
    {
        try await PostgresJobStore.open(
            try PostgresStoreURL(parsing: server.url(database: database), environment: [:]))
    }

    @Test("refused connections, wrong passwords and missing databases are one clear line")
    func connectionErrors() async throws {
        let server = try PostgresTestServer.get()
        let refused = try PostgresStoreURL(
            parsing: "postgres://postgres:pw@127.0.0.1:1/x?sslmode=disable", environment: [:])
        await #expect {
            _ = try await PostgresJobStore.open(refused)
        } throws: { error in
            "\(error)".contains("postgres://postgres:***@127.0.0.1:1/x")
                && "\(error)".lowercased().contains("refused") && !"\(error)".contains("pw@")
        }
        let wrong = try PostgresStoreURL(
            parsing: server.url(database: "postgres", tcp: true, password: "not-it"),
            environment: [:])
        await #expect {
            _ = try await PostgresJobStore.open(wrong)
        } throws: { error in
            "\(error)".contains("password authentication failed") && !"\(error)".contains("not-it")
        }
        let right = try PostgresStoreURL(
            parsing: server.url(database: "postgres", tcp: true),
            environment: ["PGPASSWORD": server.password])
        let database = try server.createDatabase("tcp")
        var url = right
        url.database = database
        let store = try await PostgresJobStore.open(url)
        store.close()
        var missing = right
        missing.database = "no_such_db"
        await #expect {
            _ = try await PostgresJobStore.open(missing)
        } throws: { "\($0)".contains("database \"no_such_db\" does not exist") }
    }

    /// TLS through postgres-nio: a database whose plain TCP logins the server rejects opens
    /// with `sslmode=require`, and with `verify-full` against the server's certificate; it
    /// refuses `sslmode=disable`, and `verify-full` against a certificate that did not sign
    /// the server's.
    @Test("sslmode=require and verify-full connect over TLS; plain and untrusted do not")
    func tls() async throws {
        let server = try PostgresTestServer.get()
        func open(_ query: String, host: String = "127.0.0.1") async throws {
            let url =
                "postgres://\(server.user):\(server.password)@\(host):\(server.port)/"
                + server.tlsOnlyDatabase + "?" + query
            let store = try await PostgresJobStore.open(
                try PostgresStoreURL(parsing: url, environment: [:]))
            store.close()
        }
        try await open("sslmode=require")
        try await open("sslmode=verify-full&sslrootcert=\(server.certificate.path)")
        try await open(
            "sslmode=verify-full&sslrootcert=\(server.certificate.path)", host: "localhost")
        await #expect {
            try await open("sslmode=disable")
        } throws: { "\($0)".contains("no encryption") || "\($0)".contains("rejects") }
        // Any other self-signed certificate: not the server's root.
        let other = try TemporaryDirectory("pg-other-root")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
            "/CN=localhost", "-keyout", other.file("k.pem").path, "-out",
            other.file("c.pem").path,
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        await #expect(throws: (any Error).self) {
            try await open("sslmode=verify-full&sslrootcert=\(other.file("c.pem").path)")
        }
    }

    @Test("ten stores opening a new database at once create the schema once")
    func concurrentMigration() async throws {
        let server = try PostgresTestServer.get()
        let database = try server.createDatabase("migrate")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask { try await self.open(database, in: server).close() }
            }
            try await group.waitForAll()
        }
        #expect(
            try server.psql("SELECT version FROM palidoc_schema", database: database)
                .trimmingCharacters(in: .whitespacesAndNewlines)
                == "\(PostgresJobStore.schemaVersion)")
    }

    @Test("a database of a newer schema version is refused")
    func newerSchema() async throws {
        let server = try PostgresTestServer.get()
        let database = try server.createDatabase("newer")
        try await open(database, in: server).close()
        try server.psql("UPDATE palidoc_schema SET version = 99", database: database)
        await #expect {
            _ = try await self.open(database, in: server)
        } throws: { "\($0)".contains("schema version 99, newer than this palidoc's") }
    }

    @Test("a submission wakes a waiting worker through NOTIFY, well before the poll")
    func notifyWakes() async throws {
        let server = try PostgresTestServer.get()
        let database = try server.createDatabase("notify")
        let worker = try await open(database, in: server)
        let submitter = try await open(database, in: server)
        defer {
            worker.close()
            submitter.close()
        }
        try await Task.sleep(nanoseconds: 500_000_000)  // the listener is up
        await worker.waitForWork(timeout: 0)  // drops the signal of the first listen
        let clock = ContinuousClock()
        let start = clock.now
        // A poll this long cannot be mistaken for the wake-up, even on a loaded machine.
        async let waited: Void = worker.waitForWork(timeout: 120)
        try await Task.sleep(nanoseconds: 200_000_000)
        _ = try await submitter.submit(submission("wake", pages: 1))
        await waited
        #expect(clock.now - start < .seconds(60))
    }

    @Test("connections killed by pg_terminate_backend are replaced")
    func survivesTerminatedBackends() async throws {
        let server = try PostgresTestServer.get()
        let database = try server.createDatabase("terminate")
        let store = try await open(database, in: server)
        defer { store.close() }
        _ = try await store.submit(submission("t1", pages: 1))
        try server.psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE datname = '\(database)' AND pid <> pg_backend_pid()",
            database: "postgres")
        var recovered = false
        for _ in 0..<20 where !recovered {
            recovered = (try? await store.status()) != nil
            if !recovered { try await Task.sleep(nanoseconds: 250_000_000) }
        }
        #expect(recovered)
        #expect(try await store.status().queued == 1)
    }

    @Test("a corrupted blob chunk is detected on read")
    func corruptBlob() async throws {
        let server = try PostgresTestServer.get()
        let database = try server.createDatabase("blob")
        let store = try await open(database, in: server)
        defer { store.close() }
        let sha = try await store.putBlob(Data(repeating: 7, count: 3000))
        try server.psql(
            "UPDATE blob_chunks SET data = '\\x00'::bytea WHERE sha256 = '\(sha)'",
            database: database)
        await #expect(throws: BlobError.corrupt(sha256: sha, path: nil)) {
            _ = try await store.blob(sha)
        }
    }
}
