import Hummingbird
import KMSModel
import NIOCore

/// KMS bodies are small (plaintext at most 4096 bytes, policies at most 128 KiB of text);
/// anything past 1 MiB is refused before it is read further.
let maximumBodySize = 1 << 20

extension RejectedRequest {
    /// AWS's 413, for a body past `maximumBodySize`; recorded like any rejected request.
    static let bodyTooLarge = RejectedRequest(
        error: KMSError(.requestEntityTooLarge, "Request body exceeds \(maximumBodySize) bytes."))
}

extension Request {
    /// The whole body, or nil once it passes `maximumBodySize`.
    func boundedBody() async throws -> ByteBuffer? {
        var request = self
        do {
            return try await request.collectBody(upTo: maximumBodySize)
        } catch is NIOTooManyBytesError {
            return nil
        }
    }
}
