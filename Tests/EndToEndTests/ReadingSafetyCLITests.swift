import Foundation
import SliceTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What one run of the `slicels` command line gave.
struct CommandRun {
  var status: Int32
  var output: String
  var errors: String
  var all: String { output + errors }
}

/// A copy of Examples/network-project in a new temporary folder, and the built `slicels` run on it.
struct CLIProject {
  /// The temporary folder holding the project: anything written next to the project shows here.
  let folder: URL
  let root: URL

  init() throws {
    folder = URL(fileURLWithPath: "/tmp")
      .appendingPathComponent("slicels-cli-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    root = folder.appendingPathComponent("network-project")
    try FileManager.default.copyItem(at: TestPackage.exampleProject, to: root)
  }

  func remove() {
    // Give back the permissions a test took away, so that everything can be removed.
    _ = try? Self.shell(["chmod", "-R", "u+rwX", folder.path])
    try? FileManager.default.removeItem(at: folder)
  }

  func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  func read(_ relative: String) throws -> String {
    try String(contentsOf: url(relative), encoding: .utf8)
  }

  func write(_ relative: String, _ text: String) throws {
    try Data(text.utf8).write(to: url(relative))
  }

  /// Every entry under the temporary folder, by relative path: a regular file's bytes, else what
  /// it is (special files are never opened).
  func state() -> [String: [UInt8]] {
    var entries: [String: [UInt8]] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return entries }
    while let relative = enumerator.nextObject() as? String {
      let path = folder.appendingPathComponent(relative).path
      guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
        let type = attributes[.type] as? FileAttributeType
      else {
        entries[relative] = Array("unreadable entry".utf8)
        continue
      }
      if type == .typeRegular {
        entries[relative] = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? Array("unreadable file".utf8)
      } else if type == .typeSymbolicLink {
        entries[relative] = Array("link to \((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")".utf8)
      } else {
        entries[relative] = Array(type.rawValue.utf8)
      }
    }
    return entries
  }

  /// Runs `slicels ARGUMENTS` in the project folder; as the unprivileged user `nobody` (through
  /// setpriv, on a copy of the binary the user can run) when `unprivileged`.
  func run(_ arguments: [String], unprivileged: Bool = false) throws -> CommandRun {
    var executable = try ServerProcess.binary()
    var fullArguments = arguments
    if unprivileged {
      let copy = folder.appendingPathComponent("slicels-binary")
      if !FileManager.default.fileExists(atPath: copy.path) {
        // Copied by `cp`, not in this process: a file this process holds open for writing is
        // inherited by whatever a parallel test spawns meanwhile, and executing the copy then
        // fails with "Text file busy" (exit 126).
        try Self.shell(["cp", executable.path, copy.path])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
      }
      fullArguments = ["--reuid=65534", "--regid=65534", "--clear-groups", copy.path] + arguments
      executable = URL(fileURLWithPath: Self.setprivPath)
    }
    return try Self.execute(executable, fullArguments, in: root)
  }

  static let setprivPath = "/usr/bin/setpriv"

  /// Whether a run as another user is possible: root with util-linux' setpriv.
  static var canRunUnprivileged: Bool {
    getuid() == 0 && FileManager.default.isExecutableFile(atPath: setprivPath)
  }

  /// Opens the temporary folder to every user (a run as nobody must be able to write in it).
  func openToEveryone() throws {
    try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
    _ = try Self.shell(["chmod", "-R", "a+rwX", root.path])
  }

  @discardableResult
  static func shell(_ arguments: [String]) throws -> CommandRun {
    try execute(URL(fileURLWithPath: "/usr/bin/env"), arguments, in: URL(fileURLWithPath: "/"))
  }

  static func execute(_ executable: URL, _ arguments: [String], in directory: URL) throws -> CommandRun {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-out-\(UUID().uuidString)")
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: outputFile)
      try? FileManager.default.removeItem(at: errorFile)
    }
    process.standardOutput = try FileHandle(forWritingTo: outputFile)
    process.standardError = try FileHandle(forWritingTo: errorFile)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // A hang guard only: every command here finishes in well under a second.
    let deadline = Date().addingTimeInterval(60)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      throw EndToEndFailure(description: "slicels \(arguments.joined(separator: " ")) did not finish within 60 s")
    }
    process.waitUntilExit()
    let output = String(decoding: (try? Data(contentsOf: outputFile)) ?? Data(), as: UTF8.self)
    let errors = String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self)
    return CommandRun(status: process.terminationStatus, output: output, errors: errors)
  }
}

