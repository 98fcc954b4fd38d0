/// Where the identity keys of a list's items come from. The reference declares them as a Python
/// class attribute, which the JSON schema does not carry, so slicels finds them elsewhere.
///
/// The raw values are written in `slicels schema --json` (`keys_source`).
public enum KeySource: String, Sendable, Hashable {
  /// `x-git-ops-keys` in the schema.
  case schemaExtension
  /// slicels' configuration, by definition name or title.
  case configuration
  /// Inferred: the required scalar properties, in schema order.
  case inferred
  /// Given by the reference itself (tests, fixtures recorded from its entity schemas).
  case reference
  /// No keys: items of a list of this entity cannot be identified (the reference fails on a
  /// non-empty list of them, unless it is a union member).
  case none

  /// The source in a few words, for the editor (hover, inlay hints).
  public var label: String {
    switch self {
    case .schemaExtension: return "from x-git-ops-keys in the schema"
    case .configuration: return "from slicels.yml"
    case .inferred: return "inferred: required scalar properties"
    case .reference: return "from the module's class"
    case .none: return "none: items cannot be told apart"
    }
  }

  /// The source with what to do about it, for the command line's schema report.
  public var explanation: String {
    switch self {
    case .schemaExtension: return "from x-git-ops-keys in the schema"
    case .configuration: return "from slicels.yml"
    case .inferred: return "inferred: the required scalar properties, in schema order"
    case .reference: return "from the reference"
    case .none: return "none found: items of a list of this model cannot be told apart; set keys in slicels.yml"
    }
  }
}
