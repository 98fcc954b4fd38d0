import SliceTestSupport
import Testing

@testable import SliceSyntax

/// The reference's own readings of one-field slices (shared/fidelity/pydantic-lax-cases.json):
/// every value our readers load must be the value PyYAML's safe_load / Python's json.loads gave.
@Suite struct FidelityTests {
  @Test func everyCaseLoadsTheReferenceValue() throws {
    let path = TestPackage.shared("fidelity/pydantic-lax-cases.json").path
    let bytes = try #require(TestSupport.readFile(path), "missing \(path)")
    let file = JSONReader().read(bytes)
    #expect(file.loads)
    let cases = try #require(file.root?.lookup("cases")?.items)
    #expect(cases.count >= 2000)

    var agree = 0
    var expectedFailures = 0
    for (index, testCase) in cases.enumerated() {
      let formatName = testCase.lookup("format")?.scalar
      let source = try #require(testCase.lookup("source")?.scalar)
      guard case .string(let text) = source, case .string(let formatText)? = formatName,
        let format = SliceFormat(rawValue: formatText)
      else {
        Issue.record("case \(index): malformed")
        continue
      }
      let tree = SliceReader.read(text, format: format)
      if testCase.lookup("load_error") != nil {
        #expect(!tree.loads, "case \(index): \(text.debugDescription) should not load")
        if !tree.loads { expectedFailures += 1 }
        continue
      }
      guard tree.loads, let loaded = tree.root?.lookup("value")?.value else {
        Issue.record("case \(index): \(text.debugDescription) did not load: \(tree.findings.map(\.message))")
        continue
      }
      let expected = try #require(testCase.lookup("loaded")).value
      let expectedType = testCase.lookup("loaded_python_type")?.scalar
      let ours = TestSupport.jsonForm(loaded)
      let sameValue = TestSupport.strictlyEqual(ours, expected)
      let sameType = expectedType == .string(TestSupport.pythonTypeName(loaded))
      #expect(sameValue, "case \(index): \(text.debugDescription) loads \(ours), the reference \(expected)")
      #expect(sameType, "case \(index): \(text.debugDescription) type \(TestSupport.pythonTypeName(loaded)), the reference \(String(describing: expectedType))")
      if sameValue && sameType { agree += 1 }
    }
    print("fidelity load: \(agree + expectedFailures)/\(cases.count) agree (\(expectedFailures) expected load errors)")
    #expect(agree + expectedFailures == cases.count)
  }
}

