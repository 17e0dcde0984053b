import Testing
@testable import DocumentPipeline
