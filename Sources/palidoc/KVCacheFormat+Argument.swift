import ArgumentParser
import PaliTensor

/// `--kv-cache f32|bf16|int8` on the commands that run the model.
extension KVCacheFormat: ExpressibleByArgument {}
