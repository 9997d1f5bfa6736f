import Hummingbird
import KMSModel
import NIOCore

extension Request {
    /// The whole body, as KMS and STS requests are read before anything else: a body past the
    /// configured limit is refused with AWS's 413 error (and recorded like any rejected request).
    func boundedBody(_ context: KMSRequestContext) async throws -> ByteBuffer {
        var request = self
        do {
            return try await request.collectBody(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw RejectedRequest(error: KMSError(.requestEntityTooLarge, "Request body exceeds \(context.maxUploadSize) bytes."))
        }
    }
}
