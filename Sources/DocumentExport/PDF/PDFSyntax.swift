import Foundation

/// The few pieces of PDF syntax the exporter writes: numbers and text strings.
enum PDFSyntax {
    /// `value` as a PDF real: at most six decimals, no exponent, no trailing zeros, `.` as
    /// the decimal point whatever the locale.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let scaled = (value * 1_000_000).rounded()
        if scaled == 0 { return "0" }
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        var text = String(magnitude / 1_000_000)
        var fraction = String(magnitude % 1_000_000)
        if fraction != "0" {
            fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return negative ? "-" + text : text
    }

    /// Numbers separated by spaces.
    static func numbers(_ values: Double...) -> String {
        values.map(number).joined(separator: " ")
    }

    /// A text string (document information, …) as UTF-16BE with its byte-order mark, in hex:
    /// any Unicode text, and nothing in it can end the string or start PDF syntax.
    static func text(_ string: String) -> String {
        "<FEFF" + string.utf16.map(hex).joined() + ">"
    }

    /// A 16-bit value as four upper-case hex digits.
    static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
