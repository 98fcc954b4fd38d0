import FuzzSupport

/// Invariants: the JSON reader never crashes on arbitrary bytes and locates its findings inside
/// the document; an accepted document's value, written by the reference JSON writer, reads back
/// identical (same kinds, key order, exact floats).
@main enum JSONReaderFuzzer {
  static func main() { Fuzz.main { data, size in fuzz(data, size) } }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  let tree = JSONReader().read(bytes)
  Fuzz.checkRanges(tree.findings, count: bytes.count, "JSON reader")
  guard tree.loads else { return 0 }
  let value = tree.root?.value ?? .null
  let text: String
  do {
    text = try ReferenceJSONWriter.text(for: value)
  } catch {
    Fuzz.check(false, "an accepted JSON value cannot be written as JSON: \(error)")
    return 0
  }
  let reread = JSONReader().read(text)
  Fuzz.check(reread.loads, "the reference writer's output does not load: \(reread.findings.map(\.message))\n\(text)")
  let rereadValue = reread.root?.value ?? .null
  Fuzz.check(
    Fuzz.identical(rereadValue, value), "re-read differs:\n\(Fuzz.describe(value))\n\(Fuzz.describe(rereadValue))\n\(text)")
  return 0
}
