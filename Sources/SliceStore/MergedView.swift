import BigInt
import SliceSyntax

/// The state a compile takes as the current version of a slice.
public struct CurrentSlice: Sendable, Equatable {
  public var version: Int
  public var attributes: Value
  public var deleted: Bool

  public init(version: Int, attributes: Value, deleted: Bool) {
    self.version = version
    self.attributes = attributes
    self.deleted = deleted
  }

  public init(_ decision: VersionDecision) {
    self.init(version: decision.version, attributes: decision.attributes, deleted: decision.deleted)
  }

  public init(_ active: ActiveVersion) {
    self.init(version: active.version, attributes: active.attributes, deleted: active.isDeleted)
  }
}

/// One element of `git_ops::unroll_slices(store)`: a slice as the model receives it.
public struct UnrolledSlice: Sendable, Equatable {
  public var name: String
  public var storeName: String
  public var version: Int
  /// The merged view: every object carries `operation` and `path`; the root also `version`,
  /// `slice_store` and `slice_name`.
  public var attributes: Value
  public var deleted: Bool

  public init(name: String, storeName: String, version: Int, attributes: Value, deleted: Bool) {
    self.name = name
    self.storeName = storeName
    self.version = version
    self.attributes = attributes
    self.deleted = deleted
  }

  /// The plugin's dict: `{"name", "store_name", "version", "attributes", "deleted"}`.
  public var value: Value {
    .object([
      Value.Member("name", .string(name)),
      Value.Member("store_name", .string(storeName)),
      Value.Member("version", .integer(version)),
      Value.Member("attributes", attributes),
      Value.Member("deleted", .boolean(deleted)),
    ])
  }
}

/// The merged view of a slice (`SliceStore.load_previous_slices` and `load_slices`).
public enum MergedView {
  /// The previous state of a slice: every active version older than the current one, merged
  /// pairwise from the newest (`merge(v[n], v[n-1])`, then that with `v[n-2]`, …) without
  /// paths. The versions start below the latest when the current version is the latest.
  /// Nil when there is no older version.
  public static func previous(
    current: CurrentSlice, history: [ActiveVersion], catalog: ShapeCatalog
  ) throws(MergeError) -> Value? {
    let latest = Versions.latest(of: history).map(CurrentSlice.init)
      ?? CurrentSlice(version: 0, attributes: .deletedSlice, deleted: true)
    // Python's sorted(reverse=True) keeps equal versions in their listed order.
    var versions = history.enumerated()
      .sorted { $0.element.version != $1.element.version ? $0.element.version > $1.element.version : $0.offset < $1.offset }
      .map(\.element.attributes)
    if current == latest { versions.removeFirst(min(1, versions.count)) }
    let fold = Merger(catalog: catalog, insertPath: false)
    while versions.count >= 2 {
      let merged = try fold.merge(current: versions[0], previous: versions[1]) ?? .deletedSlice
      versions.replaceSubrange(0..<2, with: [merged])
    }
    return versions.first
  }

  /// What `unroll_slices` holds for one slice; nil when the slice is deleted and never had an
  /// undeleted version (it is not emitted). With `listingElements`, also every object of the
  /// view (export's view does not need them: listing them was a twentieth of an `export`).
  public static func unroll(
    name: String, storeName: String, current: CurrentSlice, history: [ActiveVersion],
    catalog: ShapeCatalog, listingElements: Bool = true
  ) throws(MergeError) -> (slice: UnrolledSlice, elements: [MergedElement])? {
    let previous = try previous(current: current, history: history, catalog: catalog)
    let merger = Merger(catalog: catalog)
    // Without any older version a deleted slice has nothing to purge.
    if current.deleted && previous == nil { return nil }
    let currentAttributes = current.deleted ? nil : current.attributes
    let result: (merged: Value?, elements: [MergedElement])
    if listingElements {
      result = try merger.mergeListingElements(current: currentAttributes, previous: previous)
    } else {
      result = (try merger.merge(current: currentAttributes, previous: previous), [])
    }
    var attributes = result.merged ?? .deletedSlice
    attributes.setMember("version", .integer(current.version))
    attributes.setMember("slice_store", .string(storeName))
    attributes.setMember("slice_name", .string(name))
    return (
      UnrolledSlice(
        name: name, storeName: storeName, version: current.version, attributes: attributes,
        deleted: current.deleted),
      result.elements
    )
  }
}

extension Value {
  /// Python's `d[key] = value` on an object: replaces the value in place, or appends.
  mutating func setMember(_ key: String, _ value: Value) {
    guard case .object(var members) = self else { return }
    if let index = members.lastIndex(where: { $0.key.isString(key) }) {
      members[index].value = value
    } else {
      members.append(Value.Member(key, value))
    }
    self = .object(members)
  }
}
