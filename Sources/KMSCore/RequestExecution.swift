import Foundation
import KMSAudit
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
        _ operation: String, _ request: Request, caller: Caller, origin: RequestOrigin,
        _ body: (OperationContext) async throws -> Response
    ) async throws -> Response {
        let context = OperationContext(
            caller: caller, conditions: request as? any ConditionSupplying, sourceIPAddress: origin.sourceIPAddress)
        let error: KMSError
        do {
            let response = try await body(context)
            let entry = try auditEntry(
                operation, readOnly: Request.auditReadOnly, caller: caller, accessKeyId: caller.accessKeyId,
                region: caller.region, origin: origin, parameters: request.auditParameters.value, context: context, error: nil)
            switch try await commitOrFail(CommitItem(mutations: context.mutations, audit: entry)) {
            case .committed:
                materialCache.forgetDestroyed(by: context.mutations)
                return response
            case .refused(let refusal):
                error = context.refusalError ?? Self.kmsError(refusal)
            }
        } catch let failure as KMSError {
            error = failure
        } catch {
            logger.error("operation failed", metadata: ["operation": "\(operation)", "error": "\(error)"])
            throw KMSError.internalFailure
        }
        let entry = try auditEntry(
            operation, readOnly: Request.auditReadOnly, caller: caller, accessKeyId: caller.accessKeyId, region: caller.region,
            origin: origin, parameters: request.auditParameters.value, context: context, error: error)
        _ = try await commitOrFail(CommitItem(mutations: [], audit: entry))
        throw error
    }

    /// Records a request that never reached its operation: refused authentication, an unknown
    /// operation, a body that does not parse or validate.
    public func recordRejected(
        _ operation: String, caller: Caller?, accessKeyId: String?, region: String?, origin: RequestOrigin, error: KMSError
    ) async throws {
        let entry = try auditEntry(
            operation, readOnly: false, caller: caller, accessKeyId: accessKeyId ?? caller?.accessKeyId,
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
        _ operation: String, readOnly: Bool, caller: Caller?, accessKeyId: String?, region: String?, origin: RequestOrigin,
        parameters: AuditValue, context: OperationContext?, error: KMSError?
    ) throws -> AuditEntry {
        let resources = context?.resources ?? []
        let now = clock.now()
        let event = CloudTrailEvent(
            userIdentity: Self.userIdentity(caller, accessKeyId: accessKeyId),
            eventTime: now, eventName: operation, awsRegion: region ?? "us-east-1",
            sourceIPAddress: origin.sourceIPAddress, userAgent: origin.userAgent, requestParameters: parameters,
            responseElements: error == nil ? context?.responseElements ?? .null : .null,
            additionalEventData: (error == nil ? context?.keyMaterialId : nil).map { .object(["keyMaterialId": .string($0)]) },
            errorCode: error?.code.rawValue, errorMessage: error.map { $0.message.isEmpty ? nil : $0.message } ?? nil,
            requestID: origin.requestId, eventID: UUID().uuidString.lowercased(), readOnly: readOnly,
            resources: resources.map { CloudTrailEvent.Resource(accountId: $0.accountId, arn: $0.arn) },
            recipientAccountId: resources.first?.accountId ?? caller?.accountId ?? "")
        return AuditEntry(
            eventTime: now, eventName: operation, principalArn: caller?.principalArn,
            keyArn: resources.first?.arn, secondaryKeyArn: resources.dropFirst().first?.arn,
            errorCode: error?.code.rawValue, record: try event.encoded())
    }

    static func userIdentity(_ caller: Caller?, accessKeyId: String?) -> CloudTrailEvent.UserIdentity {
        guard let caller else {
            return CloudTrailEvent.UserIdentity(type: "Unknown", principalId: nil, arn: nil, accountId: nil, accessKeyId: accessKeyId)
        }
        let arn = caller.principalArn
        let type = arn.hasSuffix(":root") ? "Root" : arn.contains(":assumed-role/") ? "AssumedRole" : "IAMUser"
        return CloudTrailEvent.UserIdentity(
            type: type, principalId: type == "Root" ? caller.accountId : caller.accessKeyId, arn: arn,
            accountId: caller.accountId, accessKeyId: accessKeyId)
    }
}
