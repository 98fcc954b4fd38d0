/// Reads a slice file in either format.
public enum SliceReader {
  public static func read(_ bytes: [UInt8], format: SliceFormat) -> SyntaxTree {
    switch format {
    case .yaml: return YAMLReader().read(bytes)
    case .json: return JSONReader().read(bytes)
    }
  }

  public static func read(_ text: String, format: SliceFormat) -> SyntaxTree {
    read(Array(text.utf8), format: format)
  }
}

/// What a loaded file is as a slice (see the store's reading: an empty document, `null` or `{}`
/// is a deleted slice; any other top level but a mapping is an error).
public enum SliceDocumentKind: Sendable {
  /// A slice: the root mapping.
  case slice(Node)
  case deleted
  /// Not a slice: the file does not load, or its top level is not a mapping.
  case invalid(Finding)
}

extension SyntaxTree {
  public var sliceKind: SliceDocumentKind {
    guard loads else {
      let firstError = findings.first(where: { $0.severity == .error })
      return .invalid(
        firstError
          ?? Finding(range: 0..<0, severity: .error, code: format == .json ? .jsonSyntax : .yamlSyntax, message: "the file does not load"))
    }
    guard let root else { return .deleted }
    switch root.kind {
    case .mapping(let entries):
      return entries.isEmpty ? .deleted : .slice(root)
    case .scalar(.null):
      return .deleted
    case .scalar, .sequence:
      let found: String
      switch root.kind {
      case .sequence: found = "a list"
      case .scalar(.string): found = "a string"
      case .scalar(.integer), .scalar(.float): found = "a number"
      case .scalar(.boolean): found = "a boolean"
      default: found = "a single value"
      }
      return .invalid(
        Finding(
          range: root.range, severity: .error, code: .notAMapping,
          message: "a slice is a mapping of properties, but this file holds \(found)"))
    }
  }
}
