import SliceSyntax

/// `slicels plan`: per slice, the version the next sync activates and what the following
/// export asks the model to do with each object, like `terraform plan`.
public enum PlanReport {
  public struct StorePlans: Sendable {
    public var store: String
    public var plans: [SlicePlan]
    /// What the user must know before syncing the store (`store-sources-missing`: the sync
    /// deletes every slice of the store, and refuses to unless allowed).
    public var warnings: [String]
    public init(store: String, plans: [SlicePlan], warnings: [String] = []) {
      self.store = store
      self.plans = plans
      self.warnings = warnings
    }
  }

  public struct Summary: Sendable, Hashable {
    public var create: Int
    public var update: Int
    /// Purges the next sync adds.
    public var purge: Int
    /// Purges the latest active versions already carry (every export, until a prune), whether
    /// or not the next sync happens; not in `purge`.
    public var pendingPurge: Int
    /// Slices the next sync activates a version for.
    public var changedSlices: Int

    public init(create: Int = 0, update: Int = 0, purge: Int = 0, pendingPurge: Int = 0, changedSlices: Int = 0) {
      self.create = create
      self.update = update
      self.purge = purge
      self.pendingPurge = pendingPurge
      self.changedSlices = changedSlices
    }

    /// Whether the next sync changes anything (what `--detailed-exitcode` reports).
    public var hasChanges: Bool { changedSlices > 0 }
  }

  /// Counts the objects of the slices the next sync changes (an unchanged slice gives the
  /// model the same view as the last export did), and apart the purges the unchanged slices
  /// still carry.
  public static func summary(_ stores: [StorePlans]) -> Summary {
    var summary = Summary()
    for plan in stores.flatMap(\.plans) {
      summary.pendingPurge += plan.pendingPurges.count
      guard plan.hasChanges else { continue }
      summary.changedSlices += 1
      summary.create += plan.elements(.created).count
      summary.update += plan.elements(.updated).count
      summary.purge += plan.newPurges.count
    }
    return summary
  }

  static func versionText(_ decision: VersionDecision) -> String {
    switch decision.change {
    case .new: return "new slice, v\(decision.version)"
    case .unchanged: return "v\(decision.version), unchanged"
    case .modified: return "v\(decision.latestActiveVersion) → v\(decision.version)"
    case .deleted: return "v\(decision.latestActiveVersion) → v\(decision.version), deleted"
    case .stillDeleted: return "deleted (v\(decision.version))"
    }
  }

  /// The longest value shown on a line; the JSON output carries every value whole.
  public static let shownValueLength = 60

  /// A value on one line, cut to `shownValueLength` characters.
  public static func compact(_ value: Value) -> String {
    let text = InlineJSON.text(value)
    guard text.count > shownValueLength else { return text }
    return String(text.prefix(shownValueLength - 1)) + "…"
  }

  /// `~ mtu: 9216 → 1600`, `+ tagged: true`, `- description: "uplink"`.
  static func attributeLine(_ change: AttributeChange, style: TerminalStyle) -> String {
    switch (change.before, change.after) {
    case (nil, let after?): return style.green("+ \(change.name): \(compact(after))")
    case (let before?, nil): return style.red("- \(change.name): \(compact(before))")
    case (let before?, let after?): return style.yellow("~ \(change.name): \(compact(before)) → \(compact(after))")
    case (nil, nil): return "  \(change.name)"
    }
  }

  /// The lines of one slice the next sync changes: its objects that change with their
  /// attribute changes, and the unchanged objects above changes as context.
  static func sliceLines(_ plan: SlicePlan, store: String, style: TerminalStyle) -> [String] {
    var lines = [style.bold("\(store)/\(plan.name)") + ": " + versionText(plan.decision)]
    if let failure = plan.failure {
      lines.append("  " + style.red("the compile fails on this slice: \(failure)"))
      return lines
    }
    if !plan.emitted {
      lines.append("  " + style.dim("never activated with content: the model does not see it"))
      return lines
    }
    for element in plan.elements {
      let path = element.path.description
      let shape = style.dim("(\(element.shape))")
      switch element.change {
      case .created:
        lines.append("  " + style.green("+ \(path)") + " " + shape)
        lines += element.attributeChanges.map { "      " + attributeLine($0, style: style) }
      case .updated:
        lines.append("  " + style.yellow("~ \(path)") + " " + shape)
        lines += element.attributeChanges.map { "      " + attributeLine($0, style: style) }
      case .purged:
        let already = element.alreadyPurged ? " " + style.dim("already purged by v\(plan.decision.latestActiveVersion), until a prune") : ""
        lines.append("  " + style.red("- \(path)") + " " + shape + already)
      case .unchanged:
        if element.isContext { lines.append("    " + style.dim("\(path) (\(element.shape))")) }
      }
    }
    return lines
  }

