/// Something the engine has to say about a file: a syntax error, a schema violation, a hint about
/// what the next compile will do. One source for three surfaces: the CLI prints it, the language
/// server publishes it, code actions apply its fixes.
public struct Finding: Sendable, Hashable {
  public enum Severity: Int, Sendable, Hashable, Comparable, CaseIterable {
    // Same numbering as LSP's DiagnosticSeverity.
    case error = 1
    case warning = 2
    case information = 3
    case hint = 4

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }

    public var label: String {
      switch self {
      case .error: return "error"
      case .warning: return "warning"
      case .information: return "info"
      case .hint: return "hint"
      }
    }
  }

  /// A place in another file (or this one) that explains the finding.
  public struct Related: Sendable, Hashable {
    /// A file path (absolute, or relative to the project root), or nil for the finding's own file.
    public var path: String?
    public var range: ByteRange
    public var message: String
    public init(path: String?, range: ByteRange, message: String) {
      self.path = path
      self.range = range
      self.message = message
    }
  }

  /// A quick fix: a titled set of edits to the finding's own file.
  public struct Fix: Sendable, Hashable {
    public var title: String
    public var edits: [TextEdit]
    /// The fix an editor may apply without asking (LSP `isPreferred`).
    public var isPreferred: Bool
    public init(title: String, edits: [TextEdit], isPreferred: Bool = false) {
      self.title = title
      self.edits = edits
      self.isPreferred = isPreferred
    }
  }

  public var range: ByteRange
  public var severity: Severity
  /// Stable identifier (`yaml-syntax`, `unknown-property`, …), documented in the README.
  public var code: String
  public var message: String
  public var related: [Related]
  public var fixes: [Fix]

  public init(
    range: ByteRange, severity: Severity, code: String, message: String,
    related: [Related] = [], fixes: [Fix] = []
  ) {
    self.range = range
    self.severity = severity
    self.code = code
    self.message = message
    self.related = related
    self.fixes = fixes
  }
}

/// Replace the bytes in `range` with `newText`.
public struct TextEdit: Sendable, Hashable {
  public var range: ByteRange
  public var newText: String
  public init(range: ByteRange, newText: String) {
    self.range = range
    self.newText = newText
  }
}
