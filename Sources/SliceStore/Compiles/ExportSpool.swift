import Foundation
import Locking

/// Where a streamed export's output waits until the compile is known to succeed: a merge that
/// fails late must still leave stdout empty, as when the whole view was merged first. Small
/// outputs stay in memory; past `memoryLimit` the bytes go to an unlinked temporary file, so a
/// large project's view never sits in memory. When no temporary file can be made the bytes stay
/// in memory (more memory, same output).
public final class ExportSpool: Sendable {
  public static let defaultMemoryLimit = 1 << 20

  private struct State {
    var memory: [UInt8] = []
    /// The unlinked temporary file, once the output outgrew memory; -1 before (or when none could be made).
    var descriptor: Int32 = -1
    var spilled = 0
    var triedFile = false
  }

  private let state = Locked(State())
  private let memoryLimit: Int
  private let folder: String

  public init(memoryLimit: Int = ExportSpool.defaultMemoryLimit, folder: String = NSTemporaryDirectory()) {
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

  /// Appends output; a failing write to the temporary file moves everything back to memory.
  public func append(_ bytes: [UInt8]) {
    let folder = self.folder
    state.withLock { state in
      if state.descriptor < 0 {
        state.memory += bytes
        guard state.memory.count > memoryLimit, !state.triedFile else { return }
        state.triedFile = true
        state.descriptor = Self.openUnlinked(in: folder)
        guard state.descriptor >= 0 else { return }
        let pending = state.memory
        state.memory = []
        if !Self.write(pending, to: &state) { Self.fallBackToMemory(&state, adding: pending) }
        return
      }
      if !Self.write(bytes, to: &state) { Self.fallBackToMemory(&state, adding: bytes) }
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
    let path = (folder as NSString).appendingPathComponent("slicels-export-\(UUID().uuidString)")
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
    var recovered = [UInt8](repeating: 0, count: state.spilled)
    var offset = 0
    while offset < state.spilled {
      let count = recovered.withUnsafeMutableBytes { raw in
        pread(state.descriptor, raw.baseAddress.map { $0 + offset }, state.spilled - offset, off_t(offset))
      }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { break }
      offset += count
    }
    close(state.descriptor)
    state.descriptor = -1
    state.memory = Array(recovered[0..<offset]) + state.memory + bytes
    state.spilled = 0
  }
}
