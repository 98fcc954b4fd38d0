import Foundation
import SliceSyntax
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct FileReaderTests {
  /// A new empty folder, removed by the caller.
  func temporaryFolder(_ name: String = #function) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("slicels-reader-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test func readsARegularFileWhole() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("a.json")
    let bytes = [UInt8]((0..<100_000).map { UInt8(truncatingIfNeeded: $0) })
    try Data(bytes).write(to: file)
    #expect(try FileReader().read(file.path).get() == bytes)
    try Data().write(to: file)
    #expect(try FileReader().read(file.path).get() == [])
  }

  @Test func tellsAMissingFileFromALinkToNothing() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(FileReader().read(folder.appendingPathComponent("none.json").path) == .failure(.notFound))
    let link = folder.appendingPathComponent("gone.json")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: folder.appendingPathComponent("none").path)
    #expect(FileReader().read(link.path) == .failure(.notRegularFile(.danglingSymlink)))
  }

  // The time limit only guards against a hang: opening a FIFO without a writer blocks forever.
  @Test(.timeLimit(.minutes(1))) func refusesSpecialFilesWithoutOpeningThem() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("fifo.json")
    #expect(mkfifo(fifo.path, 0o644) == 0)
    let deviceLink = folder.appendingPathComponent("null.json")
    try FileManager.default.createSymbolicLink(atPath: deviceLink.path, withDestinationPath: "/dev/null")
    let opened = OpenedPaths()
    let reader = FileReader(open: { path in
      opened.add(path)
      return FileReader.systemOpen(path)
    })
    #expect(reader.read(fifo.path) == .failure(.notRegularFile(.fifo)))
    #expect(reader.read(deviceLink.path) == .failure(.notRegularFile(.characterDevice)))
    #expect(reader.read(folder.path) == .failure(.notRegularFile(.directory)))
    #expect(opened.paths.isEmpty)
  }

  @Test func aFileReplacedByAFIFOAfterItWasLookedAtIsRefused() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("a.json")
    try Data("{}".utf8).write(to: file)
    // Between the look and the open, the file becomes a FIFO: opening must not wait for a writer.
    let reader = FileReader(open: { path in
      unlink(path)
      mkfifo(path, 0o644)
      return FileReader.systemOpen(path)
    })
    #expect(reader.read(file.path) == .failure(.notRegularFile(.fifo)))
  }

  @Test func refusesWhatTheSystemRefusesWithItsReason() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("a.json")
    try Data("{}".utf8).write(to: file)
    let reader = FileReader(open: { _ in (-1, EACCES) })
    #expect(reader.read(file.path) == .failure(.unreadable(reason: String(cString: strerror(EACCES)))))
    #expect(reader.contents(file.path) == nil)
  }

  @Test func neverReadsMoreThanTheLimit() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("a.json")
    try Data(repeating: UInt8(ascii: "a"), count: 11).write(to: file)
    #expect(FileReader(maximumSize: 10).read(file.path) == .failure(.tooLarge(size: 11, limit: 10)))
    #expect(try FileReader(maximumSize: 11).read(file.path).get().count == 11)

    // A file that grows after it was measured is still cut at the limit.
    let growing = FileReader(
      maximumSize: 11,
      open: { path in
        if let handle = FileHandle(forWritingAtPath: path) {
          handle.seekToEndOfFile()
          handle.write(Data(repeating: UInt8(ascii: "b"), count: 1_000))
          handle.closeFile()
        }
        return FileReader.systemOpen(path)
      })
    guard case .failure(.tooLarge(let size, let limit)) = growing.read(file.path) else {
      Issue.record("a file that grew beyond the limit was read")
      return
    }
    #expect(limit == 11 && size > 11)
  }

  @Test func listsAFolderAndRefusesAFile() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data().write(to: folder.appendingPathComponent("b.json"))
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: false)
    #expect(try FileReader.names(inFolder: folder.path).get().sorted() == ["b.json", "sub"])
    guard case .failure(.unreadable) = FileReader.names(inFolder: folder.appendingPathComponent("b.json").path) else {
      Issue.record("a file was listed as a folder")
      return
    }
  }

  @Test func theListingTellsFilesAndFoldersButLeavesLinksToStat() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data().write(to: folder.appendingPathComponent("a.json"))
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: false)
    try FileManager.default.createSymbolicLink(
      atPath: folder.appendingPathComponent("link.json").path, withDestinationPath: "a.json")
    let entries = try FileReader.entries(inFolder: folder.path).get().sorted { $0.name < $1.name }
    #expect(entries.map(\.name) == ["a.json", "link.json", "sub"])
    // A file system that does not give types (d_type unknown) leaves them all nil, which is safe.
    let kinds = entries.map(\.kindFromListing)
    #expect(kinds[1] == nil)
    #expect(kinds[0] == .regular || kinds[0] == nil)
    #expect(kinds[2] == .directory || kinds[2] == nil)
    #expect(try FileReader.entries(inFolder: folder.path, prefixes: ["l"]).get().map(\.name) == ["link.json"])
  }

  /// A file a listing called regular is opened without a look first; whatever is there by then
  /// is still refused by the open descriptor's check, a FIFO without waiting for a writer.
  @Test func aListedFileIsStillCheckedOnceOpen() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("a.json").path
    #expect(mkfifo(fifo, 0o600) == 0)
    guard case .failure(.notRegularFile(.fifo)) = FileReader().read(fifo, listedAsRegularFile: true) else {
      Issue.record("a FIFO was read as a listed file")
      return
    }
    guard case .failure(.notFound) = FileReader().read(folder.appendingPathComponent("gone.json").path, listedAsRegularFile: true)
    else {
      Issue.record("a removed file was not reported as missing")
      return
    }
    let file = folder.appendingPathComponent("b.json")
    try Data("{}".utf8).write(to: file)
    #expect(try FileReader().read(file.path, listedAsRegularFile: true).get() == Array("{}".utf8))
  }

  @Test func parsesSizesAsUsersWriteThem() {
    #expect(FileSize.parse("1048576") == 1_048_576)
    #expect(FileSize.parse("64MiB") == 64 << 20)
    #expect(FileSize.parse("10MB") == 10_000_000)
    #expect(FileSize.parse("512 KiB") == 512 << 10)
    #expect(FileSize.parse("2gib") == 2 << 30)
    #expect(FileSize.parse("1k") == 1024)
    #expect(FileSize.parse("") == nil)
    #expect(FileSize.parse("MiB") == nil)
    #expect(FileSize.parse("12x") == nil)
    #expect(FileSize.parse("-5") == nil)
    #expect(FileSize.parse("99999999999999999999GiB") == nil)
    #expect(FileSize.parse("9223372036854775807GiB") == nil)
    #expect(FileSize.describe(64 << 20) == "67108864 bytes (64 MiB)")
    #expect(FileSize.describe(100) == "100 bytes")
  }
}

/// Paths an injected opener was asked for, from any thread.
private final class OpenedPaths: @unchecked Sendable {
  private let lock = NSLock()
  private var opened: [String] = []
  func add(_ path: String) { lock.withLock { opened.append(path) } }
  var paths: [String] { lock.withLock { opened } }
}
