import Foundation
import PaliTestSupport

/// A shared queue on the test PostgreSQL server, with `palidoc submit`, `worker` and
/// `status` run as real processes against it.
final class QueueCluster {
    let server: PostgresTestServer
    let database: String
    let temp: TemporaryDirectory
    let model = FixturePaths.fixture("paligemma2-tiny")
    private var workerCount = 0

    /// A cluster on a fresh database of the shared server, or of a server of its own when
    /// the test stops or restarts it (`dedicatedServer`).
    init(_ label: String, dedicatedServer: Bool = false) throws {
        server = try dedicatedServer ? PostgresTestServer.dedicated() : PostgresTestServer.get()
        database = try server.createDatabase(label)
        temp = try TemporaryDirectory("queue-\(label)")
    }

    /// The store URL (unix socket, no password).
    var store: String { server.url(database: database) }

    /// Writes a pipeline file: OCR of `tokens` tokens per page, `chunk` pages per chunk.
    func pipeline(tokens: Int = 4, chunk: Int = 1, maxAttempts: Int = 3) throws -> URL {
        let file = temp.file("pipeline-\(tokens)-\(chunk)-\(maxAttempts).yaml")
        try """
        tasks: [{task: ocr, max_tokens: \(tokens)}]
        dpi: 36
        exporters: [json]
        chunk_pages: \(chunk)
        retries: {max_attempts: \(maxAttempts), initial_backoff_seconds: 0, max_backoff_seconds: 1}
        """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Writes a PDF of `pages` pages into the documents folder.
    @discardableResult
    func document(_ name: String, pages: Int) throws -> URL {
        let folder = temp.file("docs")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        try TestPDF.make(label: name, pages: pages).write(to: file)
        return file
    }

    /// Runs `palidoc submit` to completion.
    func submit(_ files: [URL], pipeline: URL, model: URL? = nil, extra: [String] = []) throws
        -> PalidocProcess.Result
    {
        try PalidocProcess.run(
            ["submit"] + files.map(\.path) + [
                "--store", store, "--pipeline", pipeline.path, "--model",
                (model ?? self.model).path,
            ] + extra, timeout: 120)
    }

    /// Starts a worker process.
    func worker(
        lease: Double = 10, model: URL? = nil, extra: [String] = [],
        environment: [String: String] = [:]
    ) throws -> BackgroundPalidoc {
        workerCount += 1
        return try BackgroundPalidoc(
            [
                "worker", "--store", store, "--model", (model ?? self.model).path, "--lease",
                String(lease), "--poll", "0.5",
            ] + extra, environment: environment,
            outputFile: temp.file("worker-\(workerCount).log"))
    }

    /// The worker id of a worker process, as recorded in the store.
    func workerID(_ worker: BackgroundPalidoc) -> String {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        let host = String(
            decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "\(host):\(worker.pid)"
    }

    /// Runs SQL on the cluster's database; the unaligned result, trimmed.
    func sql(_ query: String) throws -> String {
        try server.psql(query, database: database).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// An integer from SQL.
    func count(_ query: String) throws -> Int { Int(try sql(query)) ?? -1 }

    /// Waits until `condition` holds (polled), for `timeout` seconds at most.
    func wait(timeout: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(100_000)
        }
        return try condition()
    }
}
