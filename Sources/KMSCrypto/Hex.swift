import Foundation

/// Lowercase hex without Foundation formatting: `String(format:)` costs tens of microseconds
/// per call on Linux, and SigV4 hex-encodes two digests per request.
public enum Hex {
    /// Lowercase hex of the bytes, written straight into the string's storage.
    public static func lowercase(_ bytes: UnsafeRawBufferPointer) -> String {
        let digits: StaticString = "0123456789abcdef"
        return digits.withUTF8Buffer { digits in
            String(unsafeUninitializedCapacity: bytes.count * 2) { out in
                var index = 0
                for byte in bytes {
                    out[index] = digits[Int(byte >> 4)]
                    out[index + 1] = digits[Int(byte & 0x0F)]
                    index += 2
                }
                return index
            }
        }
    }
}

extension Sequence where Element == UInt8 {
    public var hexString: String {
        if let hex = withContiguousStorageIfAvailable({ Hex.lowercase(UnsafeRawBufferPointer($0)) }) { return hex }
        return Array(self).withUnsafeBytes { Hex.lowercase($0) }
    }
}

extension Data {
    /// Parses lowercase or uppercase hex; nil if the text is not hex of whole bytes.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(bytes)
    }
}
