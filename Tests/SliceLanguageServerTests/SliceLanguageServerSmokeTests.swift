import Testing

@Suite struct SliceLanguageServerSmokeTests {
  @Test func moduleLinks() {
    #expect(Bool(true))
  }
}
