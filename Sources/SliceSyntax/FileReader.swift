import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a path names, from `stat` (symbolic links followed) and `lstat`.
public enum FileKind: String, Sendable, Hashable {
  case regular
  case directory
  case fifo
  case socket
  case characterDevice
  case blockDevice
  /// A symbolic link whose target does not exist.
  case danglingSymlink
  case other

  /// The kind in words, for messages ("a FIFO", "a directory").
  public var phrase: String {
    switch self {
    case .regular: return "a regular file"
    case .directory: return "a directory"
    case .fifo: return "a FIFO (named pipe)"
    case .socket: return "a socket"
    case .characterDevice: return "a character device"
    case .blockDevice: return "a block device"
    case .danglingSymlink: return "a symbolic link to nothing"
    case .other: return "not a regular file"
    }
  }

  init(mode: UInt32) {
    // POSIX file type bits (identical on Linux and Darwin).
    switch mode & 0o170000 {
    case 0o100000: self = .regular
    case 0o040000: self = .directory
    case 0o010000: self = .fifo
    case 0o140000: self = .socket
    case 0o020000: self = .characterDevice
    case 0o060000: self = .blockDevice
    default: self = .other
    }
  }

  /// What is at `path` after following symbolic links, or nil when nothing is there; an
  /// entry that cannot even be looked at (no search permission) is `.other` with its reason.
  public static func of(_ path: String) -> Result<FileKind?, FileReadFailure> {
    var info = stat()
    if stat(path, &info) == 0 { return .success(FileKind(mode: UInt32(info.st_mode))) }
    let code = errno
    guard code == ENOENT || code == ENOTDIR else { return .failure(.unreadable(reason: FileReader.reason(code))) }
    var linkInfo = stat()
    if lstat(path, &linkInfo) == 0 { return .success(.danglingSymlink) }
    return .success(nil)
  }
}

extension FileKind {
  /// Whether the path itself is a symbolic link (not followed).
  public static func isSymbolicLink(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && UInt32(info.st_mode) & 0o170000 == 0o120000
  }
}

/// Why a file could not be read.
public enum FileReadFailure: Error, Sendable, Hashable, CustomStringConvertible {
  /// Nothing at the path.
  case notFound
  /// Something other than a regular file (after symbolic links): never opened.
  case notRegularFile(FileKind)
  /// The operating system refused (permissions, I/O error), with its reason.
  case unreadable(reason: String)
  /// Larger than the limit: never read whole.
  case tooLarge(size: Int, limit: Int)

  public var description: String {
    switch self {
    case .notFound: return "no such file"
    case .notRegularFile(let kind): return "it is \(kind.phrase), not a regular file"
    case .unreadable(let reason): return "cannot read it: \(reason)"
    case .tooLarge(let size, let limit):
      return "it is \(FileSize.describe(size)), more than the limit of \(FileSize.describe(limit))"
        + " (max_file_size under limits in slicels.yml, or --max-file-size)"
    }
  }
}

/// The one place the engine reads files from disk: slices, schemas and configuration files.
///
/// It looks before it opens: anything but a regular file (a FIFO would block the reader, a
/// device never ends) is refused unopened, and a file is never read beyond `maximumSize`
/// (plus one byte, to notice a file that grew after it was measured).
public struct FileReader: Sendable {
  public static let defaultMaximumSize = 64 << 20

  /// Opens a path for reading: the descriptor, or -1 and the `errno` value. Tests replace it to
  /// have the system refuse what root would be allowed to read.
  public typealias Opener = @Sendable (_ path: String) -> (descriptor: Int32, error: Int32)

  public var maximumSize: Int
  public var open: Opener

  public init(maximumSize: Int = FileReader.defaultMaximumSize, open: @escaping Opener = FileReader.systemOpen) {
    self.maximumSize = maximumSize
    self.open = open
  }

  /// The same reader with another size limit.
  public func limited(to maximumSize: Int) -> FileReader {
    var reader = self
    reader.maximumSize = maximumSize
    return reader
  }

  public static let systemOpen: Opener = { path in
    // O_NONBLOCK: should a FIFO replace the file after it was looked at, opening it must not wait
    // for a writer (fstat below then refuses it).
    let descriptor = openReadOnlyNonBlocking(path)
    return (descriptor, descriptor < 0 ? errno : 0)
  }

  /// The whole content of a regular file, or why not.
  ///
  /// `listedAsRegularFile`: a folder listing just found a regular file at `path`, so the look
  /// before opening (which keeps a device or FIFO from ever being opened) is skipped; the
  /// descriptor's own check still refuses anything else (a stat per file of a large export).
  public func read(_ path: String, listedAsRegularFile: Bool = false) -> Result<[UInt8], FileReadFailure> {
    if !listedAsRegularFile {
      switch FileKind.of(path) {
      case .failure(let failure): return .failure(failure)
      case .success(nil): return .failure(.notFound)
      case .success(.some(let kind)) where kind != .regular: return .failure(.notRegularFile(kind))
      case .success: break
      }
    }
    let opened = open(path)
    guard opened.descriptor >= 0 else {
      if opened.error == ENOENT { return .failure(.notFound) }
      return .failure(.unreadable(reason: Self.reason(opened.error)))
    }
    let descriptor = opened.descriptor
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return .failure(.unreadable(reason: Self.reason(errno))) }
    let kind = FileKind(mode: UInt32(info.st_mode))
    guard kind == .regular else { return .failure(.notRegularFile(kind)) }
    let statedSize = Int(info.st_size)
    guard statedSize <= maximumSize else { return .failure(.tooLarge(size: statedSize, limit: maximumSize)) }

