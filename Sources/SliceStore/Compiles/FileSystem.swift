import Foundation

// The C calls under names that the methods of the same name do not hide.
private func cRename(_ path: String, _ destination: String) -> Int32 { rename(path, destination) }
private func cLink(_ path: String, _ destination: String) -> Int32 { link(path, destination) }
private func cUnlink(_ path: String) -> Int32 { unlink(path) }

/// What `lstat` says about a path.
public struct FileStatus: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    case regular, folder, symbolicLink, other
  }

  public var kind: Kind
  /// The permission bits (`st_mode & 0o7777`).
  public var mode: UInt32
  public var owner: UInt32
  public var group: UInt32
  public var device: UInt64
  public var inode: UInt64
  /// The size in bytes (`st_size`); nil when unknown: a commit compares the bytes of a file
  /// with the new ones only when their sizes agree.
  public var size: Int?

  public init(
    kind: Kind, mode: UInt32, owner: UInt32 = 0, group: UInt32 = 0, device: UInt64 = 0, inode: UInt64 = 0, size: Int? = nil
  ) {
    self.kind = kind
    self.mode = mode
    self.owner = owner
    self.group = group
    self.device = device
    self.inode = inode
    self.size = size
  }

  /// The same file (not only the same bytes): what a hard link shares with its original.
  public func isSameFile(as other: FileStatus) -> Bool {
    device == other.device && inode == other.inode
  }
}

/// A file-system call that failed, with the operating system's reason (`strerror`).
public struct FileSystemError: Error, Sendable, Hashable, CustomStringConvertible {
  public enum Operation: String, Sendable, Hashable, CaseIterable {
    case status, readLink, read, create, rename, link, unlink, makeFolder, removeFolder, syncFolder, listFolder
  }

  public var operation: Operation
  public var path: String
  /// The second path of a rename or a link.
  public var destination: String?
  /// The `errno` value.
  public var code: Int32

  public init(_ operation: Operation, path: String, destination: String? = nil, code: Int32) {
    self.operation = operation
    self.path = path
    self.destination = destination
    self.code = code
  }

  /// The operating system's words for `code`, e.g. "No space left on device".
  public var reason: String { String(cString: strerror(code)) }

  public var description: String {
    switch operation {
    case .status: return "cannot look at \(path): \(reason)"
    case .readLink: return "cannot read the symbolic link \(path): \(reason)"
    case .read: return "cannot read \(path): \(reason)"
    case .create: return "cannot write \(path): \(reason)"
    case .rename: return "cannot rename \(path) to \(destination ?? "?"): \(reason)"
    case .link: return "cannot link \(path) to \(destination ?? "?"): \(reason)"
    case .unlink: return "cannot delete \(path): \(reason)"
    case .makeFolder: return "cannot create the folder \(path): \(reason)"
    case .removeFolder: return "cannot remove the folder \(path): \(reason)"
    case .syncFolder: return "cannot flush the folder \(path) to disk: \(reason)"
    case .listFolder: return "cannot list the folder \(path): \(reason)"
    }
  }
}

/// The few file-system operations a commit needs, so that tests can make any one of them fail
/// (the n-th rename with ENOSPC, a crash after the n-th rename) without a real full disk.
public protocol FileSystem: Sendable {
  /// `lstat`: nil when nothing is at `path`.
  func status(_ path: String) throws(FileSystemError) -> FileStatus?
  /// Where a symbolic link points, as written in the link.
  func destinationOfLink(_ path: String) throws(FileSystemError) -> String
  func contents(_ path: String) throws(FileSystemError) -> [UInt8]
  /// Creates a file that must not exist yet, writes `bytes` and flushes them to disk. With
  /// `like`, the file gets that mode (and owner, where allowed); else the default mode
  /// (0666 less the umask, as Python's `write_text` creates files).
  func createFile(_ path: String, bytes: [UInt8], like: FileStatus?) throws(FileSystemError)
  /// `rename(2)`: atomically replaces `destination`.
  func rename(_ path: String, to destination: String) throws(FileSystemError)
  /// `link(2)`: a second name for the same file; fails when `destination` exists.
  func link(_ path: String, to destination: String) throws(FileSystemError)
  func unlink(_ path: String) throws(FileSystemError)
  func makeFolder(_ path: String) throws(FileSystemError)
  func removeFolder(_ path: String) throws(FileSystemError)
  /// `fsync` of a folder: its renames, links and unlinks reach the disk.
  func syncFolder(_ path: String) throws(FileSystemError)
  /// The names in a folder (without `.` and `..`).
  func folderEntries(_ path: String) throws(FileSystemError) -> [String]
  /// `access(W_OK)`: whether this process may open the file for writing.
  func isWritable(_ path: String) -> Bool
  /// Whether a process with this id runs (possibly as another user).
  func processIsRunning(_ processID: Int32) -> Bool
  /// This process's id, which names its temporary files.
  var processID: Int32 { get }
}

