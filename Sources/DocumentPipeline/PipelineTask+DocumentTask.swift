import DocumentTasks

extension PipelineTask {
    /// The task type that parses this task's output, with the pipeline's prompt.
    public var documentTask: any DocumentTask {
        switch kind {
        case .ocr: OCRTask(prompt: prompt)
        case .ocrWords: OCRWordsTask(prompt: prompt)
        case .table: TableTask(prompt: prompt)
        case .music: MusicTask(prompt: prompt)
        case .molecule: MoleculeTask(prompt: prompt)
        case .caption: CaptionTask(prompt: prompt)
        case .report: ReportTask(prompt: prompt)
        case .answer: AnswerTask(prompt: prompt)
        case .detect: DetectTask(prompt: prompt)
        }
    }
}
