import DocumentIngest
import Foundation

extension JobSubmission {
    /// A submission of the document at `file` with `pipeline` (its text `yaml`) for the
    /// model `modelIdentity`; the document is opened to count its pages. Throws `JobFailure`
    /// naming the file when it cannot be read or opened.
    public init(
        file: URL, pipeline: PipelineDefinition, yaml: String, modelIdentity: String,
        priority: Int = 0
    ) throws {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw JobFailure(
                reason: "\(file.path): cannot read the file (\(error.localizedDescription))",
                stage: .intake)
        }
        let pages: Int
        do {
            pages = try openDocument(
                url: file,
                limits: IngestLimits(maxPageMegapixels: pipeline.maxPageMegapixels)
            ).pageCount
        } catch let error as IngestError {
            throw JobFailure(reason: "\(file.path): \(error.reason.text)", stage: .open)
        } catch {
            throw JobFailure(reason: "\(file.path): \(error)", stage: .open)
        }
        guard pages > 0 else {
            throw JobFailure(reason: "\(file.path): the document has no pages", stage: .open)
        }
        self.init(
            document: data, originalName: file.lastPathComponent, pipelineName: pipeline.name,
            pipelineYAML: yaml, modelIdentity: modelIdentity, pageCount: pages,
            chunkPages: pipeline.chunkPages, priority: priority, retries: pipeline.retries)
    }
}
