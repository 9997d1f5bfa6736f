import Foundation

/// The encryption context's canonical bytes, bound to a ciphertext as additional authenticated
/// data. Pairs are sorted by key (UTF-8 byte order), so the order a client sends them in does
/// not matter; every string is length-prefixed, so no two different contexts share an encoding.
public enum EncryptionContextEncoding {
    public static func canonicalBytes(_ context: [String: String]?) -> [UInt8] {
        guard let context, !context.isEmpty else { return [0, 0, 0, 0] }
        let pairs = context.map { (Array($0.key.utf8), Array($0.value.utf8)) }
            .sorted { $0.0.lexicographicallyPrecedes($1.0) }
        var out: [UInt8] = []
        out.appendBigEndian(UInt32(pairs.count))
        for (key, value) in pairs {
            out.appendBigEndian(UInt32(key.count))
            out.append(contentsOf: key)
            out.appendBigEndian(UInt32(value.count))
            out.append(contentsOf: value)
        }
        return out
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