    let ceiling = maximumSize + 1
    var bytes = [UInt8](repeating: 0, count: min(statedSize + 1, ceiling))
    var count = 0
    while count < ceiling {
      if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: min(max(bytes.count, 4096), ceiling - count))) }
      let read = bytes.withUnsafeMutableBytes { buffer -> Int in
        guard let base = buffer.baseAddress else { return 0 }
        return readFromDescriptor(descriptor, base + count, buffer.count - count)
      }
      if read == 0 { break }
      if read < 0 {
        let code = errno
        if code == EINTR { continue }
        return .failure(.unreadable(reason: Self.reason(code)))
      }
      count += read
      // Exactly the size `fstat` gave, with room left for more: the end of the file (a regular
      // file reads short only there), so the read that would return 0 is spared (one system
      // call per slice file of a large export).
      if count == statedSize && count < bytes.count { break }
    }
    guard count <= maximumSize else { return .failure(.tooLarge(size: max(count, statedSize), limit: maximumSize)) }
    bytes.removeSubrange(count...)
    return .success(bytes)
  }

  /// The names in a folder (without `.` and `..`), or why it cannot be listed.
  /// `prefixes`, when given, keeps only the names starting with one of them (compared as bytes
  /// before a string is made: one slice's files in a folder of tens of thousands).
  public static func names(inFolder folder: String, prefixes: [String] = []) -> Result<[String], FileReadFailure> {
    entries(inFolder: folder, prefixes: prefixes).map { $0.map(\.name) }
  }

  /// A name in a folder listing, with its kind when the listing itself tells it.
  public struct ListedName: Sendable, Hashable {
    public var name: String
    /// `.regular` or `.directory` when the file system's listing says so (`d_type`): no `stat`
    /// is needed then. Nil for a symbolic link (its target decides), anything else, or a file
    /// system that does not say.
    public var kindFromListing: FileKind?
  }

  /// The entries of a folder (without `.` and `..`), or why it cannot be listed; see `names`.
  public static func entries(inFolder folder: String, prefixes: [String] = []) -> Result<[ListedName], FileReadFailure> {
    let prefixBytes = prefixes.map { Array($0.utf8) }
    guard let directory = opendir(folder) else { return .failure(.unreadable(reason: reason(errno))) }
    defer { closedir(directory) }
    var entries: [ListedName] = []
    while true {
      errno = 0
      guard let entry = readdir(directory) else {
        if errno != 0 { return .failure(.unreadable(reason: reason(errno))) }
        break
      }
      let name: String? = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        let bytes = raw.prefix { $0 != 0 }
        guard prefixBytes.isEmpty || prefixBytes.contains(where: { bytes.starts(with: $0) }) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
      }
      guard let name, name != ".", name != ".." else { continue }
      let kind: FileKind?
      switch Int(entry.pointee.d_type) {
      case Int(DT_REG): kind = .regular
      case Int(DT_DIR): kind = .directory
      default: kind = nil
      }
      entries.append(ListedName(name: name, kindFromListing: kind))
    }
    return .success(entries)
  }

  /// The content of a file, nil for any failure (for places that only show text).
  public func contents(_ path: String) -> [UInt8]? {
    try? read(path).get()
  }

  static func reason(_ code: Int32) -> String {
    String(cString: strerror(code))
  }
}

private func openReadOnlyNonBlocking(_ path: String) -> Int32 {
  open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
}

private func readFromDescriptor(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  read(descriptor, buffer, count)
}

/// Byte sizes as users write them in settings: `1048576`, `64MiB`, `10MB`, `512 KiB`.
public enum FileSize {
  /// The number of bytes, or nil when the text is not a size (or overflows).
  public static func parse(_ text: String) -> Int? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, let number = Int(digits) else { return nil }
    let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
    let multipliers: [String: Int] = [
      "": 1, "b": 1, "k": 1 << 10, "kb": 1000, "kib": 1 << 10, "m": 1 << 20, "mb": 1_000_000, "mib": 1 << 20,
      "g": 1 << 30, "gb": 1_000_000_000, "gib": 1 << 30,
    ]
    guard let multiplier = multipliers[unit] else { return nil }
    let (product, overflow) = number.multipliedReportingOverflow(by: multiplier)
    return overflow ? nil : product
  }

  /// `67108864 bytes (64 MiB)`: exact, and readable when it is a whole number of MiB or KiB.
  public static func describe(_ size: Int) -> String {
    if size >= 1 << 20, size % (1 << 20) == 0 { return "\(size) bytes (\(size >> 20) MiB)" }
    if size >= 1 << 10, size % (1 << 10) == 0 { return "\(size) bytes (\(size >> 10) KiB)" }
    return "\(size) byte\(size == 1 ? "" : "s")"
  }
}
