/// One request to authorize: who, which action, on what, with which condition values.
public struct AuthorizationRequest: Sendable, Equatable {
    public var principal: RequestPrincipal
    /// The policy action, with its service prefix: `kms:Encrypt`, `sts:AssumeRole`.
    public var action: String
    /// The key ARN, the role ARN for `sts:AssumeRole`, or `*` for an operation without a
    /// resource (`CreateKey`, `ListKeys`, `ListAliases`, `GenerateRandom`, …).
    public var resource: String
    /// The account owning the resource; `nil` for `*`.
    public var resourceAccount: String?
    /// Condition values of this request; see `ConditionContext` for the keys Trent supplies.
    public var context: ConditionContext

    public init(
        principal: RequestPrincipal, action: String, resource: String, resourceAccount: String? = nil,
        context: ConditionContext = ConditionContext()
    ) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.resourceAccount = resourceAccount
        self.context = context
    }
}
