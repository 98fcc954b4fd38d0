import BigInt
import Foundation
import SliceSyntax

/// The string readings pydantic (pydantic-core and speedate) applies in lax mode, with the same
/// acceptance rules and error texts, so slicels accepts and rejects exactly what the reference does.
enum LaxParsing {
  // MARK: Numbers

  enum IntegerParse {
    case value(BigInt)
    case invalid
    case tooLong
  }

  /// pydantic's `str` → `int`: surrounding whitespace ignored, `_` between digits allowed, a
  /// fraction of zeros accepted (`"1.0"`), nothing else (`"1e3"`, `"0x10"`, `"1."` are refused).
  static func integer(from text: String) -> IntegerParse {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.utf8.count > 4300 { return .tooLong }
    var digits = Substring(trimmed)
    if let dot = digits.firstIndex(of: ".") {
      let fraction = digits[digits.index(after: dot)...]
      guard !fraction.isEmpty, fraction.allSatisfy({ $0 == "0" }) else { return .invalid }
      digits = digits[..<dot]
    }
    guard let cleaned = pythonDigits(digits) else { return .invalid }
    guard let value = BigInt(cleaned, radix: 10) else { return .invalid }
    return .value(value)
  }

  /// Digits with an optional sign and PEP 515 underscores (only single ones between digits).
  private static func pythonDigits(_ text: Substring) -> String? {
    var body = text
    var sign = ""
    if let first = body.first, first == "+" || first == "-" {
      if first == "-" { sign = "-" }
      body = body.dropFirst()
    }
    guard let first = body.first, first.isASCII, first.isNumber else { return nil }
    var result = sign
    var previousUnderscore = false
    for character in body {
      if character == "_" {
        if previousUnderscore { return nil }
        previousUnderscore = true
        continue
      }
      guard character.isASCII, character.isNumber else { return nil }
      previousUnderscore = false
      result.append(character)
    }
    return previousUnderscore ? nil : result
  }

