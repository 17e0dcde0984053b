import Foundation

/// Where a pipeline definition comes from: a file, or the pipelines built into palidoc.
public enum PipelineOrigin: Sendable, Equatable, CustomStringConvertible {
    /// A YAML file.
    case file(URL)
    /// One of `BuiltinPipelines`.
    case builtIn

    /// The file's path, or `built-in`.
    public var description: String {
        switch self {
        case .file(let url): url.path
        case .builtIn: "built-in"
        }
    }
}
