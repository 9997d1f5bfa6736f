/// One statement of a policy document, as written. Elements AWS lets be a string or an array
/// are always arrays here; absent elements are `nil`.
public struct PolicyStatement: Sendable, Equatable {
    public var sid: String?
    public var effect: StatementEffect
    /// Who the statement is about (resource policies only).
    public var principal: PrincipalElement?
    /// Everyone except these (resource policies only; AWS supports it only with `Deny`).
    public var notPrincipal: PrincipalElement?
    /// Action patterns such as `kms:Encrypt`, `kms:Generate*`, `*`; case-insensitive.
    public var action: [String]?
    public var notAction: [String]?
    /// Resource patterns such as `*` or `arn:aws:kms:*:111122223333:key/*`; case-sensitive.
    public var resource: [String]?
    public var notResource: [String]?
    /// Every condition must hold for the statement to apply (blocks and keys AND together).
    public var conditions: [PolicyCondition]

    public init(
        sid: String? = nil, effect: StatementEffect, principal: PrincipalElement? = nil,
        notPrincipal: PrincipalElement? = nil, action: [String]? = nil, notAction: [String]? = nil,
        resource: [String]? = nil, notResource: [String]? = nil, conditions: [PolicyCondition] = []
    ) {
        self.sid = sid
        self.effect = effect
        self.principal = principal
        self.notPrincipal = notPrincipal
        self.action = action
        self.notAction = notAction
        self.resource = resource
        self.notResource = notResource
        self.conditions = conditions
    }
}

public enum StatementEffect: String, Sendable, Equatable {
    case allow = "Allow"
    case deny = "Deny"
}

/// The `Principal` or `NotPrincipal` element.
public enum PrincipalElement: Sendable, Equatable {
    /// `"Principal": "*"`: everyone, like `{"AWS": "*"}`.
    case everyone
    /// `{"AWS": …, "Service": …, …}`, flattened in document order.
    case entries([PrincipalEntry])
}

public struct PrincipalEntry: Sendable, Equatable {
    public var kind: PrincipalKind
    /// For `.aws`: `*`, a 12-digit account id (that account's root) or an IAM/STS ARN.
    public var value: String {
        didSet { namedAccount = Self.namedAccount(kind, value) }
    }
    /// The account this entry names as a whole (a 12-digit id or an account root ARN), worked
    /// out once when the document is parsed rather than on every request.
    private(set) var namedAccount: String?

    public init(kind: PrincipalKind, value: String) {
        self.kind = kind
        self.value = value
        self.namedAccount = Self.namedAccount(kind, value)
    }

    private static func namedAccount(_ kind: PrincipalKind, _ value: String) -> String? {
        guard kind == .aws else { return nil }
        if PrincipalName.isAccountId(value) { return value }
        guard let name = PrincipalName(arn: value), name.kind == .root else { return nil }
        return name.accountId
    }
}

/// The principal types of the policy grammar. Only `AWS` principals are IAM identities; the
/// others name services or identity providers and never match a signed IAM caller.
public enum PrincipalKind: String, Sendable, Equatable, CaseIterable {
    case aws = "AWS"
    case service = "Service"
    case federated = "Federated"
    case canonicalUser = "CanonicalUser"
}
