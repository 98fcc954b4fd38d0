import BigInt

/// `binascii.a2b_base64` as `base64.decodebytes` calls it (not strict): characters outside the
/// alphabet are skipped, and the data ends at the padding that completes a group.
enum Base64 {
  struct Failure: Error {
    var message: String
  }

  static func decode(_ text: UnsafeBufferPointer<UInt8>) -> Result<[UInt8], Failure> {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.count * 3 / 4)
    var accumulator: UInt32 = 0
    var groupPosition = 0
    var pads = 0
    var dataCharacters = 0
    for character in text {
      if character == UInt8(ascii: "=") {
        if groupPosition >= 2 {
          pads += 1
          if groupPosition + pads >= 4 {
            groupPosition = 0
            break
          }
        }
        continue
      }
      guard let sextet = sextet(character) else { continue }
      pads = 0
      dataCharacters += 1
      accumulator = accumulator << 6 | UInt32(sextet)
      groupPosition += 1
      switch groupPosition {
      case 2: bytes.append(UInt8(truncatingIfNeeded: accumulator >> 4))
      case 3: bytes.append(UInt8(truncatingIfNeeded: accumulator >> 2))
      case 4:
        bytes.append(UInt8(truncatingIfNeeded: accumulator))
        groupPosition = 0
        accumulator = 0
      default: break
      }
    }
    if groupPosition == 1 {
      return .failure(
        Failure(
          message: "Invalid base64-encoded string: number of data characters (\(dataCharacters)) cannot be 1 more than a multiple of 4"))
    }
    if groupPosition != 0 { return .failure(Failure(message: "Incorrect padding")) }
    return .success(bytes)
  }

  private static func sextet(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): return character - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): return character - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0") + 52
    case UInt8(ascii: "+"): return 62
    case UInt8(ascii: "/"): return 63
    default: return nil
    }
  }
}

/// The order in which CPython iterates a set built by PyYAML's `!!set` (`set.update(dict)`),
/// where that order can be proved without reproducing CPython's probing.
///
/// A set's table has 8 slots at least, and an int (a bool, an integral float) hashes to itself;
/// the set iterates its slots in order. Integers 0 to 7 therefore always iterate ascending,
/// whatever the table grew to. At most 4 elements keep the 8-slot table (it grows when 5 fill
/// it, and `update` only pre-sizes for 5 or more), so integers with distinct remainders mod 8
/// iterate by remainder (`-1` hashes to `-2`). Anything else — strings, whose hashes are
/// randomised per process, other floats, collisions — has no provable order: nil.
enum PythonSetOrder {
  static func order(_ elements: [Scalar]) -> [Int]? {
    var hashes: [Int] = []
    for element in elements {
      guard let hash = smallHash(element) else { return nil }
      hashes.append(hash)
    }
    let slots: [Int]
    if hashes.allSatisfy({ (0..<8).contains($0) }) {
      slots = hashes
    } else if hashes.count <= 4 {
      slots = hashes.map { $0 & 7 }
    } else {
      return nil
    }
    guard Set(slots).count == slots.count else { return nil }
    return slots.indices.sorted { slots[$0] < slots[$1] }
  }

  /// CPython's `hash()` of a number small enough to be its own hash.
  private static func smallHash(_ element: Scalar) -> Int? {
    let value: Int
    switch element {
    case .boolean(let flag): value = flag ? 1 : 0
    case .integer(let number):
      guard let small = Int(exactly: number), abs(small) < 1 << 60 else { return nil }
      value = small
    case .float(let number):
      guard number.isFinite, number.rounded() == number, abs(number) < 0x1p60 else { return nil }
      value = Int(number)
    default:
      return nil
    }
    return value == -1 ? -2 : value
  }
}