@Suite("Reading safety through the command line")
struct ReadingSafetyCLITests {
  /// `check` exits 1 with the finding `path:line:column: error: … [code]`; update and sync fail
  /// and leave every byte under the temporary folder as it was.
  func expectRefused(
    _ project: CLIProject, at place: String, code: String, unprivileged: Bool = false, extra: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let check = try project.run(["check"] + extra, unprivileged: unprivileged)
    #expect(check.status == 1, "check: \(check.all)", sourceLocation: sourceLocation)
    let line = check.output.split(separator: "\n").first { $0.hasPrefix("\(place): error: ") && $0.hasSuffix("[\(code)]") }
    #expect(line != nil, "expected \(place): error: … [\(code)] in:\n\(check.all)", sourceLocation: sourceLocation)
    let before = project.state()
    for mode in ["sync", "update"] {
      let run = try project.run([mode] + extra, unprivileged: unprivileged)
      // 1: the compile fails on findings; 2: a store cannot be compiled at all (its schema).
      #expect(run.status == 1 || run.status == 2, "\(mode): \(run.all)", sourceLocation: sourceLocation)
    }
    let after = project.state()
    let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
    #expect(changed.isEmpty, "files changed: \(changed)", sourceLocation: sourceLocation)
  }

  @Test func theUntouchedExampleIsClean() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let check = try project.run(["check"])
    #expect(check.status == 0, "\(check.all)")
  }

  @Test func aMissingSourceFolderWarnsAndSyncRefusesToDeleteTheStoreUnlessAllowed() throws {
    let project = try CLIProject()
    defer { project.remove() }
    try FileManager.default.removeItem(at: project.url("files/vlans"))
    let check = try project.run(["check"])
    #expect(check.status == 1, "\(check.all)")
    #expect(
      check.output.split(separator: "\n").contains { $0.hasPrefix("files/vlans:1:1: warning: ") && $0.hasSuffix("[store-sources-missing]") },
      "\(check.all)")
    let plan = try project.run(["plan"])
    #expect(plan.status == 0 && plan.output.contains("Warning: the source folder of store 'vlans' does not exist"), "\(plan.all)")
    let before = project.state()
    let sync = try project.run(["sync"])
    #expect(sync.status == 1, "\(sync.all)")
    #expect(sync.all.contains("files/vlans:1:1: error: sync refused, nothing is written"), "\(sync.all)")
    #expect(before == project.state())
    let allowed = try project.run(["sync", "--allow-emptied-stores"])
    #expect(allowed.status == 0, "\(allowed.all)")
    #expect(allowed.all.contains("created  git_ops/active/vlans/office@v3.json"), "\(allowed.all)")
  }

  @Test(.timeLimit(.minutes(2))) func aFIFOInASourceFolderIsNeverOpened() throws {
    let project = try CLIProject()
    defer { project.remove() }
    #expect(mkfifo(project.url("files/vlans/fifo.json").path, 0o644) == 0)
    try expectRefused(project, at: "files/vlans/fifo.json:1:1", code: "slice-file-special")
  }

  @Test func aLinkToADeviceInAnActiveFolderIsAnError() throws {
    let project = try CLIProject()
    defer { project.remove() }
    try FileManager.default.createSymbolicLink(
      atPath: project.url("git_ops/active/vlans/office@v3.json").path, withDestinationPath: "/dev/null")
    try expectRefused(project, at: "git_ops/active/vlans/office@v3.json:1:1", code: "slice-file-special")
  }

  @Test func aLinkToNothingNamedLikeASliceIsAnError() throws {
    let project = try CLIProject()
    defer { project.remove() }
    try FileManager.default.removeItem(at: project.url("files/vlans/office.yaml"))
    try FileManager.default.createSymbolicLink(
      atPath: project.url("files/vlans/office.yaml").path, withDestinationPath: "office-moved.yaml")
    try expectRefused(project, at: "files/vlans/office.yaml:1:1", code: "slice-link-broken")
  }

  @Test func aSourceFolderReplacedByAFileIsAnError() throws {
    let project = try CLIProject()
    defer { project.remove() }
    try FileManager.default.removeItem(at: project.url("files/vlans"))
    try project.write("files/vlans", "oops\n")
    try expectRefused(project, at: "files/vlans:1:1", code: "store-folder-not-a-folder")
  }

  @Test func anActiveFolderThatIsAFileIsAnError() throws {
    let project = try CLIProject()
    defer { project.remove() }
    try FileManager.default.removeItem(at: project.url("git_ops/active/fs"))
    try project.write("git_ops/active/fs", "oops\n")
    try expectRefused(project, at: "git_ops/active/fs:1:1", code: "store-folder-not-a-folder")
  }

  @Test func aStoreNameThatLeavesTheProjectIsAnErrorAndNothingIsWrittenOutside() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let config = try project.read("files/git-ops-config.yml")
    let escaped = "escaped-\(UUID().uuidString)"
    try project.write(
      "files/git-ops-config.yml",
      config + "  - store_name: ../../../\(escaped)\n    schema_path: inmanta:///files/schemas/vlans.json\n")
    let line = config.split(separator: "\n", omittingEmptySubsequences: false).count
    try expectRefused(project, at: "files/git-ops-config.yml:\(line):17", code: "store-name-invalid")
    // The source folder would be /tmp/<escaped>, the active one next to the project.
    #expect(!FileManager.default.fileExists(atPath: "/tmp/\(escaped)"))
    #expect(!FileManager.default.fileExists(atPath: project.folder.appendingPathComponent(escaped).path))
  }

  @Test func aConfiguredFolderOutsideTheProjectIsAnError() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let settings = try project.read("slicels.yml")
    try project.write("slicels.yml", settings + "  vlans:\n    folder: ../vlans-elsewhere\n")
    let line = settings.split(separator: "\n", omittingEmptySubsequences: false).count + 1
    try expectRefused(project, at: "slicels.yml:\(line):13", code: "store-folder-outside-project")
  }

  @Test func anActiveFolderLinkedOutsideTheProjectIsAnError() throws {
    let project = try CLIProject()
    defer { project.remove() }
    try FileManager.default.moveItem(at: project.url("git_ops/active/vlans"), to: project.folder.appendingPathComponent("vlans"))
    try FileManager.default.createSymbolicLink(atPath: project.url("git_ops/active/vlans").path, withDestinationPath: "../../../vlans")
    try expectRefused(project, at: "git_ops/active/vlans:1:1", code: "store-folder-outside-project")
  }

  @Test func aSchemaThatIsAFolderIsAnError() throws {
    let project = try CLIProject()
    defer { project.remove() }
    try FileManager.default.removeItem(at: project.url("files/schemas/vlans.json"))
    try FileManager.default.createDirectory(at: project.url("files/schemas/vlans.json"), withIntermediateDirectories: false)
    try expectRefused(project, at: "files/schemas/vlans.json:1:1", code: "schema-unreadable")
  }

  @Test func aFileLargerThanTheLimitIsAnError() throws {
    let project = try CLIProject()
    defer { project.remove() }
    try expectRefused(project, at: "files/fs/web01.yaml:1:1", code: "file-too-large", extra: ["--max-file-size", "600"])
    let settings = try project.read("slicels.yml")
    try project.write("slicels.yml", settings + "limits:\n  max_file_size: 600\n")
    try expectRefused(project, at: "files/fs/web01.yaml:1:1", code: "file-too-large")
    #expect(try project.run(["check", "--max-file-size", "64MiB"]).status == 0)
    let usage = try project.run(["check", "--max-file-size", "lots"])
    #expect(usage.status == 64 || usage.status == 2, "\(usage.all)")
  }

  @Test func anUnreadableSourceSliceIsAnErrorForAnUnprivilegedUser() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let unprivileged = CLIProject.canRunUnprivileged
    guard unprivileged || getuid() != 0 else { return }  // Root without setpriv reads anything: the seam tests cover it.
    if unprivileged { try project.openToEveryone() }
    try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: project.url("files/vlans/office.yaml").path)
    try expectRefused(project, at: "files/vlans/office.yaml:1:1", code: "file-unreadable", unprivileged: unprivileged)
    let check = try project.run(["check"], unprivileged: unprivileged)
    #expect(check.output.contains(String(cString: strerror(EACCES))), "\(check.all)")
  }

  @Test func anUnlistableSourceFolderIsAnErrorForAnUnprivilegedUser() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let unprivileged = CLIProject.canRunUnprivileged
    guard unprivileged || getuid() != 0 else { return }
    if unprivileged { try project.openToEveryone() }
    try FileManager.default.setAttributes([.posixPermissions: 0o311], ofItemAtPath: project.url("files/fs").path)
    try expectRefused(project, at: "files/fs:1:1", code: "store-folder-unreadable", unprivileged: unprivileged)
  }
}

