import Foundation

/// A read-only memory mapping of a whole file; unmapped when the last reference goes away.
///
/// Checkpoints are mapped, never read into memory: pages are loaded by the kernel on first
/// touch and can be dropped again under memory pressure.
public final class MappedFile: @unchecked Sendable {
    /// The mapped file.
    public let url: URL
    /// First byte of the mapping (nil for an empty file).
    public let base: UnsafeRawPointer?
    /// File size in bytes.
    public let byteCount: Int

    /// Maps `url` read-only.
    public init(url: URL) throws(SafetensorsError) {
        self.url = url
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            throw SafetensorsError(
                file: url, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SafetensorsError(
                file: url, reason: "cannot stat: \(String(cString: strerror(errno)))")
        }
        byteCount = Int(info.st_size)
        if byteCount == 0 {
            base = nil
            return
        }
        let address = mmap(nil, byteCount, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw SafetensorsError(
                file: url, reason: "cannot map: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(address)
    }

    /// Drops this process's resident pages lying wholly inside `count` bytes at `offset`
    /// (after their values were widened into a heap buffer), so a converted checkpoint is not
    /// counted twice in the resident set. The pages stay in the page cache.
    public func releasePages(offset: Int, count: Int) {
        guard let base else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (offset + page - 1) / page * page
        let end = (offset + count) / page * page
        guard end > start else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), byteCount) }
    }
}
