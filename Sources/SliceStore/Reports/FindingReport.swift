import Foundation
import SliceSyntax

/// The findings of one file, with the text they point into.
public struct ReportedFile: Sendable {
  public var file: URL
  public var document: TextDocument
  public var findings: [Finding]

  public init(file: URL, document: TextDocument, findings: [Finding]) {
    self.file = file
    self.document = document
    self.findings = findings
  }
}

/// Renders findings for a terminal, for machines (JSON) and for code-scanning tools (SARIF 2.1.0).
public enum FindingReport {
  public static let toolName = "slicels"

  /// `path:line:column: severity: message [code]`, 1-based, the convention compilers use and editors
  /// parse; columns count Unicode code points. Paths are relative to `base` when inside it.
  public static func text(_ files: [ReportedFile], relativeTo base: URL?, colored: Bool = false) -> String {
    var lines: [String] = []
    var relatedFiles = RelatedFileCounters()
    for file in files {
      let path = displayPath(file.file, relativeTo: base)
      var positions = PositionCounter(document: file.document)
      for finding in file.findings {
        let location = positions.displayLocation(of: finding.range.lowerBound)
        var severity = finding.severity.label
        if colored { severity = color(for: finding.severity) + severity + "\u{1B}[0m" }
        lines.append("\(path):\(location.line):\(location.column): \(severity): \(finding.message) [\(finding.code)]")
        for related in finding.related where related.path == nil {
          let relatedLocation = positions.displayLocation(of: related.range.lowerBound)
          lines.append("\(path):\(relatedLocation.line):\(relatedLocation.column): note: \(related.message)")
        }
        for related in finding.related {
          guard let relatedPath = related.path else { continue }
          let relatedFile = URL(fileURLWithPath: relatedPath)
          var place = displayPath(relatedFile, relativeTo: base)
          if let location = relatedFiles.displayLocation(of: related.range.lowerBound, inFileAt: relatedFile.path) {
            place += ":\(location.line):\(location.column)"
          }
          lines.append("\(place): note: \(related.message)")
        }
      }
    }
    return lines.map { $0 + "\n" }.joined()
  }

  /// A one-line summary: `2 errors, 1 warning in 3 files`.
  public static func summary(_ files: [ReportedFile], checkedFiles: Int? = nil) -> String {
    let all = files.flatMap(\.findings)
    let counts = Finding.Severity.allCases.compactMap { severity -> String? in
      let count = all.filter { $0.severity == severity }.count
      guard count > 0 else { return nil }
      let noun = severity == .information ? "info" : severity.label
      return "\(count) \(noun)\(count == 1 || severity == .information ? "" : "s")"
    }
    let fileCount = Set(files.filter { !$0.findings.isEmpty }.map(\.file)).count
    if counts.isEmpty {
      let checked = checkedFiles ?? files.count
      return "no findings in \(checked) file\(checked == 1 ? "" : "s")"
    }
    return counts.joined(separator: ", ") + " in \(fileCount) file\(fileCount == 1 ? "" : "s")"
  }

  private struct JSONFinding: Encodable {
    struct Place: Encodable {
      var line: Int
      var column: Int
      var offset: Int
    }
    struct Related: Encodable {
      var path: String?
      var message: String
      var start: Place?
    }
    struct Fix: Encodable {
      struct Edit: Encodable {
        var start: Place
        var end: Place
        var newText: String
      }
      var title: String
      var edits: [Edit]
    }
    var path: String
    var severity: String
    var code: String
    var message: String
    var start: Place
    var end: Place
    var related: [Related]
    var fixes: [Fix]
  }

  /// One JSON array of findings, each with 1-based line/column and byte offsets.
  public static func json(_ files: [ReportedFile], relativeTo base: URL?) -> String {
    var findings: [JSONFinding] = []
    for file in files {
      var positions = PositionCounter(document: file.document)
      func place(_ offset: Int) -> JSONFinding.Place {
        let location = positions.displayLocation(of: offset)
        return JSONFinding.Place(line: location.line, column: location.column, offset: offset)
      }
      for finding in file.findings {
        findings.append(
          JSONFinding(
            path: displayPath(file.file, relativeTo: base), severity: finding.severity.label, code: finding.code,
            message: finding.message, start: place(finding.range.lowerBound), end: place(finding.range.upperBound),
            related: finding.related.map {
              JSONFinding.Related(
                path: $0.path.map { displayPath(URL(fileURLWithPath: $0), relativeTo: base) }, message: $0.message,
                start: $0.path == nil ? place($0.range.lowerBound) : nil)
            },
            fixes: finding.fixes.map { fix in
              JSONFinding.Fix(
                title: fix.title,
                edits: fix.edits.map {
                  .init(start: place($0.range.lowerBound), end: place($0.range.upperBound), newText: $0.newText)
                })
            }))
      }
    }
    return encode(findings)
  }

