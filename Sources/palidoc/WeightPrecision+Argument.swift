import ArgumentParser
import PaliGemma

/// `--weights f32|bf16|…` on the commands that load a checkpoint; the help and the error for
/// an unknown value list the cases.
extension WeightPrecision: ExpressibleByArgument {}
