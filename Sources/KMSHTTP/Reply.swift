import HTTPTypes
import Hummingbird
import NIOCore

/// A whole response as the pipeline produces it: KMS and STS answers are small and complete
/// before the first byte is written, so the body is one buffer. Every answer carries exactly
/// two headers of its own, its content type and request id; they are kept as two strings,
/// since building HTTPFields cost two allocations on every request.
public struct Reply: Sendable {
    public var status: HTTPResponse.Status
    public var contentType: String
    public var requestId: String
    public var body: ByteBuffer

    public init(status: HTTPResponse.Status, contentType: String, requestId: String, body: ByteBuffer) {
        self.status = status
        self.contentType = contentType
        self.requestId = requestId
        self.body = body
    }

    /// The headers as written: `Content-Type`, then `x-amzn-RequestId`.
    public var headers: HTTPFields {
        [.contentType: contentType, .amznRequestId: requestId]
    }

    /// The same response in Hummingbird's terms, for its router and test client.
    public var response: Response {
        Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
