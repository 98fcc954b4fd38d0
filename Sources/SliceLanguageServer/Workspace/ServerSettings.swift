import LanguageServerProtocol
import SliceIDE

/// The user's settings for slicels: the `slicels` section of the client's configuration.
///
/// ```json
/// { "slicels": { "diagnostics": { "hints": false }, "trace": "verbose",
///   "inlayHints": { "identities": "always", "coercions": true, "updateDefaults": true, "updateDrops": true },
///   "codeLens": { "update": true } } }
/// ```
/// Unknown members and values of the wrong type are ignored (the default stays).
public struct ServerSettings: Sendable, Hashable {
  /// The configuration section slicels reads (`workspace/configuration`).
  public static let section = "slicels"

  /// Whether hint-level findings (what the next compile will do) are shown.
  public var showHints: Bool
  /// The trace level for `$/logTrace`, when the settings set one (`trace` or `trace.server`).
  public var trace: TraceValue?
  /// What inlay hints show (`inlayHints.*`).
  public var inlayHints: InlayHintOptions
  /// Whether a source slice with update work gets the `update: +3 defaults · …` lens
  /// (`codeLens.update`).
  public var updateLens: Bool

  public init(showHints: Bool = true, trace: TraceValue? = nil, inlayHints: InlayHintOptions = InlayHintOptions(), updateLens: Bool = true) {
    self.showHints = showHints
    self.trace = trace
    self.inlayHints = inlayHints
    self.updateLens = updateLens
  }

  /// Reads the `slicels` section. Nested objects and dotted keys (`"diagnostics.hints"`) both work,
  /// since clients write settings either way.
  public init(section: LSPAny?) {
    self.init()
    guard let section, case .object = section else { return }
    if let hints = (section["diagnostics"]?["hints"] ?? section["diagnostics.hints"])?.boolValue {
      showHints = hints
    }
    func setting(_ group: String, _ name: String) -> LSPAny? { section[group]?[name] ?? section["\(group).\(name)"] }
    if let identities = setting("inlayHints", "identities")?.stringValue.flatMap(InlayHintOptions.Identities.init(rawValue:)) {
      inlayHints.identities = identities
    }
    if let coercions = setting("inlayHints", "coercions")?.boolValue { inlayHints.coercions = coercions }
    if let defaults = setting("inlayHints", "updateDefaults")?.boolValue { inlayHints.updateDefaults = defaults }
    if let drops = setting("inlayHints", "updateDrops")?.boolValue { inlayHints.updateDrops = drops }
    if let lens = setting("codeLens", "update")?.boolValue { updateLens = lens }
    let trace = section["trace"]?["server"] ?? section["trace.server"] ?? section["trace"]
    if let level = trace?.stringValue, [TraceValue.off, .messages, .verbose].map(\.rawValue).contains(level) {
      self.trace = TraceValue(rawValue: level)
    }
  }
}
