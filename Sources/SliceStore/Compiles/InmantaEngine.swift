import Foundation

/// Runs the project's real compile (`inmanta compile` unless slicels.yml says otherwise) in a
/// compile mode, and tells which files it changed.
public enum InmantaEngine {
  /// The environment variable the git-ops module reads its compile mode from.
  public static let modeVariable = "INMANTA_GIT_OPS_COMPILE_MODE"
  /// The folders whose files a compile reads and writes.
  public static let watchedFolders = ["files", "git_ops"]

  public enum Output: Sendable {
    /// The compile writes to this process's standard output and error, as it goes.
    case inherit
    /// The compile's output (standard output and error together) is collected in the result.
    case collect
  }

  public struct Result: Sendable {
    public var exitStatus: Int32
    /// Files under files/ and git_ops/ created, modified, deleted or rewritten by the compile.
    public var changes: [FileChange]
    /// The collected output (`.collect` only).
    public var output: String
    public var succeeded: Bool { exitStatus == 0 }
  }

  /// The command cannot be started at all.
  public struct LaunchError: Error, Sendable, CustomStringConvertible {
    public var command: [String]
    public var reason: String
    public var description: String {
      "cannot run the compile command `\(command.joined(separator: " "))`: \(reason). Set the command in slicels.yml (compile: {command: [path/to/inmanta, compile]}) or put it on PATH"
    }
  }

  /// Runs `command` in `root` with `INMANTA_GIT_OPS_COMPILE_MODE=<mode>` and waits for it.
  public static func run(
    mode: CompileMode, root: URL, command: [String], environment: [String: String] = [:], output: Output = .inherit
  ) throws(LaunchError) -> Result {
    try start(mode: mode, root: root, command: command, environment: environment, output: output).wait()
  }

  /// Starts `command` in `root` with `INMANTA_GIT_OPS_COMPILE_MODE=<mode>`; `wait()` for it,
  /// `stop()` it from another thread.
  public static func start(
    mode: CompileMode, root: URL, command: [String], environment: [String: String] = [:], output: Output = .inherit
  ) throws(LaunchError) -> RunningCompile {
    guard let word = command.first, !word.isEmpty else { throw LaunchError(command: command, reason: "it is empty") }
    var processEnvironment = ProcessInfo.processInfo.environment
    for (key, value) in environment { processEnvironment[key] = value }
    processEnvironment[modeVariable] = mode.rawValue
    guard let executable = locate(word, root: root, path: processEnvironment["PATH"]) else {
      throw LaunchError(command: command, reason: "'\(word)' is not an executable file\(word.contains("/") ? "" : " on PATH")")
    }
    return try RunningCompile(
      executable: executable, command: command, root: root, environment: processEnvironment, output: output)
  }

  /// Whether `command` names an executable (a path relative to `root`, or a word on PATH): the
  /// editor offers the real compile only then, or when slicels.yml sets the command.
  public static func isRunnable(_ command: [String], root: URL) -> Bool {
    guard let word = command.first, !word.isEmpty else { return false }
    return locate(word, root: root, path: ProcessInfo.processInfo.environment["PATH"]) != nil
  }

  /// The executable a command word names: a path (relative to the project) when it holds a
  /// '/', else the first match on PATH.
  static func locate(_ word: String, root: URL, path: String?) -> URL? {
    let fileManager = FileManager.default
    if word.contains("/") {
      let url = word.hasPrefix("/") ? URL(fileURLWithPath: word) : root.appendingPathComponent(word)
      return fileManager.isExecutableFile(atPath: url.path) ? url : nil
    }
    for folder in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(word)
      var isFolder: ObjCBool = false
      if fileManager.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue,
        fileManager.isExecutableFile(atPath: candidate.path)
      {
        return candidate
      }
    }
    return nil
  }
}

/// The state of every file under some folders: size, modification time and a SHA-256 of the
/// content, to tell what a process changed.
public struct FileStateSnapshot: Sendable {
  public struct State: Sendable, Hashable {
    public var size: UInt64
    public var modified: Date?
    public var digest: [UInt8]
  }

