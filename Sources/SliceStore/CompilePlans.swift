import SliceSyntax

/// A change a compile makes to the file system. The CLI renders `write` content with the
/// reference writers (`json.dumps(obj, indent=2)` or `yaml.safe_dump(obj, sort_keys=False)`)
/// and applies the operations atomically.
public enum FileOperation: Sendable, Equatable {
  /// Create a folder and its missing parents (`mkdir(parents=True, exist_ok=True)`).
  case createDirectory(path: String)
  /// Create or replace a file with a document.
  case write(path: String, content: Value, format: SliceFormat)
  /// Remove a file.
  case delete(path: String)

  public var path: String {
    switch self {
    case .createDirectory(let path), .write(let path, _, _), .delete(let path): return path
    }
  }
}

/// What a compile mode does to a store's files, apart from running the model.
public struct CompilePlan: Sendable {
  public var operations: [FileOperation]
  /// Slices the compile fails on. The reference writes its files anyway: it persists the
  /// store in a compile finalizer, which runs even when the compile failed.
  public var failures: [(name: String, error: MergeError)]

  public init(operations: [FileOperation], failures: [(name: String, error: MergeError)] = []) {
    self.operations = operations
    self.failures = failures
  }
}

/// Turns a slice's attributes as read (see `ActiveVersion`) into what the reference writes in a
/// file (`SliceFile.write`): validated again and dumped without the compile-managed and
/// model-only attributes. Provided by the schema layer.
public protocol SliceWriting {
  func fileContent(for attributes: Value) throws -> Value
}

/// The file operations of each compile mode, as the reference performs them.
public enum CompilePlans {
  /// Whenever a compile first touches a store (every mode), the reference creates the active
  /// folder if it is missing, with a `.migrations.json` marking every migration registered at
  /// that time as applied: `{"applied": [...]}`.
  ///
  /// Migrations are registered in Python, out of the embedded engine's sight: pass the store's
  /// registered migration names (in registration order). Writing an empty list for a store
  /// that does register migrations would make the next real compile apply them all to slices
  /// that never needed them.
  public static func activeFolderSetup(
    folders: StoreFolders, registeredMigrations: [String]
  ) -> [FileOperation] {
    guard !folders.activeFolderExists else { return [] }
    return [
      .createDirectory(path: folders.activeFolder),
      .write(
        path: StoreFolders.join(folders.activeFolder, SliceFileName.migrationsFileName),
        content: .object([Value.Member("applied", .array(registeredMigrations.map(Value.string)))]),
        format: .json),
    ]
  }

  /// The reference creates the source folder in update and sync compiles.
  static func sourceFolderSetup(folders: StoreFolders) -> [FileOperation] {
    folders.sourceFolderExists ? [] : [.createDirectory(path: folders.sourceFolder)]
  }

  /// Update: every source file is written back, in its own format, normalised; a deleted
  /// slice as `{}`. (The reference also rewrites the configured `schema_path`, from Python.)
  public static func update(
    snapshot: StoreSnapshot, folders: StoreFolders, registeredMigrations: [String],
    catalog: ShapeCatalog, writer: some SliceWriting, merges: [StoreSnapshot.Outcome]? = nil
  ) throws -> CompilePlan {
    var operations = activeFolderSetup(folders: folders, registeredMigrations: registeredMigrations)
    operations += sourceFolderSetup(folders: folders)
    for file in folders.sources {
      guard let decision = snapshot.decision(for: file.name), let format = file.format else { continue }
      let content = decision.attributes.isDeletedSlice ? Value.deletedSlice : try writer.fileContent(for: decision.attributes)
      operations.append(.write(path: file.path, content: content, format: format))
    }
    return CompilePlan(
      operations: operations,
      failures: mergeFailures(merges ?? snapshot.outcomes(mode: .update, catalog: catalog)))
  }

  /// The slices whose merged view the reference fails to build, from a mode's merge outcomes.
  static func mergeFailures(_ merges: [StoreSnapshot.Outcome]) -> [(name: String, error: MergeError)] {
    merges.compactMap { outcome in
      if case .failed(let error) = outcome.result { return (outcome.name, error) }
      return nil
    }
  }

  /// Sync: every slice of the source view is written to `<active>/<name>@v<version>.json`:
  /// new versions, new deleted versions (`{}`), and the unchanged latest versions, rewritten.
  /// Source files are left alone. (The reference's "Sync blocked" check only fires when Python
  /// code in the model changed a slice, which the embedded engine never does.)
  public static func sync(
    snapshot: StoreSnapshot, folders: StoreFolders, registeredMigrations: [String],
    catalog: ShapeCatalog, writer: some SliceWriting, merges: [StoreSnapshot.Outcome]? = nil
  ) throws -> CompilePlan {
    var operations = activeFolderSetup(folders: folders, registeredMigrations: registeredMigrations)
    operations += sourceFolderSetup(folders: folders)
    let failures = mergeFailures(merges ?? snapshot.outcomes(mode: .sync, catalog: catalog))
    for name in snapshot.sliceNames {
      guard let decision = snapshot.decision(for: name) else { continue }
      let content = decision.attributes.isDeletedSlice ? Value.deletedSlice : try writer.fileContent(for: decision.attributes)
      operations.append(
        .write(
          path: StoreFolders.join(folders.activeFolder, SliceFileName.activeFileName(name: name, version: decision.version)),
          content: content, format: .json))
    }
    return CompilePlan(operations: operations, failures: failures)
  }

  /// Prune: for each slice, every active file but the latest version is deleted, and the latest
  /// too when it holds a deleted slice. The reference reads only the latest file, without
  /// validation (`read_raw`): `isDeleted` answers whether its document is empty, `null` or `{}`.
  public static func prune(
    folders: StoreFolders, registeredMigrations: [String],
    isDeleted: (SliceFileEntry) throws -> Bool
  ) rethrows -> CompilePlan {
    var operations = activeFolderSetup(folders: folders, registeredMigrations: registeredMigrations)
    var byName: NameMap<[SliceFileEntry]> = [:]
    var names: [String] = []
    for file in folders.active {
      if byName[file.name] == nil { names.append(file.name) }
      byName[file.name, default: []].append(file)
    }
    for name in names {
      guard let files = byName[name] else { continue }
      // Python's max() keeps the first of equal versions.
      var latest = files[0]
      for file in files.dropFirst() where (file.fileName.version ?? 0) > (latest.fileName.version ?? 0) {
        latest = file
      }
      for file in files where !file.path.isScalarExact(to: latest.path) {
        operations.append(.delete(path: file.path))
      }
      if try isDeleted(latest) { operations.append(.delete(path: latest.path)) }
    }
    return CompilePlan(operations: operations)
  }

  /// Export writes nothing but the active folder setup; the model gets
  /// `snapshot.unrollSlices(mode: .export, catalog:)`.
  public static func export(folders: StoreFolders, registeredMigrations: [String]) -> CompilePlan {
    CompilePlan(operations: activeFolderSetup(folders: folders, registeredMigrations: registeredMigrations))
  }
}
