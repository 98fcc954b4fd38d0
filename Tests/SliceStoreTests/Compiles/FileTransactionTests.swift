import Foundation
import SliceStore
import Testing

@Suite("File transactions")
struct FileTransactionTests {
  func scratch() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-transaction-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  func listing(_ folder: URL) -> [String] {
    (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).sorted()
  }

  @Test func writesCreatesAndDeletesTogether() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("old".utf8).write(to: folder.appendingPathComponent("a.json"))
    try Data("same".utf8).write(to: folder.appendingPathComponent("same.json"))
    try Data("gone".utf8).write(to: folder.appendingPathComponent("gone.json"))
    let transaction = FileTransaction(steps: [
      .write(path: folder.appendingPathComponent("a.json").path, bytes: Array("new".utf8)),
      .write(path: folder.appendingPathComponent("same.json").path, bytes: Array("same".utf8)),
      .write(path: folder.appendingPathComponent("sub/b.json").path, bytes: Array("b".utf8)),
      .delete(path: folder.appendingPathComponent("gone.json").path),
      .delete(path: folder.appendingPathComponent("never-was.json").path),
    ])
    let pending = transaction.pendingChanges()
    let changes = try transaction.commit()
    #expect(pending.map(\.kind) == [.modified, .created, .deleted])
    #expect(
      changes.map { "\($0.kind.rawValue) \(URL(fileURLWithPath: $0.path).lastPathComponent)" } == [
        "createdFolder sub", "modified a.json", "created b.json", "deleted gone.json",
      ])
    #expect(listing(folder) == ["a.json", "same.json", "sub", "sub/b.json"])
    #expect(try String(contentsOf: folder.appendingPathComponent("a.json"), encoding: .utf8) == "new")
  }

  @Test func aFailureBeforeTheRenamesLeavesEverythingAsItWas() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("old".utf8).write(to: folder.appendingPathComponent("a.json"))
    try Data("keep".utf8).write(to: folder.appendingPathComponent("keep.json"))
    // A file where a folder must be: the second write cannot happen.
    try Data("x".utf8).write(to: folder.appendingPathComponent("blocker"))
    let transaction = FileTransaction(steps: [
      .createFolder(path: folder.appendingPathComponent("made/deeper").path),
      .write(path: folder.appendingPathComponent("a.json").path, bytes: Array("new".utf8)),
      .write(path: folder.appendingPathComponent("blocker/b.json").path, bytes: Array("b".utf8)),
      .delete(path: folder.appendingPathComponent("keep.json").path),
    ])
    #expect(throws: FileTransactionError.self) { try transaction.commit() }
    #expect(listing(folder) == ["a.json", "blocker", "keep.json"])
    #expect(try String(contentsOf: folder.appendingPathComponent("a.json"), encoding: .utf8) == "old")
  }

  @Test func anUnwritableFolderLeavesNoTemporaryFile() throws {
    guard getuid() != 0 else { return }  // root writes anywhere
    let folder = try scratch()
    defer {
      try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent("locked").path)
      try? FileManager.default.removeItem(at: folder)
    }
    let locked = folder.appendingPathComponent("locked")
    try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
    try Data("old".utf8).write(to: folder.appendingPathComponent("a.json"))
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
    let transaction = FileTransaction(steps: [
      .write(path: folder.appendingPathComponent("a.json").path, bytes: Array("new".utf8)),
      .write(path: locked.appendingPathComponent("b.json").path, bytes: Array("b".utf8)),
    ])
    #expect(throws: FileTransactionError.self) { try transaction.commit() }
    #expect(listing(folder) == ["a.json", "locked"])
    #expect(try String(contentsOf: folder.appendingPathComponent("a.json"), encoding: .utf8) == "old")
  }

  @Test func keepsTheModeOfAReplacedFile() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("a.json")
    try Data("old".utf8).write(to: file)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    try FileTransaction(steps: [.write(path: file.path, bytes: Array("new".utf8))]).commit()
    let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
    #expect(mode?.intValue == 0o600)
  }

  @Test func writesThroughSymbolicLinks() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = folder.appendingPathComponent("real.json")
    try Data("old".utf8).write(to: target)
    let link = folder.appendingPathComponent("link.json")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.json")
    try FileTransaction(steps: [.write(path: link.path, bytes: Array("new".utf8))]).commit()
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real.json")
    #expect(try String(contentsOf: target, encoding: .utf8) == "new")
  }
}
