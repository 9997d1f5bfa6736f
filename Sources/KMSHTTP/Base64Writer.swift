import Foundation

/// Standard base64 with padding (RFC 4648 §4), written straight into a body being built.
///
/// Every response that carries a blob (a ciphertext, a signature, a data key) spells it in
/// base64. Foundation's encoder returns a `String`, which the body then copied byte by byte:
/// one allocation and two passes per blob for output that needs no escaping in JSON.
enum Base64Writer {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encodedCount(_ byteCount: Int) -> Int { (byteCount + 2) / 3 * 4 }

    /// Appends `data`'s encoding to `bytes`.
    static func append(_ data: Data, to bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: encodedCount(data.count)))
        data.withUnsafeBytes { input in
            alphabet.withUnsafeBufferPointer { table in
                bytes.withUnsafeMutableBufferPointer { output in
                    var out = start
                    var index = 0
                    while index + 3 <= input.count {
                        let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                        output[out] = table[Int(group >> 18)]
                        output[out + 1] = table[Int(group >> 12 & 0x3F)]
                        output[out + 2] = table[Int(group >> 6 & 0x3F)]
                        output[out + 3] = table[Int(group & 0x3F)]
                        index += 3
                        out += 4
                    }
                    let remaining = input.count - index
                    guard remaining > 0 else { return }
                    let second = remaining == 2 ? UInt32(input[index + 1]) : 0
                    let group = UInt32(input[index]) << 16 | second << 8
                    output[out] = table[Int(group >> 18)]
                    output[out + 1] = table[Int(group >> 12 & 0x3F)]
                    output[out + 2] = remaining == 2 ? table[Int(group >> 6 & 0x3F)] : UInt8(ascii: "=")
                    output[out + 3] = UInt8(ascii: "=")
                }
            }
        }
    }
}
