import Foundation
import LanguageServerProtocol
import SliceSyntax
import Testing

@testable import SliceLanguageServer

/// Findings to diagnostics: ranges in the negotiated encoding, counted once per line.
@Suite struct DiagnosticConverterTests {
  let uri: DocumentURI = "file:///p/files/vlans/a.json"

  /// Columns are counted once per line for a file's findings: 20 000 findings on one line took
  /// minutes when each was counted from the start of the line. A hang guard, not a performance
  /// bound.
  @Test func manyFindingsOnOneLineConvertInBoundedTime() {
    var text = "{\"é😀\": \"\\t\", "
    var findings: [Finding] = []
    for index in 0..<20_000 {
      let offset = text.utf8.count
      text += "\"k\(index)\": 0, "
      findings.append(Finding(range: offset..<offset + 4, severity: .warning, code: "unknown-property", message: "k\(index)"))
    }
    let document = TextDocument(text: text + "\"end\": 0}\n")
    let converter = DiagnosticConverter(encoding: .utf16, relatedInformationSupport: true)
    var conversion = DiagnosticConverter.FileConversion(converter: converter, uri: uri, document: document)
    var diagnostics: [Diagnostic] = []
    let elapsed = ContinuousClock().measure {
      diagnostics = findings.reversed().map { conversion.diagnostic(for: $0) }
    }
    #expect(elapsed < .seconds(10), "\(elapsed)")
    // "k19999" comes first; `é😀` is three UTF-16 units before it.
    let last = findings[19_999].range
    #expect(diagnostics.first?.range == document.lspRange(of: last, in: .utf16))
    #expect(diagnostics.first?.range.start.character == last.lowerBound - 3)
    #expect(diagnostics.last?.range == LSPRange(start: LSPPosition(line: 0, character: 14), end: LSPPosition(line: 0, character: 18)))
  }

  /// The converted ranges are the document's, in every encoding and in any order, for the
  /// finding and for its related places (in the same file or another).
  @Test(arguments: [PositionEncodingKind.utf8, .utf16, .utf32])
  func rangesAreTheDocumentsInAnyOrder(encoding: PositionEncodingKind) {
    let document = TextDocument(text: "\tké: 日本😀\r\nx😀y: [1, 2]\rz\n")
    let other = TextDocument(text: "a😀\t\r\nbé: 1\n")
    let otherURI: DocumentURI = "file:///p/git_ops/active/vlans/a@v1.json"
    let converter = DiagnosticConverter(
      encoding: encoding, relatedInformationSupport: true,
      relatedFile: { _ in .init(uri: otherURI, document: other, displayName: "a@v1.json") })
    var conversion = DiagnosticConverter.FileConversion(converter: converter, uri: uri, document: document)
    for offset in [25, 0, 12, 1, 26, 6, 16, 33, 2, 29, 19] {
      let finding = Finding(
        range: offset..<offset + 2, severity: .error, code: "c", message: "m",
        related: [
          .init(path: nil, range: 12..<16, message: "here"), .init(path: "/p/git_ops/active/vlans/a@v1.json", range: 8..<10, message: "there"),
        ])
      let diagnostic = conversion.diagnostic(for: finding)
      #expect(diagnostic.range == document.lspRange(of: offset..<offset + 2, in: encoding), "offset \(offset)")
      #expect(diagnostic == converter.diagnostic(for: finding, uri: uri, document: document))
      #expect(diagnostic.relatedInformation?.first?.location.range == document.lspRange(of: 12..<16, in: encoding))
      #expect(diagnostic.relatedInformation?.last?.location.range == other.lspRange(of: 8..<10, in: encoding))
    }
  }
}
