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
    let scalars = Array(fileName.unicodeScalars)
    // The extension is the run of ASCII lowercase letters after the last dot; the regex can
    // match no other split because neither the extension nor the version contains a dot.
    guard let dot = scalars.lastIndex(of: "."), dot + 1 < scalars.count else { return nil }
    let extensionScalars = scalars[(dot + 1)...]
    guard extensionScalars.allSatisfy({ ("a"..."z").contains($0) }) else { return nil }
    let stem = scalars[..<dot]
    guard !stem.isEmpty else { return nil }
    let fileExtension = String(String.UnicodeScalarView(extensionScalars))

    if let at = stem.firstIndex(of: "@") {
      // The name cannot contain `@`: the only `@` allowed is the one that starts `@v<digits>`.
      let name = stem[..<at]
      let suffix = stem[(at + 1)...]
      guard !name.isEmpty, suffix.first == "v" else { return nil }
      let digits = suffix.dropFirst()
      guard let version = decimalValue(of: digits) else { return nil }
      return SliceFileName(
        fileName: fileName, name: String(String.UnicodeScalarView(name)), version: version,
        fileExtension: fileExtension)
    }
    return SliceFileName(
      fileName: fileName, name: String(String.UnicodeScalarView(stem)), version: nil,
      fileExtension: fileExtension)
  }

  /// Python's `int()` of a `\d+` match: every scalar must be a Unicode decimal digit.
  /// Nil for an empty run, a non-digit, or a version beyond `Int`.
  private static func decimalValue(of digits: ArraySlice<Unicode.Scalar>) -> Int? {
    guard !digits.isEmpty else { return nil }
    var value = 0
    for scalar in digits {
      guard scalar.properties.numericType == .decimal,
        let digit = scalar.properties.numericValue.map({ Int($0) })
      else { return nil }
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
