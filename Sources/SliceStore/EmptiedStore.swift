import SliceSyntax

// A store whose source folder is gone, or holds no slice, while some of its slices are active:
// a sync gives every one of them a deleted version, and the next export purges all they hold.
// The reference does so without a word. A folder moved or renamed, a sparse checkout, a store
// path mistyped in the model does it as surely as a deliberate removal of the store, so slicels
// warns wherever the project is checked and `sync` refuses it unless told it is meant.

extension FindingCode {
  /// Issues `sync` turns into errors unless the user allows emptied stores.
  public static let emptiedStoreCodes: Set<FindingCode> = [.storeSourcesMissing]
}

extension StoreFolders {
  /// The active slices whose latest version is not a deletion, when the source folder holds
  /// no slice file; otherwise none (nothing is read then). A latest version that cannot be read
  /// counts as live: not knowing is no reason to stay quiet. A source folder that cannot be
  /// listed has its own error, which stops the sync already.
  public func liveSlicesWithoutSources(reader: FileReader) -> [String] {
    guard sources.isEmpty, !active.isEmpty,
      !issues.contains(where: { FindingCode.storeFolderCodes.contains($0.code) && $0.path == sourceFolder })
    else { return [] }
    return latestActive.filter { entry in
      guard case .success(let bytes) = reader.read(entry.path, listedAsRegularFile: true) else { return true }
      return !Self.isDeletedVersion(bytes)
    }.map(\.name)
  }

  /// A deleted version's file: an empty JSON object (`{}`, whitespace aside).
  static func isDeletedVersion(_ bytes: [UInt8]) -> Bool {
    let significant = bytes.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    return significant == [UInt8(ascii: "{"), UInt8(ascii: "}")]
  }

  /// Adds the `store-sources-missing` warning at the source folder when the source folder
  /// holds no slice while some active slices are live. Only for a whole listing: a listing
  /// narrowed to some names holds no source of the others.
  public mutating func addEmptiedStoreIssue(storeName: String, reader: FileReader) {
    let live = liveSlicesWithoutSources(reader: reader)
    guard !live.isEmpty else { return }
    let folderState = sourceFolderExists ? "holds no slice file" : "does not exist"
    let shown = live.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (live.count > 3 ? ", …" : "")
    let count = live.count == 1 ? "1 slice" : "\(live.count) slices"
    issues.append(
      StoreFileIssue(
        path: sourceFolder, severity: .warning, code: .storeSourcesMissing,
        message:
          "the source folder of store '\(storeName)' \(folderState), while \(count) of the store \(live.count == 1 ? "is" : "are") "
          + "active (\(shown)): a sync gives each a deleted version, and the next export purges everything in them. "
          + "If the folder moved or is not checked out, put it back; to delete them all, sync with --allow-emptied-stores"))
  }
}
