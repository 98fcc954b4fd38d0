/// The stable codes of the findings the readers make, with what each means: for the README, the
/// CLI's SARIF rules and the code actions. All are errors (the file does not load for the
/// reference) except `duplicate-key`, a warning (the reference keeps the last value).
public enum SyntaxFindingCodes {
  public static let all: [(code: String, summary: String)] = [
    ("invalid-utf8", "the file is not valid UTF-8, so Python cannot read it as text"),
    ("json-syntax", "the JSON text is malformed (Python's json.loads refuses it)"),
    ("yaml-syntax", "libyaml cannot parse the YAML (the message is libyaml's problem and context)"),
    ("yaml-tab", "a tab between YAML tokens, which PyYAML's scanner refuses; the fix replaces it with a space"),
    ("yaml-multiple-documents", "a second YAML document in the file; safe_load wants exactly one"),
    ("yaml-too-deep", "nesting deeper than 1000 levels (also through aliases)"),
    ("yaml-alias-limit", "aliases expand the document beyond the node limit (a \"billion laughs\")"),
    ("yaml-undefined-alias", "an alias to an anchor that is not defined before it"),
    ("yaml-duplicate-anchor", "an anchor name defined twice (PyYAML refuses it)"),
    ("yaml-recursive-alias", "an alias inside the node it refers to: a recursive structure"),
    ("yaml-unknown-tag", "a tag safe_load has no constructor for (`!custom`, `!!python/...`)"),
    ("yaml-unsupported-tag", "!!binary, !!set, !!omap, !!pairs: Python values a slice cannot hold"),
    ("yaml-invalid-tag", "a tag on the wrong kind of node (`!!map` on a list, `!!int` on a mapping)"),
    ("yaml-invalid-value", "a value its (implicit or explicit) tag cannot construct: 2024-02-30, `!!int x`, 0b_"),
    ("yaml-invalid-merge", "a merge key (<<) whose value is not a mapping or a list of mappings"),
    ("yaml-unhashable-key", "a mapping or list used as a mapping key"),
    ("json-lone-surrogate", "a \\uD800-\\uDFFF escape without its pair: Python keeps the lone surrogate, slicels cannot carry it and refuses the file"),
    ("yaml-lone-surrogate", "a surrogate escape (\\uD800-\\uDFFF) in a double-quoted scalar: PyYAML keeps it unpaired, slicels refuses the file"),
    ("yaml-integer-too-large", "a base-60, binary, octal or hex integer beyond 4300 decimal digits: PyYAML reads it, Python cannot write it back"),
    ("duplicate-key", "a key given twice in one mapping: the reference silently keeps the last value"),
    ("not-a-mapping", "the top level of a slice file is not a mapping (nor empty, null or {})"),
  ]

  public static func summary(of code: String) -> String? {
    all.first(where: { $0.code == code })?.summary
  }
}