  /// The lines of a slice the next sync leaves alone whose active versions still purge objects.
  static func pendingPurgeLines(_ plan: SlicePlan, store: String, style: TerminalStyle) -> [String] {
    let purges = plan.pendingPurges
    guard !purges.isEmpty else { return [] }
    let count = purges.count
    var lines = [
      style.bold("\(store)/\(plan.name)") + ": " + versionText(plan.decision) + "; "
        + "its active versions still purge \(count) object\(count == 1 ? "" : "s") until a prune"
    ]
    for element in purges {
      lines.append("  " + style.red("- \(element.path.description)") + " " + style.dim("(\(element.shape))"))
    }
    return lines
  }

  static func summaryText(_ summary: Summary) -> String {
    "\(summary.create) to create, \(summary.update) to update, \(summary.purge) to purge"
  }

  static func pendingText(_ summary: Summary) -> String {
    let count = summary.pendingPurge
    return "\(count) purge\(count == 1 ? "" : "s") still carried by the active versions until a prune"
  }

  /// The plan for people: the slices the next sync changes with their objects that change,
  /// then the purges the active store still carries for the other slices.
  public static func text(_ stores: [StorePlans], style: TerminalStyle) -> String {
    var lines: [String] = []
    for store in stores {
      for plan in store.plans where plan.hasChanges || plan.failure != nil {
        lines += sliceLines(plan, store: store.store, style: style)
      }
    }
    var pending: [String] = []
    for store in stores {
      for plan in store.plans where !plan.hasChanges && plan.failure == nil {
        pending += pendingPurgeLines(plan, store: store.store, style: style)
      }
    }
    if !pending.isEmpty {
      if !lines.isEmpty { lines.append("") }
      lines.append("Already activated, purged by every export until a prune:")
      lines += pending
    }
    let summary = summary(stores)
    if lines.isEmpty {
      lines.append("No changes: the next sync activates no new version and the next export purges nothing.")
    } else {
      lines.append("")
    }
    for store in stores {
      for warning in store.warnings {
        lines.append(style.bold("Warning:") + " \(warning)")
        lines.append("")
      }
    }
    var last = style.bold("Plan:") + " " + summaryText(summary)
    if summary.pendingPurge > 0 { last += "; " + pendingText(summary) }
    lines.append(last)
    return lines.map { $0 + "\n" }.joined()
  }

  // MARK: Markdown

