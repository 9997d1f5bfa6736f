import Foundation
import HTTPTypes
import Hummingbird
import KMSModel
import NIOCore

/// Renders a `KMSError` as AWS does: `{"__type": …, "message": …}` with 400 for client faults
/// and 500 for internal ones. AWS omits `message` when it has none (InvalidCiphertextException).
enum ErrorResponse {
    private struct Body: Encodable {
        let type: String
        let message: String?
        enum CodingKeys: String, CodingKey {
            case type = "__type"
            case message
        }
    }

    static func reply(_ error: KMSError, requestId: String) -> Reply {
        let body = Body(type: error.code.rawValue, message: error.message.isEmpty ? nil : error.message)
        let bytes = (try? JSONEncoder().encode(body)) ?? Data(#"{"__type":"KMSInternalException"}"#.utf8)
        return Reply(
            status: HTTPResponse.Status(code: error.code.httpStatus), contentType: AWSJSONCodec.contentType, requestId: requestId,
            body: ByteBuffer(data: bytes))
    }
}

extension HTTPField.Name {
    static let amznRequestId = HTTPField.Name("x-amzn-RequestId")!
}
