/// [ListKeys](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html)
public struct ListKeysRequest: ValidatedRequest {
    public var limit: Int?
    public var marker: String?

    public init(limit: Int? = nil, marker: String? = nil) {
        self.limit = limit
        self.marker = marker
    }

    public func validate(into v: inout Validation) {
        v.range(limit, "limit", 1...1000)
        v.marker(marker)
    }

    enum CodingKeys: String, CodingKey {
        case limit = "Limit"
        case marker = "Marker"
    }
}

public struct ListKeysResponse: Codable, Sendable {
    public var keys: [KeyListEntry]
    public var nextMarker: String?
    public var truncated: Bool

    public init(keys: [KeyListEntry], nextMarker: String?) {
        self.keys = keys
        self.nextMarker = nextMarker
        self.truncated = nextMarker != nil
    }

    enum CodingKeys: String, CodingKey {
        case keys = "Keys"
        case nextMarker = "NextMarker"
        case truncated = "Truncated"
    }
}