  /// A summary for a merge-request comment: the totals, a table of the slices that change,
  /// the purges called out, the detail in a folded diff block.
  public static func markdown(_ stores: [StorePlans]) -> String {
    let summary = summary(stores)
    var lines = ["### slicels plan", ""]
    var headline = "**Plan: " + summaryText(summary) + "**"
    if summary.pendingPurge > 0 { headline += " (and " + pendingText(summary) + ")" }
    lines.append(headline)
    lines.append("")

    var rows: [String] = []
    var purges: [String] = []
    for store in stores {
      for plan in store.plans where plan.hasChanges || plan.failure != nil {
        let name = escapeMarkdown("\(store.store)/\(plan.name)")
        if let failure = plan.failure {
          rows.append("| \(name) | \(escapeMarkdown(versionText(plan.decision))) | compile fails: \(escapeMarkdown(failure.description)) | | |")
          continue
        }
        rows.append(
          "| \(name) | \(escapeMarkdown(versionText(plan.decision))) | \(plan.elements(.created).count) | "
            + "\(plan.elements(.updated).count) | \(plan.newPurges.count) |")
        purges += plan.newPurges.map { "\(name) " + escapeMarkdown($0.path.description) }
      }
    }
    if rows.isEmpty {
      lines.append("No changes: the next sync activates no new version.")
    } else {
      lines.append("| Slice | Version | Create | Update | Purge |")
      lines.append("| --- | --- | ---: | ---: | ---: |")
      lines += rows
    }
    for warning in stores.flatMap(\.warnings) {
      lines.append("")
      lines.append("> [!CAUTION]")
      lines.append("> " + escapeMarkdown(warning))
    }
    if !purges.isEmpty {
      lines.append("")
      lines.append("> [!WARNING]")
      lines.append("> The next export purges \(purges.count) object\(purges.count == 1 ? "" : "s"): the model deletes what it deployed for them.")
      lines += purges.map { "> - " + $0 }
    }
    let detail = text(stores, style: TerminalStyle(colored: false))
    let fence = String(repeating: "`", count: max(3, longestBacktickRun(detail) + 1))
    lines.append("")
    lines.append("<details><summary>Details</summary>")
    lines.append("")
    lines.append(fence + "diff")
    lines.append(contentsOf: detail.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init))
    lines.append(fence)
    lines.append("")
    lines.append("</details>")
    return lines.map { $0 + "\n" }.joined()
  }

  /// Text that Markdown shows as it is, even inside a table cell.
  static func escapeMarkdown(_ text: String) -> String {
    var output = ""
    for character in text {
      switch character {
      case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "~", "!":
        output.append("\\")
        output.append(character)
      case "\n", "\r": output.append(" ")
      default: output.append(character)
      }
    }
    return output
  }

  static func longestBacktickRun(_ text: String) -> Int {
    var longest = 0
    var current = 0
    for character in text {
      current = character == "`" ? current + 1 : 0
      longest = max(longest, current)
    }
    return longest
  }

  // MARK: JSON

  /// The plan for machines: every slice and every object, with its change and its attribute changes.
  public static func json(_ stores: [StorePlans]) -> String {
    let summary = summary(stores)
    let document = Value.object([
      Value.Member(
        "stores",
        .array(
          stores.map { store in
            .object([
              Value.Member("store", .string(store.store)),
              Value.Member("slices", .array(store.plans.map(sliceValue))),
            ])
          })),
      Value.Member("summary", summaryValue(summary)),
    ])
    return ((try? ReferenceJSONWriter.text(for: document)) ?? "{}") + "\n"
  }

  static func summaryValue(_ summary: Summary) -> Value {
    .object([
      Value.Member("create", .integer(summary.create)), Value.Member("update", .integer(summary.update)),
      Value.Member("purge", .integer(summary.purge)), Value.Member("pending_purge", .integer(summary.pendingPurge)),
      Value.Member("changed_slices", .integer(summary.changedSlices)),
    ])
  }

  /// `json`'s bytes written a slice at a time into `sink`, in chunks of about `chunkSize`:
  /// the whole document's value and text (several times the plans' size) never exist.
  public static func writeJSON(
    _ stores: [StorePlans], chunkSize: Int = ExportStream.defaultChunkSize, into sink: ([UInt8]) -> Void
  ) {
    var output: [UInt8] = []
    func flush(ifOver limit: Int) {
      guard output.count >= limit else { return }
      sink(output)
      output.removeAll(keepingCapacity: true)
    }
    // A value's text at depth 0 indented to `depth`: JSON text has no raw newline but its
    // line breaks (strings escape theirs).
    func append(_ value: Value, depth: Int) {
      let text = (try? ReferenceJSONWriter.bytes(for: value)) ?? Array("{}".utf8)
      let indent = [UInt8](repeating: UInt8(ascii: " "), count: 2 * depth)
      for byte in text {
        output.append(byte)
        if byte == UInt8(ascii: "\n") { output += indent }
      }
    }
    func append(_ text: String) { output += Array(text.utf8) }
    append("{\n  \"stores\": ")
    if stores.isEmpty { append("[]") }
    for (storeIndex, store) in stores.enumerated() {
      append(storeIndex == 0 ? "[\n    {\n      \"store\": " : ",\n    {\n      \"store\": ")
      append(.string(store.store), depth: 3)
      append(",\n      \"slices\": ")
      if store.plans.isEmpty { append("[]") }
      for (sliceIndex, plan) in store.plans.enumerated() {
        append(sliceIndex == 0 ? "[\n        " : ",\n        ")
        append(sliceValue(plan), depth: 4)
        flush(ifOver: chunkSize)
      }
      if !store.plans.isEmpty { append("\n      ]") }
      if !store.warnings.isEmpty {
        append(",\n      \"warnings\": ")
        append(.array(store.warnings.map(Value.string)), depth: 3)
      }
      append("\n    }")
    }
    if !stores.isEmpty { append("\n  ]") }
    append(",\n  \"summary\": ")
    append(summaryValue(summary(stores)), depth: 1)
    append("\n}\n")
    flush(ifOver: 0)
  }

  static func sliceValue(_ plan: SlicePlan) -> Value {
    let pending = Set(plan.pendingPurges.map(\.path))
    return .object([
      Value.Member("name", .string(plan.name)),
      Value.Member("version", .integer(plan.decision.version)),
      Value.Member("latest_active_version", .integer(plan.decision.latestActiveVersion)),
      Value.Member("change", .string(plan.decision.change.rawValue)),
      Value.Member("changes", .boolean(plan.hasChanges)),
      Value.Member("deleted", .boolean(plan.decision.deleted)),
      Value.Member("emitted", .boolean(plan.emitted)),
      Value.Member("failure", plan.failure.map { .string($0.description) } ?? .null),
      Value.Member(
        "elements",
        .array(
          plan.elements.map { element in
            .object([
              Value.Member("path", .string(element.path.description)),
              Value.Member("shape", .string(element.shape)),
              Value.Member("operation", .string(element.operation.rawValue)),
              Value.Member("change", .string(element.change.rawValue)),
              Value.Member("context", .boolean(element.isContext)),
              Value.Member("pending_purge", .boolean(pending.contains(element.path))),
              Value.Member("attributes", .array(element.attributeChanges.map(attributeValue))),
            ])
          })),
    ])
  }

  static func attributeValue(_ change: AttributeChange) -> Value {
    .object([
      Value.Member("name", .string(change.name)),
      Value.Member("change", .string(change.kind.rawValue)),
      Value.Member("before", change.before ?? .null),
      Value.Member("after", change.after ?? .null),
    ])
  }
}
