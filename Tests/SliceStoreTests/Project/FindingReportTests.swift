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
}
