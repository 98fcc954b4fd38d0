import Foundation
import SliceTestSupport
import Testing

/// Writing commands of the real binary on copies of the example project: a read-only source as
/// an unprivileged user, renames failed by an LD_PRELOAD shim, a journal a killed sync left.
@Suite(.serialized) struct CommitEndToEndTests {
  struct Run {
    var status: Int32
    var output: String
    var errors: String
  }

  /// Runs `slicels` (through `prefix`, e.g. setpriv) and waits at most 60 s for it.
  static func slicels(_ arguments: [String], prefix: [String] = [], environment: [String: String] = [:]) throws -> Run {
    let process = Process()
    let binary = try ServerProcess.binary()
    if let tool = prefix.first {
      process.executableURL = URL(fileURLWithPath: tool)
      process.arguments = Array(prefix.dropFirst()) + [binary.path] + arguments
    } else {
      process.executableURL = binary
      process.arguments = arguments
    }
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Read both pipes while it runs: a full pipe would block it.
    let collected = CollectedOutput()
    let readers = DispatchGroup()
    for (pipe, isError) in [(output, false), (errors, true)] {
      readers.enter()
      DispatchQueue.global().async {
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        collected.set(data, isError: isError)
        readers.leave()
      }
    }
    let deadline = Date().addingTimeInterval(60)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      throw EndToEndFailure(description: "slicels \(arguments) did not end within 60 s")
    }
    process.waitUntilExit()
    readers.wait()
    return Run(status: process.terminationStatus, output: collected.text(isError: false), errors: collected.text(isError: true))
  }

  final class CollectedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var output = Data()
    private var errors = Data()
    func set(_ data: Data, isError: Bool) { lock.withLock { if isError { errors = data } else { output = data } } }
    func text(isError: Bool) -> String { lock.withLock { String(decoding: isError ? errors : output, as: UTF8.self) } }
  }

  /// A copy of the example project in a new folder that every user may enter.
  static func exampleCopy() throws -> (folder: URL, project: URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-commit-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
    let project = folder.appendingPathComponent("network-project")
    try FileManager.default.copyItem(at: TestPackage.exampleProject, to: project)
    return (folder, project)
  }

  /// Every file under the project, hidden ones included, with its mode and bytes.
  static func snapshot(_ project: URL) -> [String: String] {
    var entries: [String: String] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: project.path) else { return entries }
    while let relative = enumerator.nextObject() as? String {
      let path = project.appendingPathComponent(relative).path
      var information = stat()
      guard lstat(path, &information) == 0, information.st_mode & S_IFMT == S_IFREG else { continue }
      let bytes = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "?"
      entries[relative] = "\(String(information.st_mode & 0o7777, radix: 8)) \(bytes)"
    }
    return entries
  }

  static func edit(_ file: URL, _ old: String, _ new: String) throws {
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains(old))
    try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: file)
  }

  /// Three edited sources: a sync renames five new versions into place.
  static func editedCopy() throws -> (folder: URL, project: URL) {
    let copy = try exampleCopy()
    try edit(copy.project.appendingPathComponent("files/vlans/lab.json"), "\"mtu\": 9000", "\"mtu\": 9001")
    try edit(copy.project.appendingPathComponent("files/fs/db01.json"), "max_connections = 100", "max_connections = 200")
    try edit(copy.project.appendingPathComponent("files/vlans/office.yaml"), "vlan_id: 10", "vlan_id: 11")
    return copy
  }

  static let shimSource = """
    #define _GNU_SOURCE
    #include <dlfcn.h>
    #include <errno.h>
    #include <stdlib.h>
    #include <string.h>
    static int renames = 0;
    int rename(const char *source, const char *destination) {
      int (*real)(const char *, const char *) = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
      const char *nth = getenv("SLICELS_SHIM_FAIL_RENAME");
      if (nth && ++renames == atoi(nth)) { errno = ENOSPC; return -1; }
      return real(source, destination);
    }
    int unlink(const char *path) {
      int (*real)(const char *) = (int (*)(const char *))dlsym(RTLD_NEXT, "unlink");
      const char *part = getenv("SLICELS_SHIM_FAIL_UNLINK");
      if (part && strstr(path, part) && !strstr(path, "/.slicels-")) { errno = EROFS; return -1; }
      return real(path);
    }
    """

  /// The shim compiled with the system's C compiler; nil where there is none.
  static func shim(in folder: URL) throws -> URL? {
    guard let compiler = ["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang"].first(where: FileManager.default.isExecutableFile)
    else { return nil }
    let source = folder.appendingPathComponent("shim.c")
    let library = folder.appendingPathComponent("shim.so")
    try Data(shimSource.utf8).write(to: source)
    let process = try Process.run(URL(fileURLWithPath: compiler), arguments: ["-shared", "-fPIC", "-o", library.path, source.path, "-ldl"])
    process.waitUntilExit()
    return process.terminationStatus == 0 ? library : nil
  }

  @Test func updateRefusesAReadOnlySourceAsAnUnprivilegedUser() throws {
    let setpriv = "/usr/bin/setpriv"
    guard getuid() == 0, FileManager.default.isExecutableFile(atPath: setpriv) else { return }
    let (folder, project) = try Self.exampleCopy()
    defer { try? FileManager.default.removeItem(at: folder) }
    // A default is missing: update must rewrite this file.
    let lab = project.appendingPathComponent("files/vlans/lab.json")
    try Self.edit(lab, "  \"description\": null,\n", "")
    let chown = try Process.run(URL(fileURLWithPath: "/bin/chown"), arguments: ["-R", "65534:65534", folder.path])
    chown.waitUntilExit()
    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: lab.path)
    let before = Self.snapshot(project)

    let run = try Self.slicels(
      ["update", "--project", project.path], prefix: [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"])
    #expect(run.status == 1, "\(run.errors)")
    #expect(run.errors.contains("\(lab.path): the file is read-only for this user"), "\(run.errors)")
    #expect(run.errors.contains("nothing was written"))
    #expect(Self.snapshot(project) == before)
  }

  @Test func aSyncWhoseThirdRenameFailsWritesNothing() throws {
    let (folder, project) = try Self.editedCopy()
    defer { try? FileManager.default.removeItem(at: folder) }
    guard let shim = try Self.shim(in: folder) else { return }
    let before = Self.snapshot(project)
    let run = try Self.slicels(
      ["sync", "--project", project.path], environment: ["LD_PRELOAD": shim.path, "SLICELS_SHIM_FAIL_RENAME": "3"])
    #expect(run.status == 1)
    #expect(run.errors.contains(String(cString: strerror(ENOSPC))), "\(run.errors)")
    #expect(run.errors.hasSuffix("slicels: the sync compile fails: nothing was written\n"), "\(run.errors)")
    #expect(Self.snapshot(project) == before)
  }

  @Test func aSyncThatCannotPutAFileBackSaysWhichAndTheNextSyncUndoesIt() throws {
    let (folder, project) = try Self.editedCopy()
    defer { try? FileManager.default.removeItem(at: folder) }
    guard let shim = try Self.shim(in: folder) else { return }
    let before = Self.snapshot(project)
    let run = try Self.slicels(
      ["sync", "--project", project.path],
      environment: ["LD_PRELOAD": shim.path, "SLICELS_SHIM_FAIL_RENAME": "2", "SLICELS_SHIM_FAIL_UNLINK": "@v"])
    #expect(run.status == 1)
    #expect(!run.errors.contains("nothing was written"), "\(run.errors)")
    #expect(
      run.errors.hasSuffix(
        "slicels: the sync compile failed midway and could not put back 1 file:\n  created  git_ops/active/fs/db01@v2.json\n"),
      "\(run.errors)")

    let check = try Self.slicels(["check", project.path])
    #expect(check.status == 1)
    #expect(check.output.contains("git_ops/.slicels-commit.json:1:1: warning: "), "\(check.output)")
    #expect(check.output.contains("[interrupted-commit]"))

    let sync = try Self.slicels(["sync", "--project", project.path])
    #expect(sync.status == 0, "\(sync.errors)")
    #expect(sync.errors.contains("slicels: undid an interrupted sync"), "\(sync.errors)")
    var expected = Self.snapshot(project)
    expected = expected.filter { !$0.key.hasPrefix("git_ops/active/") || before[$0.key] != nil }
    #expect(expected == before)
  }

  /// What a sync killed after writing its journal leaves: the new version in a hidden file,
  /// the journal, and an older run's temporary file.
  struct KilledSync {
    var folder: URL
    var project: URL
    var target: URL
    var temporary: URL
    var stale: URL
    var journal: URL
    var content: Data
    static let stopped = Int32.max - 1
  }

  static func killedSync() throws -> KilledSync {
    let (folder, project) = try Self.exampleCopy()
    let stopped = KilledSync.stopped
    let active = project.appendingPathComponent("git_ops/active/vlans")
    let target = active.appendingPathComponent("lab@v3.json")
    let temporary = active.appendingPathComponent(".slicels-\(stopped)-0000abcd.tmp")
    let content = try #require(FileManager.default.contents(atPath: active.appendingPathComponent("lab@v2.json").path))
    try content.write(to: temporary)
    let stale = active.appendingPathComponent(".lab@v2.json.slicels-\(stopped)-4.tmp")
    try Data("{}".utf8).write(to: stale)
    let journal = project.appendingPathComponent("git_ops/.slicels-commit.json")
    try Data(
      """
      {"format": 1, "command": "sync", "processID": \(stopped), "started": "2026-12-04T10:00:00Z", "direction": "finish",
       "entries": [{"kind": "create", "target": "\(target.path)", "temporary": "\(temporary.path)", "backupIsCopy": false}],
       "createdFolders": []}
      """.utf8
    ).write(to: journal)
    return KilledSync(
      folder: folder, project: project, target: target, temporary: temporary, stale: stale, journal: journal, content: content)
  }

  @Test func theNextSyncCompletesTheCommitAKilledSyncLeft() throws {
    let killed = try Self.killedSync()
    defer { try? FileManager.default.removeItem(at: killed.folder) }
    let (project, journal, temporary, stale, target, content, stopped) = (
      killed.project, killed.journal, killed.temporary, killed.stale, killed.target, killed.content, KilledSync.stopped
    )
    let plan = try Self.slicels(["plan", "--project", project.path])
    #expect(plan.errors.contains("[interrupted-commit]"), "\(plan.errors)")
    #expect(FileManager.default.fileExists(atPath: journal.path))

    let sync = try Self.slicels(["sync", "--project", project.path])
    #expect(sync.status == 0, "\(sync.errors)")
    #expect(sync.errors.contains("slicels: completed an interrupted sync (slicels process \(stopped)"), "\(sync.errors)")
    #expect(!FileManager.default.fileExists(atPath: journal.path))
    #expect(!FileManager.default.fileExists(atPath: temporary.path))
    #expect(!FileManager.default.fileExists(atPath: stale.path))
    #expect(FileManager.default.contents(atPath: target.path) == content)
  }

  @Test func theServerWarnsAboutAnInterruptedCommitAndLeavesIt() throws {
    let killed = try Self.killedSync()
    defer { try? FileManager.default.removeItem(at: killed.folder) }
    let before = Self.snapshot(killed.project)
    let server = try ServerProcess()
    try server.initialize()
    server.notify("initialized", [:])
    let file = killed.project.appendingPathComponent("files/vlans/office.yaml")
    let text = try String(contentsOf: file, encoding: .utf8)
    server.notify(
      "textDocument/didOpen",
      ["textDocument": ["uri": .string(file.absoluteString), "languageId": "yaml", "version": 1, "text": .string(text)]])
    let items = try ProjectDiagnosticsTests.diagnostics(server, uri: killed.journal.absoluteString) { !$0.isEmpty }
    let warning = try #require(items.first)
    #expect(warning["code"] == "interrupted-commit")
    #expect(warning["severity"] == 2)
    #expect(warning["message"]?.stringValue?.contains("changed 0 of its 1 files") == true)
    #expect(try server.shutdownAndExit() == 0)
    #expect(Self.snapshot(killed.project) == before)
  }
}
