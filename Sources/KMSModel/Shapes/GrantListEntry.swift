import Foundation

/// One grant in a ListGrants or ListRetirableGrants page.
/// [GrantListEntry](https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantListEntry.html)
public struct GrantListEntry: Codable, Sendable, Equatable {
    /// The key's ARN.
    public var keyId: String
    public var grantId: String
    public var name: String?
    public var creationDate: Date
    public var granteePrincipal: String
    public var retiringPrincipal: String?
    /// `arn:aws:iam::<account>:root` of the account that created the grant.
    public var issuingAccount: String
    public var operations: [GrantOperation]
    public var constraints: GrantConstraints?

    public init(
        keyId: String, grantId: String, name: String?, creationDate: Date, granteePrincipal: String,
        retiringPrincipal: String?, issuingAccount: String, operations: [GrantOperation], constraints: GrantConstraints?
    ) {
        self.keyId = keyId
        self.grantId = grantId
        self.name = name
        self.creationDate = creationDate
        self.granteePrincipal = granteePrincipal
        self.retiringPrincipal = retiringPrincipal
        self.issuingAccount = issuingAccount
        self.operations = operations
        self.constraints = constraints
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case grantId = "GrantId"
        case name = "Name"
        case creationDate = "CreationDate"
        case granteePrincipal = "GranteePrincipal"
        case retiringPrincipal = "RetiringPrincipal"
        case issuingAccount = "IssuingAccount"
        case operations = "Operations"
        case constraints = "Constraints"
    }
}