  // SARIF 2.1.0, the subset code-scanning tools read.
  private struct SARIFLog: Encodable {
    static func level(_ severity: Finding.Severity) -> String {
      switch severity {
      case .error: return "error"
      case .warning: return "warning"
      case .information, .hint: return "note"
      }
    }

    var version = "2.1.0"
    var schema = "https://json.schemastore.org/sarif-2.1.0.json"
    var runs: [Run]
    enum CodingKeys: String, CodingKey {
      case version
      case schema = "$schema"
      case runs
    }
    struct Run: Encodable {
      var tool: Tool
      var results: [Result]
    }
    struct Tool: Encodable {
      var driver: Driver
    }
    struct Driver: Encodable {
      var name: String
      var rules: [Rule]
    }
    /// A rule per code the results use, described by the code registry (a code it does not
    /// define gets its id only).
    struct Rule: Encodable {
      var id: String
      var shortDescription: Message?
      var defaultConfiguration: Configuration?
      var properties: Properties?

      init(id: String) {
        self.id = id
        guard let registered = FindingCode(rawValue: id) else { return }
        shortDescription = Message(text: registered.meaning)
        defaultConfiguration = Configuration(level: SARIFLog.level(registered.severity))
        properties = Properties(area: registered.entry.area.rawValue, quickFix: registered.entry.quickFix)
      }
    }
    struct Configuration: Encodable {
      var level: String
    }
    struct Properties: Encodable {
      var area: String
      var quickFix: String?
    }
    struct Result: Encodable {
      var ruleId: String
      var level: String
      var message: Message
      var locations: [Location]
      var relatedLocations: [Location]?
    }
    struct Message: Encodable {
      var text: String
    }
    struct Location: Encodable {
      var physicalLocation: PhysicalLocation
      var message: Message?
    }
    struct PhysicalLocation: Encodable {
      var artifactLocation: ArtifactLocation
      var region: Region?
    }
    struct ArtifactLocation: Encodable {
      var uri: String
    }
    struct Region: Encodable {
      var startLine: Int
      var startColumn: Int
      var endLine: Int
      var endColumn: Int
    }
  }

  public static func sarif(_ files: [ReportedFile], relativeTo base: URL?) -> String {
    var results: [SARIFLog.Result] = []
    var ruleIDs: [String] = []
    for file in files {
      let uri = displayPath(file.file, relativeTo: base)
      var positions = PositionCounter(document: file.document)
      func region(_ range: ByteRange) -> SARIFLog.Region {
        let start = positions.displayLocation(of: range.lowerBound)
        let end = positions.displayLocation(of: range.upperBound)
        return SARIFLog.Region(startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column)
      }
      for finding in file.findings {
        if !ruleIDs.contains(finding.code) { ruleIDs.append(finding.code) }
        let related = finding.related.map { related in
          SARIFLog.Location(
            physicalLocation: SARIFLog.PhysicalLocation(
              artifactLocation: SARIFLog.ArtifactLocation(
                uri: related.path.map { displayPath(URL(fileURLWithPath: $0), relativeTo: base) } ?? uri),
              region: related.path == nil ? region(related.range) : nil),
            message: SARIFLog.Message(text: related.message))
        }
        results.append(
          SARIFLog.Result(
            ruleId: finding.code, level: SARIFLog.level(finding.severity), message: SARIFLog.Message(text: finding.message),
            locations: [
              SARIFLog.Location(
                physicalLocation: SARIFLog.PhysicalLocation(
                  artifactLocation: SARIFLog.ArtifactLocation(uri: uri), region: region(finding.range)))
            ],
            relatedLocations: related.isEmpty ? nil : related))
      }
    }
    let driver = SARIFLog.Driver(
      name: toolName, rules: ruleIDs.map { SARIFLog.Rule(id: $0) })
    return encode(SARIFLog(runs: [SARIFLog.Run(tool: SARIFLog.Tool(driver: driver), results: results)]))
  }

  /// The files that related places of other files point into, each read once per report
  /// (nil when it cannot be read).
  private struct RelatedFileCounters {
    var counters: [String: PositionCounter?] = [:]

    mutating func displayLocation(of offset: Int, inFileAt path: String) -> DisplayLocation? {
      if counters[path] == nil {
        counters[path] = .some(FileReader().contents(path).map { PositionCounter(document: TextDocument(bytes: $0)) })
      }
      return counters[path]??.displayLocation(of: offset)
    }
  }

  public static func displayPath(_ file: URL, relativeTo base: URL?) -> String {
    let path = file.standardizedFileURL.path
    guard let base else { return path }
    let basePath = base.standardizedFileURL.path
    let prefix = basePath.hasSuffix("/") ? basePath : basePath + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }

  private static func color(for severity: Finding.Severity) -> String {
    switch severity {
    case .error: return "\u{1B}[1;31m"
    case .warning: return "\u{1B}[1;33m"
    case .information: return "\u{1B}[1;34m"
    case .hint: return "\u{1B}[2m"
    }
  }

  private static func encode<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "[]" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
