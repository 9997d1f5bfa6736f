/// [ListAliases](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html)
public struct ListAliasesRequest: ValidatedRequest {
    public var keyId: String?
    public var limit: Int?
    public var marker: String?

    public init(keyId: String? = nil, limit: Int? = nil, marker: String? = nil) {
        self.keyId = keyId
        self.limit = limit
        self.marker = marker
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.range(limit, "limit", 1...1000)
        v.marker(marker)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case limit = "Limit"
        case marker = "Marker"
    }
}

public struct ListAliasesResponse: Codable, Sendable {
    public var aliases: [AliasListEntry]
    public var nextMarker: String?
    public var truncated: Bool

    public init(aliases: [AliasListEntry], nextMarker: String?) {
        self.aliases = aliases
        self.nextMarker = nextMarker
        self.truncated = nextMarker != nil
    }

    enum CodingKeys: String, CodingKey {
        case aliases = "Aliases"
        case nextMarker = "NextMarker"
        case truncated = "Truncated"
    }
}
