import COpenSSL

/// A failed libcrypto call: which step failed, and OpenSSL's own error queue at that moment.
/// The queue is drained so one request's failure never shows up in the next.
public struct OpenSSLError: Error, CustomStringConvertible, Sendable, Equatable {
    public let step: String
    public let reasons: [String]

    init(_ step: String) {
        self.step = step
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        self.reasons = reasons
    }

    public var description: String {
        "OpenSSL: \(step) failed" + (reasons.isEmpty ? "" : " (" + reasons.joined(separator: "; ") + ")")
    }
}

/// Turns libcrypto's "1 (or positive) means success" convention into a throw.
@inline(__always)
func check(_ result: Int32, _ step: String) throws {
    guard result > 0 else { throw OpenSSLError(step) }
}
