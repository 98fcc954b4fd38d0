import Foundation
import SliceSyntax
import Testing

@testable import SliceStore

@Suite struct PathURITests {
  let root = URL(fileURLWithPath: "/projects/net")

  @Test func resolvesTheForms() {
    #expect(PathURI.resolve("inmanta:///files/schemas/fs.json", projectRoot: root) == .resolved(URL(fileURLWithPath: "/projects/net/files/schemas/fs.json")))
    #expect(PathURI.resolve("file:///etc/fs.json", projectRoot: root) == .resolved(URL(fileURLWithPath: "/etc/fs.json")))
    #expect(PathURI.resolve("files/fs", projectRoot: root) == .resolved(URL(fileURLWithPath: "/projects/net/files/fs")))
    #expect(PathURI.resolve("inmanta://netslices/files/s.json", projectRoot: root) == .insideModule(module: "netslices", path: "files/s.json"))
    if case .invalid(let reason) = PathURI.resolve("http://example.com/s.json", projectRoot: root) {
      #expect(reason.contains("not supported"))
    } else {
      Issue.record("http must be refused")
    }
  }
}

@Suite struct ProjectConfigurationTests {
  func makeProject(_ files: [String: String]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-config-\(UUID().uuidString)")
    for (path, text) in files {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return root
  }

  @Test func readsModuleConfigAndOwnConfig() throws {
    let root = try makeProject([
      "project.yml": "name: net\n",
      "files/git-ops-config.yml": "stores:\n  - store_name: fs\n    schema_path: inmanta:///files/schemas/fs.json\n  - store_name: vlans\n    extra: ignored\n",
      "slicels.yml": "stores:\n  vlans:\n    folder: inventory/vlans\n    schema: files/schemas/vlans.json\n    keys: {Vlan: [id, site]}\ncompile:\n  command: [inmanta, -vv, compile]\n",
      "git_ops/active/old/.migrations.json": "{\"applied\": []}",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let configuration = ProjectConfiguration.load(root: root)
    // The module ignores a key it does not know; slicels reads the rest and warns at the key.
    #expect(configuration.findings.map(\.finding.code) == ["config-unknown-key"])
    #expect(configuration.findings.first?.finding.severity == .warning)
    #expect(configuration.stores.map(\.name) == ["fs", "vlans", "old"])
    let fs = try #require(configuration.store(named: "fs"))
    #expect(fs.sourceFolder.path.hasSuffix("files/fs"))
    #expect(fs.activeFolder.path.hasSuffix("git_ops/active/fs"))
    #expect(fs.schemaFile?.path.hasSuffix("files/schemas/fs.json") == true)
    let vlans = try #require(configuration.store(named: "vlans"))
    #expect(vlans.sourceFolder.path.hasSuffix("inventory/vlans"))
    #expect(vlans.keys == ["Vlan": ["id", "site"]])
    #expect(configuration.compileCommand == ["inmanta", "-vv", "compile"])
    let old = try #require(configuration.store(named: "old"))
    #expect(old.schemaFile == nil)
    #expect(old.schemaProblem?.contains("no schema is configured") == true)
  }

  @Test func reportsMistakesAtTheirPlace() throws {
    let config = "stores:\n  - schema_path: inmanta:///x.json\n  - store_name: fs\n    schema_path: files/fs.json\n"
    let root = try makeProject(["files/git-ops-config.yml": config])
    defer { try? FileManager.default.removeItem(at: root) }
    let configuration = ProjectConfiguration.load(root: root)
    let messages = configuration.findings.map(\.finding.message)
    #expect(messages.contains { $0.contains("'store_name' is required") })
    #expect(messages.contains { $0.contains("must be an inmanta:/// or file:/// URI") })
    let uriFinding = try #require(configuration.findings.first { $0.finding.message.contains("URI") })
    #expect(String(decoding: Array(config.utf8)[uriFinding.finding.range], as: UTF8.self) == "files/fs.json")
  }

  @Test func editorContentsOverrideTheDisk() throws {
    let root = try makeProject(["files/git-ops-config.yml": "stores: []\n"])
    defer { try? FileManager.default.removeItem(at: root) }
    let file = root.appendingPathComponent("files/git-ops-config.yml").standardizedFileURL
    let configuration = ProjectConfiguration.load(root: root, contents: [file: Array("stores:\n- store_name: net\n".utf8)])
    #expect(configuration.stores.map(\.name) == ["net"])
  }

  @Test func findsTheProjectRoot() throws {
    let root = try makeProject(["project.yml": "name: x\n", "files/fs/a.yaml": "a: 1\n"])
    defer { try? FileManager.default.removeItem(at: root) }
    let found = ProjectLocator.projectRoot(containing: root.appendingPathComponent("files/fs/a.yaml"))
    #expect(found?.standardizedFileURL.path == root.standardizedFileURL.path)
  }
}
