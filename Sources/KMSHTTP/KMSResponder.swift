import Foundation
import HTTPTypes
import Hummingbird
import KMSCore
import KMSCrypto
import KMSModel
import KMSSigV4
import Logging
import NIOCore

/// The whole request pipeline: request id, body, authentication, operation lookup, decode and
/// validate, run, encode. Every response, errors included, carries `x-amzn-RequestId`.
/// Form-encoded requests without `X-Amz-Target` are STS's, answered by ``STSResponder``.
public struct KMSResponder: HTTPResponder {
    public typealias Context = KMSRequestContext

    let service: KeyManagementService
    let authenticator: any RequestAuthenticator
    let sts: STSResponder

    public init(service: KeyManagementService, authenticator: any RequestAuthenticator) {
        self.service = service
        self.authenticator = authenticator
        self.sts = STSResponder(service: service, authenticator: authenticator)
    }

    /// Hummingbird's entry point, used by its router and test client; `trent serve` reaches
    /// `reply(to:body:sourceIPAddress:logger:)` from ``KMSRequestHandler`` with the body read.
    public func respond(to request: Request, context: KMSRequestContext) async throws -> Response {
        let body = try await request.boundedBody()
        return await reply(to: IncomingRequest(request), body: body, sourceIPAddress: context.sourceIPAddress, logger: context.logger).response
    }

    /// Answers one request whose body has been read: `body` is nil when it passed `maximumBodySize`.
    func reply(to request: IncomingRequest, body: ByteBuffer?, sourceIPAddress: String, logger: Logger) async -> Reply {
        let requestId = RandomIdentifier.uuid()
        let origin = RequestOrigin(
            requestId: requestId, sourceIPAddress: sourceIPAddress,
            userAgent: request.header("user-agent") ?? "")
        if STSResponder.accepts(request) {
            return await sts.reply(to: request, body: body, requestId: requestId, origin: origin, logger: logger)
        }
        let target = request.header("x-amz-target")
        let operation = OperationRegistry.operation(forTarget: target)
        // The event name of a request that names no known operation: what it asked for, if anything.
        let eventName = operation?.name ?? target.map { $0.split(separator: ".").last.map(String.init) ?? $0 } ?? "UnknownOperation"
        var caller: Caller?
        do {
            guard let body else { throw RejectedRequest.bodyTooLarge }
            do {
                caller = try await authenticator.authenticate(request, body: body, for: .kms)
            } catch let error as KMSError {
                throw RejectedRequest(error: error)
            }
            guard request.isPost, let operation, let caller else {
                throw RejectedRequest(error: KMSError(.unknownOperation, ""))
            }
            let output = try await operation.handle(service, body, caller, origin)
            return Reply(status: .ok, contentType: AWSJSONCodec.contentType, requestId: requestId, body: output)
        } catch let rejected as RejectedRequest {
            // Refused before the operation ran: the audit record is written here, and the
            // refusal is answered only once it is durable.
            do {
                let scope = SigV4Authorization.scope(of: request)
                try await service.recordRejected(
                    eventName, caller: caller, accessKeyId: scope?.accessKeyId, region: scope?.region, origin: origin,
                    error: rejected.error)
            } catch {
                return ErrorResponse.reply(KMSError(.internalFailure, "An internal error occurred."), requestId: requestId)
            }
            return ErrorResponse.reply(rejected.error, requestId: requestId)
        } catch let error as KMSError {
            return ErrorResponse.reply(error, requestId: requestId)
        } catch {
            logger.error("unhandled error", metadata: ["requestId": "\(requestId)", "error": "\(error)"])
            return ErrorResponse.reply(KMSError(.internalFailure, "An internal error occurred."), requestId: requestId)
        }
    }
}

extension SigV4Authorization {
    /// The access key and Region a request claims, parsed leniently for the audit record of a
    /// request that failed authentication.
    static func scope(of request: IncomingRequest) -> (accessKeyId: String, region: String)? {
        guard let header = request.header("authorization"), let parsed = try? SigV4Authorization(header: header) else {
            return nil
        }
        return (parsed.accessKeyId, parsed.scope.region)
    }
}
