import CXMLShim
import Testing

/// Proves libxml2 is reachable through the shim: an HTML table's cells are counted.
@Suite struct XMLShimTests {
    @Test func countsTableCells() {
        let html = """
            <table><thead><tr><td>a</td><td colspan="2">b</td></tr></thead>
            <tbody><tr><td>1</td><td>2</td><td>3</td></tr><tr><td>4</td><td>5</td>
            <td>6</td></tr></tbody></table>
            """
        var error = [CChar](repeating: 0, count: 256)
        let bytes = Array(html.utf8)
        let cells = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                xmlshim_html_count_elements($0.baseAddress, $0.count, "td", &error, error.count)
            }
        }
        #expect(cells == 8)
        let rows = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                xmlshim_html_count_elements($0.baseAddress, $0.count, "tr", &error, error.count)
            }
        }
        #expect(rows == 3)
    }
}
