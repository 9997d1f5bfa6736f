/// [TagResource](https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html)
public struct TagResourceRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "Tags"]

    public var keyId: String
    public var tags: [Tag]

    public init(keyId: String, tags: [Tag]) {
        self.keyId = keyId
        self.tags = tags
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.tags(tags)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case tags = "Tags"
    }
}

/// [UntagResource](https://docs.aws.amazon.com/kms/latest/APIReference/API_UntagResource.html)
public struct UntagResourceRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "TagKeys"]

    public var keyId: String
    public var tagKeys: [String]

    public init(keyId: String, tagKeys: [String]) {
        self.keyId = keyId
        self.tagKeys = tagKeys
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        for (index, key) in tagKeys.enumerated() {
            v.length(key, "tagKeys.\(index + 1).member", 1...128)
        }
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case tagKeys = "TagKeys"
    }
}

/// [ListResourceTags](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListResourceTags.html)
public struct ListResourceTagsRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]

    public var keyId: String
    public var limit: Int?
    public var marker: String?

    public init(keyId: String, limit: Int? = nil, marker: String? = nil) {
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

public struct ListResourceTagsResponse: Codable, Sendable {
    public var tags: [Tag]
    public var nextMarker: String?
    public var truncated: Bool

    public init(tags: [Tag], nextMarker: String?) {
        self.tags = tags
        self.nextMarker = nextMarker
        self.truncated = nextMarker != nil
    }

    enum CodingKeys: String, CodingKey {
        case tags = "Tags"
        case nextMarker = "NextMarker"
        case truncated = "Truncated"
    }
}
