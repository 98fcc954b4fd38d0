import Foundation
import SliceSchema
import SliceStore
import SliceSyntax

/// The schemas of the project's two configuration files, shipped in the binary: completion and
/// hover in `slicels.yml` and `files/git-ops-config.yml` read them like a store's schema. Their
/// diagnostics are `ProjectConfiguration`'s (`config-invalid`, `config-unknown-key`, …), which
/// knows the same keys: a test keeps the two lists equal.
public enum ConfigurationSchemas {
  /// The schema of the configuration file at `file` of the project at `projectRoot`, nil for
  /// any other file.
  public static func schema(for file: URL, projectRoot: URL) -> StoreSchema? {
    let path = file.standardizedFileURL.path
    let root = projectRoot.standardizedFileURL.path
    if path == root + "/" + ProjectConfiguration.ownConfigPath { return ownConfig }
    if path == root + "/" + ProjectConfiguration.moduleConfigPath { return moduleConfig }
    return nil
  }

  /// The open configuration file as the editor queries see it (no store, no analysis).
  public static func editorFile(url: URL, document: TextDocument, tree: SyntaxTree, projectRoot: URL) -> EditorFile? {
    guard let schema = schema(for: url, projectRoot: projectRoot) else { return nil }
    return EditorFile(url: url, document: document, tree: tree, role: .outsideStores, schema: schema)
  }

  static let ownConfig = load(ownConfigText, name: "slicels.yml")
  static let moduleConfig = load(moduleConfigText, name: "git-ops-config.yml")

  private static func load(_ text: String, name: String) -> StoreSchema {
    let uri = "slicels:///schemas/\(name).schema.json"
    let schemas = SchemaLoader().load(text: text, uri: uri)
    return StoreSchema(file: URL(string: uri) ?? URL(fileURLWithPath: "/\(name).schema.json"), schemas: schemas)
  }

  static let ownConfigText = #"""
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "title": "slicels.yml",
      "description": "slicels' own settings for the project: what the git-ops module's configuration cannot say (source folders, identity keys and model-only attributes are Python code in the model).",
      "type": "object",
      "properties": {
        "stores": {
          "title": "Stores",
          "description": "Settings per store name. A store named here and nowhere else is still read from its folders.",
          "type": "object",
          "additionalProperties": {"$ref": "#/$defs/StoreSettings"}
        },
        "compile": {
          "title": "Compile",
          "description": "How `--engine inmanta` and the editor's \"Run update compile (inmanta)\" run the real compiler.",
          "type": "object",
          "properties": {
            "command": {
              "title": "Command",
              "description": "The compile command and its arguments, run in the project folder.",
              "type": "array",
              "items": {"type": "string"},
              "minItems": 1,
              "default": ["inmanta", "compile"]
            }
          },
          "required": ["command"]
        },
        "limits": {
          "title": "Limits",
          "description": "Bounds on what slicels reads.",
          "type": "object",
          "properties": {
            "max_file_size": {
              "title": "Max File Size",
              "description": "The largest file slicels reads, in bytes or with a unit (`1048576`, `64MiB`, `10MB`); the command line's `--max-file-size` wins over it.",
              "type": ["integer", "string"],
              "default": "64MiB"
            }
          }
        }
      },
      "$defs": {
        "StoreSettings": {
          "title": "Store settings",
          "description": "slicels' settings of one store.",
          "type": ["object", "null"],
          "properties": {
            "folder": {
              "title": "Folder",
              "description": "The source folder of the store: `inmanta:///path`, `file:///absolute/path` or a path relative to the project. Default: `files/<store>/`.",
              "type": "string"
            },
            "schema": {
              "title": "Schema",
              "description": "The store's exposed JSON schema, when `schema_path` in files/git-ops-config.yml is not set or points into an installed module.",
              "type": "string"
            },
            "keys": {
              "title": "Keys",
              "description": "Identity keys per schema definition name: `{File: [name], Folder: [name]}`. Default: inferred from the schema (required scalar properties).",
              "type": "object",
              "additionalProperties": {"type": "array", "items": {"type": "string"}}
            },
            "model_only": {
              "title": "Model Only",
              "description": "Attributes the Python classes declare outside the JSON schema (`SkipJsonSchema`), with their defaults, per schema definition name: `{File: {previous_content: null}}`.",
              "type": "object",
              "additionalProperties": {"type": "object"}
            }
          }
        }
      }
    }
    """#

  static let moduleConfigText = #"""
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "title": "git-ops-config.yml",
      "description": "The git-ops module's configuration: its slice stores.",
      "type": "object",
      "properties": {
        "stores": {
          "title": "Stores",
          "description": "The slice stores whose schema the update compile writes.",
          "type": "array",
          "items": {"$ref": "#/$defs/StoreConfig"}
        }
      },
      "$defs": {
        "StoreConfig": {
          "title": "Store",
          "description": "One slice store of the model.",
          "type": "object",
          "properties": {
            "store_name": {
              "title": "Store Name",
              "description": "The store's name, as the model's `SliceStore(name=…)` gives it: one folder name (`files/<store>/`, `git_ops/active/<store>/`).",
              "type": "string"
            },
            "schema_path": {
              "title": "Schema Path",
              "description": "Where every update compile (re)writes the store's JSON schema: `inmanta:///files/schemas/<store>.json` (in the project) or `file:///absolute/path`. slicels validates the store's slices against it.",
              "anyOf": [{"type": "string", "pattern": "^(inmanta|file)://"}, {"type": "null"}],
              "default": null
            }
          },
          "required": ["store_name"]
        }
      }
    }
    """#
}
