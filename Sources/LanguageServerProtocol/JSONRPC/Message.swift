/// A JSON-RPC request id: an integer or a string. (A null id appears only in error responses to
/// messages whose id could not be read; those are `nil` here.)
public typealias RequestID = IntegerOrString

/// One JSON-RPC 2.0 message, as read off the wire or about to be written.
public enum JSONRPCMessage: Sendable, Hashable {
  case request(id: RequestID, method: String, params: LSPAny?)
  case notification(method: String, params: LSPAny?)
  case response(id: RequestID?, result: Result<LSPAny, ResponseError>)
}

/// Why a JSON value is not a JSON-RPC message, with the id to answer to if one could be read.
public struct InvalidMessage: Error, Sendable, Hashable {
  public var id: RequestID?
  public var error: ResponseError
}

extension JSONRPCMessage {
  /// Reads a parsed JSON value as a message. Batches (arrays) are not supported: LSP never sends
  /// them, so they are invalid requests.
  public init(_ json: LSPAny) throws(InvalidMessage) {
    guard case .object(let members) = json else {
      let reason: String
      if case .array = json {
        reason = "batch requests are not supported"
      } else {
        reason = "a message must be a JSON object, not \(json.typeName)"
      }
      throw InvalidMessage(id: nil, error: .invalidRequest(reason))
    }
    var id: RequestID?
    var hasID = false
    if let rawID = members["id"] {
      switch rawID {
      case .int(let number):
        id = .integer(number)
        hasID = true
      case .string(let text):
        id = .string(text)
        hasID = true
      case .null:
        hasID = true
      default:
        throw InvalidMessage(id: nil, error: .invalidRequest("'id' must be an integer or a string"))
      }
    }
    guard members["jsonrpc"] == .string("2.0") else {
      throw InvalidMessage(id: id, error: .invalidRequest("'jsonrpc' must be \"2.0\""))
    }
    if let rawMethod = members["method"] {
      guard case .string(let method) = rawMethod else {
        throw InvalidMessage(id: id, error: .invalidRequest("'method' must be a string"))
      }
      // `params: null` is read as no params: some clients send it for shutdown and exit.
      let params = members["params"].flatMap { $0.isNull ? Optional.none : $0 }
      if let params {
        switch params {
        case .object, .array: break
        default:
          throw InvalidMessage(id: id, error: .invalidRequest("'params' must be an object or an array"))
        }
      }
      if hasID {
        guard let id else {
          throw InvalidMessage(id: nil, error: .invalidRequest("a request's 'id' must not be null"))
        }
        self = .request(id: id, method: method, params: params)
      } else {
        self = .notification(method: method, params: params)
      }
      return
    }
    guard hasID else {
      throw InvalidMessage(id: nil, error: .invalidRequest("a message needs a 'method' or an 'id'"))
    }
    if let result = members["result"] {
      self = .response(id: id, result: .success(result))
    } else if let rawError = members["error"] {
      guard let error = try? LSPAnyDecoder().decode(ResponseError.self, from: rawError) else {
        throw InvalidMessage(id: id, error: .invalidRequest("'error' must have a 'code' and a 'message'"))
      }
      self = .response(id: id, result: .failure(error))
    } else {
      throw InvalidMessage(id: id, error: .invalidRequest("a response needs a 'result' or an 'error'"))
    }
  }

  /// The message as a JSON value. A success response always carries `result`, null included.
  public var json: LSPAny {
    var members: [String: LSPAny] = ["jsonrpc": "2.0"]
    switch self {
    case .request(let id, let method, let params):
      members["id"] = id.json
      members["method"] = .string(method)
      if let params { members["params"] = params }
    case .notification(let method, let params):
      members["method"] = .string(method)
      if let params { members["params"] = params }
    case .response(let id, let result):
      members["id"] = id?.json ?? .null
      switch result {
      case .success(let value):
        members["result"] = value
      case .failure(let error):
        var errorMembers: [String: LSPAny] = [
          "code": .int(error.code.rawValue), "message": .string(error.message),
        ]
        if let data = error.data { errorMembers["data"] = data }
        members["error"] = .object(errorMembers)
      }
    }
    return .object(members)
  }
}

extension IntegerOrString {
  var json: LSPAny {
    switch self {
    case .integer(let number): return .int(number)
    case .string(let text): return .string(text)
    }
  }
}
