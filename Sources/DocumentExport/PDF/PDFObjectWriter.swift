import Foundation

/// Writes a PDF file object by object into a file handle: the header, numbered indirect
/// objects (dictionaries, arrays, streams) in any order, then the cross-reference table and
/// the trailer. Object numbers can be reserved before their object is written, so a page
/// can refer to a font that is only complete once every page is known.
///
/// Output is buffered and flushed in large writes; nothing is held beyond the buffer, so a
/// document of many page images needs no more memory than its largest image.
struct PDFObjectWriter {
    private let handle: FileHandle
    private var buffer = Data()
    /// Bytes written so far, buffered ones included.
    private var position = 0
    /// Byte offset of each written object, by object number.
    private var offsets: [Int: Int] = [:]
    /// The next unused object number.
    private var next = 1

    /// Flush the buffer once it holds this many bytes.
    private static let flushSize = 1 << 20

    /// A writer that has written the header (PDF 1.7 and a binary-marker comment, so
    /// transfer programs treat the file as binary).
    init(handle: FileHandle) throws {
        self.handle = handle
        try append("%PDF-1.7\n")
        try append(Data([0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A]))
    }

    /// A new object number, to be written later with `object(_:_:)` or `stream(_:_:_:)`.
    mutating func reserve() -> Int {
        defer { next += 1 }
        return next
    }

    /// Writes object `number` whose body is `body` (a dictionary, array or number).
    mutating func object(_ number: Int, _ body: String) throws {
        offsets[number] = position
        try append("\(number) 0 obj\n\(body)\nendobj\n")
    }

    /// Writes object `number` as a stream: `dictionary` holds the entries inside `<< >>`
    /// except `/Length`, which is added.
    mutating func stream(_ number: Int, _ dictionary: String, _ data: Data) throws {
        offsets[number] = position
        try append("\(number) 0 obj\n<< \(dictionary) /Length \(data.count) >>\nstream\n")
        try append(data)
        try append("\nendstream\nendobj\n")
    }

    /// Writes the cross-reference table and trailer (`root` the catalog, `info` the document
    /// information dictionary, `id` the file identifier as hex digits) and flushes. Throws
    /// when a reserved object was never written.
    mutating func finish(root: Int, info: Int, id: String) throws {
        let start = position
        var table = "xref\n0 \(next)\n0000000000 65535 f \n"
        for number in 1..<next {
            guard let offset = offsets[number] else {
                throw PDFWriterError(reason: "object \(number) was reserved but not written")
            }
            let digits = String(offset)
            table += String(repeating: "0", count: max(0, 10 - digits.count)) + digits
            table += " 00000 n \n"
        }
        try append(table)
        try append(
            "trailer\n<< /Size \(next) /Root \(root) 0 R /Info \(info) 0 R "
                + "/ID [<\(id)> <\(id)>] >>\nstartxref\n\(start)\n%%EOF\n")
        try flush()
    }

    private mutating func append(_ text: String) throws { try append(Data(text.utf8)) }

    private mutating func append(_ data: Data) throws {
        buffer.append(data)
        position += data.count
        if buffer.count >= Self.flushSize { try flush() }
    }

    private mutating func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
