import KMSCrypto
import KMSOpenSSL

/// The parts of an HTTP request that SigV4 signs.
public struct SigV4Request: Sendable {
    public var method: String
    /// The path as it arrived on the wire (already percent-encoded by the client).
    public var path: String
    /// The raw query string, without `?`.
    public var query: String
    /// Header fields as received; names in any case, repeated names allowed.
    public var headers: [(name: String, value: String)]
    /// Lowercase hex SHA-256 of the body.
    public var payloadHash: String

    public init(method: String, path: String, query: String, headers: [(name: String, value: String)], payloadHash: String) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }

    /// The lowercase hex SHA-256 of a body, as `payloadHash` holds it.
    public static func payloadHash(_ body: UnsafeRawBufferPointer) -> String {
        OpenSSLSHA256.hash(body, Hex.lowercase)
    }

    /// The first value of a header, by its lowercase name.
    public func header(_ name: String) -> String? {
        headers.first { Self.lowercasedEquals($0.name, name) }?.value
    }

    /// Whether `name`, lowercased, equals `lowercase`: ASCII only, as HTTP field names are.
    /// Over contiguous bytes: zipping two `UTF8View`s walked them through their iterators.
    public static func lowercasedEquals(_ name: String, _ lowercase: String) -> Bool {
        guard name.utf8.count == lowercase.utf8.count else { return false }
        var name = name
        var lowercase = lowercase
        return name.withUTF8 { a in
            lowercase.withUTF8 { b in
                for index in 0..<a.count {
                    let byte = a[index]
                    let folded = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
                    if folded != b[index] { return false }
                }
                return true
            }
        }
    }
}
