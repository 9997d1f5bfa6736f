import Foundation
import HTTPTypes
import Hummingbird
import KMSCore
import KMSModel
import KMSSigV4
import Logging
import NIOCore

/// AWS STS on Trent's port, in the query protocol: a POST without `X-Amz-Target` whose body is a
/// form (`Action=GetCallerIdentity&Version=2011-06-15`). SigV4 is verified with the `sts`
/// service scope; every request, refused or not, leaves one audit record with `eventSource`
/// `sts.amazonaws.com` and STS's error codes.
struct STSResponder: Sendable {
    let service: KeyManagementService
    let authenticator: any RequestAuthenticator

    /// Whether a request is for STS rather than KMS.
    static func accepts(_ request: IncomingRequest) -> Bool {
        guard request.isPost, request.header("x-amz-target") == nil, let type = request.header("content-type") else {
            return false
        }
        return type.lowercased().hasPrefix("application/x-www-form-urlencoded")
    }

    func reply(to request: IncomingRequest, body: ByteBuffer?, requestId: String, origin: RequestOrigin, logger: Logger) async -> Reply {
        var eventName = "UnknownOperation"
        var caller: Caller?
        do {
            guard let body else { throw RejectedRequest.bodyTooLarge }
            let form = QueryForm(body: body)
            if let action = form["Action"], !action.isEmpty { eventName = action }
            do {
                caller = try await authenticator.authenticate(request, body: body, for: .sts)
            } catch let error as KMSError {
                throw RejectedRequest(error: error)
            }
            guard let caller else { throw RejectedRequest(error: KMSError(.internalFailure, "")) }
            guard let action = form["Action"], !action.isEmpty else {
                throw RejectedRequest(error: KMSError(.unknownOperation, "Missing Action"))
            }
            let unknown = KMSError(
                .unknownOperation, "Could not find operation \(action) for version \(form["Version"] ?? "NO_VERSION_SPECIFIED")")
            guard form["Version"] == STSQueryCodec.version else { throw RejectedRequest(error: unknown) }
            switch action {
            case "GetCallerIdentity":
                let call = GetCallerIdentityRequest()
                let answer = try await service.execute(action, call, caller: caller, origin: origin, service: .sts) { context in
                    service.getCallerIdentity(call, context: context)
                }
                return Self.response(.ok, STSQueryCodec.getCallerIdentity(answer, requestId: requestId), requestId: requestId)
            case "AssumeRole":
                let call = STSQueryCodec.assumeRole(form)
                do {
                    try call.validate()
                } catch let error as KMSError {
                    throw RejectedRequest(error: error)
                }
                let answer = try await service.execute(action, call, caller: caller, origin: origin, service: .sts) { context in
                    try await service.assumeRole(call, context: context)
                }
                return Self.response(.ok, STSQueryCodec.assumeRole(answer, requestId: requestId), requestId: requestId)
            default:
                throw RejectedRequest(error: unknown)
            }
        } catch let rejected as RejectedRequest {
            // Refused before the operation ran: recorded here, answered once durable.
            do {
                let scope = SigV4Authorization.scope(of: request)
                try await service.recordRejected(
                    eventName, caller: caller, accessKeyId: scope?.accessKeyId, region: scope?.region, origin: origin,
                    error: rejected.error, service: .sts)
            } catch {
                return Self.error(KMSError(.internalFailure, "An internal error occurred."), requestId: requestId)
            }
            return Self.error(rejected.error, requestId: requestId)
        } catch let error as KMSError {
            return Self.error(error, requestId: requestId)
        } catch {
            logger.error("unhandled error", metadata: ["requestId": "\(requestId)", "error": "\(error)"])
            return Self.error(KMSError(.internalFailure, "An internal error occurred."), requestId: requestId)
        }
    }

    static func error(_ error: KMSError, requestId: String) -> Reply {
        response(
            HTTPResponse.Status(code: error.code.queryProtocolStatus), STSQueryCodec.error(error, requestId: requestId),
            requestId: requestId)
    }

    static func response(_ status: HTTPResponse.Status, _ body: ByteBuffer, requestId: String) -> Reply {
        Reply(status: status, contentType: STSQueryCodec.contentType, requestId: requestId, body: body)
    }
}
