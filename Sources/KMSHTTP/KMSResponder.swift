import Foundation
import HTTPTypes
import Hummingbird
import KMSCore
import KMSModel
import Logging
import NIOCore

/// The whole request pipeline: request id, body, authentication, operation lookup, decode and
/// validate, run, encode. Every response, errors included, carries `x-amzn-RequestId`.
public struct KMSResponder: HTTPResponder {
    public typealias Context = KMSRequestContext

    let service: KeyManagementService
    let authenticator: any RequestAuthenticator

    public init(service: KeyManagementService, authenticator: any RequestAuthenticator) {
        self.service = service
        self.authenticator = authenticator
    }

    public func respond(to request: Request, context: KMSRequestContext) async throws -> Response {
        let requestId = UUID().uuidString.lowercased()
        do {
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: context.maxUploadSize)
            } catch is NIOTooManyBytesError {
                throw KMSError(.requestEntityTooLarge, "Request body exceeds \(context.maxUploadSize) bytes.")
            }
            let caller = try await authenticator.authenticate(request, body: body)
            guard request.method == .post,
                let operation = OperationRegistry.operation(forTarget: request.headers[.amzTarget])
            else {
                throw KMSError(.unknownOperation, "")
            }
            let output = try await operation.handle(service, body, caller)
            var headers = HTTPFields()
            headers[.contentType] = "application/x-amz-json-1.1"
            headers[.amznRequestId] = requestId
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: output))
        } catch let error as KMSError {
            return ErrorResponse.response(error, requestId: requestId)
        } catch {
            context.logger.error("unhandled error", metadata: ["requestId": "\(requestId)", "error": "\(error)"])
            return ErrorResponse.response(KMSError(.internalFailure, "An internal error occurred."), requestId: requestId)
        }
    }
}