  /// By path relative to the root.
  public var files: [String: State]

  public static func take(root: URL, folders: [String]) -> FileStateSnapshot {
    let fileManager = FileManager.default
    var files: [String: State] = [:]
    for folder in folders {
      let base = root.appendingPathComponent(folder)
      guard let enumerator = fileManager.enumerator(atPath: base.path) else { continue }
      while let relative = enumerator.nextObject() as? String {
        let path = base.appendingPathComponent(relative).path
        guard let attributes = try? fileManager.attributesOfItem(atPath: path),
          attributes[.type] as? FileAttributeType == .typeRegular,
          let data = fileManager.contents(atPath: path)
        else { continue }
        files[folder + "/" + relative] = State(
          size: (attributes[.size] as? NSNumber)?.uint64Value ?? UInt64(data.count),
          modified: attributes[.modificationDate] as? Date,
          digest: SHA256.digest([UInt8](data)))
      }
    }
    return FileStateSnapshot(files: files)
  }

  /// What changed from this snapshot to `later`, by absolute path, sorted.
  public func changes(to later: FileStateSnapshot, root: URL) -> [FileChange] {
    var changes: [FileChange] = []
    for path in Set(files.keys).union(later.files.keys).sorted() {
      let absolute = root.appendingPathComponent(path).path
      switch (files[path], later.files[path]) {
      case (nil, .some): changes.append(FileChange(path: absolute, kind: .created))
      case (.some, nil): changes.append(FileChange(path: absolute, kind: .deleted))
      case (.some(let old), .some(let new)):
        if old.digest != new.digest || old.size != new.size {
          changes.append(FileChange(path: absolute, kind: .modified))
        } else if old.modified != new.modified {
          changes.append(FileChange(path: absolute, kind: .rewritten))
        }
      case (nil, nil): break
      }
    }
    return changes
  }
}

/// SHA-256 (FIPS 180-4), to fingerprint file contents without a crypto dependency.
enum SHA256 {
  private static let k: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
  ]

  static func digest(_ message: [UInt8]) -> [UInt8] {
    var h: [UInt32] = [
      0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]
    var padded = message
    padded.append(0x80)
    while padded.count % 64 != 56 { padded.append(0) }
    let bitLength = UInt64(message.count) &* 8
    for shift in stride(from: 56, through: 0, by: -8) { padded.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }

    var w = [UInt32](repeating: 0, count: 64)
    for chunk in stride(from: 0, to: padded.count, by: 64) {
      for i in 0..<16 {
        let base = chunk + i * 4
        w[i] =
          UInt32(padded[base]) << 24 | UInt32(padded[base + 1]) << 16 | UInt32(padded[base + 2]) << 8
          | UInt32(padded[base + 3])
      }
      for i in 16..<64 {
        let s0 = rotate(w[i - 15], 7) ^ rotate(w[i - 15], 18) ^ (w[i - 15] >> 3)
        let s1 = rotate(w[i - 2], 17) ^ rotate(w[i - 2], 19) ^ (w[i - 2] >> 10)
        w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
      }
      var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
      for i in 0..<64 {
        let s1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
        let choice = (e & f) ^ (~e & g)
        let t1 = hh &+ s1 &+ choice &+ k[i] &+ w[i]
        let s0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
        let majority = (a & b) ^ (a & c) ^ (b & c)
        let t2 = s0 &+ majority
        (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
      }
      h[0] = h[0] &+ a
      h[1] = h[1] &+ b
      h[2] = h[2] &+ c
      h[3] = h[3] &+ d
      h[4] = h[4] &+ e
      h[5] = h[5] &+ f
      h[6] = h[6] &+ g
      h[7] = h[7] &+ hh
    }
    return h.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32(24 - $0 * 8)) } }
  }

  private static func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
    (value >> count) | (value << (32 - count))
  }
}
