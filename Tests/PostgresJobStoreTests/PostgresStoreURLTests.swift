import DocumentPipeline
import Foundation
import PaliTestSupport
import Testing

@testable import PostgresJobStore

@Suite("PostgresStoreURL")
struct PostgresStoreURLTests {
    @Test("reads user, password, host, port, database and sslmode; masks the password")
    func parsesTCP() throws {
        let url = try PostgresStoreURL(
            parsing: "postgresql://alice:s%40cret@db.example:6543/jobs?sslmode=require",
            environment: [:])
        #expect(url.user == "alice" && url.password == "s@cret")
        #expect(url.host == "db.example" && url.port == 6543 && url.database == "jobs")
        #expect(url.sslMode == .require && url.socketPath == nil)
        #expect(url.description == "postgres://alice:***@db.example:6543/jobs?sslmode=require")
        #expect(!url.description.contains("cret"))
    }

    @Test("?host=/dir is a unix socket folder")
    func parsesSocket() throws {
        let url = try PostgresStoreURL(
            parsing: "postgres://bob@/queue?host=/run/pg&port=5433", environment: [:])
        #expect(url.socketPath == "/run/pg/.s.PGSQL.5433" && url.host == nil)
        #expect(url.database == "queue" && url.password == nil)
    }

    @Test("a missing password comes from PGPASSWORD, PALIDOC_STORE, then the password file")
    func passwordSources() throws {
        let text = "postgres://carol@10.0.0.9/jobs"
        #expect(
            try PostgresStoreURL(parsing: text, environment: ["PGPASSWORD": "env"]).password
                == "env")
        let stored = ["PALIDOC_STORE": "postgres://carol:kept@10.0.0.9/jobs", "HOME": "/none"]
        #expect(try PostgresStoreURL(parsing: text, environment: stored).password == "kept")
        let otherUser = ["PALIDOC_STORE": "postgres://dave:kept@10.0.0.9/jobs", "HOME": "/none"]
        #expect(try PostgresStoreURL(parsing: text, environment: otherUser).password == nil)
        let folder = try TemporaryDirectory("pgpass")
        let file = folder.file("pgpass")
        try "# comment\nother:5432:*:*:wrong\n10.0.0.9:5432:jobs:carol:from\\:file\n"
            .write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        #expect(
            try PostgresStoreURL(parsing: text, environment: ["PGPASSFILE": file.path]).password
                == "from:file")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        #expect(
            try PostgresStoreURL(parsing: text, environment: ["PGPASSFILE": file.path]).password
                == nil)
    }

    @Test(
        "bad URLs are refused with the password masked",
        arguments: [
            "postgres://u:topsecret@host:99999/db", "postgres://u:topsecret@host/db?sslmode=maybe",
            "postgres://u:topsecret@host/db?colour=blue", "mysql://u:topsecret@host/db",
        ])
    func refusesBadURLs(_ text: String) throws {
        let error = #expect(throws: JobStoreError.self) {
            try PostgresStoreURL(parsing: text, environment: [:])
        }
        let line = error.map(String.init(describing:)) ?? ""
        #expect(line.contains("not a usable PostgreSQL URL"))
        #expect(line.contains("u:***@host") && !line.contains("topsecret"))
    }
}
