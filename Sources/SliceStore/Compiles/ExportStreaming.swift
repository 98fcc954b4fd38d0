import Foundation
import Locking
import SliceSyntax

/// How `export` produces its output in bounded memory: each slice's active files are read,
/// merged and written on every core, and appended in name order, with at most `groupSize`
/// slices in flight, so a project's memory holds that many slices' versions and views at most,
/// never the whole store's.
public struct ExportStreaming: Sendable {
  public var format: ExportStream.Format
  /// Slices read and merged (on every core) or waiting to be written at once: the memory bound.
  public var groupSize: Int
  /// The output's chunks (see `ExportStream`).
  public var chunkSize: Int
  /// Where the output waits for the compile's verdict.
  public var spool: ByteSpool
  /// Counts the slices whose versions or views are alive (tests).
  public var probe: LiveSliceProbe?

  public static let defaultGroupSize = 64

  public init(
    format: ExportStream.Format, groupSize: Int = ExportStreaming.defaultGroupSize,
    chunkSize: Int = ExportStream.defaultChunkSize, spool: ByteSpool = ByteSpool(), probe: LiveSliceProbe? = nil
  ) {
    self.format = format
    self.groupSize = max(1, groupSize)
    self.chunkSize = chunkSize
    self.spool = spool
    self.probe = probe
  }
}

/// The high-water mark of slices alive at once in a streamed export: loaded once their files
/// are read, released once written (or found not to be in the view).
public final class LiveSliceProbe: Sendable {
  private let counts = Locked((live: 0, highWater: 0))

  public init() {}

  public var highWater: Int { counts.withLock { $0.highWater } }
  public var live: Int { counts.withLock { $0.live } }

  func loaded() {
    counts.withLock { counts in
      counts.live += 1
      counts.highWater = max(counts.highWater, counts.live)
    }
  }

  func released() {
    counts.withLock { $0.live -= 1 }
  }
}

/// What a streamed export made: the output waiting in the spool (exactly the bytes the whole
/// view's writer gives), and the slice JSON cannot hold, if one stopped it.
public struct StreamedExport: Sendable {
  public var spool: ByteSpool
  /// The output ends just before this slice, like a stream that refused it.
  public var unwritable: ExportStream.UnwritableSlice?
}

extension EmbeddedEngine {
  /// One slice of a streamed export: its active files as the analysis would have kept them,
  /// and its merge (nil: no version of it loads, so the store's snapshot would not list it).
  struct StreamedSlice: Sendable {
    var files: [(url: URL, file: SliceFileAnalysis)]
    var merge: Merge

    /// What the merge gave. An emitted view is rendered and released on the worker: the
    /// writing thread only copies bytes, and never frees a view.
    enum Merge: Sendable {
      /// No version of the slice loads, so the store's snapshot would not list it.
      case noVersion
      case emitted(Result<ExportStream.RenderedSlice, ExportStream.UnwritableSlice>)
      case notEmitted
      case failed(StoreSnapshot.Outcome)
    }
  }

  /// Reads, merges and writes one store's selected slices, in name order. The
  /// active files' analyses go into `files` (what the failure collection reads); the merges
  /// that fail are returned (the view's slices are already written).
  static func streamExport(
    store: StoreAnalysis, schema: StoreSchema, selection: NameSet?, reader: FileReader,
    files: inout [URL: SliceFileAnalysis], stream: inout ExportStream, unwritable: inout ExportStream.UnwritableSlice?,
    streaming: ExportStreaming, workers: Int
  ) -> [StoreSnapshot.Outcome] {
    var entriesByName: NameMap<[SliceFileEntry]> = [:]
    for entry in store.folders.active where selection?.contains(entry.name) ?? true {
      entriesByName[entry.name, default: []].append(entry)
    }
    let names = entriesByName.keys.sorted(by: codePointLess)
    var failures: [StoreSnapshot.Outcome] = []
    let entries = entriesByName
    // The probe counts only the slices that have a version to merge.
    inNameOrder(names, groupSize: streaming.groupSize, workers: workers, probe: nil) { _, name in
      streamedSlice(
        named: name, entries: entries[name] ?? [], store: store, schema: schema, reader: reader,
        format: streaming.format, probe: streaming.probe)
    } use: { slice in
      for (url, file) in slice.files { files[url] = file }
      switch slice.merge {
      case .noVersion: return
      case .emitted(.success(let rendered)) where unwritable == nil: stream.append(rendered)
      case .emitted(.failure(let error)) where unwritable == nil: unwritable = error
      case .failed(let outcome): failures.append(outcome)
      case .emitted, .notEmitted: break
      }
      streaming.probe?.released()
    }
    return failures
  }

