import Foundation
import KMSAudit
import KMSCrypto
import KMSModel
import KMSStorage

/// Where a request came from, for its audit record. Its time is the service's clock's.
public struct RequestOrigin: Sendable {
    public var requestId: String
    public var sourceIPAddress: String
    public var userAgent: String

    public init(requestId: String, sourceIPAddress: String, userAgent: String) {
        self.requestId = requestId
        self.sourceIPAddress = sourceIPAddress
        self.userAgent = userAgent
    }
}

extension KeyManagementService {
    /// Runs one operation and commits its changes together with its audit record, in one
    /// transaction; a failed or refused operation still gets its record. A request whose
    /// record cannot be written is not served: the caller gets `KMSInternalException`.
    public func execute<Request: AuditedRequest, Response>(
        _ operation: String, _ request: Request, caller: Caller, origin: RequestOrigin, service source: AuditedService = .kms,
        _ body: (OperationContext) async throws -> Response
    ) async throws -> Response {
        let context = OperationContext(
            caller: caller, conditions: request as? any ConditionSupplying, sourceIPAddress: origin.sourceIPAddress)
        let error: KMSError
        do {
            let response = try await body(context)
            let entry = try auditEntry(
                operation, source: source, readOnly: Request.auditReadOnly, caller: caller, accessKeyId: caller.accessKeyId,
                region: caller.region, origin: origin, parameters: request.auditParameters.value, context: context, error: nil)
            switch try await commitOrFail(CommitItem(mutations: context.mutations, audit: entry)) {
            case .committed:
                materialCache.forgetDestroyed(by: context.mutations)
                return response
            case .refused(let refusal):
                error = context.answer(to: refusal) ?? Self.kmsError(refusal)
            }
        } catch let failure as KMSError {
            error = failure
        } catch {
            logger.error("operation failed", metadata: ["operation": "\(operation)", "error": "\(error)"])
            throw KMSError.internalFailure
        }
        let entry = try auditEntry(
            operation, source: source, readOnly: Request.auditReadOnly, caller: caller, accessKeyId: caller.accessKeyId,
            region: caller.region, origin: origin, parameters: request.auditParameters.value, context: context, error: error)
        _ = try await commitOrFail(CommitItem(mutations: [], audit: entry))
        throw error
    }

    /// Records a request that never reached its operation: refused authentication, an unknown
    /// operation, a body that does not parse or validate.
    public func recordRejected(
        _ operation: String, caller: Caller?, accessKeyId: String?, region: String?, origin: RequestOrigin, error: KMSError,
        service source: AuditedService = .kms
    ) async throws {
        let entry = try auditEntry(
            operation, source: source, readOnly: false, caller: caller, accessKeyId: accessKeyId ?? caller?.accessKeyId,
            region: region ?? caller?.region, origin: origin, parameters: .null, context: nil, error: error)
        _ = try await commitOrFail(CommitItem(mutations: [], audit: entry))
    }

    private func commitOrFail(_ item: CommitItem) async throws -> CommitOutcome {
        do {
            return try await committer.commit(item)
        } catch {
            logger.error("audit commit failed; request not served", metadata: ["error": "\(error)"])
            throw KMSError.internalFailure
        }
    }

    private static func kmsError(_ refusal: RepositoryError) -> KMSError {
        switch refusal {
        case .notFound: KMSError(.notFound, "The resource no longer exists.")
        case .alreadyExists: KMSError(.alreadyExists, "The resource already exists.")
        case .conflict: KMSError(.conflict, "The resource was changed by another request; try again.")
        case .corrupt: KMSError.internalFailure
        }
    }

    private func auditEntry(
        _ operation: String, source: AuditedService, readOnly: Bool, caller: Caller?, accessKeyId: String?, region: String?,
        origin: RequestOrigin, parameters: AuditValue, context: OperationContext?, error: KMSError?
    ) throws -> AuditEntry {
        let resources = context?.resources ?? []
        let arns = resources.map(\.arn)
        let records = zip(resources, arns).map { CloudTrailEvent.Resource(accountId: $0.accountId, arn: $1) } + (context?.otherResources ?? [])
        let now = clock.now()
        let errorCode = error.map { source.errorCode($0.code) }
        var event = CloudTrailEvent(
            userIdentity: Self.userIdentity(caller, accessKeyId: accessKeyId),
            eventTime: now, eventName: operation, awsRegion: region ?? "us-east-1",
            sourceIPAddress: origin.sourceIPAddress, userAgent: origin.userAgent, requestParameters: parameters,
            responseElements: error == nil ? context?.responseElements ?? .null : .null,
            additionalEventData: (error == nil ? context?.keyMaterialId : nil).map { .object(["keyMaterialId": .string($0)]) },
            errorCode: errorCode, errorMessage: error.map { $0.message.isEmpty ? nil : $0.message } ?? nil,
            requestID: origin.requestId, eventID: RandomIdentifier.uuid(), readOnly: readOnly,
            resources: records, recipientAccountId: records.first?.accountId ?? caller?.accountId ?? "")
        event.eventSource = source.rawValue
        return AuditEntry(
            eventTime: now, eventName: operation, principalArn: caller?.principalArn,
            keyArn: arns.first, secondaryKeyArn: arns.dropFirst().first,
            errorCode: errorCode, record: try event.encoded())
    }

    /// CloudTrail's `userIdentity` for each kind of caller.
    /// [userIdentity element](https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html)
    static func userIdentity(_ caller: Caller?, accessKeyId: String?) -> CloudTrailEvent.UserIdentity {
        guard let caller else {
            return CloudTrailEvent.UserIdentity(type: "Unknown", principalId: nil, arn: nil, accountId: nil, accessKeyId: accessKeyId)
        }
        var identity = CloudTrailEvent.UserIdentity(
            type: caller.kind.rawValue, principalId: caller.principalId, arn: caller.principalArn,
            accountId: caller.accountId, accessKeyId: accessKeyId)
        switch caller.kind {
        case .root:
            break
        case .user:
            identity.userName = caller.userName
        case .assumedRole:
            if let session = caller.session {
                identity.sessionContext = CloudTrailEvent.SessionContext(
                    sessionIssuer: .init(
                        type: "Role", principalId: session.roleId, arn: session.roleArn, accountId: caller.accountId,
                        userName: session.roleName),
                    attributes: .init(creationDate: CloudTrailTime.format(session.issuedAt), mfaAuthenticated: "false"))
            }
        }
        return identity
    }
}

/// The AWS service a request went to, as CloudTrail names it (`eventSource`).
public enum AuditedService: String, Sendable {
    case kms = "kms.amazonaws.com"
    case sts = "sts.amazonaws.com"

    /// The `errorCode` of a refused request: the wire name the service answered with.
    func errorCode(_ code: KMSErrorCode) -> String {
        switch self {
        case .kms: code.rawValue
        case .sts: code.queryProtocolCode
        }
    }
}
