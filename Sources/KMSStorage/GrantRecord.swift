import Foundation
import KMSModel

/// A grant as stored: who may use which key for which operations, under which constraints.
/// [Grants in KMS](https://docs.aws.amazon.com/kms/latest/developerguide/grants.html)
public struct GrantRecord: Sendable, Equatable {
    /// 64 lowercase hex characters, unique across the store.
    public var grantId: String
    /// The key the grant is on (its account may differ from the issuing account).
    public var reference: KeyReference
    public var name: String?
    public var granteePrincipal: String
    public var retiringPrincipal: String?
    /// The account id of the principal that created the grant.
    public var issuingAccount: String
    /// The permitted operations, in the order the request gave them, without repeats.
    public var operations: [GrantOperation]
    public var constraints: GrantConstraints?
    public var creationDate: Date
    /// The random id every grant token of this grant carries (32 lowercase hex characters).
    /// A token names its grant by id and proves it was issued for it by this id.
    public var tokenId: String

    public init(
        grantId: String, reference: KeyReference, name: String?, granteePrincipal: String, retiringPrincipal: String?,
        issuingAccount: String, operations: [GrantOperation], constraints: GrantConstraints?, creationDate: Date,
        tokenId: String
    ) {
        self.grantId = grantId
        self.reference = reference
        self.name = name
        self.granteePrincipal = granteePrincipal
        self.retiringPrincipal = retiringPrincipal
        self.issuingAccount = issuingAccount
        self.operations = operations
        self.constraints = constraints
        self.creationDate = creationDate
        self.tokenId = tokenId
    }
}

/// Narrows a key's grants for ListGrants (and CreateGrant's name lookup). Nil members match all.
public struct GrantFilter: Sendable, Equatable {
    public var grantId: String?
    public var granteePrincipal: String?
    public var name: String?

    public init(grantId: String? = nil, granteePrincipal: String? = nil, name: String? = nil) {
        self.grantId = grantId
        self.granteePrincipal = granteePrincipal
        self.name = name
    }

    public static let all = GrantFilter()

    public func matches(_ grant: GrantRecord) -> Bool {
        (grantId == nil || grant.grantId == grantId) && (granteePrincipal == nil || grant.granteePrincipal == granteePrincipal)
            && (name == nil || grant.name == name)
    }
}
