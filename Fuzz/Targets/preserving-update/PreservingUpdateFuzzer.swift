import FuzzSupport

/// An arbitrary source slice (as YAML and as JSON) normalised against the example project's store
/// schemas, then written the two ways `update` can write it. Invariant: the preserving update's
/// output re-reads to the same data as the reference style's output (key order aside: the
/// preserving update keeps the file's order); when the value cannot be written in the format, both ways refuse.
@main enum PreservingUpdateFuzzer {
  static func main() { Fuzz.main { data, size in fuzz(data, size) } }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  for format in [SliceFormat.yaml, .json] {
    let tree = SliceReader.read(bytes, format: format)
    guard tree.loads, case .slice(let root) = tree.sliceKind else { continue }
    for validator in Fuzz.exampleValidators {
      guard let normalized = validator.validate(root).normalized else { continue }
      let referenceText: String
      do {
        referenceText = try format == .json ? ReferenceJSONWriter.text(for: normalized) : ReferenceYAMLWriter.text(for: normalized)
      } catch {
        do {
          _ = try PreservingEdits.outcome(source: bytes, tree: tree, normalized: normalized)
          Fuzz.check(false, "the preserving update writes what the reference cannot: \(error)")
        } catch {}
        continue
      }
      let outcome: PreservingEdits.Outcome
      do {
        outcome = try PreservingEdits.outcome(source: bytes, tree: tree, normalized: normalized)
      } catch {
        Fuzz.check(false, "the preserving update fails where the reference writes: \(error)\n\(referenceText)")
        continue
      }
      let edited = PreservingEdits.apply(outcome.edits, to: bytes)
      let preserved = SliceReader.read(edited, format: format)
      let reference = SliceReader.read(Array(referenceText.utf8), format: format)
      Fuzz.check(preserved.loads, "the preserving update's output does not load (\(outcome.method))")
      Fuzz.check(reference.loads, "the reference style's output does not load:\n\(referenceText)")
      let preservedValue = preserved.root?.value ?? .null
      let referenceValue = reference.root?.value ?? .null
      Fuzz.check(
        Fuzz.sameData(preservedValue, referenceValue),
        "\(format), \(outcome.method): preserving\n\(Fuzz.describe(preservedValue))\nreference\n\(Fuzz.describe(referenceValue))\nedited:\n\(String(decoding: edited, as: UTF8.self))"
      )
    }
  }
  return 0
}
