import Foundation
import SliceStore

/// The real file system, except where a test wants it to fail: the n-th call of one kind
/// (optionally only on paths that match) fails with an `errno`, or the process "dies" after the
/// n-th call of a kind (every later call fails, nothing more reaches the disk).
final class FaultyFileSystem: FileSystem, @unchecked Sendable {
  struct Rule {
    var operation: FileSystemError.Operation
    /// Counted among the calls of `operation` whose path matches.
    var nth: Int
    var code: Int32
    var matching: @Sendable (String) -> Bool
  }

  private let real = PosixFileSystem()
  private let lock = NSLock()
  private var rules: [Rule] = []
  private var counts: [Int: Int] = [:]
  private var crash: (operation: FileSystemError.Operation, after: Int)?
  private var crashCount = 0
  private(set) var crashed = false
  private var readOnlyPaths: Set<String> = []
  private var running: Set<Int32> = []
  let processID: Int32

  init(processID: Int32 = getpid()) {
    self.processID = processID
  }

  /// The `nth` call of `operation` (on a matching path) fails with `code`.
  func fail(
    _ operation: FileSystemError.Operation, nth: Int, code: Int32, matching: @escaping @Sendable (String) -> Bool = { _ in true }
  ) {
    lock.withLock { rules.append(Rule(operation: operation, nth: nth, code: code, matching: matching)) }
  }

  /// After the `count`-th call of `operation` succeeds, every call fails: a `kill -9`.
  func crash(after count: Int, of operation: FileSystemError.Operation) {
    lock.withLock { crash = (operation, count) }
  }

  func makeReadOnly(_ path: String) { lock.withLock { _ = readOnlyPaths.insert(path) } }
  func markRunning(_ processID: Int32) { lock.withLock { _ = running.insert(processID) } }

  private func check(_ operation: FileSystemError.Operation, _ path: String, _ destination: String? = nil)
    throws(FileSystemError)
  {
    let code: Int32? = lock.withLock {
      if crashed { return EIO }
      for (index, rule) in rules.enumerated() where rule.operation == operation && rule.matching(path) {
        counts[index, default: 0] += 1
        if counts[index] == rule.nth { return rule.code }
      }
      return nil
    }
    if let code { throw FileSystemError(operation, path: path, destination: destination, code: code) }
  }

  /// Counts a call that succeeded, for `crash(after:of:)`.
  private func done(_ operation: FileSystemError.Operation) {
    lock.withLock {
      guard let crash, crash.operation == operation else { return }
      crashCount += 1
      if crashCount >= crash.after { crashed = true }
    }
  }

  private func run<T>(
    _ operation: FileSystemError.Operation, _ path: String, _ destination: String? = nil,
    _ body: () throws(FileSystemError) -> T
  ) throws(FileSystemError) -> T {
    try check(operation, path, destination)
    let result = try body()
    done(operation)
    return result
  }

  func status(_ path: String) throws(FileSystemError) -> FileStatus? {
    try run(.status, path) { () throws(FileSystemError) in try real.status(path) }
  }
  func destinationOfLink(_ path: String) throws(FileSystemError) -> String {
    try run(.readLink, path) { () throws(FileSystemError) in try real.destinationOfLink(path) }
  }
  func contents(_ path: String) throws(FileSystemError) -> [UInt8] {
    try run(.read, path) { () throws(FileSystemError) in try real.contents(path) }
  }
  func createFile(_ path: String, bytes: [UInt8], like: FileStatus?) throws(FileSystemError) {
    try run(.create, path) { () throws(FileSystemError) in try real.createFile(path, bytes: bytes, like: like) }
  }
  func rename(_ path: String, to destination: String) throws(FileSystemError) {
    try run(.rename, path, destination) { () throws(FileSystemError) in try real.rename(path, to: destination) }
  }
  func link(_ path: String, to destination: String) throws(FileSystemError) {
    try run(.link, path, destination) { () throws(FileSystemError) in try real.link(path, to: destination) }
  }
  func unlink(_ path: String) throws(FileSystemError) {
    try run(.unlink, path) { () throws(FileSystemError) in try real.unlink(path) }
  }
  func makeFolder(_ path: String) throws(FileSystemError) {
    try run(.makeFolder, path) { () throws(FileSystemError) in try real.makeFolder(path) }
  }
  func removeFolder(_ path: String) throws(FileSystemError) {
    try run(.removeFolder, path) { () throws(FileSystemError) in try real.removeFolder(path) }
  }
  func syncFolder(_ path: String) throws(FileSystemError) {
    try run(.syncFolder, path) { () throws(FileSystemError) in try real.syncFolder(path) }
  }
  func folderEntries(_ path: String) throws(FileSystemError) -> [String] {
    try run(.listFolder, path) { () throws(FileSystemError) in try real.folderEntries(path) }
  }
  func isWritable(_ path: String) -> Bool {
    lock.withLock { !readOnlyPaths.contains(path) } && real.isWritable(path)
  }
  func processIsRunning(_ processID: Int32) -> Bool {
    lock.withLock { running.contains(processID) } || real.processIsRunning(processID)
  }
}

/// Every entry under a folder, hidden ones included: file bytes, link destinations, and modes.
struct FolderSnapshot: Equatable, CustomStringConvertible {
  var entries: [String: String]

  init(_ folder: URL) {
    entries = [:]
    let fileManager = FileManager.default
    guard let enumerator = fileManager.enumerator(atPath: folder.path) else { return }
    while let relative = enumerator.nextObject() as? String {
      let path = folder.appendingPathComponent(relative).path
      var information = stat()
      guard lstat(path, &information) == 0 else { continue }
      let mode = String(information.st_mode & 0o7777, radix: 8)
      switch information.st_mode & S_IFMT {
      case S_IFDIR: entries[relative] = "folder \(mode)"
      case S_IFLNK: entries[relative] = "link -> \((try? fileManager.destinationOfSymbolicLink(atPath: path)) ?? "?")"
      default:
        let bytes = fileManager.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "<unreadable>"
        entries[relative] = "file \(mode) \(bytes)"
      }
    }
  }

  var description: String { entries.keys.sorted().map { "\($0): \(entries[$0] ?? "")" }.joined(separator: "\n") }

  var hiddenFiles: [String] {
    entries.keys.filter { ($0 as NSString).lastPathComponent.hasPrefix(".") }.sorted()
  }
}
