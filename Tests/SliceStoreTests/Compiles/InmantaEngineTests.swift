import Foundation
import SliceStore
import SliceTestSupport
import Testing

@Suite("Inmanta engine")
struct InmantaEngineTests {
  /// A project whose slicels.yml runs a shell script as its compile command.
  func projectWithFakeCompile(_ script: String) throws -> TemporaryProject {
    let project = try TemporaryProject.example()
    try project.write("fake-compile.sh", "#!/bin/sh\n" + script)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: project.url("fake-compile.sh").path)
    try project.write("slicels.yml", "compile:\n  command: [./fake-compile.sh, --flag]\n")
    return project
  }

  @Test func runsTheConfiguredCommandWithTheModeAndReportsChangedFiles() throws {
    let project = try projectWithFakeCompile(
      """
      echo "mode=$INMANTA_GIT_OPS_COMPILE_MODE args=$* cwd=$(basename "$PWD")"
      printf '{}' > git_ops/active/vlans/lab@v3.json
      printf 'changed' > files/vlans/voice.yml
      rm git_ops/active/vlans/guest@v1.json
      touch -d '2001-02-03 04:05:06' files/vlans/office.yaml
      echo oops >&2
      exit 3
      """)
    defer { project.remove() }
    let configuration = ProjectConfiguration.load(root: project.root)
    #expect(configuration.compileCommand == ["./fake-compile.sh", "--flag"])
    let result = try InmantaEngine.run(
      mode: .sync, root: project.root, command: configuration.compileCommand, output: .collect)
    #expect(result.exitStatus == 3)
    #expect(!result.succeeded)
    #expect(result.output.contains("mode=sync args=--flag cwd=network-project"))
    #expect(result.output.contains("oops"))
    let changes = result.changes.map { "\($0.kind.rawValue) \($0.path.replacingOccurrences(of: project.root.path + "/", with: ""))" }
    #expect(
      changes == [
        "rewritten files/vlans/office.yaml", "modified files/vlans/voice.yml",
        "deleted git_ops/active/vlans/guest@v1.json", "created git_ops/active/vlans/lab@v3.json",
      ], "\(changes)")
  }

  @Test func aMissingCommandIsALaunchError() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    #expect(throws: InmantaEngine.LaunchError.self) {
      try InmantaEngine.run(mode: .update, root: project.root, command: ["slicels-no-such-command-\(UUID().uuidString)"])
    }
    #expect(throws: InmantaEngine.LaunchError.self) {
      try InmantaEngine.run(mode: .update, root: project.root, command: ["./missing.sh"])
    }
  }

  @Test func fingerprintsAreSHA256() {
    // Known answers (FIPS 180-4 examples).
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-sha-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder.appendingPathComponent("files"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    FileManager.default.createFile(atPath: folder.appendingPathComponent("files/abc").path, contents: Data("abc".utf8))
    FileManager.default.createFile(atPath: folder.appendingPathComponent("files/empty").path, contents: Data())
    let taken = FileStateSnapshot.take(root: folder, folders: ["files"])
    func hex(_ bytes: [UInt8]?) -> String { (bytes ?? []).map { String(format: "%02x", $0) }.joined() }
    #expect(hex(taken.files["files/abc"]?.digest) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(hex(taken.files["files/empty"]?.digest) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }

  /// The real compiler, opt-in (SLICELS_REAL_INMANTA=1): an export compile of the example
  /// project with the reference venv's inmanta changes no file.
  @Test(.enabled(if: ProcessInfo.processInfo.environment["SLICELS_REAL_INMANTA"] == "1"))
  func theRealCompilerRunsAnExport() throws {
    let inmanta = ProcessInfo.processInfo.environment["SLICELS_INMANTA"] ?? "/tmp/ref/venv/bin/inmanta"
    try #require(FileManager.default.isExecutableFile(atPath: inmanta), "no inmanta at \(inmanta) (set SLICELS_INMANTA)")
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let result = try InmantaEngine.run(mode: .export, root: project.root, command: [inmanta, "compile"], output: .collect)
    #expect(result.succeeded, "\(result.output)")
    #expect(result.changes.filter { $0.kind != .rewritten }.isEmpty, "\(result.changes)")
    let update = try InmantaEngine.run(mode: .update, root: project.root, command: [inmanta, "compile"], output: .collect)
    #expect(update.succeeded, "\(update.output)")
    #expect(update.changes.contains { $0.path.hasSuffix("files/vlans/voice.yml") && $0.kind == .modified })
  }
}
