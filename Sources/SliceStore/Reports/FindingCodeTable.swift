import Foundation
import SliceSyntax

/// The code registry as documentation: the README's table of diagnostic codes is this output
/// (`slicels codes`), and a test holds the two equal.
public enum FindingCodeTable {
  public static func markdown(_ codes: [FindingCode] = FindingCode.allCases) -> String {
    var lines = ["| code | severity | meaning | quick fix |", "| --- | --- | --- | --- |"]
    for code in codes {
      let cells = ["`\(code.rawValue)`", severities(code), code.meaning, code.entry.quickFix ?? ""]
      lines.append("| " + cells.map(escapedCell).joined(separator: " | ") + " |")
    }
    return lines.map { $0 + "\n" }.joined()
  }

  public static func json(_ codes: [FindingCode] = FindingCode.allCases) -> String {
    struct Row: Encodable {
      var code: String
      var severity: String
      var otherSeverities: [String]
      var area: String
      var meaning: String
      var quickFix: String?
    }
    let rows = codes.map { code in
      Row(
        code: code.rawValue, severity: code.severity.label, otherSeverities: code.entry.severities.dropFirst().map(\.label),
        area: code.entry.area.rawValue, meaning: code.meaning, quickFix: code.entry.quickFix)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(rows) else { return "[]\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// `warning / hint`: the default severity first.
  static func severities(_ code: FindingCode) -> String {
    code.entry.severities.map(\.label).joined(separator: " / ")
  }

  /// A table cell cannot hold a bare `|` or a line break.
  static func escapedCell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
  }
}
