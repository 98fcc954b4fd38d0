import SliceSyntax

/// A slice file name, parsed the way the reference's `SliceFile.from_path` does:
/// `^(?<name>[^@]+)(@v(?<version>\d+))?\.(?<ext>[a-z]+)$` against the whole file name.
///
/// The regex is Python's: `\d` is any Unicode decimal digit and `int()` reads them all, so
/// `a@v٣.json` is version 3; `[a-z]` is ASCII only. The name may contain dots (`a.b.json` is the
/// slice `a.b`) because the name group backtracks to the last dot.
public struct SliceFileName: Sendable, Hashable {
  public var fileName: String
  public var name: String
  /// The version written in the name (`@v<N>`), nil when there is none.
  public var version: Int?
  public var fileExtension: String

  public init(fileName: String, name: String, version: Int?, fileExtension: String) {
    self.fileName = fileName
    self.name = name
    self.version = version
    self.fileExtension = fileExtension
  }

  // Names compare by code points, as the reference's file listing does (see `ExactString`).
  public static func == (lhs: SliceFileName, rhs: SliceFileName) -> Bool {
    lhs.fileName.isScalarExact(to: rhs.fileName) && lhs.name.isScalarExact(to: rhs.name)
      && lhs.version == rhs.version && lhs.fileExtension.isScalarExact(to: rhs.fileExtension)
  }

  public func hash(into hasher: inout Hasher) {
    fileName.hashScalars(into: &hasher)
    name.hashScalars(into: &hasher)
    hasher.combine(version)
    fileExtension.hashScalars(into: &hasher)
  }

  /// The format the reference reads this file with, nil when the extension is not one it
  /// knows (it then fails the compile when it reads the file).
  public var format: SliceFormat? { SliceFormat(fileExtension: fileExtension) }

  /// Files the reference never looks at: names starting with a dot (`.migrations.json` among them).
  public static func isHidden(_ fileName: String) -> Bool { fileName.hasPrefix(".") }

  /// The file name of an active slice version, as sync writes it.
  public static func activeFileName(name: String, version: Int) -> String { "\(name)@v\(version).json" }

  /// The file name of a source slice.
  public static func sourceFileName(name: String, format: SliceFormat) -> String {
    "\(name).\(format.rawValue)"
  }

  /// The name of the file in the active folder that records applied migrations.
  public static let migrationsFileName = ".migrations.json"

  /// Parses a file name; nil when the reference's regex does not match it (the reference then
  /// fails the compile with "Can not parse slice filename").
  public static func parse(_ fileName: String) -> SliceFileName? {
    // Every separator the pattern knows (`.`, `@`, `v`, a-z) is ASCII, so the split is done on
    // UTF-8 bytes (an ASCII byte is never inside a multi-byte scalar): a listing of thousands
    // of files parses each name without decoding it into scalars.
    let bytes = Array(fileName.utf8)
    // The extension is the run of ASCII lowercase letters after the last dot; the regex can
    // match no other split because neither the extension nor the version contains a dot.
    guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")), dot + 1 < bytes.count else { return nil }
    let extensionBytes = bytes[(dot + 1)...]
    guard extensionBytes.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }) else { return nil }
    let stem = bytes[..<dot]
    guard !stem.isEmpty else { return nil }
    let fileExtension = String(decoding: extensionBytes, as: UTF8.self)

    if let at = stem.firstIndex(of: UInt8(ascii: "@")) {
      // The name cannot contain `@`: the only `@` allowed is the one that starts `@v<digits>`.
      let name = stem[..<at]
      let suffix = stem[(at + 1)...]
      guard !name.isEmpty, suffix.first == UInt8(ascii: "v") else { return nil }
      let digits = String(decoding: suffix.dropFirst(), as: UTF8.self)
      guard let version = decimalValue(of: digits) else { return nil }
      return SliceFileName(
        fileName: fileName, name: String(decoding: name, as: UTF8.self), version: version,
        fileExtension: fileExtension)
    }
    return SliceFileName(
      fileName: fileName, name: String(decoding: stem, as: UTF8.self), version: nil,
      fileExtension: fileExtension)
  }

  /// Python's `int()` of a `\d+` match: every scalar must be a Unicode decimal digit.
  /// Nil for an empty run, a non-digit, or a version beyond `Int`.
  private static func decimalValue(of digits: String) -> Int? {
    guard !digits.isEmpty else { return nil }
    var value = 0
    for scalar in digits.unicodeScalars {
      let digit: Int
      if (UInt32(UInt8(ascii: "0"))...UInt32(UInt8(ascii: "9"))).contains(scalar.value) {
        digit = Int(scalar.value) - Int(UInt8(ascii: "0"))
      } else if scalar.properties.numericType == .decimal, let numeric = scalar.properties.numericValue {
        digit = Int(numeric)
      } else {
        return nil
      }
      let (shifted, overflowMultiply) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflowAdd) = shifted.addingReportingOverflow(digit)
      guard !overflowMultiply, !overflowAdd else { return nil }
      value = sum
    }
    return value
  }

  /// Why a name cannot be given to a new slice (the reference's `create_slice` rules), or nil
  /// when it can: a name must not be empty, start with `.`, or contain `/` or `@`.
  public static func problem(withSliceName name: String) -> String? {
    if name.isEmpty { return "A slice name can not be empty." }
    if name.hasPrefix(".") { return "A slice name can not start with a dot: \(name)" }
    if name.contains("/") { return "A slice name can not contain '/': \(name)" }
    if name.contains("@") { return "A slice name can not contain '@': \(name)" }
    return nil
  }
}
