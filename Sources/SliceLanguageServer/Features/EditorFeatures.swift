import Foundation
import LanguageServerProtocol
import SliceAnalysis
import SliceIDE
import SliceStore
import SliceSyntax

/// The open document a feature request is about, with the engine's view of it.
struct EditorRequestFile {
  let open: OpenDocument
  let snapshot: WorkspaceSnapshot
  /// The file and its slice as the incremental analysis has them (nil outside any project).
  let context: FileContext?
  let file: EditorFile?

  /// Takes the snapshot, lets later messages through, then asks the analysis for the file's
  /// context: its own slice is analysed if it changed, never the rest of the project. Nil when
  /// the document is not open.
  static func load(_ uri: DocumentURI, workspace: Workspace, host: AnalysisHost, context: RequestContext) async throws
    -> EditorRequestFile?
  {
    let snapshot = await workspace.snapshot()
    context.releaseMessageOrder()
    guard let open = snapshot.document(uri) else { return nil }
    try context.checkCancellation()
    guard open.isFile, let root = open.projectRoot else {
      return EditorRequestFile(open: open, snapshot: snapshot, context: nil, file: nil)
    }
    let fileContext = await host.context(
      root: root, file: open.location, buffers: ProjectDiagnosticsSource.buffers(of: root, in: snapshot),
      compileHints: snapshot.settings.showHints)
    try context.checkCancellation()
    return EditorRequestFile(open: open, snapshot: snapshot, context: fileContext, file: fileContext.flatMap(EditorFile.init(context:)))
  }

  /// The text of another file, for converting a byte range in it: the analysis' copy (the one
  /// the range was computed on), an open buffer, else the disk.
  func document(at url: URL) -> TextDocument? {
    let key = url.standardizedFileURL
    if let analysed = context?.sliceFiles[key] { return analysed.document }
    if let buffer = snapshot.document(at: key) { return buffer.document }
    let reader = context?.configuration.fileReader ?? FileReader()
    return reader.contents(key.path).map { TextDocument(bytes: $0) }
  }
}

// MARK: Completion

enum CompletionItems {
  static let triggerCharacters = [":", "-", "\"", " "]

  static func items(
    _ candidates: [CompletionCandidate], document: TextDocument, encoding: PositionEncodingKind, snippets: Bool,
    markdown: Bool
  ) -> [CompletionItem] {
    candidates.map { candidate in
      let snippet = candidate.isSnippet && snippets
      let text = candidate.isSnippet && !snippets ? SnippetText.plain(candidate.insertText) : candidate.insertText
      let documentation = candidate.documentation.map {
        markdown ? StringOrMarkupContent.markup(MarkupContent(kind: .markdown, value: $0)) : .string($0)
      }
      let additional = candidate.additionalEdits.map {
        LanguageServerProtocol.TextEdit(range: document.lspRange(of: $0.range, in: encoding), newText: $0.newText)
      }
      return CompletionItem(
        label: candidate.label, kind: kind(of: candidate), tags: candidate.isDeprecated ? [.deprecated] : nil,
        detail: candidate.detail, documentation: documentation, deprecated: candidate.isDeprecated ? true : nil,
        preselect: candidate.isPreselected ? true : nil, sortText: candidate.sortText, filterText: candidate.filterText,
        insertTextFormat: snippet ? .snippet : .plainText, insertTextMode: .asIs,
        textEdit: .edit(
          LanguageServerProtocol.TextEdit(range: document.lspRange(of: candidate.replaceRange, in: encoding), newText: text)),
        additionalTextEdits: additional.isEmpty ? nil : additional)
    }
  }

  static func kind(of candidate: CompletionCandidate) -> CompletionItemKind {
    switch candidate.kind {
    case .property: return .property
    case .value: return .value
    case .snippet: return .snippet
    case .file: return .file
    }
  }
}

