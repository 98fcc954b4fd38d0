/// Every diagnostic code slicels reports, with its default severity, what it means and its quick
/// fix: the one source of the README's code table, the CLI's SARIF rules and `slicels codes`.
///
/// Adding a diagnostic is one case here (its stable code string) and its entry in `entry`, which
/// the compiler asks for, plus the rule that emits it: `Finding(range:, code: .theNewCase, …)`.
/// The code strings are stable: editors, CI configurations and the reference suite match them.
/// Codes of every layer live here, in the lowest one, so that the table is complete wherever it
/// is read; the layer that emits a code is its `area`.
public enum FindingCode: String, CaseIterable, Sendable, Hashable {
  // MARK: Reading a file (SliceSyntax)
  case invalidUTF8 = "invalid-utf8"
  case jsonSyntax = "json-syntax"
  case jsonLoneSurrogate = "json-lone-surrogate"
  case yamlSyntax = "yaml-syntax"
  case yamlTab = "yaml-tab"
  case yamlMultipleDocuments = "yaml-multiple-documents"
  case yamlTooDeep = "yaml-too-deep"
  case yamlAliasLimit = "yaml-alias-limit"
  case yamlUndefinedAlias = "yaml-undefined-alias"
  case yamlDuplicateAnchor = "yaml-duplicate-anchor"
  case yamlRecursiveAlias = "yaml-recursive-alias"
  case yamlUnknownTag = "yaml-unknown-tag"
  case yamlUnsupportedTag = "yaml-unsupported-tag"
  case yamlInvalidTag = "yaml-invalid-tag"
  case yamlInvalidValue = "yaml-invalid-value"
  case yamlInvalidMerge = "yaml-invalid-merge"
  case yamlUnhashableKey = "yaml-unhashable-key"
  case yamlLoneSurrogate = "yaml-lone-surrogate"
  case yamlIntegerTooLarge = "yaml-integer-too-large"
  case duplicateKey = "duplicate-key"
  case notAMapping = "not-a-mapping"

  // MARK: The store's schema (SliceSchema's loader)
  case schemaLoad = "schema-load"
  case schemaRefUnresolved = "schema-ref-unresolved"
  case schemaRefCycle = "schema-ref-cycle"
  case schemaRefRefused = "schema-ref-refused"
  case schemaInvalid = "schema-invalid"
  case schemaInvalidRegex = "schema-invalid-regex"
  case schemaTooLarge = "schema-too-large"
  case schemaTooDeep = "schema-too-deep"
  case schemaTooComplex = "schema-too-complex"

  // MARK: A value the schema rejects (SliceSchema's validators): JSON Schema keywords
  case schemaFalse = "schema-false"
  case schemaType = "schema-type"
  case schemaConst = "schema-const"
  case schemaEnum = "schema-enum"
  case schemaMinimum = "schema-minimum"
  case schemaMaximum = "schema-maximum"
  case schemaExclusiveMinimum = "schema-exclusive-minimum"
  case schemaExclusiveMaximum = "schema-exclusive-maximum"
  case schemaMultipleOf = "schema-multiple-of"
  case schemaMinLength = "schema-min-length"
  case schemaMaxLength = "schema-max-length"
  case schemaPattern = "schema-pattern"
  case schemaPatternTimeout = "schema-pattern-timeout"
  case schemaFormat = "schema-format"
  case schemaNot = "schema-not"
  case schemaOneOf = "schema-one-of"
  case schemaAnyOf = "schema-any-of"
  case schemaDiscriminator = "schema-discriminator"
  case schemaMinProperties = "schema-min-properties"
  case schemaMaxProperties = "schema-max-properties"
  case schemaRequired = "schema-required"
  case schemaDependentRequired = "schema-dependent-required"
  case schemaAdditionalProperty = "schema-additional-property"
  case schemaUnevaluatedProperty = "schema-unevaluated-property"
  case schemaMinItems = "schema-min-items"
  case schemaMaxItems = "schema-max-items"
  case schemaUniqueItems = "schema-unique-items"
  case schemaContains = "schema-contains"
  case schemaMinContains = "schema-min-contains"
  case schemaMaxContains = "schema-max-contains"
  case schemaUnevaluatedItem = "schema-unevaluated-item"
  case schemaNestingTooDeep = "schema-nesting-too-deep"

