import KMSAudit
import KMSModel
import KMSPolicy
import KMSStorage

extension KeyManagementService {
    /// Every key has exactly one key policy, named `default`.
    static let defaultPolicyName = "default"

    /// [PutKeyPolicy](https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html)
    ///
    /// The document is stored exactly as given and GetKeyPolicy returns it so. The lockout
    /// safety check (BypassPolicyLockoutSafetyCheck) belongs to policy evaluation.
    public func putKeyPolicy(_ request: PutKeyPolicyRequest, context: OperationContext) async throws -> EmptyResponse {
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "PutKeyPolicy")
        if let name = request.policyName, name != Self.defaultPolicyName { throw KMSError.keyPolicyNameUnsupported }
        let document = try parseKeyPolicy(request.policy)
        try checkPolicyLockout(
            document, keyArn: key.reference.arn, keyAccount: key.reference.accountId,
            bypass: request.bypassPolicyLockoutSafetyCheck, context: context)
        context.change(.setKeyPolicy(key.reference, policy: request.policy), ifRefused: KMSError.keyNotFound(key.reference.arn))
        return EmptyResponse()
    }

    /// [GetKeyPolicy](https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html)
    public func getKeyPolicy(_ request: GetKeyPolicyRequest, context: OperationContext) async throws -> GetKeyPolicyResponse {
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "GetKeyPolicy")
        if let name = request.policyName, name != Self.defaultPolicyName { throw KMSError.keyPolicyNotFound }
        return GetKeyPolicyResponse(policy: keyPolicy(of: key), policyName: Self.defaultPolicyName)
    }

    /// [ListKeyPolicies](https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyPolicies.html):
    /// always `["default"]`, never truncated.
    public func listKeyPolicies(_ request: ListKeyPoliciesRequest, context: OperationContext) async throws -> ListKeyPoliciesResponse {
        _ = try await resolveKey(request.keyId, .keyOnly, context: context, action: "ListKeyPolicies")
        return ListKeyPoliciesResponse(policyNames: [Self.defaultPolicyName], nextMarker: nil)
    }

    /// The key's policy document: the stored one, or AWS's default for its account.
    public func keyPolicy(of key: KeyRecord) -> String {
        key.policy ?? DefaultKeyPolicy.document(accountId: key.reference.accountId)
    }
}
