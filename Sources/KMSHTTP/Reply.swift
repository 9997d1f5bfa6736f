import HTTPTypes
import Hummingbird
import NIOCore

/// A whole response as the pipeline produces it: KMS and STS answers are small and complete
/// before the first byte is written, so the body is one buffer.
public struct Reply: Sendable {
    public var status: HTTPResponse.Status
    public var headers: HTTPFields
    public var body: ByteBuffer

    /// The same response in Hummingbird's terms, for its router and test client.
    public var response: Response {
        Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
