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

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name }?.value
    }
}
