import Foundation
import KMSModel

@testable import KMSCore

/// STS calls as the HTTP layer makes them: through `execute`, recorded as `sts.amazonaws.com`.
extension KeyManagementService {
    func assumeRole(_ request: AssumeRoleRequest, caller: Caller) async throws -> AssumeRoleResponse {
        try await execute("AssumeRole", request, caller: caller, origin: Self.testOrigin, service: .sts) {
            try await assumeRole(request, context: $0)
        }
    }

    func getCallerIdentity(caller: Caller) async throws -> GetCallerIdentityResponse {
        let request = GetCallerIdentityRequest()
        return try await execute("GetCallerIdentity", request, caller: caller, origin: Self.testOrigin, service: .sts) {
            getCallerIdentity(request, context: $0)
        }
    }

    /// The caller an access key (and session token) resolves to, in us-east-1.
    func resolve(_ accessKeyId: String, token: String? = nil, now: Date) async throws -> Caller? {
        let credential: ResolvedCredential?
        if let token {
            credential = try await sessionCredential(accessKeyId: accessKeyId, sessionToken: token, now: now)
        } else {
            credential = try await self.credential(accessKeyId: accessKeyId)
        }
        guard var caller = credential?.principal else { return nil }
        caller.region = "us-east-1"
        return caller
    }
}
