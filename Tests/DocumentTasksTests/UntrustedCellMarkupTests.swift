import DocumentModel
import Testing

@testable import DocumentTasks

/// Table cells keep only the inline vocabulary, bare; anything else the model wrote becomes
/// escaped text of the cell and a recorded issue.
@Suite struct UntrustedCellMarkupTests {
    @Test func activeMarkupBecomesTextWithAnIssue() throws {
        let (table, issues) = TableHTMLReader.read(
            "<tr><td><img src=x onerror=alert(1)>a</td><td><a href=\"javascript:alert(2)\">b</a>"
                + "</td><td><svg onload=alert(3)></svg>c</td></tr>")
        let cells = try #require(table).cells
        #expect(cells.map(\.html) == [
            "&lt;img src=x onerror=alert(1)&gt;a",
            "&lt;a href=\"javascript:alert(2)\"&gt;b&lt;/a&gt;",
            "&lt;svg onload=alert(3)&gt;&lt;/svg&gt;c",
        ])
        #expect(cells[0].text == "<img src=x onerror=alert(1)>a")
        #expect(issues.filter { $0.code == "disallowed-markup" }.count == 5)
        #expect(issues.allSatisfy { $0.severity == .warning })
    }

    @Test func inlineTagsLoseTheirAttributes() throws {
        let (table, issues) = TableHTMLReader.read(
            "<tr><td><B onclick=\"x()\">b</B><sup/onmouseover=y()>1</sup><br/onload=z()>"
                + "<i style='a'>i</i><b/></td></tr>")
        #expect(try #require(table).cells[0].html == "<b>b</b><sup>1</sup><br><i>i</i><b></b>")
        #expect(issues.filter { $0.code == "attributes-dropped" }.count == 4)
    }

    @Test func scriptsAndStylesInCellsAreTextNotDropped() throws {
        let (table, issues) = TableHTMLReader.read(
            "<script>alert(0)</script><tr><td><ScRiPt>alert(1)</sCrIpT>x</td>"
                + "<td><style>td{}</style>y</td></tr>")
        let cells = try #require(table).cells
        #expect(cells[0].html == "&lt;ScRiPt&gt;alert(1)&lt;/sCrIpT&gt;x")
        #expect(cells[1].text == "<style>td{}</style>y")
        #expect(issues.contains { $0.code == "active-content-dropped" })
    }

    @Test func textIsDecodedThenEscapedAndControlCharactersDropped() throws {
        let (table, _) = TableHTMLReader.read(
            "<tr><td>&lt;script&gt; p < 0.05 & q\u{0}\u{1B}&#0;&amp;lt;b&amp;gt;</td></tr>")
        let cell = try #require(table).cells[0]
        #expect(cell.html == "&lt;script&gt; p &lt; 0.05 &amp; q&amp;lt;b&amp;gt;")
        #expect(cell.text == "<script> p < 0.05 & q&lt;b&gt;")
    }

    @Test func unterminatedHostileTagIsCutOff() throws {
        let (table, issues) = TableHTMLReader.read("<tr><td>a<img src=x onerror=alert(1)")
        #expect((table?.cells ?? []).allSatisfy { !$0.html.contains("<") })
        #expect(issues.contains { $0.code == "truncated-tag" })
    }
}
