import Foundation

/// The encryption context's canonical bytes, bound to a ciphertext as additional authenticated
/// data. Pairs are sorted by key (UTF-8 byte order), so the order a client sends them in does
/// not matter; every string is length-prefixed, so no two different contexts share an encoding.
public enum EncryptionContextEncoding {
    public static func canonicalBytes(_ context: [String: String]?) -> [UInt8] {
        var out: [UInt8] = []
        appendCanonicalBytes(context, to: &out)
        return out
    }

    /// How many bytes ``canonicalBytes(_:)`` has.
    public static func canonicalByteCount(_ context: [String: String]?) -> Int {
        (context ?? [:]).reduce(4) { $0 + 8 + $1.key.utf8.count + $1.value.utf8.count }
    }

    /// Writes ``canonicalBytes(_:)`` at the end of `out`, reserving room for them first.
    public static func appendCanonicalBytes(_ context: [String: String]?, to out: inout [UInt8]) {
        guard let context, !context.isEmpty else {
            out.appendBigEndian(0)
            return
        }
        // Sorted by the keys' UTF-8 bytes (String's own order is Unicode's, not bytewise), and
        // written into a buffer reserved up front: this runs on every Encrypt and Decrypt.
        let pairs = context.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        out.reserveCapacity(out.count + canonicalByteCount(context))
        out.appendBigEndian(UInt32(pairs.count))
        for (key, value) in pairs {
            out.appendBigEndian(UInt32(key.utf8.count))
            out.append(contentsOf: key.utf8)
            out.appendBigEndian(UInt32(value.utf8.count))
            out.append(contentsOf: value.utf8)
        }
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }
}
