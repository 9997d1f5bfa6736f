import Foundation
import KMSModel
import NIOCore

/// AWS JSON 1.1 as botocore speaks it: members by their AWS names, blobs as base64, timestamps
/// as epoch seconds. Decoding faults become AWS's errors: a missing required member is a
/// `ValidationException` naming it, anything else a `SerializationException`.
public enum AWSJSONCodec {
    /// The media type of every KMS answer, errors included.
    public static let contentType = "application/x-amz-json-1.1"

    /// Configured once and shared: both are Sendable, and making one per request cost an
    /// allocation and its options on every call.
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    public static func decode<Request: ValidatedRequest>(_ type: Request.Type, from body: ByteBuffer) throws -> Request {
        // The hot operations' plain bodies skip JSONDecoder (about 8 µs of an Encrypt); any body
        // the flat reader does not take exactly goes the full way below.
        if let flatType = Request.self as? any FlatDecodable.Type,
            let request = body.withUnsafeReadableBytes({ FlatJSONObject.parse($0) }).flatMap({ flatType.init(flat: $0) }) as? Request
        {
            try request.validate()
            return request
        }
        let bytes = body.readableBytes == 0 ? Data("{}".utf8) : Data(buffer: body, byteTransferStrategy: .noCopy)
        switch StrictJSON.firstFault(in: bytes) {
        case nil: break
        case .tooDeep: throw KMSError(.serialization, "The request body is nested too deeply.")
        case .syntax: throw KMSError(.serialization, "The request body is not valid JSON.")
        }
        let request: Request
        do {
            request = try decoder.decode(Request.self, from: bytes)
        } catch DecodingError.keyNotFound(let key, let context) where context.codingPath.isEmpty {
            throw missingMembers(Request.self, firstMissing: key, body: bytes)
        } catch let error as DecodingError {
            throw kmsError(error)
        }
        try request.validate()
        return request
    }

    public static func encode<Response: Encodable>(_ response: Response) throws -> ByteBuffer {
        if let flat = response as? any FlatEncodable {
            var json = FlatJSONWriter()
            flat.write(to: &json)
            return json.finish()
        }
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

    /// A missing top-level member: AWS reports every missing required member at once, so the
    /// body is read again (on this error path only) to name all of them.
    private static func missingMembers<Request: ValidatedRequest>(
        _ type: Request.Type, firstMissing: any CodingKey, body: Data
    ) -> KMSError {
        let present = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        var missing = Request.requiredMembers.filter { present[$0] == nil || present[$0] is NSNull }
        if missing.isEmpty { missing = [firstMissing.stringValue] }
        var validation = Validation()
        for member in missing { validation.missing(memberPath([AnyKey(member)])) }
        return validation.error ?? KMSError(.validation, "")
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static func nullMember(_ path: [any CodingKey]) -> KMSError {
        var validation = Validation()
        validation.missing(memberPath(path))
        return validation.error ?? KMSError(.validation, "")
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
