import Foundation
import PaliTestSupport
import Testing

extension QueueCommandTests {
    @Test("--blobs: documents and outputs are files in the shared folder, checked and pruned")
    func blobFolder() throws {
        let cluster = try QueueCluster("blobs")
        let folder = cluster.temp.file("shared-blobs")
        let files = [
            try cluster.document("three.pdf", pages: 3), try cluster.document("one.pdf", pages: 1),
        ]
        let submitted = try cluster.submit(
            files, pipeline: cluster.pipeline(), extra: ["--blobs", folder.path])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(try cluster.count("SELECT count(*) FROM blobs WHERE folder IS NOT NULL") == 2)
        // A document whose file is lost fails with the path, through the attempts.
        let lost = try cluster.document("lost.pdf", pages: 1)
        #expect(
            try cluster.submit(
                [lost], pipeline: cluster.pipeline(maxAttempts: 2),
                extra: ["--blobs", folder.path]
            ).status == 0)
        let lostSHA = try cluster.sql(
            "SELECT content_sha256 FROM queue_jobs WHERE original_name = 'lost.pdf'")
        let lostFile = folder.appendingPathComponent(
            "sha256/\(lostSHA.prefix(2))/\(lostSHA.dropFirst(2).prefix(2))/\(lostSHA)")
        try FileManager.default.removeItem(at: lostFile)

        let worker = try cluster.worker(environment: ["PALIDOC_BLOBS": folder.path])
        let settled = try cluster.wait(timeout: 120) {
            try cluster.count("SELECT count(*) FROM queue_jobs WHERE state IN ('done', 'failed')")
                == 3
        }
        #expect(settled, "\(worker.output)")
        #expect(worker.output.contains("storing blobs in blob folder \(folder.path) ("))
        #expect(
            try cluster.sql("SELECT original_name, state FROM queue_jobs ORDER BY original_name")
                == "lost.pdf|failed\none.pdf|done\nthree.pdf|done")
        let reason = try cluster.sql("SELECT failure FROM queue_jobs WHERE state = 'failed'")
        #expect(reason.contains("is missing: no file \(lostFile.path)"), "\(reason)")
        // Outputs are files too; nothing was stored in the database's chunks.
        #expect(try cluster.count("SELECT count(*) FROM blob_chunks") == 0)
        let outputs = try cluster.sql("SELECT sha256 FROM queue_outputs WHERE path LIKE '%.json'")
            .split(separator: "\n")
        #expect(outputs.count == 2)
        for sha in outputs {
            let file = folder.appendingPathComponent(
                "sha256/\(sha.prefix(2))/\(sha.dropFirst(2).prefix(2))/\(sha)")
            #expect(String(decoding: try Data(contentsOf: file), as: UTF8.self).contains("pages"))
        }
        worker.signal(SIGTERM)
        #expect(worker.exitStatus() == 0)

        // Pruning everything finished deletes the files with their blobs.
        usleep(200_000)
        let pruned = try PalidocProcess.run(
            ["status", "--store", cluster.store, "--blobs", folder.path, "--prune", "0"])
        #expect(pruned.status == 0, "\(pruned.stderr)")
        #expect(try cluster.count("SELECT count(*) FROM blobs") == 0)
        let left = FileManager.default.enumerator(
            at: folder.appendingPathComponent("sha256"),
            includingPropertiesForKeys: [.isRegularFileKey]
        )?.allObjects.compactMap { $0 as? URL }.filter {
            (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
        }
        #expect(left?.isEmpty == true, "\(left ?? [])")

        let sqlite = try PalidocProcess.run(
            ["status", "--store", cluster.temp.file("local.sqlite").path, "--blobs", folder.path])
        #expect(sqlite.status == 2 && sqlite.stderr.contains("--blobs needs a postgres:// store"))
    }
}
