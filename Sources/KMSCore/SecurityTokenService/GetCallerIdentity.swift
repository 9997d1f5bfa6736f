import KMSAudit
import KMSModel

extension GetCallerIdentityRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters { AuditParameters() }
}

extension KeyManagementService {
    /// [GetCallerIdentity](https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html):
    /// who signed the request. Every authenticated principal may ask; nothing is authorized.
    public func getCallerIdentity(_ request: GetCallerIdentityRequest, context: OperationContext) -> GetCallerIdentityResponse {
        let caller = context.caller
        return GetCallerIdentityResponse(userId: caller.principalId, account: caller.accountId, arn: caller.principalArn)
    }
}
