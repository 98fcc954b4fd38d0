import Foundation
import HostileInputCorpus
import SliceSchema
import SliceSyntax
import SliceTestSupport
import Testing

/// Every hostile input through the readers and validation against the example vlans schema:
/// a tree or a finding at the right place, never a crash, in bounded time.
// One case at a time: the large inputs must not starve the time-bounded tests that run
// alongside in the same `swift test`.
@Suite(.serialized) struct HostileReadingTests {
  /// A hang guard, not a performance bound: debug builds on a busy machine are slow.
  static let timeLimit: Duration = .seconds(20)
  static let messageLimit = 16 << 10

  static let exampleSchema: SchemaSet = SchemaLoader.load(
    fileAt: TestPackage.exampleProject.appendingPathComponent("files/schemas/vlans.json").path)

  static func schemas(for hostile: HostileCase) throws -> SchemaSet {
    guard let schema = hostile.schema else { return exampleSchema }
    return SchemaLoader().load(bytes: try schema())
  }

  /// Places of findings in one file, counted once per line as `check` counts them (a hundred
  /// thousand findings must not each rescan the file).
  struct Places {
    var positions: PositionCounter
    init(_ bytes: [UInt8]) { positions = PositionCounter(document: TextDocument(bytes: bytes)) }
    mutating func of(_ finding: Finding) -> String { positions.displayLocation(of: finding.range.lowerBound).description }
  }

  @Test(arguments: HostileCorpus.cases)
  func readAndValidate(_ hostile: HostileCase) throws {
    let bytes = try hostile.bytes()
    let format = try #require(SliceFormat(fileExtension: hostile.fileExtension))
    let schemas = try Self.schemas(for: hostile)
    #expect(schemas.errors.isEmpty || hostile.schema != nil, "the example schema loads: \(schemas.errors)")

    let clock = ContinuousClock()
    var tree: SyntaxTree?
    var validation: SliceValidation?
    let elapsed = clock.measure {
      let read = SliceReader.read(bytes, format: format)
      tree = read
      // Validate whatever the reader recovered, even from a file that does not load.
      if let root = read.root {
        validation = SliceValidator(schemas: schemas).validate(root)
      }
    }
    print("hostile read and validate \(hostile): \(elapsed)")
    #expect(elapsed < Self.timeLimit, "\(hostile) took \(elapsed)")
    let read = try #require(tree)
    #expect(read.root != nil || !read.findings.isEmpty, "a tree or a finding")
    let syntaxErrors = read.findings.filter { $0.severity == .error }
    #expect(read.loads == syntaxErrors.isEmpty, "loads exactly when there is no syntax error: \(syntaxErrors.map(\.code))")

    var places = Places(bytes)
    switch hostile.expectation {
    case .valid:
      #expect(read.loads, "\(read.findings.map { "\($0.code) \($0.message)" })")
      #expect(read.findings.isEmpty)
      let findings = validation?.findings ?? []
      #expect(validation?.isValid == true, "\(findings.prefix(3).map { "\($0.code) \($0.message.prefix(200))" })")
      #expect(findings.filter { $0.severity <= .warning }.isEmpty)
    case .syntaxError(let code, let line, let column):
      #expect(!read.loads)
      let first = try #require(syntaxErrors.first, "a syntax error")
      #expect(first.code == code, "\(first.message.prefix(300))")
      #expect(places.of(first) == "\(line):\(column)", "\(first.code): \(first.message.prefix(300))")
    case .schemaFinding(let code, let line, let column):
      #expect(read.loads, "\(read.findings.map { "\($0.code) \($0.message.prefix(200))" })")
      let findings = validation?.findings ?? []
      let matching = findings.filter { $0.code == code }.map { places.of($0) }
      #expect(
        matching.contains("\(line):\(column)"),
        "\(code) at \(matching.prefix(5)); all: \(findings.prefix(5).map { "\($0.code) at \(places.of($0)): \($0.message.prefix(200))" })")
    }
    // Each finding's message stays short whatever the input (a megabyte key, a million-value enum).
    let longest = (read.findings + (validation?.findings ?? [])).map(\.message.utf8.count).max() ?? 0
    #expect(longest < Self.messageLimit, "a message of \(longest) bytes")
  }

  @Test(arguments: HostileCorpus.issueSizedCases)
  func readAndValidateAtTheIssueSizes(_ hostile: HostileCase) throws {
    try readAndValidate(hostile)
  }

  /// Crashed the test runner before issue 8's fixes (see `HostileCorpus.crashReproducers`).
  @Test(arguments: HostileCorpus.crashReproducers)
  func readAndValidateCrashReproducers(_ hostile: HostileCase) throws {
    try readAndValidate(hostile)
  }
}
