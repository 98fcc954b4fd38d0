import FuzzSupport

/// Arbitrary documents (read as YAML, and as JSON when they are JSON) validated against the
/// example project's store schemas. Invariants: no crash; findings and errors lie inside the
/// document; validation is idempotent: a valid slice's normalised data, written by the reference
/// writer and validated again, is valid and normalises to itself.
@main enum ValidationFuzzer {
  static func main() { Fuzz.main { data, size in fuzz(data, size) } }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  for format in [SliceFormat.yaml, .json] {
    let tree = SliceReader.read(bytes, format: format)
    guard tree.loads, case .slice(let root) = tree.sliceKind else { continue }
    for validator in Fuzz.exampleValidators {
      let validation = validator.validate(root)
      Fuzz.checkRanges(validation.findings, count: bytes.count, "\(format) validation")
      for error in validation.errors {
        Fuzz.check(error.range.upperBound <= bytes.count, "error \(error.type) at \(error.range) outside the document")
      }
      guard validation.isValid, let normalized = validation.normalized else { continue }
      let text = ReferenceYAMLWriter.text(for: normalized)
      let reread = YAMLReader().read(text)
      guard case .slice(let rereadRoot) = reread.sliceKind else {
        Fuzz.check(false, "the normalised data does not read back as a slice:\n\(text)")
        continue
      }
      let again = validator.validate(rereadRoot)
      Fuzz.check(again.isValid, "normalised data is not valid: \(again.errors.map(\.message))\n\(text)")
      if let renormalized = again.normalized {
        Fuzz.check(
          Fuzz.identical(renormalized, normalized),
          "normalising twice differs:\n\(Fuzz.describe(normalized))\n\(Fuzz.describe(renormalized))")
      }
    }
  }
  return 0
}
