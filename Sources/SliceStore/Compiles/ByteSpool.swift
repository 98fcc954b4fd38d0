import Foundation
import Locking

/// Where a streamed compile's bytes wait until the compile is known to succeed: a streamed
/// export's output (a merge that fails late must still leave stdout empty, as when the whole
/// view was merged first), the new contents of the files a streamed update or sync writes (a
/// file that fails late must still leave every file as it was). Small spools stay in memory;
/// past `memoryLimit` the bytes go to an unlinked temporary file, so a large project's output
/// never sits in memory. When no temporary file can be made the bytes stay in memory (more
/// memory, same output).
public final class ByteSpool: Sendable {
  public static let defaultMemoryLimit = 1 << 20

  private struct State {
    var memory: [UInt8] = []
    /// The unlinked temporary file, once the output outgrew memory; -1 before (or when none could be made).
    var descriptor: Int32 = -1
    var spilled = 0
    var triedFile = false
    /// How many bytes were appended: `spilled` on disk, then `memory` (fewer when a full disk lost some).
    var appended = 0
  }

  private let state = Locked(State())
  private let memoryLimit: Int
  private let folder: String

  public init(memoryLimit: Int = ByteSpool.defaultMemoryLimit, folder: String = NSTemporaryDirectory()) {
    self.memoryLimit = max(0, memoryLimit)
    self.folder = folder
  }

  deinit {
    state.withLock { state in
      if state.descriptor >= 0 { close(state.descriptor) }
    }
  }

  /// Whether the output went to a temporary file (it outgrew memory).
  public var isOnDisk: Bool { state.withLock { $0.descriptor >= 0 } }

  /// Appends bytes and returns where they are among every byte appended (for `bytes(in:)`); a
  /// failing write to the temporary file moves everything back to memory.
  @discardableResult
  public func append(_ bytes: [UInt8]) -> Range<Int> {
    let folder = self.folder
    return state.withLock { state in
      let range = state.appended..<state.appended + bytes.count
      state.appended = range.upperBound
      if state.descriptor < 0 {
        state.memory += bytes
        guard state.memory.count > memoryLimit, !state.triedFile else { return range }
        state.triedFile = true
        state.descriptor = Self.openUnlinked(in: folder)
        guard state.descriptor >= 0 else { return range }
        let pending = state.memory
        state.memory = []
        if !Self.write(pending, to: &state) { Self.fallBackToMemory(&state, adding: pending) }
        return range
      }
      if !Self.write(bytes, to: &state) { Self.fallBackToMemory(&state, adding: bytes) }
      return range
    }
  }

  /// The bytes appended at `range` (a range `append` returned); nil when the temporary file
  /// cannot give them back.
  public func bytes(in range: Range<Int>) -> [UInt8]? {
    state.withLock { state in
      // A full disk whose file could not all be read back lost bytes: none is given then.
      guard range.lowerBound >= 0, range.upperBound <= state.appended, state.appended == state.spilled + state.memory.count
      else { return nil }
      var result: [UInt8] = []
      result.reserveCapacity(range.count)
      let fromFile = range.clamped(to: 0..<state.spilled)
      if !fromFile.isEmpty {
        let chunk = Self.read(fromFile, of: state.descriptor)
        guard chunk.count == fromFile.count else { return nil }
        result += chunk
      }
      let fromMemory = range.clamped(to: state.spilled..<state.appended)
      if !fromMemory.isEmpty {
        result += state.memory[(fromMemory.lowerBound - state.spilled)..<(fromMemory.upperBound - state.spilled)]
      }
      return result
    }
  }

  /// Hands every byte appended so far to `sink`, in order, a chunk at a time.
  public func copy(chunkSize: Int = ExportStream.defaultChunkSize, to sink: ([UInt8]) -> Void) {
    let (memory, descriptor, spilled) = state.withLock { ($0.memory, $0.descriptor, $0.spilled) }
    if descriptor >= 0 {
      var buffer = [UInt8](repeating: 0, count: max(1, chunkSize))
      var offset = 0
      while offset < spilled {
        let wanted = min(buffer.count, spilled - offset)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(offset)) }
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { break }
        sink(Array(buffer[0..<count]))
        offset += count
      }
    }
    if !memory.isEmpty { sink(memory) }
  }

  private static func openUnlinked(in folder: String) -> Int32 {
    let path = (folder as NSString).appendingPathComponent("slicels-spool-\(UUID().uuidString)")
    let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    if descriptor >= 0 { unlink(path) }
    return descriptor
  }

  private static func write(_ bytes: [UInt8], to state: inout State) -> Bool {
    var written = 0
    while written < bytes.count {
      let count = bytes.withUnsafeBytes { raw in
        pwrite(state.descriptor, raw.baseAddress.map { $0 + written }, bytes.count - written, off_t(state.spilled + written))
      }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { return false }
      written += count
    }
    state.spilled += written
    return true
  }

  /// A full disk: what the file holds comes back into memory, and the rest stays there.
  private static func fallBackToMemory(_ state: inout State, adding bytes: [UInt8]) {
    let recovered = read(0..<state.spilled, of: state.descriptor)
    close(state.descriptor)
    state.descriptor = -1
    state.memory = recovered + state.memory + bytes
    state.spilled = 0
  }

  /// The bytes of the temporary file at `range`; fewer when reading it fails midway.
  private static func read(_ range: Range<Int>, of descriptor: Int32) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: range.count)
    var offset = 0
    while offset < range.count {
      let count = bytes.withUnsafeMutableBytes { raw in
        pread(descriptor, raw.baseAddress.map { $0 + offset }, range.count - offset, off_t(range.lowerBound + offset))
      }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { break }
      offset += count
    }
    return Array(bytes[0..<offset])
  }
}

/// A file's new content waiting in a spool: what a streamed update or sync commits, read back
/// one file at a time.
public struct SpooledBytes: Sendable, Hashable {
  public let spool: ByteSpool
  public let range: Range<Int>

  public init(spool: ByteSpool, range: Range<Int>) {
    self.spool = spool
    self.range = range
  }

  public static func == (left: SpooledBytes, right: SpooledBytes) -> Bool {
    left.spool === right.spool && left.range == right.range
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(ObjectIdentifier(spool))
    hasher.combine(range.lowerBound)
    hasher.combine(range.upperBound)
  }

  /// The bytes; throws (an I/O error on the new content of `target`) when the spool lost them.
  func load(for target: String) throws(FileSystemError) -> [UInt8] {
    guard let bytes = spool.bytes(in: range) else {
      throw FileSystemError(.read, path: "the spooled new content of \(target)", code: EIO)
    }
    return bytes
  }
}