  private static func streamedSlice(
    named name: String, entries: [SliceFileEntry], store: StoreAnalysis, schema: StoreSchema, reader: FileReader,
    format: ExportStream.Format, probe: LiveSliceProbe?
  ) -> StreamedSlice {
    var files: [(url: URL, file: SliceFileAnalysis)] = []
    var reads: [(entry: SliceFileEntry, read: SliceFileAnalyzer.Read)] = []
    for entry in entries {
      let (url, read, _) = readSliceFile(
        entry, role: .active(store: store.name), format: entry.format ?? .json, schema: schema, reader: reader,
        checkUnknown: false, keepsDocumentWithoutFindings: false)
      // The failure collection reads a file's findings (and shows its text); a file without
      // any (nearly all of them) is not kept: a dictionary entry each, on the serial path.
      if !read.file.findings.isEmpty || !read.file.readErrors.raw.isEmpty || !read.file.readErrors.validated.isEmpty {
        files.append((url, read.file.droppingContents()))
      }
      if entry.fileName.version != nil, read.hasAttributes { reads.append((entry, read)) }
    }
    // A slice with one active version merges it without an older one: its read form need not
    // be built. One with two compares them (the only use the merge makes of the read forms'
    // managed defaults): where neither file can spell a managed or model-only attribute, the
    // read forms add the same defaults to both, so their merge forms compare alike. (With more
    // versions the older ones are merged first, and the merge's own `operation` values meet
    // the read form's defaults: the read forms are used.)
    let mergeForms = reads.count <= 2 ? reads.map { $0.read.mergeFormInsteadOfReadForm } : []
    // One version: its merge form wherever it applies. Two: only when both apply.
    let readsMergeForms = reads.count == 1 || (reads.count == 2 && mergeForms.allSatisfy { $0 != nil })
    let versions = reads.enumerated().compactMap { index, reading -> ActiveVersion? in
      let (entry, read) = reading
      guard let version = entry.fileName.version,
        let attributes = (readsMergeForms ? mergeForms[index] : nil) ?? read.attributes
      else { return nil }
      return ActiveVersion(version: version, attributes: attributes, path: entry.path)
    }
    guard !versions.isEmpty else { return StreamedSlice(files: files, merge: .noVersion) }
    probe?.loaded()
    if case .json = format {
      // Merged and written in one walk; anything unusual takes the general path below.
      switch MergedViewJSONWriter.render(name: name, storeName: store.name, history: versions, catalog: schema.catalog) {
      case .rendered(let bytes)?: return StreamedSlice(files: files, merge: .emitted(.success(ExportStream.RenderedSlice(bytes: bytes))))
      case .notEmitted?: return StreamedSlice(files: files, merge: .notEmitted)
      case nil: break
      }
    }
    // The store's own merge, on a snapshot of this one slice.
    let snapshot = StoreSnapshot(storeName: store.name, sources: [], active: [name: versions])
    guard let outcome = snapshot.outcomes(mode: .export, catalog: schema.catalog, workers: 1).first else {
      return StreamedSlice(files: files, merge: .notEmitted)
    }
    switch outcome.result {
    case .emitted(let view, _):
      return StreamedSlice(
        files: files,
        merge: .emitted(Result { () throws(ExportStream.UnwritableSlice) in try ExportStream.render(view, format: format) }))
    case .notEmitted: return StreamedSlice(files: files, merge: .notEmitted)
    case .failed: return StreamedSlice(files: files, merge: .failed(outcome))
    }
  }
}
