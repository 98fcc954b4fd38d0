import Testing

@Suite struct SliceStoreSmokeTests {
  @Test func moduleLinks() {
    #expect(Bool(true))
  }
}
