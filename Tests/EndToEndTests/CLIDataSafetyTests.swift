import Foundation
import Testing

/// The CLI on hostile or damaged slices (issue 8): what `slicels update` and `check` do with
/// the real binary on a copy of the example project.
@Suite struct CLIDataSafetyTests {
  struct Run {
    var status: Int32
    var output: String
  }

  /// Runs `slicels` with `arguments` and waits for it (at most `timeout` seconds, as a hang guard).
  static func slicels(_ arguments: [String], timeout: TimeInterval = 120) throws -> Run {
    let process = Process()
    process.executableURL = try ServerProcess.binary()
    process.arguments = arguments
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-cli-\(UUID().uuidString).txt")
    guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
      throw EndToEndFailure(description: "cannot create \(output.path)")
    }
    defer { try? FileManager.default.removeItem(at: output) }
    let handle = try FileHandle(forWritingTo: output)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
      throw EndToEndFailure(description: "slicels \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
    }
    try handle.close()
    let text = (FileManager.default.contents(atPath: output.path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    return Run(status: process.terminationStatus, output: text)
  }

  /// lab.json as the reference writes it, with `mtu` given twice and `dhcp` (default false) missing:
  /// as many entries as the normalised data.
  static let labWithDuplicateKey = """
    {
      "site": "bru",
      "vlan_id": 20,
      "name": "lab",
      "description": null,
      "mtu": 9000,
      "mtu": 9000,
      "subnets": [
        "10.20.0.0/24"
      ],
      "ports": []
    }
    """

  @Test func updateRewritesAFileWithADuplicateKeyInBothStyles() throws {
    for style in ["preserve", "reference"] {
      let project = try ProjectDiagnosticsTests.exampleCopy()
      defer { try? FileManager.default.removeItem(at: project) }
      let lab = project.appendingPathComponent("files/vlans/lab.json")
      try Data(Self.labWithDuplicateKey.utf8).write(to: lab)
      let run = try Self.slicels(["update", "--project", project.path, "--style", style, "lab"])
      #expect(run.status == 0, "\(style): \(run.output)")
      #expect(run.output.contains("files/vlans/lab.json"), "\(style): \(run.output)")
      let written = String(decoding: try Data(contentsOf: lab), as: UTF8.self)
      #expect(written.components(separatedBy: "\"mtu\"").count == 2, "\(style): \(written)")
      #expect(written.contains("\"dhcp\": false"), "\(style): \(written)")
    }
  }
}
