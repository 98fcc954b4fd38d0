import Foundation
import SliceStore
import SliceSyntax

/// What one step of the incremental analysis changed.
public struct AnalysisUpdate: Sendable {
  /// Every file whose findings were computed again (the same or not), each once, with the text
  /// their byte ranges point into. Empty findings mean "nothing to report any more": whoever
  /// showed the old ones clears them.
  public var files: [ReportedFile]
  /// Problems of the project as a whole (a store without a schema), as `ProjectAnalysis.problems`.
  public var problems: [String]
  /// Slices still waiting for the background analysis, and all slices of the project's stores.
  public var remainingSlices: Int
  public var totalSlices: Int

  public init(files: [ReportedFile] = [], problems: [String] = [], remainingSlices: Int = 0, totalSlices: Int = 0) {
    self.files = files
    self.problems = problems
    self.remainingSlices = remainingSlices
    self.totalSlices = totalSlices
  }
}

/// What the editor queries need of a file: its text as analysed, its place in the project, and
/// its store narrowed to the file's own slice (its source, its active versions, its plan), so
/// that a query costs the same in a project of ten slices and of ten thousand.
public struct FileContext: Sendable {
  public var file: URL
  public var role: SliceFileAnalysis.Role
  /// The file as read and checked (the open buffer's text, or the disk's).
  public var analysed: SliceFileAnalysis
  /// The store, with `snapshot`, `plans` and `failedSlices` holding only this file's slice.
  public var store: StoreAnalysis?
  /// The slice's other files as analysed (source and active versions), by standardized URL.
  public var sliceFiles: [URL: SliceFileAnalysis]
  public var configuration: ProjectConfiguration
}
