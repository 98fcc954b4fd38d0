import Foundation
import SliceSyntax
import Testing

@testable import SliceStore

@Suite struct FindingReportTests {
  let root = URL(fileURLWithPath: "/p")
  func sample() -> [ReportedFile] {
    let text = "a: 1\n\tné: 😀 x\n"
    let document = TextDocument(text: text)
    let offset = Array(text.utf8).firstIndex(of: UInt8(ascii: "x")) ?? 0
    let finding = Finding(
      range: offset..<offset + 1, severity: .warning, code: "unknown-property", message: "unknown property 'x'",
      related: [.init(path: "/p/git_ops/active/fs/a@v1.json", range: 0..<1, message: "was here")])
    return [ReportedFile(file: URL(fileURLWithPath: "/p/files/fs/a.yaml"), document: document, findings: [finding])]
  }

  @Test func textUsesOneBasedCodePointColumns() {
    let output = FindingReport.text(sample(), relativeTo: root)
    #expect(output.hasPrefix("files/fs/a.yaml:2:8: warning: unknown property 'x' [unknown-property]\n"))
    #expect(output.contains("git_ops/active/fs/a@v1.json: note: was here"))
    #expect(FindingReport.summary(sample()) == "1 warning in 1 file")
  }

  @Test func jsonAndSarifAreWellFormed() throws {
    let json = FindingReport.json(sample(), relativeTo: root)
    let findings = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    #expect(findings.first?["code"] as? String == "unknown-property")
    #expect((findings.first?["start"] as? [String: Any])?["column"] as? Int == 8)
    let sarif = FindingReport.sarif(sample(), relativeTo: root)
    let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
    #expect(log["version"] as? String == "2.1.0")
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    let result = try #require((run["results"] as? [[String: Any]])?.first)
    #expect(result["level"] as? String == "warning")
  }

  /// One JSON line of `count` unknown keys after a multi-byte prefix, each key a finding.
  static func oneLine(keys count: Int) -> (document: TextDocument, findings: [Finding]) {
    var text = "{\"é😀\": \"\t\", "
    var findings: [Finding] = []
    for index in 0..<count {
      let offset = text.utf8.count
      text += "\"k\(index)\": 0, "
      findings.append(Finding(range: offset..<offset + 4, severity: .warning, code: "unknown-property", message: "k\(index)"))
    }
    return (TextDocument(text: text + "\"end\": 0}\r\n"), findings)
  }

  /// Columns are counted once per line: 20 000 findings on one line took minutes when each
  /// column was counted from the start of the line. A hang guard, not a performance bound.
  @Test func manyFindingsOnOneLineAreReportedInBoundedTime() throws {
    let (document, findings) = Self.oneLine(keys: 20_000)
    let files = [ReportedFile(file: URL(fileURLWithPath: "/p/files/fs/a.json"), document: document, findings: findings.reversed())]
    let clock = ContinuousClock()
    var text = ""
    var json = ""
    var sarif = ""
    let elapsed = clock.measure {
      text = FindingReport.text(files, relativeTo: root)
      json = FindingReport.json(files, relativeTo: root)
      sarif = FindingReport.sarif(files, relativeTo: root)
    }
    #expect(elapsed < .seconds(10), "\(elapsed)")
    // "k0" starts after the 12 characters of `{"é😀": "<tab>", `.
    #expect(text.hasSuffix("files/fs/a.json:1:13: warning: k0 [unknown-property]\n"))
    let lastColumn = document.displayLocation(of: findings[19_999].range.lowerBound).column
    #expect(text.hasPrefix("files/fs/a.json:1:\(lastColumn): warning: k19999 [unknown-property]\n"))
    #expect(json.contains("\"column\" : \(lastColumn)"))
    #expect(sarif.contains("\"startColumn\" : \(lastColumn)"))
  }

  /// The report's places are the document's, in whatever order the findings come: tabs, CR LF,
  /// multi-byte characters and emoji each count one column.
  @Test func reportedPlacesAreTheDocumentsInAnyOrder() throws {
    let text = "\tké: 日本😀\r\nx😀y: [1, 2]\rz\n"
    let document = TextDocument(text: text)
    let offsets = [25, 0, 12, 1, 26, 6, 16, 33, 2, 29, 19]
    let findings = offsets.map { Finding(range: $0..<$0 + 1, severity: .error, code: "c", message: "m\($0)") }
    let files = [ReportedFile(file: URL(fileURLWithPath: "/p/a.yaml"), document: document, findings: findings)]
    let expected = offsets.map { offset -> String in
      let start = document.displayLocation(of: offset)
      return "a.yaml:\(start.line):\(start.column): error: m\(offset) [c]\n"
    }
    #expect(FindingReport.text(files, relativeTo: root) == expected.joined())
    // Hand-counted: 😀 (byte 12) is column 8 of line 1; y (byte 23) column 3 of line 2.
    #expect(document.displayLocation(of: 12) == DisplayLocation(line: 1, column: 8))
    #expect(document.displayLocation(of: 25) == DisplayLocation(line: 2, column: 5))
    #expect(document.displayLocation(of: 33) == DisplayLocation(line: 3, column: 1))

    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(FindingReport.json(files, relativeTo: root).utf8)) as? [[String: Any]])
    for (finding, offset) in zip(json, offsets) {
      let start = try #require(finding["start"] as? [String: Any])
      let end = try #require(finding["end"] as? [String: Any])
      #expect(start["line"] as? Int == document.displayLocation(of: offset).line)
      #expect(start["column"] as? Int == document.displayLocation(of: offset).column)
      #expect(end["column"] as? Int == document.displayLocation(of: offset + 1).column)
    }
  }
}
