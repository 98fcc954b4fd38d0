import Foundation
import LanguageServerProtocol
import SliceAnalysis
import SliceStore
import SliceSyntax

/// Runs the diagnostics source when files change and delivers its findings to the client.
///
/// **Scheduling.** A document that is opened, saved or closed is analysed at once; edits and
/// files changed on disk wait until the file has been quiet for `debounce` (150 ms), so typing
/// does not queue an analysis per key. The debounce runs on the injected `ServerClock` (tests
/// advance a manual one). Analyses run one after the other, each on a fresh snapshot, and hand
/// the source only the files that changed since the previous one.
///
/// **Push or pull.** LSP 3.17 offers both, and a client that gets both shows every diagnostic
/// twice (VS Code keeps pushed and pulled diagnostics in separate collections). slicels follows
/// what VS Code's client does: when the client declares `textDocument.diagnostic`, it pulls
/// (`textDocument/diagnostic`, `workspace/diagnostic`) and nothing is pushed; otherwise every
/// change is pushed with `textDocument/publishDiagnostics`. In pull mode slicels still analyses
/// after changes, so pulls are answered from the last result when it is current, and asks the
/// client to pull again (`workspace/diagnostic/refresh`, when it supports it) when an analysis
/// changed the diagnostics of a file other than the ones that changed (a schema or another
/// slice of the project).
///
/// Results for open documents made from a version the editor has already left are not pushed
/// (a newer analysis is on its way), and their fixes are not offered.
public actor DiagnosticsPipeline {
  /// One finding as published.
  struct Entry: Sendable {
    var id: Int
    var finding: Finding
    var diagnostic: Diagnostic
  }

  /// The last analysis of one file.
  struct FileResult: Sendable {
    var uri: DocumentURI
    var location: URL
    /// The version of the open document analysed; nil for a file that was not open.
    var version: Int?
    var document: TextDocument
    /// All findings, hints included (the settings decide what is shown).
    var findings: [Finding]
    var entries: [Entry]
    var resultId: String
    var diagnostics: [Diagnostic] { entries.map(\.diagnostic) }
  }

  private struct Pending {
    var location: URL
    var kinds: [WorkspaceChange.Kind]
    var due: ContinuousClock.Instant
  }

  private let workspace: Workspace
  private let source: any DiagnosticsSource
  /// The incremental analysis of the project source, for the editor features to share.
  public nonisolated var analysisHost: AnalysisHost? { (source as? ProjectDiagnosticsSource)?.host }
  private let debounce: Duration
  private let clock: any ServerClock
  private var session: Session?
  private var client: Client?

  /// By location key.
  private var results: [String: FileResult] = [:]
  /// What the client was last sent per location (push mode).
  private var pushed: [String: (uri: DocumentURI, diagnostics: [Diagnostic])] = [:]
  private var pending: [String: Pending] = [:]
  private var lastAnalysis: Task<Void, Never>?
  /// The last analysis queued and the changes it is for (a newer one may cancel it).
  private var lastEnqueued: (task: Task<Void, Never>, changes: [WorkspaceChange])?
  private var timer: Task<Void, Never>?
  private var timerDue: ContinuousClock.Instant?
  private var timerGeneration = 0
  private var nextEntryId = 0
  private var nextResultId = 0
  private var stopped = false
  /// The work-done progress of each project's background analysis, as a chain of steps so that
  /// begin, reports and end reach the client in order; and the projects whose background
  /// analysis the user cancelled (their files are then analysed only when touched).
  private var backgroundProgress: [String: Task<WorkDoneProgress?, Never>] = [:]
  private var cancelledBackground: Set<String> = []

  public init(
    workspace: Workspace, source: any DiagnosticsSource, debounce: Duration = .milliseconds(150),
    clock: any ServerClock = ContinuousServerClock()
  ) {
    self.workspace = workspace
    self.source = source
    self.debounce = debounce
    self.clock = clock
  }

  /// Takes the session and the client to deliver to; called by every handler, kept once.
  public func attach(session: Session, client: Client) {
    guard self.session == nil else { return }
    self.session = session
    self.client = client
  }

  /// Whether the client pulls diagnostics (then nothing is pushed).
  public var pullsDiagnostics: Bool {
    session?.clientCapabilities.textDocument?.diagnostic != nil
  }

  // MARK: Scheduling

  /// Queues files for analysis: at once, or `debounce` after the last change of each file.
  public func schedule(_ changes: [WorkspaceChange], debounced: Bool) {
    guard !stopped, !changes.isEmpty else { return }
    let now = clock.now
    for change in changes {
      let key = change.location.locationKey
      var entry = pending[key] ?? Pending(location: change.location, kinds: [], due: now + debounce)
      if !entry.kinds.contains(change.kind) { entry.kinds.append(change.kind) }
      entry.due = debounced ? now + debounce : now
      pending[key] = entry
    }
    armTimer()
  }

  private func armTimer() {
    guard !stopped, let next = pending.values.map(\.due).min() else {
      timer?.cancel()
      timer = nil
      timerDue = nil
      return
    }
    if timer != nil, let timerDue, timerDue <= next { return }
    timer?.cancel()
    timerGeneration += 1
    let generation = timerGeneration
    timerDue = next
    let clock = clock
    timer = Task { [weak self] in
      do {
        try await clock.sleep(until: next)
      } catch {
        return  // cancelled: a nearer deadline or a stop replaced this timer
      }
      await self?.timerFired(generation)
    }
  }

  private func timerFired(_ generation: Int) {
    guard generation == timerGeneration else { return }
    timer = nil
    timerDue = nil
    let now = clock.now
    let due = pending.filter { $0.value.due <= now }
    for key in due.keys { pending[key] = nil }
    if !due.isEmpty { enqueue(Self.changes(due.values)) }
    armTimer()
  }

  private static func changes(_ pending: some Sequence<Pending>) -> [WorkspaceChange] {
    pending.sorted { $0.location.locationKey < $1.location.locationKey }.flatMap { entry in
      entry.kinds.map { WorkspaceChange(entry.location, $0) }
    }
  }

  /// Chains an analysis after the previous one (analyses never overlap).
  @discardableResult
  private func enqueue(_ changes: [WorkspaceChange]) -> Task<Void, Never> {
    let previous = lastAnalysis
    // A queued or running analysis that only continues the background work, or that analyses an
    // edit these changes make stale, is cancelled: it stops at its next cancellation point,
    // delivers what it finished, and the source picks up the rest with these changes.
    if let last = lastEnqueued, last.changes.allSatisfy({ $0.kind == .background })
      || Set(last.changes.filter { $0.kind == .edited }.map(\.location.locationKey))
        .intersection(changes.filter { $0.kind == .edited }.map(\.location.locationKey)).isEmpty == false
    {
      if changes.contains(where: { $0.kind != .background }) { last.task.cancel() }
    }
    // An unstructured task: a cancelled pull request must not cancel the analysis others wait for.
    let task = Task {
      await previous?.value
      await self.analyse(changes)
    }
    lastAnalysis = task
    lastEnqueued = (task, changes)
    return task
  }

  /// Stops analysing (at shutdown).
  public func stop() {
    stopped = true
    pending = [:]
    timer?.cancel()
    timer = nil
  }

  // MARK: Analysis

  private func analyse(_ changes: [WorkspaceChange]) async {
    guard !stopped, let session else { return }
    let snapshot = await workspace.snapshot()
    let started = ContinuousClock.now
    let result = await source.findings(for: changes, in: snapshot)
    guard !stopped else { return }
    client?.logTrace(
      "analysed \(changes.count) change(s): \(result.files.count) file(s) in \(ContinuousClock.now - started)")

    var analysed: [String: FileResult] = [:]
    for file in result.files {
      let key = file.location.locationKey
      let open = snapshot.document(at: file.location)
      analysed[key] = FileResult(
        uri: snapshot.uri(for: file.location), location: file.location, version: open?.version,
        document: file.document, findings: SliceFileAnalyzer.sortedBySeverity(file.findings), entries: [], resultId: "")
    }
    // Files the answer speaks for without findings: cleared (an open one gets an empty result).
    var cleared: [String: URL] = [:]
    if result.scope.contains(where: { if case .folder = $0 { return true } else { return false } }) {
      for (key, previous) in results where analysed[key] == nil && result.covers(previous.location) {
        cleared[key] = previous.location
      }
    }
    for case .file(let location) in result.scope where analysed[location.locationKey] == nil {
      cleared[location.locationKey] = location
    }
    for (key, location) in cleared {
      let open = snapshot.document(at: location)
      analysed[key] = FileResult(
        uri: snapshot.uri(for: location), location: location, version: open?.version,
        document: open?.document ?? results[key]?.document ?? TextDocument(bytes: []), findings: [], entries: [],
        resultId: "")
    }

    var filesByKey = Dictionary(result.files.map { ($0.location.locationKey, $0) }, uniquingKeysWith: { _, last in last })
    for (location, document) in result.documents where filesByKey[location.locationKey] == nil {
      filesByKey[location.locationKey] = AnalysedFile(location: location, document: document, findings: [])
    }
    var changedKeys: [String] = []
    for (key, fileResult) in analysed.sorted(by: { $0.key < $1.key }) {
      let rendered = render(fileResult, session: session, snapshot: snapshot, analysedFiles: filesByKey)
      if commit(rendered, key: key, isOpen: snapshot.document(at: fileResult.location) != nil) { changedKeys.append(key) }
    }
    await deliver(keys: analysed.keys.sorted(), changedKeys: changedKeys, changes: changes, snapshot: snapshot)
    for progress in result.progress { track(progress) }
    let followUp = result.followUp.filter { !cancelledBackground.contains($0.location.locationKey) }
    // Right after a workspace folder is added (the client's start-up), the background waits a
    // debounce: the documents the client opens at once are analysed first.
    if !followUp.isEmpty { schedule(followUp, debounced: changes.contains { $0.kind == .folderAdded }) }
  }

  // MARK: Background progress

  /// Shows how far a project's background analysis has come: begun at its first step, ended
  /// when nothing is left (or the user cancelled it).
  private func track(_ progress: DiagnosticsResult.Progress) {
    let key = progress.root.locationKey
    guard let client else { return }
    let finished = progress.done >= progress.total || cancelledBackground.contains(key)
    let previous = backgroundProgress[key]
    if finished {
      guard let previous else { return }
      backgroundProgress[key] = nil
      Task { await previous.value?.end(message: "\(progress.total) slices analysed") }
      return
    }
    let percentage = progress.total > 0 ? progress.done * 100 / progress.total : 0
    let message = "\(progress.done)/\(progress.total) slices"
    if let previous {
      backgroundProgress[key] = Task {
        let shown = await previous.value
        shown?.report(message: message, percentage: percentage)
        return shown
      }
    } else {
      let cancellation = CancellationToken()
      cancellation.onCancel { [weak self] in
        Task { await self?.cancelBackground(key) }
      }
      let name = progress.root.lastPathComponent
      backgroundProgress[key] = Task {
        await client.beginProgress(
          title: "slicels: analysing \(name)", message: message, percentage: percentage, cancellation: cancellation)
      }
    }
  }

  private func cancelBackground(_ key: String) {
    cancelledBackground.insert(key)
    if pending[key]?.kinds == [.background] { pending[key] = nil }
    if let progress = backgroundProgress.removeValue(forKey: key) {
      Task { await progress.value?.end(message: "cancelled") }
    }
  }

  /// Converts a file's findings to diagnostics under the current settings and capabilities.
  private func render(
    _ file: FileResult, session: Session, snapshot: WorkspaceSnapshot, analysedFiles: [String: AnalysedFile]
  ) -> FileResult {
    var file = file
    let shown = file.findings.filter { snapshot.settings.showHints || $0.severity != .hint }
    let relatedFiles = Self.relatedFiles(of: file, findings: shown, snapshot: snapshot, analysedFiles: analysedFiles)
    let converter = DiagnosticConverter(
      encoding: session.positionEncoding,
      relatedInformationSupport: session.clientCapabilities.textDocument?.publishDiagnostics?.relatedInformation == true,
      relatedFile: { relatedFiles[$0] })
    var conversion = DiagnosticConverter.FileConversion(converter: converter, uri: file.uri, document: file.document)
    file.entries = shown.map { finding in
      nextEntryId += 1
      let diagnostic = conversion.diagnostic(for: finding, data: ["id": .int(nextEntryId)])
      return Entry(id: nextEntryId, finding: finding, diagnostic: diagnostic)
    }
    return file
  }

  /// Stores a file's result; true when its diagnostics differ from the previous result's.
  private func commit(_ file: FileResult, key: String, isOpen: Bool) -> Bool {
    var file = file
    let previous = results[key]
    // Ids differ at every rendering; what the client sees is the rest. A file seen for the first
    // time without findings changes nothing for the client either.
    let changed =
      previous.map { Self.withoutData($0.diagnostics) != Self.withoutData(file.diagnostics) || $0.uri != file.uri }
      ?? !file.entries.isEmpty
    if let previous, !changed {
      // The same diagnostics: keep their ids, so that nothing is sent again and the client's
      // copies still find their findings.
      for index in file.entries.indices {
        file.entries[index].id = previous.entries[index].id
        file.entries[index].diagnostic.data = previous.entries[index].diagnostic.data
      }
      file.resultId = previous.resultId
    } else {
      nextResultId += 1
      file.resultId = "\(nextResultId)"
    }
    if file.entries.isEmpty, !isOpen, file.version == nil, pushed[key] == nil {
      // A closed file without findings that the client never saw: nothing to remember.
      results[key] = nil
    } else {
      results[key] = file
    }
    return changed
  }

  private static func withoutData(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    diagnostics.map { diagnostic in
      var diagnostic = diagnostic
      diagnostic.data = nil
      return diagnostic
    }
  }

  private func deliver(keys: [String], changedKeys: [String], changes: [WorkspaceChange], snapshot: WorkspaceSnapshot) async {
    guard let client else { return }
    if pullsDiagnostics {
      // The client pulls the documents it changed by itself; tell it when others changed too.
      let requested = Set(changes.map(\.location.locationKey))
      let others = changedKeys.filter { !requested.contains($0) }
      if !others.isEmpty, session?.clientCapabilities.workspace?.diagnostics?.refreshSupport == true {
        Task { _ = try? await client.request(DiagnosticRefreshRequest()) }
      }
      return
    }
    // A document (re)opened gets its diagnostics even when they equal what was pushed before:
    // the client may have dropped them when it closed the document, and a close and a reopen
    // that arrive together are analysed together.
    let opened = Set(changes.filter { $0.kind == .opened }.map(\.location.locationKey))
    for key in keys {
      guard let result = results[key] else {
        // Dropped as an empty closed file: clear what was pushed, if anything.
        if let previous = pushed.removeValue(forKey: key), !previous.diagnostics.isEmpty {
          client.send(PublishDiagnosticsNotification(uri: previous.uri, diagnostics: []))
        }
        continue
      }
      if let version = result.version, await workspace.document(result.uri)?.version != version {
        continue  // stale: the document moved on and is queued again
      }
      let isOpen = snapshot.document(at: result.location) != nil
      if let previous = pushed[key], previous.uri != result.uri, !previous.diagnostics.isEmpty {
        client.send(PublishDiagnosticsNotification(uri: previous.uri, diagnostics: []))
        pushed[key] = nil
      }
      let diagnostics = result.diagnostics
      // An open document gets its first diagnostics even when there are none (the client may
      // hold old ones); a closed file only when it has some.
      let send =
        (isOpen && opened.contains(key)) || (pushed[key].map { $0.diagnostics != diagnostics } ?? (isOpen || !diagnostics.isEmpty))
      if send {
        client.send(PublishDiagnosticsNotification(uri: result.uri, version: result.version, diagnostics: diagnostics))
      }
      if diagnostics.isEmpty, !isOpen {
        // Nothing left to remember about a closed file without findings.
        pushed[key] = nil
        results[key] = nil
      } else if send {
        pushed[key] = (result.uri, diagnostics)
      }
    }
  }

  /// The files that related places of other files point into, each read once.
  private static func relatedFiles(
    of file: FileResult, findings: [Finding], snapshot: WorkspaceSnapshot, analysedFiles: [String: AnalysedFile]
  ) -> [String: DiagnosticConverter.RelatedFile] {
    let paths = Set(findings.flatMap { $0.related.compactMap(\.path) })
    guard !paths.isEmpty else { return [:] }
    let projectRoot = snapshot.document(at: file.location)?.projectRoot
      ?? (file.location.isFileURL ? ProjectLocator.projectRoot(containing: file.location) : nil)
    var files: [String: DiagnosticConverter.RelatedFile] = [:]
    for path in paths {
      let location: URL
      if path.hasPrefix("/") {
        location = URL(fileURLWithPath: path).standardizedFileURL
      } else if let projectRoot {
        location = projectRoot.appendingPathComponent(path).standardizedFileURL
      } else {
        continue
      }
      let document: TextDocument
      if let analysed = analysedFiles[location.locationKey] {
        document = analysed.document
      } else if let open = snapshot.document(at: location) {
        document = open.document
      } else if let bytes = readSmallFile(location) {
        document = TextDocument(bytes: bytes)
      } else {
        continue
      }
      var displayName = location.path
      if let projectRoot, displayName.hasPrefix(projectRoot.path + "/") {
        displayName = String(displayName.dropFirst(projectRoot.path.count + 1))
      }
      files[path] = DiagnosticConverter.RelatedFile(uri: snapshot.uri(for: location), document: document, displayName: displayName)
    }
    return files
  }

  private static func readSmallFile(_ location: URL) -> [UInt8]? {
    FileReader().contents(location.path)
  }

  // MARK: Settings

  /// Shows or hides hints everywhere at once from the findings already known, then has the open
  /// documents analysed again (a source may compute hints only when they are shown).
  public func settingsChanged() async {
    guard let session else { return }
    let snapshot = await workspace.snapshot()
    var changedKeys: [String] = []
    for (key, file) in results.sorted(by: { $0.key < $1.key }) {
      let rendered = render(file, session: session, snapshot: snapshot, analysedFiles: [:])
      if commit(rendered, key: key, isOpen: snapshot.document(at: file.location) != nil) { changedKeys.append(key) }
    }
    await deliver(keys: results.keys.sorted(), changedKeys: changedKeys, changes: [], snapshot: snapshot)
    schedule(
      snapshot.documents.values.sorted { $0.uri < $1.uri }.map { WorkspaceChange($0.location, .settings) }, debounced: false)
  }

  // MARK: Pull

  /// `textDocument/diagnostic`: the current diagnostics of a document, analysed first if the
  /// last result is not of its current version.
  public func report(for uri: DocumentURI, previousResultId: String?) async -> DocumentDiagnosticReport {
    let open = await workspace.document(uri)
    guard let location = open?.location ?? OpenDocument.location(of: uri)?.url,
      let result = await analysedResult(at: location, version: open?.version)
    else { return .full([]) }
    if let previousResultId, previousResultId == result.resultId { return .unchanged(resultId: result.resultId) }
    return .full(result.diagnostics, resultId: result.resultId)
  }

  /// The result of a file for the document's `version`, analysed now when the last result is
  /// older (an edit still in its debounce is analysed at once, not after it). Waits for the
  /// analyses already queued, which are bounded like every analysis; the result may still be of
  /// another version if the document moved on meanwhile.
  private func analysedResult(at location: URL, version: Int?) async -> FileResult? {
    let key = location.locationKey
    func current() -> FileResult? {
      guard let result = results[key], pending[key] == nil, result.version == version else { return nil }
      return result
    }
    if let result = current() { return result }
    if pending[key] == nil, let last = lastAnalysis {
      await last.value
      if let result = current() { return result }
    }
    let kinds = pending.removeValue(forKey: key)?.kinds ?? [.pulled]
    armTimer()
    await enqueue(kinds.map { WorkspaceChange(location, $0) }).value
    return results[key]
  }

  /// `workspace/diagnostic`: every file with diagnostics (and every file the client knew that
  /// has none now), after analysing what is queued and the open documents never analysed.
  public func workspaceReport(previousResultIds: [PreviousResultId]) async -> WorkspaceDiagnosticReport {
    let snapshot = await workspace.snapshot()
    var changes = Self.changes(pending.values)
    pending = [:]
    armTimer()
    for document in snapshot.documents.values where results[document.location.locationKey] == nil {
      changes.append(WorkspaceChange(document.location, .pulled))
    }
    if !changes.isEmpty { enqueue(changes) }
    await lastAnalysis?.value

    let previous = Dictionary(previousResultIds.map { ($0.uri, $0.value) }, uniquingKeysWith: { _, last in last })
    var items: [WorkspaceDocumentDiagnosticReport] = []
    var reported = Set<DocumentURI>()
    for (_, result) in results.sorted(by: { $0.key < $1.key }) {
      guard !result.entries.isEmpty || previous[result.uri] != nil else { continue }
      reported.insert(result.uri)
      if previous[result.uri] == result.resultId {
        items.append(WorkspaceDocumentDiagnosticReport(kind: .unchanged, resultId: result.resultId, uri: result.uri, version: result.version))
      } else {
        items.append(
          WorkspaceDocumentDiagnosticReport(
            kind: .full, resultId: result.resultId, items: result.diagnostics, uri: result.uri, version: result.version))
      }
    }
    for uri in previous.keys.sorted() where !reported.contains(uri) {
      items.append(WorkspaceDocumentDiagnosticReport(kind: .full, items: [], uri: uri, version: nil))
    }
    return WorkspaceDiagnosticReport(items: items)
  }

  // MARK: Code actions

  /// The quick fixes of the findings a code action request is about: the diagnostics it sends
  /// back (found by the id in their `data`, else by range, code and message), or, when it sends
  /// none (or none of them is found: copies from before an edit), those that touch its range.
  /// The fixes are of the open document's version: right after an edit, that version is
  /// analysed first (a fix made from older text would edit the wrong bytes, and no fix at all
  /// while the user waits for one is what an editor must not show).
  public func quickFixes(for request: CodeActionRequest, documentVersion: Int?) async -> [CodeActionOrCommand] {
    guard QuickFixes.wanted(by: request.context.only),
      let location = OpenDocument.location(of: request.textDocument.uri)?.url,
      let result = await analysedResult(at: location, version: documentVersion), result.version == documentVersion,
      let session
    else { return [] }
    var selected: [Entry] = []
    func select(_ entry: Entry) {
      if !selected.contains(where: { $0.id == entry.id }) { selected.append(entry) }
    }
    for diagnostic in request.context.diagnostics {
      if let id = diagnostic.data?["id"]?.intValue, let entry = result.entries.first(where: { $0.id == id }) {
        select(entry)
      } else if let entry = result.entries.first(where: {
        $0.diagnostic.range == diagnostic.range && $0.diagnostic.code == diagnostic.code
          && $0.diagnostic.message == diagnostic.message
      }) {
        select(entry)
      }
    }
    if selected.isEmpty {
      for entry in result.entries where entry.diagnostic.range.intersectsOrTouches(request.range) { select(entry) }
    }
    let documentChanges = session.clientCapabilities.workspace?.workspaceEdit?.documentChanges == true
    return selected.flatMap { entry in
      QuickFixes.actions(
        for: entry.finding, diagnostic: entry.diagnostic, uri: request.textDocument.uri, document: result.document,
        version: result.version, encoding: session.positionEncoding, documentChanges: documentChanges
      ).map(CodeActionOrCommand.codeAction)
    }
  }

}
