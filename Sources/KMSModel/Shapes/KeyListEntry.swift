/// One key in a ListKeys page.
public struct KeyListEntry: Codable, Sendable, Equatable {
    public var keyId: String
    public var keyArn: String

    public init(keyId: String, keyArn: String) {
        self.keyId = keyId
        self.keyArn = keyArn
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case keyArn = "KeyArn"
    }
}
