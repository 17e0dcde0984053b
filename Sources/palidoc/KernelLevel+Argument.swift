import ArgumentParser
import PaliTensor

extension KernelLevel: ExpressibleByArgument {
    /// A level by its printed name ("avx512-vnni").
    public init?(argument: String) {
        guard let level = Self.allCases.first(where: { $0.description == argument }) else {
            return nil
        }
        self = level
    }
}
