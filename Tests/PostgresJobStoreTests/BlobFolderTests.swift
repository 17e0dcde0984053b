import DocumentPipeline
import Foundation
import PaliTestSupport
import PostgresJobStore
import Testing

/// Blobs as files in a shared folder: the layout, checks on read, concurrent writers, and the
/// store recording, reading and pruning them.
@Suite("BlobFolder")
struct BlobFolderTests {
    private let bytes = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) })

    @Test("a blob comes back whole from its content-addressed file; the folder keeps its id")
    func roundTrip() throws {
        let temp = try TemporaryDirectory("blobs")
        let folder = try BlobFolder(temp.file("blobs"))
        let sha = SHA256.hexDigest(of: bytes)
        try folder.write(bytes, sha256: sha)
        let file = temp.file("blobs/sha256/\(sha.prefix(2))/\(sha.dropFirst(2).prefix(2))/\(sha)")
        #expect(try folder.file(sha).path == file.standardizedFileURL.path)
        #expect(try Data(contentsOf: file) == bytes)
        #expect(try folder.read(sha) == bytes)
        #expect(try BlobFolder(temp.file("blobs")).id == folder.id)
        #expect(try BlobFolder(temp.file("other")).id != folder.id)
        #expect(throws: BlobError.self) { try folder.read("../../etc/passwd") }
    }

    @Test("a changed file is reported corrupt and a missing one missing, naming the file")
    func damagedFiles() throws {
        let temp = try TemporaryDirectory("blobs")
        let folder = try BlobFolder(temp.url)
        let sha = SHA256.hexDigest(of: bytes)
        try folder.write(bytes, sha256: sha)
        let file = try folder.file(sha)
        var changed = bytes
        changed[100] ^= 1
        try changed.write(to: file)
        #expect(throws: BlobError.corrupt(sha256: sha, path: file.path)) {
            try folder.read(sha)
        }
        // Storing the content again replaces the damaged file.
        try folder.write(bytes, sha256: sha)
        #expect(try folder.read(sha) == bytes)
        try folder.remove(sha)
        try folder.remove(sha)
        #expect(throws: BlobError.missing(sha256: sha, path: file.path)) { try folder.read(sha) }
        #expect("\(BlobError.missing(sha256: sha, path: file.path))".contains(file.path))
        #expect(!BlobError.corrupt(sha256: sha, path: file.path).isTransient)
        #expect(BlobError.missing(sha256: sha, path: file.path).isTransient)
    }

    @Test("processes opening a new folder and writing the same blob at once agree")
    func concurrentWriters() async throws {
        let temp = try TemporaryDirectory("blobs")
        let root = temp.file("shared")
        let sha = SHA256.hexDigest(of: bytes)
        let bytes = self.bytes
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    try await onOwnThread {
                        let folder = try BlobFolder(root)
                        try folder.write(bytes, sha256: sha)
                        return folder.id
                    }
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(ids.count == 1)
        let folder = try BlobFolder(root)
        #expect(try folder.read(sha) == bytes)
        let shard = try folder.file(sha).deletingLastPathComponent()
        #expect(try FileManager.default.contentsOfDirectory(atPath: shard.path) == [sha])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
                == ["palidoc-blobs", "sha256"])
    }

    @Test("the store records where a blob is kept; other stores are told, not misled")
    func storesAndFolders() async throws {
        let server = try PostgresTestServer.get()
        let database = try server.createDatabase("blobfolder")
        let temp = try TemporaryDirectory("blobs")
        let url = try PostgresStoreURL(parsing: server.url(database: database), environment: [:])
        let shared = try BlobFolder(temp.file("shared"))
        let other = try BlobFolder(temp.file("other"))
        let inFolder = try await PostgresJobStore.open(url, blobFolder: shared)
        let inDatabase = try await PostgresJobStore.open(url)
        let elsewhere = try await PostgresJobStore.open(url, blobFolder: other)
        defer { for store in [inFolder, inDatabase, elsewhere] { store.close() } }

        let sha = try await inFolder.putBlob(bytes)
        #expect(FileManager.default.fileExists(atPath: try shared.file(sha).path))
        #expect(
            try server.psql("SELECT folder FROM blobs", database: database)
                .trimmingCharacters(in: .whitespacesAndNewlines) == shared.id)
        #expect(
            try server.psql("SELECT count(*) FROM blob_chunks", database: database)
                .trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(try await inFolder.blob(sha) == bytes)
        await #expect(throws: BlobError.elsewhere(sha256: sha, folder: shared.id, here: nil)) {
            _ = try await inDatabase.blob(sha)
        }
        await #expect(
            throws: BlobError.elsewhere(sha256: sha, folder: shared.id, here: other.description)
        ) { _ = try await elsewhere.blob(sha) }
        // Stored again from anywhere, a blob stays where it is; its lost file comes back.
        #expect(try await inDatabase.putBlob(bytes) == sha)
        try shared.remove(sha)
        await #expect(throws: BlobError.missing(sha256: sha, path: try shared.file(sha).path)) {
            _ = try await inFolder.blob(sha)
        }
        _ = try await inFolder.putBlob(bytes)
        #expect(try await inFolder.blob(sha) == bytes)
        // A database blob reads from every store.
        let small = try await inDatabase.putBlob(Data("in the database".utf8))
        #expect(try await elsewhere.blob(small) == Data("in the database".utf8))
    }

    @Test("prune deletes old unreferenced blobs with their files, only in its own folder")
    func prune() async throws {
        let server = try PostgresTestServer.get()
        let database = try server.createDatabase("blobprune")
        let temp = try TemporaryDirectory("blobs")
        let url = try PostgresStoreURL(parsing: server.url(database: database), environment: [:])
        let shared = try BlobFolder(temp.file("shared"))
        let store = try await PostgresJobStore.open(url, blobFolder: shared)
        let withoutFolder = try await PostgresJobStore.open(url)
        defer {
            store.close()
            withoutFolder.close()
        }
        let loose = try await store.putBlob(bytes)
        let job = try await store.submit(submission("kept", pages: 1)).job
        try await Task.sleep(nanoseconds: 300_000_000)
        // A store without the folder cannot delete the files, so it leaves their blobs.
        #expect(try await withoutFolder.prune(olderThan: 0.1).blobs == 0)
        #expect(try await store.prune(olderThan: 0.1).blobs == 1)
        #expect(!FileManager.default.fileExists(atPath: try shared.file(loose).path))
        #expect(try await store.blob(job.contentSHA256) == Data("kept".utf8))
        await #expect(throws: BlobError.missing(sha256: loose, path: nil)) {
            _ = try await store.blob(loose)
        }
    }
}