  // MARK: A value the schema rejects: pydantic's own error types (`schema-` and the type)
  case schemaBoolParsing = "schema-bool-parsing"
  case schemaIntParsing = "schema-int-parsing"
  case schemaIntParsingSize = "schema-int-parsing-size"
  case schemaIntFromFloat = "schema-int-from-float"
  case schemaFloatParsing = "schema-float-parsing"
  case schemaFiniteNumber = "schema-finite-number"
  case schemaDateFromDatetimeInexact = "schema-date-from-datetime-inexact"
  case schemaDateFromDatetimeParsing = "schema-date-from-datetime-parsing"
  case schemaDatetimeParsing = "schema-datetime-parsing"
  case schemaDatetimeFromDateParsing = "schema-datetime-from-date-parsing"
  case schemaTimeParsing = "schema-time-parsing"
  case schemaUUIDParsing = "schema-uuid-parsing"
  case schemaURLParsing = "schema-url-parsing"
  case schemaIPv4Address = "schema-ip-v4-address"
  case schemaIPv6Address = "schema-ip-v6-address"
  case schemaNever = "schema-never"
  case schemaValueError = "schema-value-error"

  // MARK: What the compile does with a slice (SliceSchema, SliceStore)
  case placeholder = "placeholder"
  case coercedValue = "coerced-value"
  case unknownProperty = "unknown-property"
  case managedAttribute = "managed-attribute"
  case yaml11Value = "yaml-1.1-value"
  case identityCollision = "identity-collision"
  case nextVersion = "next-version"
  case purgedElement = "purged-element"

  // MARK: Files and folders of a store (SliceStore)
  case fileUnreadable = "file-unreadable"
  case fileTooLarge = "file-too-large"
  case schemaUnreadable = "schema-unreadable"
  case sliceFileName = "slice-file-name"
  case sliceFileExtension = "slice-file-extension"
  case sourceFileVersion = "source-file-version"
  case sliceNameClash = "slice-name-clash"
  case sliceFileSpecial = "slice-file-special"
  case sliceLinkBroken = "slice-link-broken"
  case activeFileVersion = "active-file-version"
  case activeVersionClash = "active-version-clash"
  case activeFileFormat = "active-file-format"
  case activeFileEdited = "active-file-edited"
  case outsideStore = "outside-store"
  case storeFolderNotAFolder = "store-folder-not-a-folder"
  case storeFolderUnreadable = "store-folder-unreadable"
  case storeSourcesMissing = "store-sources-missing"

  // MARK: Configuration (SliceStore)
  case configInvalid = "config-invalid"
  case configUnknownKey = "config-unknown-key"
  case storeNameInvalid = "store-name-invalid"
  case storeFolderOutsideProject = "store-folder-outside-project"

  // MARK: Compiles (SliceStore, the CLI)
  case updateDropped = "update-dropped"
  case updateNearMiss = "update-near-miss"
  case updateRewrote = "update-rewrote"
  case mergeFailure = "merge-failure"
  case invalidSlice = "invalid-slice"
  case interruptedCommit = "interrupted-commit"

  // MARK: The language server
  case projectProblem = "project-problem"

  /// Where a code comes from: the layer (and the part of the README) that explains it.
  public enum Area: String, Sendable, CaseIterable {
    case reading, schema, validation, slice, store, configuration, compile, server
  }

  /// What the registry says of one code.
  public struct Entry: Sendable, Hashable {
    public var area: Area
    /// The severity the code is reported with, then any other it can have (`coerced-value` is a
    /// warning across kinds of value, a hint within one).
    public var severities: [Finding.Severity]
    /// One line, for the README's table and SARIF's rule description.
    public var meaning: String
    /// The quick fix its findings carry, if any (what the fix does, in a few words).
    public var quickFix: String?

    init(_ area: Area, _ severities: [Finding.Severity], _ meaning: String, fix quickFix: String? = nil) {
      self.area = area
      self.severities = severities
      self.meaning = meaning
      self.quickFix = quickFix
    }
  }

  /// The stable code string (`yaml-syntax`), as in `Finding.code`.
  public var code: String { rawValue }
  public var severity: Finding.Severity { entry.severities.first ?? .error }
  public var meaning: String { entry.meaning }
  public var hasQuickFix: Bool { entry.quickFix != nil }

