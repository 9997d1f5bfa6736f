import Foundation
import KMSAudit
import KMSModel
import KMSStorage

extension AssumeRoleRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("roleArn", roleArn)
        p.set("roleSessionName", roleSessionName)
        p.set("durationSeconds", durationSeconds)
        p.set("externalId", externalId)
        return p
    }
}

extension KeyManagementService {
    /// AWS's texts for AssumeRole's refusals, verbatim.
    static let rootCannotAssumeRoles = "Roles may not be assumed by root accounts."
    static let durationExceedsRoleMaximum = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    static let durationExceedsChainingLimit =
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."

    /// [AssumeRole](https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html): a
    /// session of the role, as a temporary access key (`ASIA…`), its secret and a session token
    /// that carries the session sealed under the root key (see `SessionToken`). The role must
    /// still exist, under the same id, whenever the session is used.
    ///
    /// A role that does not exist and a role the caller may not assume get the same
    /// AccessDenied, as in AWS, so the answer does not tell which roles exist.
    public func assumeRole(_ request: AssumeRoleRequest, context: OperationContext) async throws -> AssumeRoleResponse {
        let caller = context.caller
        guard caller.kind != .root else { throw KMSError(.accessDenied, Self.rootCannotAssumeRoles) }
        try Self.refuseUnsupported(request)
        guard let roleArn = request.roleArn, let sessionName = request.roleSessionName else {
            throw KMSError(.validation, "RoleArn and RoleSessionName are required.")
        }
        let denied = KMSError(
            .accessDenied, "User: \(caller.principalArn) is not authorized to perform: sts:AssumeRole on resource: \(roleArn)")
        guard let named = PrincipalArn(roleArn), named.kind == .role,
            let role = try await boundary({ try await repository.role(accountId: named.accountId, roleName: named.name) })
        else { throw denied }

        var conditions: [String: [String]] = [
            "sts:RoleSessionName": [sessionName],
            "aws:PrincipalArn": [caller.session?.roleArn ?? caller.principalArn],
            "aws:PrincipalAccount": [caller.accountId],
            "aws:PrincipalType": [caller.kind.rawValue],
            "aws:userid": [caller.principalId],
        ]
        if let externalId = request.externalId { conditions["sts:ExternalId"] = [externalId] }
        for (key, value) in caller.tags { conditions["aws:PrincipalTag/\(key)"] = [value] }
        switch assumeRoleAuthorizer.authorize(AssumeRoleAuthorization(caller: caller, role: role, conditionValues: conditions)) {
        case .allowed:
            break
        case .denied(let reason, let message):
            logger.info(
                "AssumeRole refused", metadata: ["caller": "\(caller.principalArn)", "role": "\(role.arn)", "reason": "\(reason)"])
            throw message.map { KMSError(.accessDenied, $0) } ?? denied
        }

        let duration = request.durationSeconds ?? AssumeRoleRequest.defaultDurationSeconds
        if caller.kind == .assumedRole, duration > 3600 { throw KMSError(.validation, Self.durationExceedsChainingLimit) }
        if duration > role.maxSessionDuration { throw KMSError(.validation, Self.durationExceedsRoleMaximum) }

        let issuedAt = Int64(clock.now().timeIntervalSince1970.rounded(.down))
        let session = SessionToken(
            accessKeyId: Self.newAccessKeyId(temporary: true), secretAccessKey: Self.newSecretAccessKey(),
            accountId: role.accountId, roleArn: role.arn, roleId: role.roleId, roleName: role.roleName,
            sessionName: sessionName, issuedAt: issuedAt, expiration: issuedAt + Int64(duration))
        let token = try await boundary { try session.sealed(with: rootKey) }
        let user = AssumedRoleUser(
            assumedRoleId: "\(role.roleId):\(sessionName)",
            arn: "arn:aws:sts::\(role.accountId):assumed-role/\(role.roleName)/\(sessionName)")

        var resource = CloudTrailEvent.Resource(accountId: role.accountId, arn: role.arn)
        resource.type = "AWS::IAM::Role"
        context.otherResources = [resource]
        // Never the secret or the token: they are credentials.
        context.responseElements = .object([
            "credentials": .object([
                "accessKeyId": .string(session.accessKeyId),
                "expiration": .string(CloudTrailTime.format(session.expirationDate)),
            ]),
            "assumedRoleUser": .object(["assumedRoleId": .string(user.assumedRoleId), "arn": .string(user.arn)]),
        ])
        return AssumeRoleResponse(
            credentials: STSCredentials(
                accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: token,
                expiration: session.expirationDate),
            assumedRoleUser: user)
    }

    /// Members Trent does not act on are refused rather than ignored: a session policy or MFA
    /// condition silently dropped would grant more than asked.
    private static func refuseUnsupported(_ request: AssumeRoleRequest) throws {
        let unsupported: [(Bool, String)] = [
            (request.policy != nil || request.policyArns != nil, "session policies (Policy, PolicyArns)"),
            (request.tags != nil || request.transitiveTagKeys != nil, "session tags (Tags, TransitiveTagKeys)"),
            (request.serialNumber != nil || request.tokenCode != nil, "MFA (SerialNumber, TokenCode)"),
            (request.sourceIdentity != nil, "SourceIdentity"),
            (request.providedContexts != nil, "ProvidedContexts"),
        ]
        if let refused = unsupported.first(where: { $0.0 }) {
            throw KMSError(.validation, "Trent's AssumeRole does not support \(refused.1) yet.")
        }
    }
}
