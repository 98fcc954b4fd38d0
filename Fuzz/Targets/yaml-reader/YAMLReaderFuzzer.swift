import FuzzSupport

/// Invariants: the YAML reader never crashes on arbitrary bytes and locates its findings inside
/// the document; an accepted document's value, written by the reference YAML writer (PyYAML's
/// `safe_dump` style), reads back identical.
@main enum YAMLReaderFuzzer {
  static func main() { Fuzz.main { data, size in fuzz(data, size) } }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  // Smaller than the default bound on alias expansion, so that one input stays fast.
  let reader = YAMLReader(maximumAliasExpansion: 20_000)
  let tree = reader.read(bytes)
  Fuzz.checkRanges(tree.findings, count: bytes.count, "YAML reader")
  guard tree.loads else { return 0 }
  let value = tree.root?.value ?? .null
  let text = ReferenceYAMLWriter.text(for: value)
  let reread = YAMLReader(maximumAliasExpansion: 20_000).read(text)
  Fuzz.check(reread.loads, "the reference writer's output does not load: \(reread.findings.map(\.message))\n\(text)")
  let rereadValue = reread.root?.value ?? .null
  Fuzz.check(
    Fuzz.identical(rereadValue, value), "re-read differs:\n\(Fuzz.describe(value))\n\(Fuzz.describe(rereadValue))\n\(text)")
  return 0
}