@Suite("Reading safety in the language server")
struct ReadingSafetyServerTests {
  @Test func anOpenDocumentLargerThanTheLimitGetsOnlyTheOneFinding() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let settings = try project.read("slicels.yml")
    // Above every file of the project (the schemas stay usable), below the edited document.
    try project.write("slicels.yml", settings + "limits: {max_file_size: 5000}\n")
    let file = project.url("files/vlans/office.yaml")
    let uri = file.absoluteString
    let server = try ServerProcess()
    try server.initialize(capabilities: [:])
    server.notify("initialized", [:])
    // A typo'd property that a full analysis would report, in a document over the limit.
    let text = try project.read("files/vlans/office.yaml") + "descriptoin: typo\n" + String(repeating: "# padding\n", count: 600)
    server.notify(
      "textDocument/didOpen",
      ["textDocument": ["uri": .string(uri), "languageId": "yaml", "version": 1, "text": .string(text)]])
    let items = try ProjectDiagnosticsTests.diagnostics(server, uri: uri) { items in
      items.contains { $0["code"] == "file-too-large" }
    }
    #expect(items.compactMap { $0["code"]?.stringValue } == ["file-too-large"])
    #expect(items.first?["severity"] == 1)
    #expect(try server.shutdownAndExit() == 0)
  }
}
