import Testing
@testable import SliceSchema

@Suite struct SliceSchemaSmokeTests {
  @Test func moduleLinks() {
    #expect(Bool(true))
  }
}
