import SliceStore
import SliceSyntax
import Testing

@Suite struct VersionsTests {
  let a = Value.object([Value.Member("name", .string("a")), Value.Member("size", .integer(1))])
  let b = Value.object([Value.Member("name", .string("a")), Value.Member("size", .integer(2))])

  @Test func firstVersion() throws {
    let decision = try #require(Versions.decide(source: a, history: []))
    #expect(decision.version == 1 && decision.change == .new && !decision.deleted && decision.writesNewVersion)
    #expect(decision.latestActiveVersion == 0)
    #expect(Versions.decide(source: nil, history: []) == nil)
  }

  @Test func unchangedComparesWithPythonEquality() throws {
    // Key order and 1 == 1.0 do not make a change.
    let reordered = Value.object([Value.Member("size", .float(1.0)), Value.Member("name", .string("a"))])
    let decision = try #require(Versions.decide(source: reordered, history: [ActiveVersion(version: 4, attributes: a)]))
    #expect(decision.version == 4 && decision.change == .unchanged && !decision.writesNewVersion)
    #expect(decision.attributes == a)
  }

  @Test func changedAgainstTheLatestOnly() throws {
    // Equal to an older version is still a change.
    let history = [ActiveVersion(version: 1, attributes: a), ActiveVersion(version: 2, attributes: b)]
    let decision = try #require(Versions.decide(source: a, history: history))
    #expect(decision.version == 3 && decision.change == .modified && decision.writesNewVersion)
  }

  @Test func sourceRemoved() throws {
    let removed = try #require(Versions.decide(source: nil, history: [ActiveVersion(version: 2, attributes: a)]))
    #expect(removed.version == 3 && removed.deleted && removed.change == .deleted && removed.attributes.isDeletedSlice)
    let still = try #require(
      Versions.decide(source: nil, history: [ActiveVersion(version: 2, attributes: a), ActiveVersion(version: 3, attributes: .deletedSlice)]))
    #expect(still.version == 3 && still.deleted && still.change == .stillDeleted && !still.writesNewVersion)
  }

  @Test func emptiedSourceFile() throws {
    let emptied = try #require(Versions.decide(source: .deletedSlice, history: [ActiveVersion(version: 1, attributes: a)]))
    #expect(emptied.version == 2 && emptied.deleted && emptied.change == .deleted)
    let again = try #require(
      Versions.decide(source: .deletedSlice, history: [ActiveVersion(version: 2, attributes: .deletedSlice)]))
    #expect(again.version == 2 && again.change == .stillDeleted)
    // Never undeleted: version 1, deleted (sync writes `{}` as v1).
    let never = try #require(Versions.decide(source: .deletedSlice, history: []))
    #expect(never.version == 1 && never.deleted && never.writesNewVersion)
  }

  @Test func versionInTheSourceFileNameWins() throws {
    let history = [ActiveVersion(version: 1, attributes: a), ActiveVersion(version: 5, attributes: a)]
    let decision = try #require(Versions.decide(source: b, sourceFileVersion: 5, history: history))
    #expect(decision.version == 5 && decision.change == .modified && !decision.writesNewVersion)
    let first = try #require(Versions.decide(source: b, sourceFileVersion: 7, history: []))
    #expect(first.version == 7)
  }

  @Test func latestIsTheHighestVersionFirstListed() {
    let history = [
      ActiveVersion(version: 2, attributes: a, path: "x"), ActiveVersion(version: 10, attributes: a, path: "first"),
      ActiveVersion(version: 10, attributes: b, path: "second"), ActiveVersion(version: 9, attributes: b),
    ]
    #expect(Versions.latest(of: history)?.path == "first")
    #expect(Versions.latest(of: []) == nil)
  }
}