/// LSP snippet syntax turned into the plain text a client without snippet support inserts.
enum SnippetText {
  /// `${1:<REPLACE_THIS>}` → `<REPLACE_THIS>`, `$0` / `${2}` → nothing, `${1|a,b|}` → `a`,
  /// `\$` `\}` `\\` → the character.
  static func plain(_ snippet: String) -> String {
    let characters = Array(snippet)
    var index = 0
    var output = ""
    func parse(until terminator: Character?) {
      while index < characters.count {
        let character = characters[index]
        if let terminator, character == terminator { return }
        if character == "\\", index + 1 < characters.count, "$}\\,|".contains(characters[index + 1]) {
          output.append(characters[index + 1])
          index += 2
        } else if character == "$", index + 1 < characters.count, characters[index + 1].isNumber {
          index += 1
          while index < characters.count, characters[index].isNumber { index += 1 }
        } else if character == "$", index + 1 < characters.count, characters[index + 1] == "{" {
          index += 2
          while index < characters.count, characters[index].isNumber || characters[index].isLetter || characters[index] == "_" {
            index += 1
          }
          guard index < characters.count else { return }
          if characters[index] == ":" {
            index += 1
            parse(until: "}")
            index += 1
          } else if characters[index] == "|" {
            index += 1
            var choice = ""
            while index < characters.count, characters[index] != "|" {
              if characters[index] == "\\", index + 1 < characters.count {
                index += 1
              }
              choice.append(characters[index])
              index += 1
            }
            output += choice.split(separator: ",", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            while index < characters.count, characters[index] != "}" { index += 1 }
            index += 1
          } else {
            while index < characters.count, characters[index] != "}" { index += 1 }
            index += 1
          }
        } else {
          output.append(character)
          index += 1
        }
      }
    }
    parse(until: nil)
    return output
  }
}

// MARK: Hover and definition

enum HoverContent {
  static func hover(_ info: HoverInfo, document: TextDocument, encoding: PositionEncodingKind, markdown: Bool) -> Hover {
    Hover(
      contents: MarkupContent(kind: markdown ? .markdown : .plaintext, value: markdown ? info.markdown : info.plainText),
      range: document.lspRange(of: info.range, in: encoding))
  }
}

enum DefinitionLocations {
  static func response(
    _ targets: [DefinitionTarget], origin: ByteRange?, request: EditorRequestFile, encoding: PositionEncodingKind,
    links: Bool
  ) -> DefinitionResponse? {
    var locations: [Location] = []
    var linkList: [LocationLink] = []
    for target in targets {
      let url = target.path.hasPrefix("/") ? URL(fileURLWithPath: target.path) : URL(string: target.path)
      guard let url else { continue }
      let uri = url.isFileURL ? request.snapshot.uri(for: url.standardizedFileURL) : target.path
      // A schema not read from a file has no text to measure: its start.
      var range = LSPRange(start: LSPPosition(line: 0, character: 0), end: LSPPosition(line: 0, character: 0))
      if url.isFileURL, let document = request.document(at: url) {
        let count = document.bytes.count
        range = document.lspRange(of: min(target.range.lowerBound, count)..<min(target.range.upperBound, count), in: encoding)
      }
      locations.append(Location(uri: uri, range: range))
      linkList.append(
        LocationLink(
          originSelectionRange: origin.map { request.open.document.lspRange(of: $0, in: encoding) }, targetUri: uri,
          targetRange: range, targetSelectionRange: range))
    }
    if locations.isEmpty { return nil }
    return links ? .links(linkList) : .locations(locations)
  }
}

// MARK: Code lens and inlay hints

enum EditorCommands {
  static let previewPurged = "slicels.previewPurged"
  static let openFile = "slicels.openFile"
  static let all = [previewPurged, openFile]
}

enum CodeLenses {
  static func lenses(_ infos: [CodeLensInfo], request: EditorRequestFile, encoding: PositionEncodingKind) -> [CodeLens] {
    let document = request.open.document
    return infos.map { info in
      let command: Command
      switch info.action {
      case .previewMergedView:
        command = Command(title: info.title, command: EditorCommands.previewPurged, arguments: [.string(request.open.uri)])
      case .open(let path, let range):
        let url = URL(fileURLWithPath: path)
        let target = request.document(at: url)
        var arguments: [LSPAny] = [.string(request.snapshot.uri(for: url.standardizedFileURL))]
        if let target, let encoded = try? LSPAnyEncoder().encode(target.lspRange(of: range, in: encoding)) {
          arguments.append(encoded)
        }
        command = Command(title: info.title, command: EditorCommands.openFile, arguments: arguments)
      case .none:
        // A title only: clients show a lens with an empty command as plain text.
        command = Command(title: info.title, command: "")
      }
      return CodeLens(range: document.lspRange(of: info.range, in: encoding), command: command)
    }
  }
}

enum InlayHints {
  static func hints(_ infos: [InlayHintInfo], document: TextDocument, encoding: PositionEncodingKind) -> [InlayHint] {
    infos.map { info in
      InlayHint(
        position: document.lspPosition(of: info.position, in: encoding), label: .string(info.label),
        kind: info.kind == .coercion ? .type : nil, tooltip: info.tooltip.map(StringOrMarkupContent.string),
        paddingLeft: info.paddingLeft ? true : nil)
    }
  }
}
