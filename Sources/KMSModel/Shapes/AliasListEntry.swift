import Foundation

/// One alias in a ListAliases page.
/// [AliasListEntry](https://docs.aws.amazon.com/kms/latest/APIReference/API_AliasListEntry.html)
public struct AliasListEntry: Codable, Sendable, Equatable {
    public var aliasName: String
    public var aliasArn: String
    public var targetKeyId: String?
    public var creationDate: Date?
    public var lastUpdatedDate: Date?

    public init(aliasName: String, aliasArn: String, targetKeyId: String?, creationDate: Date?, lastUpdatedDate: Date?) {
        self.aliasName = aliasName
        self.aliasArn = aliasArn
        self.targetKeyId = targetKeyId
        self.creationDate = creationDate
        self.lastUpdatedDate = lastUpdatedDate
    }

    enum CodingKeys: String, CodingKey {
        case aliasName = "AliasName"
        case aliasArn = "AliasArn"
        case targetKeyId = "TargetKeyId"
        case creationDate = "CreationDate"
        case lastUpdatedDate = "LastUpdatedDate"
    }
}
