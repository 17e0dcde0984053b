import Foundation

extension FileMover {
    /// Renames the finished result folder `partial` to `target`, or to `target-2`, `-3`, … where
    /// that name is taken: never over an existing folder. `beforeRename(name)` runs first for
    /// each name tried (the watcher records it in its store, so a restart can tell where the
    /// results went). Failures are `JobFailure`s of the publish stage, transient when
    /// `transient`.
    static func publish(
        _ partial: URL, as target: URL, transient: Bool,
        beforeRename: (URL) async throws -> Void = { _ in }
    ) async throws -> URL {
        let parent = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw JobFailure(
                reason: "cannot create \(parent.path): \(error.localizedDescription)",
                stage: .publish, isTransient: transient)
        }
        for attempt in 1...10_000 {
            let suffix = attempt == 1 ? "" : "-\(attempt)"
            let candidate = parent.appendingPathComponent(target.lastPathComponent + suffix)
            if exists(candidate) { continue }
            try await beforeRename(candidate)
            do {
                try renameNoReplace(partial, to: candidate)
                return candidate
            } catch .destinationExists {
                continue
            } catch {
                throw JobFailure(
                    reason: "cannot move results to \(candidate.path): \(error)", stage: .publish,
                    isTransient: transient)
            }
        }
        throw JobFailure(
            reason: "no free result folder name for \(target.path)", stage: .publish)
    }
}
