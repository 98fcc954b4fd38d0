import Foundation
import SliceIDE
import SliceSchema
import SliceStore
import SliceSyntax
import Testing

/// Every query at every offset of the example project's slice files (and of damaged copies of
/// them): nothing crashes, every range stays in the document, and a value candidate applied
/// to a file that loads leaves a file that loads.
@Suite struct EditorRobustnessTests {
  typealias S = EditingSupport
  static let analysis = ProjectAnalysis.analyze(root: S.exampleProject)

  static let files: [String] = [
    "files/fs/web01.yaml", "files/fs/db01.json", "files/vlans/office.yaml", "files/vlans/lab.json",
    "files/vlans/voice.yml", "git_ops/active/vlans/office@v2.json",
  ]

  func check(_ relative: String, bytes: [UInt8]? = nil) throws {
    let url = S.exampleProject.appendingPathComponent(relative)
    let file = try #require(EditorFile(analysis: Self.analysis, url: url, bytes: bytes))
    let document = file.document
    let count = document.bytes.count
    let loads = file.tree.loads
    for offset in 0...count {
      let line = document.lineRange(document.line(containing: offset))
      let candidates = EditorQueries.completions(
        document: document, tree: file.tree, format: file.format, offset: offset, schema: file.schema)
      for candidate in candidates {
        #expect(candidate.replaceRange.lowerBound <= offset && offset <= candidate.replaceRange.upperBound, "\(relative)@\(offset): \(candidate.label)")
        #expect(line.lowerBound <= candidate.replaceRange.lowerBound && candidate.replaceRange.upperBound <= max(line.upperBound, line.lowerBound))
        if loads, candidate.kind == .value {
          let result = EditingSupport.apply(candidate, to: document.text)
          #expect(SliceReader.read(result, format: file.format).loads, "\(relative)@\(offset): \(candidate.label) gives \(result)")
        }
      }
      if let hover = EditorQueries.hover(at: offset, in: file) {
        #expect(hover.range.upperBound <= count)
        #expect(hover.range.lowerBound <= offset && offset <= hover.range.upperBound, "\(relative)@\(offset)")
        #expect(!hover.markdown.isEmpty)
      }
      for target in EditorQueries.definition(at: offset, in: file) {
        #expect(target.range.lowerBound <= target.range.upperBound)
      }
    }
    for hint in EditorQueries.inlayHints(for: file) { #expect(hint.position <= count) }
    _ = EditorQueries.codeLenses(for: file)
  }

  @Test(arguments: files) func everyOffsetOfTheExampleFiles(_ relative: String) throws {
    try check(relative)
  }

  @Test(arguments: files) func everyOffsetOfDamagedCopies(_ relative: String) throws {
    let original = try #require(FileManager.default.contents(atPath: S.exampleProject.appendingPathComponent(relative).path))
    var bytes = [UInt8](original)
    // Cut a line in half and add a stray bracket and a tab: typing leaves text like this.
    let middle = bytes.count / 2
    bytes.removeSubrange(middle..<min(bytes.count, middle + 7))
    bytes.insert(contentsOf: Array("\t{é".utf8), at: bytes.count / 3)
    try check(relative, bytes: bytes)
  }

  @Test func anEditorBufferLargerThanTheLimitIsNotParsed() {
    let url = S.exampleProject.appendingPathComponent("files/vlans/office.yaml").standardizedFileURL
    let buffer = [UInt8]("vlans:\n".utf8) + [UInt8](repeating: UInt8(ascii: "#"), count: 2_000)
    let analysis = ProjectAnalysis.analyze(
      root: S.exampleProject, contents: [url: buffer], options: ProjectAnalysis.Options(maximumFileSize: 1_024))
    #expect(analysis.findings[url]?.map(\.code) == [FindingCode.fileTooLarge.rawValue])
    #expect(EditorFile(analysis: analysis, url: url, bytes: buffer) == nil)
  }
}
