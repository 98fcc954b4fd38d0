import Foundation
import SliceSyntax

/// How an update compile writes a source file back.
public enum CompileStyle: String, Sendable, Hashable, CaseIterable {
  /// Exactly the reference's bytes: `json.dumps(obj, indent=2)` or `yaml.safe_dump(obj, sort_keys=False)`.
  case reference
  /// Keep the user's text where the data allows: a file whose data already is the normalised
  /// data is left alone; another one is edited by the `PreservingStyle` when one is set, else
  /// rewritten with the reference's bytes.
  case preserve
}

/// The seam through which an update compile in `.preserve` style edits a source file instead of
/// rewriting it: comments, key order and layout stay where the data allows.
public protocol PreservingStyle: Sendable {
  /// The new text of a source file that must hold `normalized` (the data the reference writes),
  /// or nil to fall back to the reference's text. `document` and `tree` are the file as it is.
  func rewrite(_ document: TextDocument, tree: SyntaxTree, format: SliceFormat, to normalized: Value) -> String?
}

/// A `PreservingStyle` made of a closure.
public struct PreservingClosure: PreservingStyle {
  let body: @Sendable (TextDocument, SyntaxTree, SliceFormat, Value) -> String?

  public init(_ body: @escaping @Sendable (TextDocument, SyntaxTree, SliceFormat, Value) -> String?) {
    self.body = body
  }

  public func rewrite(_ document: TextDocument, tree: SyntaxTree, format: SliceFormat, to normalized: Value) -> String? {
    body(document, tree, format, normalized)
  }
}

/// Why a compile could not even start: the project, a store or a schema is missing. The CLI
/// exits with status 2 on these.
public enum CompileSetupError: Error, Sendable, Equatable, CustomStringConvertible {
  case noStores(root: String)
  case unknownStore(name: String, known: [String])
  case unusableSchema(store: String, reason: String)
  case unknownSlices(names: [String], stores: [String])
  /// A commit an earlier run left half done can be neither completed nor undone, or another
  /// slicels is committing right now.
  case interruptedCommit(String)

  public var description: String {
    switch self {
    case .noStores(let root):
      return
        "\(root): the project configures no slice store: list them in files/git-ops-config.yml (stores: - store_name: …) or in slicels.yml"
    case .unknownStore(let name, let known):
      return
        "no store named '\(name)' in this project; its stores are: \(known.isEmpty ? "(none)" : known.joined(separator: ", "))"
    case .unusableSchema(let store, let reason):
      return "store '\(store)': \(reason)"
    case .interruptedCommit(let problem):
      return problem
    case .unknownSlices(let names, let stores):
      let quoted = names.map { "'\($0)'" }.joined(separator: ", ")
      return
        "no slice named \(quoted) in store\(stores.count == 1 ? "" : "s") \(stores.joined(separator: ", ")) (a slice is a source file <name>.json|yaml|yml or an active file <name>@v<N>.json)"
    }
  }
}

/// What an embedded compile did, or why it did nothing.
public struct CompileOutcome: Sendable {
  public var mode: CompileMode
  /// The stores the compile touched, in configuration order.
  public var stores: [String]
  /// The files the real compile would fail on, with the findings that make it fail (errors only).
  /// Not empty: the compile failed and wrote nothing.
  public var failedFiles: [ReportedFile]
  /// Failures that belong to no position in a file (a merge the module cannot make, a write
  /// that failed). Not empty: the compile failed.
  public var problems: [String]
  /// What was written, created and deleted. When the compile failed: the changes that stayed
  /// (a commit failed midway and could not put them back); empty means nothing was written.
  public var changes: [FileChange]
  /// What was done first about a commit an earlier run left half done.
  public var recovery: CommitRecoveryReport?
  /// Export: what `git_ops::unroll_slices(store)` returns, per touched store in order.
  public var views: [(store: String, slices: [UnrolledSlice])]
  /// A streamed export (`EmbeddedEngine.run(…, export:)`): its output, instead of `views`;
  /// set only when the compile succeeded.
  public var streamedExport: StreamedExport?
  /// Things the user should know that do not fail the compile.
  public var notes: [String]
  /// Update: per source file, the properties it drops and the values it rewrites (see
  /// `UpdateReview`), in file order.
  public var reviews: [ReportedFile] = []
  /// Update: the source files left untouched because a dropped key is a near miss of a known
  /// property (`UpdateReview.NearMissPolicy.hold`). The rest of the compile went ahead.
  public var heldFiles: [String] = []
  /// A dry run: what the commit would write, nothing having been written (`changes` then lists
  /// the changes it would make).
  public var plannedWrites: [PlannedWrite] = []

  public var succeeded: Bool { failedFiles.isEmpty && problems.isEmpty }

  public init(
    mode: CompileMode, stores: [String], failedFiles: [ReportedFile] = [], problems: [String] = [],
    changes: [FileChange] = [], views: [(store: String, slices: [UnrolledSlice])] = [], notes: [String] = []
  ) {
    self.mode = mode
    self.stores = stores
    self.failedFiles = failedFiles
    self.problems = problems
    self.changes = changes
    self.views = views
    self.notes = notes
  }

  /// Whether the update left some file untouched because of a near miss.
  public var heldBack: Bool { !heldFiles.isEmpty }

  /// Every slice of the export view, store by store, each store's sorted by name.
  public var exportedSlices: [UnrolledSlice] { views.flatMap(\.slices) }
}

/// A file a dry run would change: its bytes now (nil: it does not exist) and after (nil: deleted).
public struct PlannedWrite: Sendable, Hashable {
  public var path: String
  public var before: [UInt8]?
  public var after: [UInt8]?

  public init(path: String, before: [UInt8]?, after: [UInt8]?) {
    self.path = path
    self.before = before
    self.after = after
  }
}
