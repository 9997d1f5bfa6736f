/// A key-value pair attached to a KMS key.
/// [Tag](https://docs.aws.amazon.com/kms/latest/APIReference/API_Tag.html)
public struct Tag: Codable, Sendable, Equatable {
    public var tagKey: String
    public var tagValue: String

    public init(tagKey: String, tagValue: String) {
        self.tagKey = tagKey
        self.tagValue = tagValue
    }

    enum CodingKeys: String, CodingKey {
        case tagKey = "TagKey"
        case tagValue = "TagValue"
    }
}

extension Validation {
    /// Tag members are reported by position, as AWS does: `tags.1.member.tagKey`.
    public mutating func tags(_ tags: [Tag]?, _ member: String = "tags") {
        for (index, tag) in (tags ?? []).enumerated() {
            length(tag.tagKey, "\(member).\(index + 1).member.tagKey", 1...128)
            length(tag.tagValue, "\(member).\(index + 1).member.tagValue", 0...256)
        }
    }
}
