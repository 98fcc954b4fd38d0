import Foundation
import SliceSyntax

/// The findings of files that cannot be read: each is an error at the file, and every compile
/// that meets one fails (a file taken as empty would be a deleted slice).
public enum FileReadFindings {
  public static let unreadableCode = "file-unreadable"
  public static let tooLargeCode = "file-too-large"
  public static let schemaUnreadableCode = "schema-unreadable"

  /// Every code that says a file or folder could not be read or used safely.
  public static let codes: Set<String> = [
    unreadableCode, tooLargeCode, schemaUnreadableCode, StoreIssueCode.specialFile, StoreIssueCode.danglingLink,
    StoreIssueCode.folderNotAFolder, StoreIssueCode.folderUnreadable, ConfigurationSafetyCode.invalidStoreName,
    ConfigurationSafetyCode.folderOutsideProject,
  ]

  /// What a file is read for: the code and the consequence in a finding depend on it.
  public enum Purpose: Sendable {
    case slice, schema, configuration
  }

  /// The error finding at the start of a file that could not be read.
  public static func finding(_ failure: FileReadFailure, purpose: Purpose = .slice) -> Finding {
    let code: String
    switch (failure, purpose) {
    case (.tooLarge, _): code = tooLargeCode
    case (_, .schema): code = schemaUnreadableCode
    case (.notRegularFile(.danglingSymlink), .slice): code = StoreIssueCode.danglingLink
    case (.notRegularFile, .slice): code = StoreIssueCode.specialFile
    case (.notFound, _), (.notRegularFile, _), (.unreadable, _): code = unreadableCode
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
