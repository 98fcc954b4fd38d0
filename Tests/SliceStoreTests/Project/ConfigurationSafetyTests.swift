import Foundation
import SliceSyntax
import Testing

@testable import SliceStore

@Suite struct ConfigurationSafetyTests {
  func makeProject(_ files: [String: String]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-safety-\(UUID().uuidString)")
    for (path, text) in files {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return root
  }

  func range(of text: String, in file: String) throws -> ByteRange {
    let bytes = Array(file.utf8)
    let needle = Array(text.utf8)
    let start = try #require((0...(bytes.count - needle.count)).first { Array(bytes[$0..<$0 + needle.count]) == needle })
    return start..<start + needle.count
  }

  @Test func storeNamesThatAreNotOneFolderAreRefused() {
    for name in ["", ".", "..", ".hidden", "../../tmp/x", "a/b", "a\\b", "a\u{0}b", "a\nb", "a\u{7F}", String(repeating: "n", count: 201)] {
      #expect(StoreNameRule.problem(name) != nil, "\(name.debugDescription) must be refused")
    }
    for name in ["fs", "vlans", "a..b", "é-ü_1", "store name"] {
      #expect(StoreNameRule.problem(name) == nil, "\(name.debugDescription) must be accepted")
    }
  }

  @Test func anInvalidStoreNameIsAnErrorAtItsPlaceAndTheStoreIsDropped() throws {
    let config =
      "stores:\n  - store_name: fs\n    schema_path: inmanta:///files/schemas/fs.json\n"
      + "  - store_name: ../../../../tmp/x\n    schema_path: inmanta:///files/schemas/fs.json\n"
    let own = "stores:\n  \"a/b\": {folder: files/ab}\n"
    let root = try makeProject(["files/git-ops-config.yml": config, "slicels.yml": own])
    defer { try? FileManager.default.removeItem(at: root) }
    let configuration = ProjectConfiguration.load(root: root)
    #expect(configuration.stores.map(\.name) == ["fs"])
    let invalid = configuration.findings.filter { $0.finding.code == FindingCode.storeNameInvalid.rawValue }
    #expect(invalid.count == 2)
    let moduleFinding = try #require(invalid.first { $0.file.lastPathComponent == "git-ops-config.yml" })
    #expect(moduleFinding.finding.range == (try range(of: "../../../../tmp/x", in: config)))
    #expect(moduleFinding.finding.severity == .error)
    let ownFinding = try #require(invalid.first { $0.file.lastPathComponent == "slicels.yml" })
    #expect(ownFinding.finding.range == (try range(of: "\"a/b\"", in: own)))
  }

  @Test func aFolderThatLeavesTheProjectIsAnErrorAndTheStoreIsDropped() throws {
    let own = "stores:\n  fs:\n    folder: ../elsewhere/fs\n  vlans:\n    folder: files/vlans\n"
    let root = try makeProject(["slicels.yml": own, "files/vlans/a.json": "{}"])
    defer { try? FileManager.default.removeItem(at: root) }
    // The active folder of a third store is a link out of the project.
    let outside = root.deletingLastPathComponent().appendingPathComponent("outside-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: outside) }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("git_ops/active"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("git_ops/active/linked").path, withDestinationPath: outside.path)

    let configuration = ProjectConfiguration.load(root: root)
    #expect(configuration.stores.map(\.name) == ["vlans"])
    let outsideFindings = configuration.findings.filter { $0.finding.code == FindingCode.storeFolderOutsideProject.rawValue }
    #expect(outsideFindings.count == 2)
    let folderFinding = try #require(outsideFindings.first { $0.file.lastPathComponent == "slicels.yml" })
    #expect(folderFinding.finding.range == (try range(of: "../elsewhere/fs", in: own)))
    let linkFinding = try #require(outsideFindings.first { $0.file.lastPathComponent == "linked" })
    #expect(linkFinding.finding.message.contains("resolves to"))
  }

  @Test func aLinkInsideTheProjectIsFine() throws {
    let root = try makeProject(["files/real/a.json": "{}", "slicels.yml": "stores:\n  fs:\n    folder: files/fs\n"])
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("files/fs").path, withDestinationPath: root.appendingPathComponent("files/real").path)
    let configuration = ProjectConfiguration.load(root: root)
    #expect(configuration.findings.isEmpty)
    #expect(configuration.stores.map(\.name) == ["fs"])
  }

  @Test func theSizeLimitComesFromTheOptionElseSlicelsYmlElseTheDefault() throws {
    let root = try makeProject(["slicels.yml": "limits: {max_file_size: 10MB}\n"])
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(ProjectConfiguration.load(root: root).fileReader.maximumSize == 10_000_000)
    #expect(ProjectConfiguration.load(root: root, maximumFileSize: 1 << 20).fileReader.maximumSize == 1 << 20)
    try "stores: {}\n".write(to: root.appendingPathComponent("slicels.yml"), atomically: true, encoding: .utf8)
    #expect(ProjectConfiguration.load(root: root).fileReader.maximumSize == FileReader.defaultMaximumSize)
    try "limits: {max_file_size: 1048576}\n".write(to: root.appendingPathComponent("slicels.yml"), atomically: true, encoding: .utf8)
    #expect(ProjectConfiguration.load(root: root).fileReader.maximumSize == 1_048_576)

    let bad = "limits:\n  max_file_size: lots\n"
    try bad.write(to: root.appendingPathComponent("slicels.yml"), atomically: true, encoding: .utf8)
    let configuration = ProjectConfiguration.load(root: root)
    #expect(configuration.fileReader.maximumSize == FileReader.defaultMaximumSize)
    let finding = try #require(configuration.findings.first)
    #expect(finding.finding.code == "config-invalid")
    #expect(finding.finding.range == (try range(of: "lots", in: bad)))
  }

  @Test func anUnreadableConfigurationFileIsAnError() throws {
    let root = try makeProject([:])
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("files/git-ops-config.yml"), withIntermediateDirectories: true)
    let configuration = ProjectConfiguration.load(root: root)
    let finding = try #require(configuration.findings.first)
    #expect(finding.file.lastPathComponent == "git-ops-config.yml")
    #expect(finding.finding.code == FindingCode.fileUnreadable.rawValue)
    #expect(finding.finding.severity == .error)
  }
}
