import Testing

@Suite struct LanguageServerProtocolSmokeTests {
  @Test func moduleLinks() {
    #expect(Bool(true))
  }
}
