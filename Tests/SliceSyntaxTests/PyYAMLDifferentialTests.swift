import BigInt
import Testing

@testable import SliceSyntax

/// Hundreds of YAML snippets (tricky scalars as values and keys, tags, anchors, merges, flow and
/// block styles, syntax errors) and 2000 random documents built from fragments, with what
/// PyYAML's safe_load made of them (PyYAMLCases.swift).
@Suite struct PyYAMLDifferentialTests {
  /// Tags read since issue 13: a case the file could not dump because of them may load now.
  static let tagsReadAsTheReferenceUsesThem = ["!!binary", "!!omap", "!!pairs", "!!set"]

  @Test func readerAgreesWithSafeLoad() throws {
    let file = JSONReader().read(pyYAMLCasesJSON)
    let cases = try #require(file.root?.lookup("cases")?.items)
    var agree = 0
    var codes: Set<String> = []
    for testCase in cases {
      guard case .string(let source)? = testCase.lookup("source")?.scalar else {
        Issue.record("malformed case")
        continue
      }
      let tree = YAMLReader().read(source)
      for finding in tree.findings { codes.insert(finding.code) }
      if let error = testCase.lookup("error") {
        #expect(!tree.loads, "\(source.debugDescription) loads here, but safe_load fails: \(error.value)")
        if !tree.loads { agree += 1 }
        continue
      }
      if testCase.lookup("known_divergence") != nil {
        // libyaml is stricter than PyYAML's scanner here; documented, and it must stay a refusal.
        #expect(!tree.loads, "\(source.debugDescription) known divergence changed")
        if !tree.loads { agree += 1 }
        continue
      }
      if testCase.lookup("unrepresentable") != nil {
        // Python sets, bytes, pairs and recursive structures, which the case file could not
        // dump. Bytes, pairs and sets of small integers are read as the reference uses them
        // (YAMLReaderTests.binaryPairsAndSetsReadAsTheReferenceUsesThem); the rest is refused.
        if tree.loads, Self.tagsReadAsTheReferenceUsesThem.contains(where: source.contains) {
          agree += 1
          continue
        }
        #expect(!tree.loads, "\(source.debugDescription) should be refused")
        if !tree.loads { agree += 1 }
        continue
      }
      let expected = try #require(testCase.lookup("loaded"))
      guard tree.loads else {
        Issue.record("\(source.debugDescription) does not load here: \(tree.findings.map(\.message)); safe_load gives \(expected.value)")
        continue
      }
      let ours: Value = tree.root?.value ?? .null
      if matches(ours, expected) {
        agree += 1
      } else {
        Issue.record("\(source.debugDescription): ours \(ours), safe_load \(expected.value)")
      }
    }
    print("PyYAML differential: \(agree)/\(cases.count) agree")
    #expect(agree == cases.count)
    // Every code a finding carries is documented.
    for code in codes { #expect(FindingCode(rawValue: code) != nil, "undocumented code \(code)") }
    #expect(codes.count >= 10)
  }

  /// Compares a loaded value with the generator's typed rendering ({"int": "12"}, {"dict": [[k, v]]}, …).
  func matches(_ value: Value, _ rendering: Node) -> Bool {
    guard let entry = rendering.entries?.first, let kind = entry.keyString else { return false }
    let payload = entry.value
    switch (kind, value) {
    case ("null", .scalar(.null)):
      return true
    case ("bool", .scalar(.boolean(let flag))):
      return payload.scalar == .boolean(flag)
    case ("int", .scalar(.integer(let number))):
      return payload.scalar == .string(String(number))
    case ("float", .scalar(.float(let number))):
      guard case .string(let text)? = payload.scalar else { return false }
      switch text {
      case "nan": return number.isNaN
      case "inf": return number == .infinity
      case "-inf": return number == -.infinity
      default: return Double(text) == number
      }
    case ("str", .scalar(.string(let text))):
      return payload.scalar == .string(text)
    case ("date", .scalar(.date(let date))):
      return payload.scalar == .string(PythonText.isoDate(date))
    case ("datetime", .scalar(.datetime(let time))):
      return payload.scalar == .string(PythonText.str(.datetime(time)))
    case ("list", .array(let items)):
      guard let expected = payload.items, expected.count == items.count else { return false }
      return zip(items, expected).allSatisfy { matches($0, $1) }
    case ("dict", .object(let members)):
      guard let expected = payload.items, expected.count == members.count else { return false }
      return zip(members, expected).allSatisfy { member, pair in
        guard let pair = pair.items, pair.count == 2 else { return false }
        return matches(.scalar(member.key.scalar), pair[0]) && matches(member.value, pair[1])
      }
    default:
      return false
    }
  }
}