  /// Python's `float(str)`: whitespace ignored, PEP 515 underscores, `inf`/`infinity`/`nan` in any case.
  static func float(from text: String) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    var body = Substring(trimmed)
    var negative = false
    if let first = body.first, first == "+" || first == "-" {
      negative = first == "-"
      body = body.dropFirst()
    }
    switch body.lowercased() {
    case "inf", "infinity": return negative ? -.infinity : .infinity
    case "nan": return .nan
    default: break
    }
    // Mantissa digits, optional fraction, optional exponent; underscores only between digits.
    var cleaned = negative ? "-" : ""
    var previous: Character?
    var sawDigit = false
    var sawExponent = false
    var sawDot = false
    for character in body {
      if character == "_" {
        guard let before = previous, before.isASCII, before.isNumber else { return nil }
        previous = character
        continue
      }
      if previous == "_" && !(character.isASCII && character.isNumber) { return nil }
      if character.isASCII && character.isNumber {
        sawDigit = true
      } else if character == "." {
        if sawDot || sawExponent { return nil }
        sawDot = true
      } else if character == "e" || character == "E" {
        if sawExponent || !sawDigit { return nil }
        sawExponent = true
      } else if character == "+" || character == "-" {
        guard previous == "e" || previous == "E" else { return nil }
      } else {
        return nil
      }
      cleaned.append(character)
      previous = character
    }
    guard sawDigit, previous != "_", previous != "e", previous != "E", previous != "+", previous != "-" else { return nil }
    if let value = Double(cleaned) { return value }
    return nil
  }

  /// pydantic's `str` → `bool` (case-insensitive, no whitespace trimming).
  static func boolean(from text: String) -> Bool? {
    switch text.lowercased() {
    case "0", "off", "f", "false", "n", "no": return false
    case "1", "on", "t", "true", "y", "yes": return true
    default: return nil
    }
  }

  // MARK: Dates and times (speedate)

  enum TemporalError: Error {
    case tooShort, extraCharacters, invalidDateSeparator, invalidYear, invalidMonth, invalidDay
    case monthRange, dayRange, invalidDateTimeSeparator, invalidHour, invalidMinute, invalidSecond
    case hourRange, minuteRange, secondRange, invalidTimeSeparator, fractionMissing
    case timezoneSign, timezoneHour, timezoneMinute, timezoneRange
    case dateTooLarge, dateTooSmall, notANumber

    var message: String {
      switch self {
      case .tooShort: return "input is too short"
      case .extraCharacters: return "unexpected extra characters at the end of the input"
      case .invalidDateSeparator: return "invalid date separator, expected `-`"
      case .invalidYear: return "invalid character in year"
      case .invalidMonth: return "invalid character in month"
      case .invalidDay: return "invalid character in day"
      case .monthRange: return "month value is outside expected range of 1-12"
      case .dayRange: return "day value is outside expected range"
      case .invalidDateTimeSeparator: return "invalid datetime separator, expected `T`, `t`, `_` or space"
      case .invalidHour: return "invalid character in hour"
      case .invalidMinute: return "invalid character in minute"
      case .invalidSecond: return "invalid character in second"
      case .hourRange: return "hour value is outside expected range of 0-23"
      case .minuteRange: return "minute value is outside expected range of 0-59"
      case .secondRange: return "second value is outside expected range of 0-59"
      case .invalidTimeSeparator: return "invalid time separator, expected `:`"
      case .fractionMissing: return "second fraction digits missing after `.`"
      case .timezoneSign: return "invalid timezone sign"
      case .timezoneHour: return "invalid timezone hour"
      case .timezoneMinute: return "invalid timezone minute"
      case .timezoneRange: return "timezone offset must be less than 24 hours"
      case .dateTooLarge: return "dates after 9999 are not supported as unix timestamps"
      case .dateTooSmall: return "dates before 0000 are not supported as unix timestamps"
      case .notANumber: return "NaN values not permitted"
      }
    }
  }

  struct ParsedTime {
    var hour = 0
    var minute = 0
    var second = 0
    var microsecond = 0
    /// Offset in seconds east of UTC, nil when naive.
    var offset: Int?
    var length = 0
  }

  private static func digit(_ bytes: [UInt8], _ index: Int, _ error: TemporalError) throws -> Int {
    guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { throw error }
    return Int(bytes[index] - 0x30)
  }

  /// speedate `Date::parse_bytes_partial`: `YYYY-MM-DD` at the start of the text.
  static func datePartial(_ bytes: [UInt8]) throws -> (year: Int, month: Int, day: Int) {
    guard bytes.count >= 10 else { throw TemporalError.tooShort }
    var year = 0
    for index in 0..<4 { year = year * 10 + (try digit(bytes, index, .invalidYear)) }
    guard bytes[4] == UInt8(ascii: "-") else { throw TemporalError.invalidDateSeparator }
    let month = try digit(bytes, 5, .invalidMonth) * 10 + digit(bytes, 6, .invalidMonth)
    guard bytes[7] == UInt8(ascii: "-") else { throw TemporalError.invalidDateSeparator }
    let day = try digit(bytes, 8, .invalidDay) * 10 + digit(bytes, 9, .invalidDay)
    guard (1...12).contains(month) else { throw TemporalError.monthRange }
    guard day >= 1 && day <= daysInMonth(year, month) else { throw TemporalError.dayRange }
    return (year, month, day)
  }

  /// speedate `Date::parse_bytes`: exactly a date.
  static func date(_ bytes: [UInt8]) throws -> (year: Int, month: Int, day: Int) {
    let date = try datePartial(bytes)
    if bytes.count > 10 { throw TemporalError.extraCharacters }
    return date
  }

  /// speedate `Time::parse_bytes_partial` on the text after the date-time separator.
  static func timePartial(_ bytes: [UInt8], from start: Int) throws -> ParsedTime {
    let bytes = Array(bytes[start...])
    guard bytes.count >= 5 else { throw TemporalError.tooShort }
    var time = ParsedTime()
    time.hour = try digit(bytes, 0, .invalidHour) * 10 + digit(bytes, 1, .invalidHour)
    guard time.hour <= 23 else { throw TemporalError.hourRange }
    guard bytes[2] == UInt8(ascii: ":") else { throw TemporalError.invalidTimeSeparator }
    time.minute = try digit(bytes, 3, .invalidMinute) * 10 + digit(bytes, 4, .invalidMinute)
    guard time.minute <= 59 else { throw TemporalError.minuteRange }
    var length = 5
    if bytes.count > 5, bytes[5] == UInt8(ascii: ":") {
      time.second = try digit(bytes, 6, .invalidSecond) * 10 + digit(bytes, 7, .invalidSecond)
      guard time.second <= 59 else { throw TemporalError.secondRange }
      length = 8
      if bytes.count > 8, bytes[8] == UInt8(ascii: ".") || bytes[8] == UInt8(ascii: ",") {
        length = 9
        var count = 0
        var microsecond = 0
        while length + count < bytes.count, bytes[length + count] >= 0x30, bytes[length + count] <= 0x39 {
          if count < 6 { microsecond = microsecond * 10 + Int(bytes[length + count] - 0x30) }
          count += 1
        }
        guard count > 0 else { throw TemporalError.fractionMissing }
        for _ in min(count, 6)..<6 { microsecond *= 10 }
        time.microsecond = microsecond
        length += count
      }
    }
    if length < bytes.count {
      let next = bytes[length]
      if next == UInt8(ascii: "Z") || next == UInt8(ascii: "z") {
        time.offset = 0
        length += 1
      } else {
        let sign: Int
        if next == UInt8(ascii: "+") {
          sign = 1
        } else if next == UInt8(ascii: "-") {
          sign = -1
        } else {
          throw TemporalError.timezoneSign
        }
        let hours = try digit(bytes, length + 1, .timezoneHour) * 10 + digit(bytes, length + 2, .timezoneHour)
        var minutes: Int
        if length + 3 < bytes.count, bytes[length + 3] == UInt8(ascii: ":") {
          minutes = try digit(bytes, length + 4, .timezoneMinute) * 10 + digit(bytes, length + 5, .timezoneMinute)
          length += 6
        } else {
          minutes = try digit(bytes, length + 3, .timezoneMinute) * 10 + digit(bytes, length + 4, .timezoneMinute)
          length += 5
        }
        let total = hours * 3600 + minutes * 60
        guard total < 24 * 3600 else { throw TemporalError.timezoneRange }
        time.offset = sign * total
      }
    }
    time.length = length
    return time
  }

  struct ParsedDateTime {
    var year: Int
    var month: Int
    var day: Int
    var time: ParsedTime

    var timestamp: Timestamp {
      Timestamp(
        year: year, month: month, day: day, hour: time.hour, minute: time.minute, second: time.second,
        microsecond: time.microsecond, utcOffsetMinutes: time.offset.map { $0 / 60 })
    }
  }

  /// speedate `DateTime::parse_bytes_rfc3339`.
  static func dateTimeRFC3339(_ bytes: [UInt8]) throws -> ParsedDateTime {
    let date = try datePartial(bytes)
    guard bytes.count > 10 else { throw TemporalError.invalidDateTimeSeparator }
    let separator = bytes[10]
    guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ")
      || separator == UInt8(ascii: "_")
    else { throw TemporalError.invalidDateTimeSeparator }
    let time = try timePartial(bytes, from: 11)
    if bytes.count > 11 + time.length { throw TemporalError.extraCharacters }
    return ParsedDateTime(year: date.year, month: date.month, day: date.day, time: time)
  }

  /// speedate `DateTime::parse_bytes_with_config`: RFC 3339, else a unix timestamp written as a
  /// number (an integer, or a decimal with a `.`), else the RFC 3339 error.
  static func dateTime(_ text: String) throws -> ParsedDateTime {
    let bytes = Array(text.utf8)
    do {
      return try dateTimeRFC3339(bytes)
    } catch let error as TemporalError {
      if let integer = timestampInteger(bytes) {
        return try fromTimestamp(seconds: integer, microsecond: 0)
      }
      if bytes.contains(UInt8(ascii: ".")), let value = Double(text), value.isFinite || value.isNaN {
        return try fromTimestamp(float: value)
      }
      throw error
    }
  }

  private static func timestampInteger(_ bytes: [UInt8]) -> Int64? {
    var body = bytes[...]
    var negative = false
    if let first = body.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
      negative = first == UInt8(ascii: "-")
      body = body.dropFirst()
    }
    guard !body.isEmpty, body.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    guard let magnitude = Int64(String(decoding: body, as: UTF8.self)) else { return nil }
    return negative ? -magnitude : magnitude
  }

  /// speedate's timestamp reading: above 2e10 in magnitude the number counts milliseconds.
  static func fromTimestamp(seconds timestamp: Int64, microsecond extra: Int) throws -> ParsedDateTime {
    var seconds = timestamp
    var microsecond = extra
    if timestamp == Int64.min { throw TemporalError.dateTooSmall }
    if abs(timestamp) > 20_000_000_000 {
      seconds = timestamp / 1000
      var millisecondPart = Int(timestamp % 1000) * 1000
      if millisecondPart < 0 {
        seconds -= 1
        millisecondPart += 1_000_000
      }
      microsecond += millisecondPart
      if microsecond >= 1_000_000 {
        seconds += 1
        microsecond -= 1_000_000
      }
    }
    guard seconds <= 253_402_300_799 else { throw TemporalError.dateTooLarge }
    guard seconds >= -62_167_219_200 else { throw TemporalError.dateTooSmall }
    var days = seconds / 86_400
    var secondOfDay = seconds % 86_400
    if secondOfDay < 0 {
      secondOfDay += 86_400
      days -= 1
    }
    let (year, month, day) = civilFromDays(Int(days))
    var time = ParsedTime()
    time.hour = Int(secondOfDay / 3600)
    time.minute = Int(secondOfDay % 3600 / 60)
    time.second = Int(secondOfDay % 60)
    time.microsecond = microsecond
    time.offset = 0
    return ParsedDateTime(year: year, month: month, day: day, time: time)
  }

  /// pydantic's `float_as_datetime`: whole seconds plus rounded microseconds.
  static func fromTimestamp(float value: Double) throws -> ParsedDateTime {
    if value.isNaN { throw TemporalError.notANumber }
    if value == .infinity || value >= 9.2e18 { throw TemporalError.dateTooLarge }
    if value == -.infinity || value <= -9.2e18 { throw TemporalError.dateTooSmall }
    let whole = value.rounded(.down)
    var microsecond = Int(((value - whole) * 1_000_000).rounded())
    var seconds = Int64(whole)
    if microsecond >= 1_000_000 {
      seconds += 1
      microsecond -= 1_000_000
    }
    return try fromTimestamp(seconds: seconds, microsecond: microsecond)
  }

  static func fromTimestamp(integer value: BigInt) throws -> ParsedDateTime {
    guard let small = Int64(exactly: value) else {
      throw value > 0 ? TemporalError.dateTooLarge : TemporalError.dateTooSmall
    }
    return try fromTimestamp(seconds: small, microsecond: 0)
  }

  static func daysInMonth(_ year: Int, _ month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 → proleptic Gregorian date (Howard Hinnant's algorithm).
  static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthPrime = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
    let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  /// pydantic's JSON-mode text of a datetime (`2024-01-31T10:20:30Z`, `…T00:00:00` when naive).
  static func renderDateTime(_ stamp: Timestamp) -> String {
    guard stamp.utcOffsetMinutes == 0 else { return PythonText.isoDateTime(stamp, separator: "T") }
    var naive = stamp
    naive.utcOffsetMinutes = nil
    return PythonText.isoDateTime(naive, separator: "T") + "Z"
  }

  // MARK: UUID (the Rust uuid crate's reading and messages)

  enum UUIDReading {
    case success(String)
    case failure(String)
  }

  static func uuid(_ text: String) -> UUIDReading {
    let bytes = Array(text.utf8)
    var body: ArraySlice<UInt8>?
    switch bytes.count {
    case 32: body = bytes[...]
    case 36: body = bytes[...]
    case 38 where bytes.first == UInt8(ascii: "{") && bytes.last == UInt8(ascii: "}"): body = bytes[1..<37]
    case 45 where text.hasPrefix("urn:uuid:"): body = bytes[9...]
    default: body = nil
    }
    if let body {
      let hex = body.filter { $0 != UInt8(ascii: "-") }
      let hyphenPositions = body.indices.filter { body[$0] == UInt8(ascii: "-") }.map { $0 - body.startIndex }
      let shapeOK = body.count == 32 ? hyphenPositions.isEmpty : hyphenPositions == [8, 13, 18, 23]
      if shapeOK, hex.count == 32, hex.allSatisfy(isHexDigit) {
        let characters = Array(String(decoding: hex, as: UTF8.self).lowercased())
        var canonical = ""
        for (index, character) in characters.enumerated() {
          if index == 8 || index == 12 || index == 16 || index == 20 { canonical.append("-") }
          canonical.append(character)
        }
        return .success(canonical)
      }
    }
    // The error, as uuid's InvalidUuid::into_err computes it.
    var inner = Substring(text)
    var offset = 0
    var simple = true
    if text.hasPrefix("{") && text.hasSuffix("}") && text.count >= 2 {
      inner = text.dropFirst().dropLast()
      offset = 1
      simple = false
    } else if text.hasPrefix("urn:uuid:") {
      inner = text.dropFirst(9)
      offset = 9
      simple = false
    }
    var hyphens = 0
    var bounds: [Int] = []
    var index = 0
    for character in inner.unicodeScalars {
      if character == "-" {
        if hyphens < 4 { bounds.append(index) }
        hyphens += 1
      } else if !(character.isASCII && isHexDigit(UInt8(character.value))) {
        return .failure("invalid character: found `\(character)` at \(index + offset + 1)")
      }
      index += String(character).utf8.count
    }
    if hyphens == 0 && simple {
      return .failure("invalid length: expected length 32 for simple format, found \(text.utf8.count)")
    }
    if hyphens != 4 {
      return .failure("invalid group count: expected 5, found \(hyphens + 1)")
    }
    let starts = [0, 9, 14, 19, 24]
    let expected = [8, 4, 4, 4, 12]
    for group in 0..<4 where bounds[group] != starts[group + 1] - 1 {
      return .failure("invalid group length in group \(group): expected \(expected[group]), found \(bounds[group] - starts[group])")
    }
    return .failure("invalid group length in group 4: expected 12, found \(inner.utf8.count - starts[4])")
  }

  private static func isHexDigit(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
  }

  // MARK: URLs

  /// An absolute URL as pydantic-core's URL type writes it back, for the usual shapes; nil when
  /// the text has no scheme.
  static func url(_ text: String) -> String? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard let colon = trimmed.firstIndex(of: ":") else { return nil }
    let scheme = trimmed[..<colon].lowercased()
    guard let first = scheme.first, first.isLetter,
      scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." })
    else { return nil }
    var rest = String(trimmed[trimmed.index(after: colon)...]).replacingOccurrences(of: " ", with: "%20")
    let special: [String: String?] = ["http": "80", "https": "443", "ws": "80", "wss": "443", "ftp": "21", "file": nil]
    guard let defaultPort = special[scheme] else { return scheme + ":" + rest }
    while rest.hasPrefix("/") { rest.removeFirst() }
    let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
    var authority = String(rest[..<authorityEnd])
    var tail = String(rest[authorityEnd...])
    if scheme != "file" && authority.isEmpty { return nil }
    // Lower-case the host (not the user info), drop the scheme's default port.
    var userInfo = ""
    if let at = authority.lastIndex(of: "@") {
      userInfo = String(authority[...at])
      authority = String(authority[authority.index(after: at)...])
    }
    var host = authority
    var port = ""
    if let portColon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
      host = String(authority[..<portColon])
      port = String(authority[authority.index(after: portColon)...])
    }
    if let defaultPort, port == defaultPort { port = "" }
    if !tail.hasPrefix("/") { tail = "/" + tail }
    return scheme + "://" + userInfo + host.lowercased() + (port.isEmpty ? "" : ":" + port) + tail
  }

  // MARK: IP addresses (Python's ipaddress)

  static func ipv4(_ text: String) -> String? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var octets: [Int] = []
    for part in parts {
      guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
      if part.count > 1 && part.hasPrefix("0") { return nil }
      guard let value = Int(part), value <= 255 else { return nil }
      octets.append(value)
    }
    return octets.map(String.init).joined(separator: ".")
  }

  static func ipv4(fromInteger value: BigInt) -> String? {
    guard value >= 0, value < BigInt(1) << 32, let number = UInt32(exactly: value) else { return nil }
    return "\(number >> 24).\(number >> 16 & 0xFF).\(number >> 8 & 0xFF).\(number & 0xFF)"
  }

  /// Python's `IPv6Address(text)` and its compressed `str()`.
  static func ipv6(_ text: String) -> String? {
    var address = text
    if let percent = address.firstIndex(of: "%") { address = String(address[..<percent]) }
    var groups: [UInt16] = []
    var tail = address
    var ipv4Tail: [UInt16] = []
    if let lastColon = address.lastIndex(of: ":"), address[address.index(after: lastColon)...].contains(".") {
      guard let v4 = ipv4(String(address[address.index(after: lastColon)...])) else { return nil }
      let octets = v4.split(separator: ".").compactMap { UInt16($0) }
      ipv4Tail = [octets[0] << 8 | octets[1], octets[2] << 8 | octets[3]]
      tail = String(address[...lastColon]) + "0"
    }
    let halves = tail.components(separatedBy: "::")
    guard halves.count <= 2 else { return nil }
    func parse(_ part: String) -> [UInt16]? {
      if part.isEmpty { return [] }
      var result: [UInt16] = []
      for group in part.split(separator: ":", omittingEmptySubsequences: false) {
        guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16) else { return nil }
        result.append(value)
      }
      return result
    }
    guard let head = parse(halves[0]) else { return nil }
    var body = head
    var expectedGroups = 8
    if !ipv4Tail.isEmpty {
      expectedGroups = 7
      // The "0" placeholder replaced the dotted tail: drop it.
    }
    if halves.count == 2 {
      guard let back = parse(halves[1]) else { return nil }
      var backGroups = back
      if !ipv4Tail.isEmpty { backGroups.removeLast() }
      let missing = (ipv4Tail.isEmpty ? 8 : 6) - head.count - backGroups.count
      guard missing >= 1 else { return nil }
      body = head + [UInt16](repeating: 0, count: missing) + backGroups
    } else {
      if !ipv4Tail.isEmpty { body.removeLast() }
      guard body.count == (ipv4Tail.isEmpty ? expectedGroups : 6) else { return nil }
    }
    groups = body + ipv4Tail
    guard groups.count == 8 else { return nil }
    // Compress the longest run of zero groups (at least two).
    var bestStart = -1
    var bestLength = 0
    var index = 0
    while index < 8 {
      if groups[index] == 0 {
        var end = index
        while end < 8 && groups[end] == 0 { end += 1 }
        if end - index > bestLength && end - index > 1 {
          bestStart = index
          bestLength = end - index
        }
        index = end
      } else {
        index += 1
      }
    }
    let hex = groups.map { String($0, radix: 16) }
    if bestStart < 0 { return hex.joined(separator: ":") }
    let before = hex[0..<bestStart].joined(separator: ":")
    let after = hex[(bestStart + bestLength)...].joined(separator: ":")
    return before + "::" + after
  }
}

