import CLibFuzzer
import Foundation
@_exported import LanguageServerProtocol
@_exported import SliceSchema
@_exported import SliceStore
@_exported import SliceSyntax

/// Shared by the fuzz targets: the input as an array, invariant checks that stop the run, and
/// value comparisons stricter than `==`.
public enum Fuzz {
  /// Runs libFuzzer with the command line's options on `testOneInput` (the target's
  /// `LLVMFuzzerTestOneInput`). Each target's `@main` calls it: SwiftPM gives every executable
  /// its own `main`, which would otherwise replace libFuzzer's.
  public static func main(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
  }

  /// The bytes libFuzzer hands over (`data` may be any pointer when `size` is 0).
  public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
  }

  /// Stops the run with a message when an invariant fails: libFuzzer saves the input as a crash.
  public static func check(
    _ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line
  ) {
    guard !condition else { return }
    FileHandle.standardError.write(Data("invariant failed at \(file):\(line): \(message())\n".utf8))
    abort()
  }

  /// Every finding lies inside the document it is about.
  public static func checkRanges(_ findings: [Finding], count: Int, _ context: String) {
    for finding in findings {
      check(
        finding.range.lowerBound >= 0 && finding.range.upperBound <= count,
        "\(context): finding \(finding.code) at \(finding.range) outside 0..<\(count)")
    }
  }

  /// Same kinds (1 is not 1.0 is not true), same key order, floats bit for bit (NaN equals NaN).
  public static func identical(_ left: Value, _ right: Value) -> Bool {
    switch (left, right) {
    case (.object(let a), .object(let b)):
      return a.count == b.count
        && zip(a, b).allSatisfy { identical($0.key.scalar, $1.key.scalar) && identical($0.value, $1.value) }
    case (.array(let a), .array(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { identical($0, $1) }
    case (.scalar(let a), .scalar(let b)):
      return identical(a, b)
    default:
      return false
    }
  }

  /// The same data as Python compares it after reading: objects as key → value maps (order
  /// aside), everything else as `identical`.
  public static func sameData(_ left: Value, _ right: Value) -> Bool {
    switch (left, right) {
    case (.object(let a), .object(let b)):
      guard a.count == b.count else { return false }
      return a.allSatisfy { member in
        b.contains { identical($0.key.scalar, member.key.scalar) && sameData($0.value, member.value) }
      }
    case (.array(let a), .array(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { sameData($0, $1) }
    default:
      return identical(left, right)
    }
  }

  public static func identical(_ left: Scalar, _ right: Scalar) -> Bool {
    if case .float(let a) = left, case .float(let b) = right {
      return a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
    }
    if case .string(let a) = left, case .string(let b) = right {
      // Swift's String equality is canonical equivalence; a writer must keep the exact scalars.
      return a.utf8.elementsEqual(b.utf8)
    }
    return left == right
  }

  /// A short printable form of a value for failure messages.
  public static func describe(_ value: Value) -> String {
    String(String(describing: value).prefix(2000))
  }

  /// A small deterministic generator seeded from the input, for choices the input does not spell.
  public struct Random {
    private var state: UInt64
    public init(seed: [UInt8]) {
      var hash: UInt64 = 0xCBF2_9CE4_8422_2325
      for byte in seed { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
      state = hash
    }
    public mutating func next(_ bound: Int) -> Int {
      state &+= 0x9E37_79B9_7F4A_7C15
      var mixed = state
      mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
      mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
      mixed ^= mixed >> 31
      return bound <= 0 ? 0 : Int(mixed % UInt64(bound))
    }
  }

  /// The repository root, from this file's path at build time (the example schemas live there).
  public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// Validators for the example project's store schemas (fs, vlans), loaded once.
  public static let exampleValidators: [SliceValidator] = {
    let project = repositoryRoot.appendingPathComponent("Examples/network-project")
    return ["fs", "vlans"].map { store in
      let path = project.appendingPathComponent("files/schemas/\(store).json").path
      let schemas = SchemaLoader.load(fileAt: path, projectRoot: project.path)
      check(schemas.errors.isEmpty, "the example schema \(path) does not load: \(schemas.errors)")
      return SliceValidator(schemas: schemas)
    }
  }()
}
