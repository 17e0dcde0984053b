import Foundation
import PaliTestSupport
import Testing

/// `palidoc submit`, `worker` and `status` with real processes, the tiny checkpoint and a
/// real PostgreSQL 15 server: exactly-once conversion and the faults a cluster meets.
@Suite(.serialized) struct QueueCommandTests {
    /// 200 documents: 180 of one page, 19 of three, one of 40.
    @Test("three workers convert every document exactly once; a long one is spread over all")
    func threeWorkersExactlyOnce() throws {
        let cluster = try QueueCluster("once")
        var files: [URL] = []
        for index in 0..<180 { files.append(try cluster.document("one-\(index).pdf", pages: 1)) }
        for index in 0..<19 { files.append(try cluster.document("three-\(index).pdf", pages: 3)) }
        let long = try cluster.document("long.pdf", pages: 40)
        let workers = try (0..<3).map { _ in try cluster.worker() }
        let submitted = try cluster.submit([long], pipeline: cluster.pipeline(tokens: 48))
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let rest = try cluster.submit(files, pipeline: cluster.pipeline())
        #expect(rest.status == 0, "\(rest.stderr)")
        #expect(rest.stdout.split(separator: "\n").count == files.count)
        let finished = try cluster.wait(timeout: 600) {
            try cluster.count("SELECT count(*) FROM queue_jobs WHERE state <> 'done'") == 0
        }
        let states = try cluster.sql("SELECT state, count(*) FROM queue_jobs GROUP BY state")
        #expect(finished, "status: \(states)")
        #expect(try cluster.count("SELECT count(*) FROM queue_jobs") == files.count + 1)
        // Every page committed once, every document assembled once, outputs stored.
        #expect(try cluster.count("SELECT count(*) FROM queue_page_results") == 180 + 57 + 40)
        #expect(
            try cluster.count(
                """
                SELECT count(*) FROM queue_jobs j WHERE page_count <> (SELECT count(*)
                    FROM queue_page_results p WHERE p.job_id = j.id)
                """) == 0)
        #expect(
            try cluster.count(
                "SELECT count(*) FROM queue_chunks WHERE kind = 'assemble' AND attempts <> 1") == 0)
        #expect(
            try cluster.count(
                "SELECT count(DISTINCT job_id) FROM queue_outputs WHERE path LIKE '%.json'")
                == files.count + 1)
        // The long document was converted by all three workers at once.
        #expect(
            try cluster.count(
                """
                SELECT count(DISTINCT worker) FROM queue_page_results p
                JOIN queue_jobs j ON j.id = p.job_id WHERE j.original_name = 'long.pdf'
                """) == 3)
        for worker in workers { worker.signal(SIGTERM) }
        for worker in workers { #expect(worker.exitStatus() == 0, "\(worker.output)") }
        let status = try PalidocProcess.run(["status", "--store", cluster.store, "--json"])
        #expect(status.status == 0 && status.stdout.contains("\"done\" : \(files.count + 1)"))
    }

    @Test("kill -9 mid-document: another worker resumes at the first unfinished page")
    func killedWorkerIsResumed() throws {
        let cluster = try QueueCluster("kill")
        let file = try cluster.document("forty.pdf", pages: 40)
        #expect(
            try cluster.submit([file], pipeline: cluster.pipeline(tokens: 96, chunk: 40)).status
                == 0)
        let first = try cluster.worker(lease: 2)
        #expect(first.waitForOutput(timeout: 60) { $0.contains("page 4 committed") })
        first.signal(SIGKILL)
        #expect(first.exitStatus() == 128 + SIGKILL)
        let committed = try cluster.count("SELECT count(*) FROM queue_page_results")
        #expect(committed >= 4 && committed < 40)
        let second = try cluster.worker(lease: 2)
        #expect(
            second.waitForOutput(timeout: 90) { $0.contains("forty.pdf: done") }, "\(second.output)"
        )
        let log = second.output
        #expect(log.contains("claimed pages 1-40 (attempt 2)"))
        // The first page it commits is the first one the killed worker had not.
        let firstCommit = log.split(separator: "\n").first { $0.contains("committed") }
        #expect(firstCommit?.contains("page \(committed + 1) committed") == true, "\(log)")
        #expect(try cluster.count("SELECT count(*) FROM queue_page_results") == 40)
        let killedID = cluster.workerID(first)
        #expect(
            try cluster.count(
                "SELECT count(*) FROM queue_page_results WHERE worker = '\(killedID)'")
                == committed)
        second.signal(SIGTERM)
        #expect(second.exitStatus() == 0)
    }

    @Test("a stopped worker's late writes are rejected after another took over")
    func stoppedWorkerWritesNothingLate() throws {
        let cluster = try QueueCluster("stop")
        let file = try cluster.document("twenty.pdf", pages: 20)
        #expect(
            try cluster.submit([file], pipeline: cluster.pipeline(tokens: 96, chunk: 20)).status
                == 0)
        let stalled = try cluster.worker(lease: 2)
        #expect(stalled.waitForOutput(timeout: 60) { $0.contains("page 3 committed") })
        stalled.signal(SIGSTOP)
        let before = try cluster.count("SELECT count(*) FROM queue_page_results")
        let rescuer = try cluster.worker(lease: 2)
        #expect(
            rescuer.waitForOutput(timeout: 90) { $0.contains("twenty.pdf: done") },
            "\(rescuer.output)")
        stalled.signal(SIGCONT)
        #expect(
            stalled.waitForOutput(timeout: 30) { $0.contains("lease taken over") },
            "\(stalled.output)")
        let stalledID = cluster.workerID(stalled)
        #expect(
            try cluster.count(
                "SELECT count(*) FROM queue_page_results WHERE worker = '\(stalledID)'")
                == before)
        #expect(try cluster.count("SELECT count(*) FROM queue_page_results") == 20)
        #expect(try cluster.sql("SELECT state FROM queue_jobs") == "done")
        for worker in [stalled, rescuer] { worker.signal(SIGTERM) }
        #expect(stalled.exitStatus() == 0 && rescuer.exitStatus() == 0)
    }

    @Test("the server restarting and connections being killed do not lose or repeat work")
    func survivesRestartAndTerminatedConnections() throws {
        let cluster = try QueueCluster("restart", dedicatedServer: true)
        let files = try (0..<10).map { try cluster.document("r\($0).pdf", pages: 3) }
        #expect(try cluster.submit(files, pipeline: cluster.pipeline(tokens: 64)).status == 0)
        let workers = try (0..<2).map { _ in try cluster.worker(lease: 5) }
        #expect(
            try cluster.wait(timeout: 60) {
                try cluster.count("SELECT count(*) FROM queue_page_results") >= 3
            })
        try cluster.server.restart(immediate: true)
        #expect(
            try cluster.wait(timeout: 60) {
                try cluster.count("SELECT count(*) FROM queue_page_results") >= 12
            })
        _ = try cluster.sql(
            """
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = '\(cluster.database)' AND pid <> pg_backend_pid()
            """)
        let finished = try cluster.wait(timeout: 120) {
            try cluster.count("SELECT count(*) FROM queue_jobs WHERE state <> 'done'") == 0
        }
        #expect(finished, "\(workers.map(\.output).joined(separator: "\n---\n"))")
        #expect(try cluster.count("SELECT count(*) FROM queue_page_results") == 30)
        for worker in workers { worker.signal(SIGTERM) }
        for worker in workers { #expect(worker.exitStatus() == 0) }
    }

    @Test("two submits of the same file at once make one job")
    func concurrentDuplicateSubmits() throws {
        let cluster = try QueueCluster("dup")
        let file = try cluster.document("same.pdf", pages: 2)
        let pipeline = try cluster.pipeline()
        let submits = try (0..<2).map { index in
            try BackgroundPalidoc(
                [
                    "submit", file.path, "--store", cluster.store, "--pipeline", pipeline.path,
                    "--model", cluster.model.path,
                ], outputFile: cluster.temp.file("submit-\(index).log"))
        }
        for submit in submits { #expect(submit.exitStatus() == 0, "\(submit.output)") }
        let ids = Set(submits.map { $0.output.split(separator: "\t").first.map(String.init) })
        #expect(ids.count == 1)
        #expect(try cluster.count("SELECT count(*) FROM queue_jobs") == 1)
        #expect(try cluster.count("SELECT count(*) FROM queue_chunks") == 3)
    }

    @Test("a document that kills every worker fails after max attempts; the rest finish")
    func poisonDocumentFails() throws {
        let cluster = try QueueCluster("poison")
        let normal = try (0..<4).map { try cluster.document("ok\($0).pdf", pages: 1) }
        // Long enough (20 pages in one chunk) that the kill lands while it is being worked.
        let poison = try cluster.document("poison.pdf", pages: 20)
        let slow = try cluster.pipeline(tokens: 96, chunk: 20, maxAttempts: 2)
        #expect(try cluster.submit([poison], pipeline: slow).status == 0)
        #expect(try cluster.submit(normal, pipeline: cluster.pipeline(maxAttempts: 2)).status == 0)
        var kills = 0
        let deadline = Date().addingTimeInterval(120)
        func settled() throws -> Int {
            try cluster.count("SELECT count(*) FROM queue_jobs WHERE state IN ('done', 'failed')")
        }
        while try Date() < deadline && settled() < 5 {
            // Whoever takes the poison document dies with it, as on a crash.
            let worker = try cluster.worker(lease: 1)
            if worker.waitForOutput(timeout: 4, { $0.contains("poison.pdf: claimed") }) {
                worker.signal(SIGKILL)
                worker.exitStatus()
                kills += 1
            } else {
                worker.signal(SIGTERM)
                worker.exitStatus()
            }
        }
        #expect(kills == 2)
        #expect(
            try cluster.sql("SELECT state FROM queue_jobs WHERE original_name = 'poison.pdf'")
                == "failed")
        #expect(try cluster.count("SELECT count(*) FROM queue_jobs WHERE state = 'done'") == 4)
        let status = try PalidocProcess.run(["status", "--store", cluster.store])
        #expect(status.stdout.contains("poison.pdf: gave up after 2 attempts"), "\(status.stdout)")
    }

    @Test("a worker with another model leaves the job alone and status says why")
    func otherModelIsLeftAlone() throws {
        let cluster = try QueueCluster("model")
        let other = cluster.temp.file("other-model")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: cluster.model.path) {
            let source = cluster.model.appendingPathComponent(name)
            let target = other.appendingPathComponent(name)
            if name == "config.json" {
                try (Data(contentsOf: source) + Data("\n".utf8)).write(to: target)
            } else {
                try FileManager.default.createSymbolicLink(at: target, withDestinationURL: source)
            }
        }
        let file = try cluster.document("mine.pdf", pages: 1)
        #expect(try cluster.submit([file], pipeline: cluster.pipeline(), model: other).status == 0)
        let worker = try cluster.worker(extra: ["--until-idle"])
        #expect(worker.exitStatus() == 0)
        #expect(!worker.output.contains("claimed"))
        #expect(try cluster.sql("SELECT state FROM queue_jobs") == "queued")
        let stale = try cluster.worker(extra: [])
        defer {
            stale.signal(SIGTERM)
            stale.exitStatus()
        }
        #expect(stale.waitForOutput(timeout: 30) { $0.contains("worker ") })
        usleep(500_000)
        let status = try PalidocProcess.run(["status", "--store", cluster.store])
        #expect(status.stdout.contains("mine.pdf: needs model"), "\(status.stdout)")
    }

    @Test("watch --store postgres:// submits the inbox and publishes what the workers finish")
    func watchOnQueue() throws {
        let cluster = try QueueCluster("watch")
        let inbox = cluster.temp.file("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try TestPDF.make(label: "a", pages: 2).write(to: inbox.appendingPathComponent("a.pdf"))
        try TestPDF.make(label: "b", pages: 1).write(to: inbox.appendingPathComponent("b.pdf"))
        try Data("not a document".utf8).write(to: inbox.appendingPathComponent("bad.pdf"))
        let pipeline = cluster.temp.file("html.yaml")
        try """
        tasks: [{task: ocr, max_tokens: 4}]
        dpi: 36
        exporters: [json, html]
        """.write(to: pipeline, atomically: true, encoding: .utf8)
        let out = cluster.temp.file("out")
        let result = try PalidocProcess.run(
            [
                "watch", inbox.path, "--out", out.path, "--store", cluster.store, "--workers",
                "1", "--pipeline", pipeline.path, "--model", cluster.model.path, "--settle",
                "0.1", "--until-idle",
            ], timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("2 done, 1 failed, 0 duplicates"))
        let manager = FileManager.default
        #expect(
            try manager.contentsOfDirectory(atPath: inbox.appendingPathComponent("done").path)
                .sorted()
                == ["a.pdf", "b.pdf"])
        #expect(
            try manager.contentsOfDirectory(atPath: inbox.appendingPathComponent("failed").path)
                .sorted()
                == ["bad.pdf", "bad.pdf.error.json"])
        // The HTML pages' images, written by whichever worker converted each page, are there.
        for file in [
            "a/a.json", "a/a.html", "a/pages/page-0001.png", "a/pages/page-0002.png",
            "b/b.html", "b/pages/page-0001.png",
        ] {
            #expect(manager.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
    }

    @Test("bad URLs, refused connections, wrong passwords and newer schemas: one line, exit 2")
    func storeErrors() throws {
        let cluster = try QueueCluster("errors")
        var cases: [(String, String)] = [
            ("postgres://me:hunter2@127.0.0.1:1/x?sslmode=disable", "refused"),
            ("postgres://me:hunter2@host/x?sslmode=bogus", "sslmode 'bogus'"),
            (
                cluster.server.url(database: cluster.database, tcp: true, password: "hunter2"),
                "password authentication failed"
            ),
        ]
        _ = try PalidocProcess.run(["status", "--store", cluster.store])
        _ = try cluster.sql("UPDATE palidoc_schema SET version = 99")
        cases.append((cluster.store, "schema version 99"))
        for (url, reason) in cases {
            let result = try PalidocProcess.run(["status", "--store", url], timeout: 60)
            let lines = result.stderr.split(separator: "\n")
            #expect(result.status == 2, "\(url): \(result.stderr)")
            #expect(lines.count == 1 && lines[0].hasPrefix("palidoc: error: "), "\(result.stderr)")
            #expect(result.stderr.contains(reason), "\(result.stderr)")
            #expect(!result.stderr.contains("hunter2"))
        }
    }
}