/// Checks for `format` values when JSON Schema format assertion is on.
enum FormatChecker {
  /// A reason the text is not of the format, nil when it is (or the format is unknown).
  static func problem(_ text: String, format: String) -> String? {
    switch format {
    case "date-time":
      do {
        let parsed = try LaxParsing.dateTimeRFC3339(Array(text.utf8))
        return parsed.time.offset == nil ? "a time zone is required" : nil
      } catch let error as LaxParsing.TemporalError {
        return error.message
      } catch {
        return "invalid"
      }
    case "date":
      do {
        _ = try LaxParsing.date(Array(text.utf8))
        return nil
      } catch let error as LaxParsing.TemporalError {
        return error.message
      } catch {
        return "invalid"
      }
    case "uuid":
      let bytes = Array(text.utf8)
      guard bytes.count == 36 else { return "expected 36 characters" }
      if case .failure(let message) = LaxParsing.uuid(text) { return message }
      return nil
    case "ipv4":
      return LaxParsing.ipv4(text) == nil ? "expected four decimal numbers 0-255 separated by dots" : nil
    case "ipv6":
      return LaxParsing.ipv6(text) == nil ? "not an IPv6 address" : nil
    case "email":
      let parts = text.split(separator: "@", omittingEmptySubsequences: false)
      return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty ? nil : "expected name@domain"
    case "regex":
      return (try? BoundedRegex(icuPattern: text)) == nil ? "not a valid regular expression" : nil
    default:
      return nil
    }
  }
}
