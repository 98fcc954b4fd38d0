import Foundation
import SliceSyntax

/// What reading schemas and slice files gave, kept between analyses of one project so that
/// analysing it again after an edit re-reads only what changed (the language server analyses
/// the whole project on every change: a slice can make another collide or change what is
/// purged). Entries are keyed by the content's fingerprint, never by time stamps, so an unsaved
/// buffer and the file on disk are told apart. Thread-safe.
public final class AnalysisCache: @unchecked Sendable {
  struct SchemaEntry {
    var key: Int
    var id: Int
    var schema: StoreSchema
  }

  struct ReadEntry {
    var key: Int
    var result: CachedRead
  }

  /// A file as read: what `ProjectAnalysis` keeps of it.
  struct CachedRead: Sendable {
    var file: SliceFileAnalysis
    var attributes: Value?
  }

  private let lock = NSLock()
  private var schemas: [String: SchemaEntry] = [:]
  private var reads: [String: ReadEntry] = [:]
  private var nextSchemaID = 0

  public init() {}

  /// The number of slice files remembered (for tests and diagnostics).
  public var fileCount: Int { lock.withLock { reads.count } }

  static func fingerprint(_ bytes: [UInt8], _ extra: some Hashable) -> Int {
    var hasher = Hasher()
    hasher.combine(bytes.count)
    bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    hasher.combine(extra)
    return hasher.finalize()
  }

  /// The schema for `path` with this content and configuration, loaded once; with an id that
  /// changes whenever the schema does (file reads depend on it).
  func schema(path: String, key: Int, load: () -> StoreSchema) -> (schema: StoreSchema, id: Int) {
    if let entry = lock.withLock({ schemas[path] }), entry.key == key { return (entry.schema, entry.id) }
    let schema = load()
    return lock.withLock {
      nextSchemaID += 1
      schemas[path] = SchemaEntry(key: key, id: nextSchemaID, schema: schema)
      return (schema, nextSchemaID)
    }
  }

  func read(path: String, key: Int, compute: () -> CachedRead) -> CachedRead {
    if let entry = lock.withLock({ reads[path] }), entry.key == key { return entry.result }
    let result = compute()
    lock.withLock { reads[path] = ReadEntry(key: key, result: result) }
    return result
  }

  /// Forgets the files of `root` that the last analysis did not read (deleted or renamed).
  func retain(paths kept: Set<String>, under root: URL) {
    let prefix = root.standardizedFileURL.path + "/"
    lock.withLock {
      reads = reads.filter { !$0.key.hasPrefix(prefix) || kept.contains($0.key) }
      schemas = schemas.filter { !$0.key.hasPrefix(prefix) || kept.contains($0.key) }
    }
  }
}