/// The real file system, over POSIX calls.
public struct PosixFileSystem: FileSystem {
  public init() {}

  public var processID: Int32 { getpid() }

  public func status(_ path: String) throws(FileSystemError) -> FileStatus? {
    var information = stat()
    if lstat(path, &information) != 0 {
      let code = errno
      if code == ENOENT || code == ENOTDIR { return nil }
      throw FileSystemError(.status, path: path, code: code)
    }
    let kind: FileStatus.Kind
    switch information.st_mode & S_IFMT {
    case S_IFREG: kind = .regular
    case S_IFDIR: kind = .folder
    case S_IFLNK: kind = .symbolicLink
    default: kind = .other
    }
    return FileStatus(
      kind: kind, mode: UInt32(information.st_mode & 0o7777), owner: UInt32(information.st_uid),
      group: UInt32(information.st_gid), device: UInt64(information.st_dev), inode: UInt64(information.st_ino),
      size: Int(information.st_size))
  }

  public func destinationOfLink(_ path: String) throws(FileSystemError) -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(path, &buffer, buffer.count - 1)
    guard count >= 0 else { throw FileSystemError(.readLink, path: path, code: errno) }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  public func contents(_ path: String) throws(FileSystemError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw FileSystemError(.read, path: path, code: errno) }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw FileSystemError(.read, path: path, code: errno)
      }
      if count == 0 { return bytes }
      bytes.append(contentsOf: chunk[0..<count])
    }
  }

  public func createFile(_ path: String, bytes: [UInt8], like: FileStatus?) throws(FileSystemError) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    guard descriptor >= 0 else { throw FileSystemError(.create, path: path, code: errno) }
    var failure: Int32 = 0
    var written = 0
    while written < bytes.count {
      let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress.map { $0 + written }, bytes.count - written) }
      if count < 0 {
        if errno == EINTR { continue }
        failure = errno
        break
      }
      written += count
    }
    if failure == 0, let like {
      // As root the replacement would otherwise belong to root; elsewhere this fails harmlessly.
      if like.owner != UInt32(geteuid()) || like.group != UInt32(getegid()) {
        _ = fchown(descriptor, uid_t(like.owner), gid_t(like.group))
      }
      if fchmod(descriptor, mode_t(like.mode)) != 0 { failure = errno }
    }
    if failure == 0, fsync(descriptor) != 0 { failure = errno }
    if close(descriptor) != 0, failure == 0 { failure = errno }
    if failure != 0 {
      _ = cUnlink(path)
      throw FileSystemError(.create, path: path, code: failure)
    }
  }

  public func rename(_ path: String, to destination: String) throws(FileSystemError) {
    if cRename(path, destination) != 0 {
      throw FileSystemError(.rename, path: path, destination: destination, code: errno)
    }
  }

  public func link(_ path: String, to destination: String) throws(FileSystemError) {
    if cLink(path, destination) != 0 {
      throw FileSystemError(.link, path: path, destination: destination, code: errno)
    }
  }

  public func unlink(_ path: String) throws(FileSystemError) {
    if cUnlink(path) != 0 { throw FileSystemError(.unlink, path: path, code: errno) }
  }

  public func makeFolder(_ path: String) throws(FileSystemError) {
    if mkdir(path, 0o777) != 0 { throw FileSystemError(.makeFolder, path: path, code: errno) }
  }

  public func removeFolder(_ path: String) throws(FileSystemError) {
    if rmdir(path) != 0 { throw FileSystemError(.removeFolder, path: path, code: errno) }
  }

  public func syncFolder(_ path: String) throws(FileSystemError) {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw FileSystemError(.syncFolder, path: path, code: errno) }
    defer { close(descriptor) }
    // Some file systems cannot flush a folder; their renames are as durable as they get.
    if fsync(descriptor) != 0, errno != EINVAL, errno != ENOTSUP {
      throw FileSystemError(.syncFolder, path: path, code: errno)
    }
  }

  public func folderEntries(_ path: String) throws(FileSystemError) -> [String] {
    guard let folder = opendir(path) else { throw FileSystemError(.listFolder, path: path, code: errno) }
    defer { closedir(folder) }
    var names: [String] = []
    while let entry = readdir(folder) {
      let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
        pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  public func isWritable(_ path: String) -> Bool { access(path, W_OK) == 0 }

  public func processIsRunning(_ processID: Int32) -> Bool {
    guard processID > 0 else { return false }
    // EPERM: it runs, as another user.
    return kill(processID, 0) == 0 || errno == EPERM
  }
}
