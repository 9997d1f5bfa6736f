import Foundation
import KMSModel
import NIOCore

/// AWS JSON 1.1 as botocore speaks it: members by their AWS names, blobs as base64, timestamps
/// as epoch seconds. Decoding faults become AWS's errors: a missing required member is a
/// `ValidationException` naming it, anything else a `SerializationException`.
enum AWSJSONCodec {
    static func decode<Request: ValidatedRequest>(_ type: Request.Type, from body: ByteBuffer) throws -> Request {
        let bytes = body.readableBytes == 0 ? Data("{}".utf8) : Data(buffer: body, byteTransferStrategy: .noCopy)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        let request: Request
        do {
            request = try decoder.decode(Request.self, from: bytes)
        } catch let error as DecodingError {
            throw kmsError(error)
        }
        try request.validate()
        return request
    }

    static func encode<Response: Encodable>(_ response: Response) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return ByteBuffer(data: try encoder.encode(response))
    }

    static func kmsError(_ error: DecodingError) -> KMSError {
        switch error {
        case .keyNotFound(let key, let context):
            return nullMember(context.codingPath + [key])
        case .valueNotFound(_, let context):
            return nullMember(context.codingPath)
        case .typeMismatch(_, let context):
            return KMSError(.serialization, "Unexpected value type at '\(memberPath(context.codingPath))'")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return KMSError(.serialization, "The request body is not valid JSON.")
            }
            return KMSError(.serialization, "Invalid value at '\(memberPath(context.codingPath))'")
        @unknown default:
            return KMSError(.serialization, "")
        }
    }

    private static func nullMember(_ path: [any CodingKey]) -> KMSError {
        KMSError(
            .validation,
            "1 validation error detected: Value null at '\(memberPath(path))' failed to satisfy constraint: Member must not be null")
    }

    /// `[Tags, 0, TagKey]` → `tags.1.member.tagKey`, as AWS names nested members.
    static func memberPath(_ path: [any CodingKey]) -> String {
        path.map { key in
            if let index = key.intValue { return "\(index + 1).member" }
            let name = key.stringValue
            return name.prefix(1).lowercased() + name.dropFirst()
        }.joined(separator: ".")
    }
}
