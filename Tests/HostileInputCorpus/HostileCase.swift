import Foundation

/// What slicels must make of one hostile input, read as a source slice of the example project's
/// `vlans` store. Places are 1-based `line:column` with the column in characters, as `check`
/// prints them.
public enum HostileExpectation: Sendable, Hashable {
  /// Loads and is a valid vlan slice: no error and no warning anywhere.
  case valid
  /// Loads; validation against the store's schema reports `code` at this place.
  case schemaFinding(code: String, line: Int, column: Int)
  /// The reader refuses the bytes with `code` at this place.
  case syntaxError(code: String, line: Int, column: Int)
}

/// One input of the hostile corpus: a slice file's bytes, optionally with a hostile schema for
/// the store, and what slicels must make of it. A case with its own schema is judged on its own
/// file only: the example project's other vlan slices do not fit that schema.
public struct HostileCase: Sendable, CustomStringConvertible {
  public let name: String
  /// `yaml` or `json`: the slice file's extension, which decides the reader.
  public let fileExtension: String
  public let expectation: HostileExpectation
  /// Replaces the vlans store's schema (`files/schemas/vlans.json`) when set.
  public let schema: (@Sendable () throws -> [UInt8])?
  /// How many findings the file legitimately gets (one per unknown key, say): the output of
  /// `check` may grow with them, by a bounded size each.
  public let findingCount: Int
  private let makeBytes: @Sendable () throws -> [UInt8]

  init(
    _ name: String, _ fileExtension: String, _ expectation: HostileExpectation,
    schema: (@Sendable () throws -> [UInt8])? = nil, findingCount: Int = 1,
    bytes: @escaping @Sendable () throws -> [UInt8]
  ) {
    self.name = name
    self.fileExtension = fileExtension
    self.expectation = expectation
    self.schema = schema
    self.findingCount = findingCount
    self.makeBytes = bytes
  }

  /// The file's bytes, made on demand so the large inputs live only while a test uses them.
  public func bytes() throws -> [UInt8] { try makeBytes() }

  /// The source slice's file name in the store folder (unique in the corpus).
  public var fileName: String { "\(name).\(fileExtension)" }

  public var description: String { "\(name).\(fileExtension)" }
}

public struct HostileFixtureMissing: Error, CustomStringConvertible {
  public var path: String
  public var description: String { "missing hostile-input fixture \(path)" }
}

enum HostileFixtures {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func read(_ fileName: String) throws -> [UInt8] {
    let path = folder.appendingPathComponent(fileName).path
    guard let data = FileManager.default.contents(atPath: path) else { throw HostileFixtureMissing(path: path) }
    return [UInt8](data)
  }
}