  // The meanings are one line each: the README's table is generated from them (`slicels codes`).
  public var entry: Entry {
    switch self {
    case .invalidUTF8: Entry(.reading, [.error], "the file is not valid UTF-8, so Python cannot read it as text")
    case .jsonSyntax: Entry(.reading, [.error], "the JSON text is malformed (Python's `json.loads` refuses it)")
    case .jsonLoneSurrogate:
      Entry(
        .reading, [.error],
        "a `\\uD800`–`\\uDFFF` escape without its pair: Python keeps the lone surrogate, slicels cannot carry it faithfully and refuses the file")
    case .yamlSyntax: Entry(.reading, [.error], "libyaml cannot parse the YAML (the message is libyaml's problem and context)")
    case .yamlTab:
      Entry(
        .reading, [.error], "a tab between YAML tokens or indenting a line, which PyYAML's scanner refuses",
        fix: "replace the tab with a space; indent with spaces like the block around it")
    case .yamlMultipleDocuments: Entry(.reading, [.error], "a second YAML document in the file: the reference's `safe_load` wants exactly one")
    case .yamlTooDeep: Entry(.reading, [.error], "nesting deeper than 1000 levels (also through aliases)")
    case .yamlAliasLimit: Entry(.reading, [.error], "aliases expand the document beyond the node limit (an alias bomb, also through merge keys)")
    case .yamlUndefinedAlias: Entry(.reading, [.error], "an alias to an anchor that is not defined before it")
    case .yamlDuplicateAnchor: Entry(.reading, [.error], "an anchor name defined twice (PyYAML refuses it)")
    case .yamlRecursiveAlias: Entry(.reading, [.error], "an alias inside the node it refers to: a recursive structure")
    case .yamlUnknownTag: Entry(.reading, [.error], "a tag `safe_load` has no constructor for (`!custom`, `!!python/...`)")
    case .yamlUnsupportedTag:
      Entry(
        .reading, [.error],
        "a tagged value the reference reads but cannot use, or in an order slicels cannot reproduce: `!!binary` bytes that are not UTF-8 (a str field fails, the dump crashes), `!!set` of anything but small integers (Python's set order; string hashes are randomised per process)")
    case .yamlInvalidTag: Entry(.reading, [.error], "a tag on the wrong kind of node (`!!map` on a list, `!!int` on a mapping)")
    case .yamlInvalidValue: Entry(.reading, [.error], "a value its (implicit or explicit) tag cannot construct: `2024-02-30`, `!!int x`, `0b_`")
    case .yamlInvalidMerge: Entry(.reading, [.error], "a merge key (`<<`) whose value is not a mapping or a list of mappings")
    case .yamlUnhashableKey: Entry(.reading, [.error], "a mapping or list used as a mapping key")
    case .yamlLoneSurrogate:
      Entry(
        .reading, [.error],
        "a surrogate escape (`\\uD800`–`\\uDFFF`) in a double-quoted scalar: PyYAML keeps it unpaired, slicels refuses the file")
    case .yamlIntegerTooLarge:
      Entry(
        .reading, [.error],
        "a base-60, hex, octal or binary integer of more than 4300 decimal digits: PyYAML reads it, Python cannot write it back, so every update and sync fails on it")
    case .duplicateKey: Entry(.reading, [.warning], "a key given twice in one mapping: the reference silently keeps the last value")
    case .notAMapping: Entry(.reading, [.error], "the top level of a slice is not a mapping (an empty, `null` or `{}` file is a deleted slice)")

    case .schemaLoad: Entry(.schema, [.error], "the store's schema cannot be loaded (not JSON, or too many documents referenced)")
    case .schemaRefUnresolved: Entry(.schema, [.error], "a `$ref` that names no schema (remote references are reported, never fetched)")
    case .schemaRefCycle: Entry(.schema, [.error], "a `$ref` that refers back to itself without end: that part of the schema cannot be validated")
    case .schemaRefRefused: Entry(.schema, [.error], "a `$ref` slicels will not follow (a remote or outside-the-project document)")
    case .schemaInvalid: Entry(.schema, [.error], "a schema keyword with a value of the wrong kind (`'type' must name JSON types`)")
    case .schemaInvalidRegex: Entry(.schema, [.error], "a `pattern` or `patternProperties` key that is not a valid regular expression")
    case .schemaTooLarge: Entry(.schema, [.error], "the schema has more schema objects than slicels reads; the rest is not read")
    case .schemaTooDeep: Entry(.schema, [.error], "schema objects nested deeper than slicels reads; the rest is not read")
    case .schemaTooComplex: Entry(.schema, [.error], "validating this value against the schema took more steps than allowed: it stopped")

    case .schemaFalse: Entry(.validation, [.error], "a value where the schema is `false`: no value is allowed")
    case .schemaType: Entry(.validation, [.error], "a value of the wrong type (JSON Schema `type`, pydantic's `*_type` errors)")
    case .schemaConst: Entry(.validation, [.error], "a value other than the schema's `const`")
    case .schemaEnum: Entry(.validation, [.error], "a value not among the `enum` or literal values", fix: "replace with a close allowed string")
    case .schemaMinimum: Entry(.validation, [.error], "a number below `minimum`")
    case .schemaMaximum: Entry(.validation, [.error], "a number above `maximum`")
    case .schemaExclusiveMinimum: Entry(.validation, [.error], "a number not above `exclusiveMinimum`")
    case .schemaExclusiveMaximum: Entry(.validation, [.error], "a number not below `exclusiveMaximum`")
    case .schemaMultipleOf: Entry(.validation, [.error], "a number that is not a multiple of `multipleOf`")
    case .schemaMinLength: Entry(.validation, [.error], "a text shorter than `minLength`")
    case .schemaMaxLength: Entry(.validation, [.error], "a text longer than `maxLength`")
    case .schemaPattern: Entry(.validation, [.error], "a text that does not match `pattern`")
    case .schemaPatternTimeout:
      Entry(
        .validation, [.error],
        "a `pattern`, `patternProperties` or `propertyNames` regex needed more than its step budget on this value: neither accepted nor rejected, so the slice does not compile")
    case .schemaFormat: Entry(.validation, [.error], "a text that is not of its `format` (date, date-time, uuid, …)")
    case .schemaNot: Entry(.validation, [.error], "a value that matches the schema under `not`")
    case .schemaOneOf: Entry(.validation, [.error], "a value that matches none, or more than one, of the `oneOf` alternatives")
    case .schemaAnyOf: Entry(.validation, [.error], "a value that matches none of the `anyOf` alternatives")
    case .schemaDiscriminator: Entry(.validation, [.error], "a missing or unknown discriminator (tag) of a union")
    case .schemaMinProperties: Entry(.validation, [.error], "a mapping with fewer properties than `minProperties`")
    case .schemaMaxProperties: Entry(.validation, [.error], "a mapping with more properties than `maxProperties`")
    case .schemaRequired: Entry(.validation, [.error], "a required property is missing", fix: "add the missing properties")
    case .schemaDependentRequired: Entry(.validation, [.error], "a property `dependentRequired` asks for, when another is present, is missing")
    case .schemaAdditionalProperty:
      Entry(.validation, [.error], "a property the schema forbids (`additionalProperties: false`, pydantic's `extra_forbidden`)", fix: "rename to a close property")
    case .schemaUnevaluatedProperty: Entry(.validation, [.error], "a property `unevaluatedProperties: false` forbids")
    case .schemaMinItems: Entry(.validation, [.error], "a list with fewer items than `minItems`")
    case .schemaMaxItems: Entry(.validation, [.error], "a list with more items than `maxItems`")
    case .schemaUniqueItems: Entry(.validation, [.error], "equal items in a list with `uniqueItems`")
    case .schemaContains: Entry(.validation, [.error], "no item of the list matches `contains`")
    case .schemaMinContains: Entry(.validation, [.error], "fewer items than `minContains` match `contains`")
    case .schemaMaxContains: Entry(.validation, [.error], "more items than `maxContains` match `contains`")
    case .schemaUnevaluatedItem: Entry(.validation, [.error], "an item `unevaluatedItems: false` forbids")
    case .schemaNestingTooDeep: Entry(.validation, [.error], "value and schema nest more than 6000 levels deep: validation stops there")

    case .schemaBoolParsing: Entry(.validation, [.error], "a text or number pydantic (lax mode) does not read as a boolean")
    case .schemaIntParsing: Entry(.validation, [.error], "a text pydantic (lax mode) does not read as an integer")
    case .schemaIntParsingSize: Entry(.validation, [.error], "an integer text beyond Python's 4300-digit limit")
    case .schemaIntFromFloat: Entry(.validation, [.error], "a number with a fraction where an integer is expected")
    case .schemaFloatParsing: Entry(.validation, [.error], "a text pydantic (lax mode) does not read as a number")
    case .schemaFiniteNumber: Entry(.validation, [.error], "an infinite or NaN number where a finite one is expected")
    case .schemaDateFromDatetimeInexact: Entry(.validation, [.error], "a date and time with a time of day where a date is expected")
    case .schemaDateFromDatetimeParsing: Entry(.validation, [.error], "a text that is not a date (pydantic's date parsing)")
    case .schemaDatetimeParsing: Entry(.validation, [.error], "a text that is not a date and time (pydantic's datetime parsing)")
    case .schemaDatetimeFromDateParsing: Entry(.validation, [.error], "a text that is neither a date and time nor a date")
    case .schemaTimeParsing: Entry(.validation, [.error], "a text that is not a time of day")
    case .schemaUUIDParsing: Entry(.validation, [.error], "a text that is not a UUID")
    case .schemaURLParsing: Entry(.validation, [.error], "a text that is not a URL")
    case .schemaIPv4Address: Entry(.validation, [.error], "a text that is not an IPv4 address")
    case .schemaIPv6Address: Entry(.validation, [.error], "a text that is not an IPv6 address")
    case .schemaNever: Entry(.validation, [.error], "a value where the schema allows none (pydantic's `never`)")
    case .schemaValueError: Entry(.validation, [.error], "a value pydantic's validators reject for another reason")

    case .placeholder:
      Entry(
        .slice, [.error],
        "`<REPLACE_THIS>` (what `slicels new` writes) left anywhere in a source slice, at the placeholder: `sync` refuses the slice")
    case .coercedValue:
      Entry(.slice, [.warning, .hint], "accepted, but the update compile rewrites it (`\"80\"` → `80`)", fix: "write the value as the compile will")
    case .unknownProperty:
      Entry(
        .slice, [.warning], "valid, but the update compile drops it; \"did you mean\" when close",
        fix: "rename to a close property, or remove the entry")
    case .managedAttribute:
      Entry(.slice, [.warning], "`operation`, `path`, `version`, `slice_store`, `slice_name` are set by the compile, never read from a source slice")
    case .yaml11Value:
      Entry(
        .slice, [.hint, .information],
        "YAML 1.1 reads `no`, `1:30`, `017` or `2024-01-31` as a boolean, number or date: a hint where accepted, an information beside the error where rejected; not where the schema wants that boolean or date, nor under an unknown property",
        fix: "quote the value (where the schema takes a string)")
    case .identityCollision: Entry(.slice, [.warning], "two list items with one identity: the compile keeps only the last")
    case .nextVersion: Entry(.slice, [.hint], "the version the next sync activates for this slice")
    case .purgedElement: Entry(.slice, [.hint], "an element the next export purges")

    case .fileUnreadable:
      Entry(
        .store, [.error],
        "a slice, schema or configuration file exists but cannot be read (the system's reason is given): never taken as an empty, deleted slice; every compile that reads it fails")
    case .fileTooLarge:
      Entry(
        .store, [.error],
        "larger than `max_file_size` (64 MiB by default): never read beyond the limit; the server publishes only this finding for such a document")
    case .schemaUnreadable: Entry(.store, [.error], "the schema file is a folder, a device or unreadable (not \"does not exist yet\")")
    case .sliceFileName: Entry(.store, [.error], "a file name that is not `<name>[@v<N>].<ext>`: the reference fails the compile")
    case .sliceFileExtension: Entry(.store, [.error], "an extension other than json, yaml or yml: the reference fails the compile when it reads the file")
    case .sourceFileVersion: Entry(.store, [.error], "a source file name with `@v<N>`: the reference would use N as the version, whatever changed")
    case .sliceNameClash: Entry(.store, [.error], "two source files define one slice: the reference silently keeps one, in directory order")
    case .sliceFileSpecial:
      Entry(
        .store, [.error],
        "a FIFO, socket or device (or a link to one) named like a slice: never opened; the reference would block on it")
    case .sliceLinkBroken:
      Entry(
        .store, [.error],
        "a symbolic link to nothing named like a slice: the reference skips it, turning the slice into a deletion")
    case .activeFileVersion: Entry(.store, [.error], "an active file without `@v<N>`: the reference fails the compile")
    case .activeVersionClash: Entry(.store, [.error], "two active files for one slice and version: the reference picks one in directory order")
    case .activeFileFormat: Entry(.store, [.warning], "an active version stored as YAML: readable, but sync writes `.json`, which would then clash")
    case .activeFileEdited: Entry(.store, [.warning], "an edit to an active file: the active store is written by sync, read-only to users")
    case .outsideStore: Entry(.store, [.information], "a YAML/JSON file in no store's source folder")
    case .storeFolderNotAFolder:
      Entry(.store, [.error], "a store's source or active folder is a file, a device or a dangling link (a folder that does not exist is no error)")
    case .storeFolderUnreadable: Entry(.store, [.error], "a store's source or active folder cannot be listed")
    case .storeSourcesMissing:
      Entry(
        .store, [.warning, .error],
        "a store's source folder is missing or holds no slice while some of its slices are active: a sync would delete them all (sync refuses it without `--allow-emptied-stores`)")

    case .configInvalid: Entry(.configuration, [.error], "`git-ops-config.yml` or `slicels.yml` holds a setting of the wrong form")
    case .configUnknownKey:
      Entry(
        .configuration, [.warning],
        "`slicels.yml` holds a setting slicels does not know, or `git-ops-config.yml` one the module ignores (at its key, \"did you mean\" when close)")
    case .storeNameInvalid:
      Entry(
        .configuration, [.error],
        "a `store_name` that is empty, starts with `.` or holds `/`, `\\`, NUL or control characters: the store is neither read nor compiled, every compile fails")
    case .storeFolderOutsideProject:
      Entry(
        .configuration, [.error],
        "a folder slicels would write to resolves outside the project (links followed): the store is neither read nor compiled, every compile fails")

    case .updateDropped:
      Entry(
        .compile, [.warning],
        "(`update`) a key the update compile drops: unknown to the schema (with \"did you mean\" when close), managed by the compile, or repeated in its mapping")
    case .updateNearMiss:
      Entry(
        .compile, [.error],
        "(`update`) a dropped key that is a near miss of a known property (`taged` → `tagged`): the file is left untouched and update exits 1 unless `--drop-unknown`",
        fix: "rename to the known property")
    case .updateRewrote: Entry(.compile, [.information], "(`update`) a value the update compile writes differently (`\"1600\"` → `1600`)")
    case .mergeFailure: Entry(.compile, [.error], "a slice whose versions cannot be merged: the compile fails as the module would")
    case .invalidSlice: Entry(.compile, [.error], "a slice that does not validate against the store's schema stops the compile")
    case .interruptedCommit:
      Entry(
        .compile, [.warning],
        "on `git_ops/.slicels-commit.json`: a compile was killed (or could not put its files back) while changing files; the next update, sync, prune or export completes it")

    case .projectProblem: Entry(.server, [.information], "a problem of the project as a whole, told once in each of its open documents")
    }
  }
}

extension Finding {
  /// A finding with its code's default severity.
  public init(
    range: ByteRange, code: FindingCode, message: String, related: [Related] = [], fixes: [Fix] = []
  ) {
    self.init(range: range, severity: code.severity, code: code.rawValue, message: message, related: related, fixes: fixes)
  }

  /// A finding with a severity other than its code's default (one of the code's `severities`).
  public init(
    range: ByteRange, severity: Severity, code: FindingCode, message: String, related: [Related] = [],
    fixes: [Fix] = []
  ) {
    self.init(range: range, severity: severity, code: code.rawValue, message: message, related: related, fixes: fixes)
  }

  /// The registry's entry for this finding's code; nil for a code slicels does not define.
  public var registeredCode: FindingCode? { FindingCode(rawValue: code) }
}
