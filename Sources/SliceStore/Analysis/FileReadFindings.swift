import Foundation
import SliceSyntax

/// The findings of files that cannot be read: each is an error at the file, and every compile
/// that meets one fails (a file taken as empty would be a deleted slice).
public enum FileReadFindings {
  /// Every code that says a file or folder could not be read or used safely.
  public static let codes: Set<String> = Set(
    [
      FindingCode.fileUnreadable, .fileTooLarge, .schemaUnreadable, .sliceFileSpecial, .sliceLinkBroken,
      .storeFolderNotAFolder, .storeFolderUnreadable, .storeNameInvalid, .storeFolderOutsideProject,
    ].map(\.rawValue))

  /// What a file is read for: the code and the consequence in a finding depend on it.
  public enum Purpose: Sendable {
    case slice, schema, configuration
  }

  /// The error finding at the start of a file that could not be read.
  public static func finding(_ failure: FileReadFailure, purpose: Purpose = .slice) -> Finding {
    let code: FindingCode
    switch (failure, purpose) {
    case (.tooLarge, _): code = .fileTooLarge
    case (_, .schema): code = .schemaUnreadable
    case (.notRegularFile(.danglingSymlink), .slice): code = .sliceLinkBroken
    case (.notRegularFile, .slice): code = .sliceFileSpecial
    case (.notFound, _), (.notRegularFile, _), (.unreadable, _): code = .fileUnreadable
    }
    let consequence: String
    switch purpose {
    case .slice:
      consequence = "slicels never takes it as empty (that would delete the slice): every compile that reads it fails"
    case .schema:
      consequence = "the store's slices cannot be validated and no compile of the store runs"
    case .configuration:
      consequence = "the project's stores are unknown, so no compile runs"
    }
    return Finding(range: 0..<0, severity: .error, code: code, message: "this file cannot be used: \(failure); \(consequence)")
  }

  /// The bytes an editor holds for a file instead of the disk's, refused beyond the limit like a
  /// file on disk.
  public static func checked(_ bytes: [UInt8], reader: FileReader) -> Result<[UInt8], FileReadFailure> {
    bytes.count > reader.maximumSize ? .failure(.tooLarge(size: bytes.count, limit: reader.maximumSize)) : .success(bytes)
  }
}
