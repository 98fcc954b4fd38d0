import Testing

@Suite struct EndToEndSmokeTests {
  @Test func moduleLinks() {
    #expect(Bool(true))
  }
}
