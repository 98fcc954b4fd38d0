import Foundation
import SliceSyntax
import SliceTestSupport

/// Shared helpers of the writer tests: where the shared fixtures are, strict value comparison,
/// and building integers of any size without depending on BigInt directly.
enum WriterTestSupport {
  /// `../shared/fidelity/<name>` relative to the package root.
  static func sharedFidelityFile(_ name: String) -> URL? {
    TestPackage.shared("fidelity/\(name)")
  }

  /// Parses JSON text with the project's reader (keeps key order and int-vs-float).
  static func readJSON(_ text: String) -> Value? {
    let tree = JSONReader().read(text)
    guard tree.loads else { return nil }
    return tree.root?.value
  }

  /// An integer of any size from its decimal digits (read through the JSON reader, which keeps
  /// big integers exact).
  static func integer(_ digits: String) -> Value? {
    guard let value = readJSON(digits), case .scalar(.integer) = value else { return nil }
    return value
  }

  /// Equality that Python's `==` is too lenient for: same kinds (1 is not 1.0 is not True), same
  /// key order, floats bit for bit (NaN equals NaN).
  static func identical(_ left: Value, _ right: Value) -> Bool {
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

  static func identical(_ left: Scalar, _ right: Scalar) -> Bool {
    if case .float(let a) = left, case .float(let b) = right {
      return a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
    }
    return left == right
  }
}
