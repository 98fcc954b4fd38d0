import Foundation
import SliceSyntax

/// What makes a compile of a store fail, found before anything is written: the files the
/// reference cannot read in that mode, the file names it rejects, the merges it cannot make,
/// and the clashes where it would pick one of two files without saying which.
struct CompileFailures {
  var files: [ReportedFile] = []
  var problems: [String] = []

  /// Folder issues that stop a compile: the module raises on the first three; on clashes it
  /// keeps one file in directory order, which the embedded engine refuses to guess.
  static let blockingIssueCodes: Set<FindingCode> = [
    .sliceFileName, .sliceFileExtension, .activeFileVersion, .sliceNameClash, .activeVersionClash, .sliceFileSpecial,
    .sliceLinkBroken, .fileUnreadable, .storeFolderNotAFolder, .storeFolderUnreadable,
  ]

  /// The configuration's findings that stop every compile: a configuration file that cannot be
  /// read, a store name or folder that would lead outside the project.
  static func configurationFailures(_ analysis: ProjectAnalysis) -> [ReportedFile] {
    let files = [analysis.configuration.moduleConfigFile, analysis.configuration.ownConfigFile].map(\.standardizedFileURL)
    var reported: [ReportedFile] = []
    for (url, findings) in analysis.findings.sortedByPath(\.key) {
      let blocking = findings.filter { finding in
        finding.severity == .error
          && (finding.registeredCode.map(FindingCode.configurationSafetyCodes.contains) == true
            || (files.contains(url) && FileReadFindings.codes.contains(finding.code)))
      }
      guard !blocking.isEmpty else { continue }
      let document = TextDocument(bytes: analysis.configuration.fileReader.contents(url.path) ?? [])
      reported.append(ReportedFile(file: url, document: document, findings: blocking))
    }
    return reported
  }

  /// `merges`: the store's merge outcomes in this mode when the caller has them already.
  /// `allowsEmptiedStores`: a sync may delete every live slice of a store whose source folder
  /// is missing or holds no slice (`store-sources-missing`).
  static func collect(
    store: StoreAnalysis, analysis: ProjectAnalysis, mode: CompileMode, selection: NameSet?,
    merges: [StoreSnapshot.Outcome]? = nil, allowsEmptiedStores: Bool = false
  ) -> CompileFailures {
    var failures = CompileFailures()
    let activeFolder = URL(fileURLWithPath: store.folders.activeFolder).standardizedFileURL.path
    func selected(_ name: String?) -> Bool {
      guard let selection else { return true }
      // A file whose name gives no slice fails every compile of the store.
      guard let name else { return true }
      return selection.contains(name)
    }
    func inActiveFolder(_ path: String) -> Bool {
      URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path == activeFolder
    }

    // File names and clashes. Export and prune read only the active folder.
    var byFile: [URL: [Finding]] = [:]
    var order: [URL] = []
    func add(_ url: URL, _ finding: Finding) {
      if byFile[url] == nil { order.append(url) }
      byFile[url, default: []].append(finding)
    }
    if mode == .sync, !allowsEmptiedStores {
      // Every live slice of the store would get a deleted version, whatever was selected.
      for issue in store.folders.issues where FindingCode.emptiedStoreCodes.contains(issue.code) {
        var finding = issue.finding
        finding.severity = .error
        finding.message = "sync refused, nothing is written: " + finding.message
        add(URL(fileURLWithPath: issue.path).standardizedFileURL, finding)
      }
    }
    for issue in store.folders.issues where blockingIssueCodes.contains(issue.code) {
      if FindingCode.storeFolderCodes.contains(issue.code) {
        // The whole folder: every slice of the store is unknown, whatever the selection.
        let isActiveFolder = URL(fileURLWithPath: issue.path).standardizedFileURL.path == activeFolder
        if mode.readsSources || isActiveFolder { add(URL(fileURLWithPath: issue.path).standardizedFileURL, issue.finding) }
        continue
      }
      if !mode.readsSources && !inActiveFolder(issue.path) { continue }
      let fileName = (issue.path as NSString).lastPathComponent
      guard selected(SliceFileName.parse(fileName)?.name) else { continue }
      var finding = issue.finding
      finding.severity = .error
      if issue.code == .sliceNameClash || issue.code == .activeVersionClash {
        finding.message += " slicels does not compile a store with such a clash."
      }
      add(URL(fileURLWithPath: issue.path).standardizedFileURL, finding)
    }

    // Files that do not load or validate.
    var readFiles: [SliceFileEntry] = []
    switch mode {
    case .update, .sync:
      readFiles = store.folders.sources + store.folders.active
    case .export:
      readFiles = store.folders.active
    case .prune:
      // read_raw of the latest version only, without the schema.
      readFiles = store.folders.latestActive.sorted { codePointLess($0.path, $1.path) }
    }
    func reasons(_ file: SliceFileAnalysis) -> [Finding] {
      var reasons = mode == .prune ? file.readErrors.raw : file.readErrors.validated
      if mode == .sync, case .source = file.role {
        reasons += file.findings.filter { $0.code == FindingCode.placeholder.rawValue }
      }
      return reasons
    }
    // Nearly every compile meets no such file: a scan of the analyses tells so without a URL
    // and a hash per listed file (the serial tail of a large export).
    if analysis.files.values.contains(where: { !reasons($0).isEmpty }) {
      for entry in readFiles where selected(entry.name) {
        let url = entry.url
        guard let file = analysis.files[url] else { continue }
        for finding in reasons(file) { add(url, finding) }
      }
    }

    // Merges the module cannot make.
    if mode != .prune, let schema = store.schema {
      for outcome in merges ?? store.snapshot.outcomes(mode: mode, catalog: schema.catalog) where selected(outcome.name) {
        guard case .failed(let error) = outcome.result else { continue }
        let place =
          mode.readsSources
          ? store.folders.source(named: outcome.name)?.path ?? store.folders.activeVersions(named: outcome.name).last?.path
          : store.folders.activeVersions(named: outcome.name).last?.path
        let message = "slice '\(outcome.name)': \(error); the module fails with \(error.referenceMessage)"
        if let place {
          add(
            URL(fileURLWithPath: place).standardizedFileURL,
            Finding(range: 0..<0, severity: .error, code: .mergeFailure, message: message))
        } else {
          failures.problems.append("store '\(store.name)': \(message)")
        }
      }
    }

    for url in order {
      let document =
        analysis.files[url]?.document
        ?? TextDocument(bytes: analysis.configuration.fileReader.contents(url.path) ?? [])
      failures.files.append(ReportedFile(file: url, document: document, findings: byFile[url] ?? []))
    }
    return failures
  }
}
