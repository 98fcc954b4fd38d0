/// A JSON-RPC error code; LSP's reserved ranges included. Unknown codes from a client decode fine.
public struct ErrorCode: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  public static let parseError = ErrorCode(rawValue: -32700)
  public static let invalidRequest = ErrorCode(rawValue: -32600)
  public static let methodNotFound = ErrorCode(rawValue: -32601)
  public static let invalidParams = ErrorCode(rawValue: -32602)
  public static let internalError = ErrorCode(rawValue: -32603)
  public static let serverNotInitialized = ErrorCode(rawValue: -32002)
  public static let unknownErrorCode = ErrorCode(rawValue: -32001)
  public static let requestFailed = ErrorCode(rawValue: -32803)
  public static let serverCancelled = ErrorCode(rawValue: -32802)
  public static let contentModified = ErrorCode(rawValue: -32801)
  public static let requestCancelled = ErrorCode(rawValue: -32800)

  public var description: String { String(rawValue) }
}

/// The `error` member of a response, and the error a handler throws to produce one.
public struct ResponseError: Error, Codable, Hashable, Sendable, CustomStringConvertible {
  public var code: ErrorCode
  public var message: String
  public var data: LSPAny?

  public init(code: ErrorCode, message: String, data: LSPAny? = nil) {
    self.code = code
    self.message = message
    self.data = data
  }

  public var description: String { "\(message) (\(code.rawValue))" }

  public static func parseError(_ message: String) -> ResponseError {
    ResponseError(code: .parseError, message: message)
  }
  public static func invalidRequest(_ message: String) -> ResponseError {
    ResponseError(code: .invalidRequest, message: message)
  }
  public static func methodNotFound(_ method: String) -> ResponseError {
    ResponseError(code: .methodNotFound, message: "method not found: \(method)")
  }
  public static func invalidParams(_ message: String) -> ResponseError {
    ResponseError(code: .invalidParams, message: message)
  }
  public static func internalError(_ message: String) -> ResponseError {
    ResponseError(code: .internalError, message: message)
  }
  public static let serverNotInitialized = ResponseError(
    code: .serverNotInitialized, message: "the server has not been initialized")
  public static let cancelled = ResponseError(code: .requestCancelled, message: "request cancelled")
  public static func contentModified(_ message: String = "the content was modified") -> ResponseError {
    ResponseError(code: .contentModified, message: message)
  }
  public static func requestFailed(_ message: String) -> ResponseError {
    ResponseError(code: .requestFailed, message: message)
  }
}
