import SliceSyntax

/// One version of a slice as the reference holds it after reading its file (`SliceFile.read()`):
/// the attributes validated and dumped with every default filled in — `operation: "create"` in
/// every object, `version: 0`, `slice_store: ""`, `slice_name: ""` on the root, model-only
/// attributes — and every `path` key removed. A deleted slice's attributes are `{}`.
public struct ActiveVersion: Sendable, Equatable {
  public var version: Int
  public var attributes: Value
  /// The file it was read from, when it comes from one.
  public var path: String?

  public init(version: Int, attributes: Value, path: String? = nil) {
    self.version = version
    self.attributes = attributes
    self.path = path
  }

  public var isDeleted: Bool { attributes.isDeletedSlice }
}

extension Value {
  /// The reference's test for a deleted slice: attributes equal to `{}`.
  public var isDeletedSlice: Bool {
    if case .object(let members) = self { return members.isEmpty }
    return false
  }

  public static let deletedSlice = Value.object([])
}

/// What the next update or sync compile makes of a slice (`SliceStore.load_source_slices`).
public struct VersionDecision: Sendable, Equatable {
  public enum Change: String, Sendable, Hashable {
    /// Source present, no active version yet: the first version.
    case new
    /// Source equal to the latest active version: that version again.
    case unchanged
    /// Source different from the latest active version: a new version.
    case modified
    /// Source gone (or emptied) while the latest active version is not deleted: a new, deleted version.
    case deleted
    /// Source gone and the latest active version already deleted: nothing changes.
    case stillDeleted
  }

  public var version: Int
  /// The attributes of that version: the source's, or the latest active version's when
  /// unchanged; `{}` when deleted.
  public var attributes: Value
  public var deleted: Bool
  public var change: Change
  /// The version the slice had in the active store before (0 when none).
  public var latestActiveVersion: Int
  /// Whether a sync creates a file for this version (no active file holds it yet). A sync
  /// also rewrites the file of an existing version.
  public var writesNewVersion: Bool

  public init(
    version: Int, attributes: Value, deleted: Bool, change: Change, latestActiveVersion: Int,
    writesNewVersion: Bool
  ) {
    self.version = version
    self.attributes = attributes
    self.deleted = deleted
    self.change = change
    self.latestActiveVersion = latestActiveVersion
    self.writesNewVersion = writesNewVersion
  }
}

public enum Versions {
  /// The latest active version: the highest version number, the first one listed on a tie
  /// (like the reference's stable `sorted(..., reverse=True)[0]`).
  public static func latest(of history: [ActiveVersion]) -> ActiveVersion? {
    var best: ActiveVersion?
    for entry in history where best.map({ entry.version > $0.version }) ?? true {
      best = entry
    }
    return best
  }

  /// The version the next update/sync compile assigns to a slice, exactly as the reference does.
  ///
  /// - Parameters:
  ///   - source: the source file's attributes as read (see `ActiveVersion`), `{}` for an empty
  ///     or `null` file, nil when there is no source file.
  ///   - sourceFileVersion: a version written in the source file's name (`a@v5.json`), which the
  ///     reference uses instead of the one it would compute.
  ///   - history: the slice's active versions.
  /// - Returns: nil when the slice has neither a source nor an active version.
  public static func decide(
    source: Value?, sourceFileVersion: Int? = nil, history: [ActiveVersion]
  ) -> VersionDecision? {
    let versions = Set(history.map(\.version))
    guard let latest = latest(of: history) else {
      guard let source else { return nil }
      let version = sourceFileVersion ?? 1
      return VersionDecision(
        version: version, attributes: source, deleted: source.isDeletedSlice, change: .new,
        latestActiveVersion: 0, writesNewVersion: true)
    }
    guard let source else {
      if latest.isDeleted {
        return VersionDecision(
          version: latest.version, attributes: latest.attributes, deleted: true,
          change: .stillDeleted, latestActiveVersion: latest.version, writesNewVersion: false)
      }
      return VersionDecision(
        version: latest.version + 1, attributes: .deletedSlice, deleted: true, change: .deleted,
        latestActiveVersion: latest.version, writesNewVersion: true)
    }
    if source == latest.attributes {
      return VersionDecision(
        version: latest.version, attributes: latest.attributes, deleted: latest.isDeleted,
        change: latest.isDeleted ? .stillDeleted : .unchanged,
        latestActiveVersion: latest.version, writesNewVersion: false)
    }
    let version = sourceFileVersion ?? latest.version + 1
    return VersionDecision(
      version: version, attributes: source, deleted: source.isDeletedSlice,
      change: source.isDeletedSlice ? .deleted : .modified, latestActiveVersion: latest.version,
      writesNewVersion: !versions.contains(version))
  }
}
