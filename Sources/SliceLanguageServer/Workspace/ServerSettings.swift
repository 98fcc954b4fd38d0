import LanguageServerProtocol

/// The user's settings for slicels: the `slicels` section of the client's configuration.
///
/// ```json
/// { "slicels": { "diagnostics": { "hints": false }, "trace": "verbose" } }
/// ```
/// Unknown members and values of the wrong type are ignored (the default stays).
public struct ServerSettings: Sendable, Hashable {
  /// The configuration section slicels reads (`workspace/configuration`).
  public static let section = "slicels"

  /// Whether hint-level findings (what the next compile will do) are shown.
  public var showHints: Bool
  /// The trace level for `$/logTrace`, when the settings set one (`trace` or `trace.server`).
  public var trace: TraceValue?

  public init(showHints: Bool = true, trace: TraceValue? = nil) {
    self.showHints = showHints
    self.trace = trace
  }

  /// Reads the `slicels` section. Nested objects and dotted keys (`"diagnostics.hints"`) both work,
  /// since clients write settings either way.
  public init(section: LSPAny?) {
    self.init()
    guard let section, case .object = section else { return }
    if let hints = (section["diagnostics"]?["hints"] ?? section["diagnostics.hints"])?.boolValue {
      showHints = hints
    }
    let trace = section["trace"]?["server"] ?? section["trace.server"] ?? section["trace"]
    if let level = trace?.stringValue, [TraceValue.off, .messages, .verbose].map(\.rawValue).contains(level) {
      self.trace = TraceValue(rawValue: level)
    }
  }
}
