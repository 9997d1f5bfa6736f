import Foundation
import KMSAudit
import KMSModel
import NIOCore

/// A response type the hot path writes straight into its body buffer, without JSONEncoder:
/// the same members and values, blobs as base64 and absent optionals left out.
protocol FlatEncodable {
    func write(to json: inout FlatJSONWriter)
}

/// Writes one flat JSON object member by member.
struct FlatJSONWriter {
    private var bytes: [UInt8]
    private var empty = true

    init() {
        bytes = [UInt8(ascii: "{")]
        bytes.reserveCapacity(512)
    }

    mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        JSONString.append(value, to: &bytes)
    }

    mutating func member(_ name: StaticString, _ blob: Data) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        Base64Writer.append(blob, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func member(_ name: StaticString, _ flag: Bool) {
        key(name)
        raw(flag ? "true" : "false")
    }

    mutating func member<Value: WireEnum>(_ name: StaticString, _ value: Value) {
        member(name, value.rawValue)
    }

    mutating func finish() -> ByteBuffer {
        bytes.append(UInt8(ascii: "}"))
        return ByteBuffer(bytes: bytes)
    }

    private mutating func key(_ name: StaticString) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        raw("\":")
    }

    private mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}

extension EncryptResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.member("CiphertextBlob", ciphertextBlob)
        json.member("KeyId", keyId)
        json.member("EncryptionAlgorithm", encryptionAlgorithm)
    }
}

extension DecryptResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.member("KeyId", keyId)
        json.member("Plaintext", plaintext)
        json.member("EncryptionAlgorithm", encryptionAlgorithm)
        json.member("KeyMaterialId", keyMaterialId)
    }
}

extension GenerateDataKeyResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.member("CiphertextBlob", ciphertextBlob)
        json.member("Plaintext", plaintext)
        json.member("KeyId", keyId)
        json.member("KeyMaterialId", keyMaterialId)
    }
}

extension SignResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.member("KeyId", keyId)
        json.member("Signature", signature)
        json.member("SigningAlgorithm", signingAlgorithm)
    }
}

extension VerifyResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.member("KeyId", keyId)
        json.member("SignatureValid", signatureValid)
        json.member("SigningAlgorithm", signingAlgorithm)
    }
}

extension GenerateMacResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.member("Mac", mac)
        json.member("MacAlgorithm", macAlgorithm)
        json.member("KeyId", keyId)
    }
}

extension ReEncryptResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.member("CiphertextBlob", ciphertextBlob)
        json.member("SourceKeyId", sourceKeyId)
        json.member("KeyId", keyId)
        json.member("SourceEncryptionAlgorithm", sourceEncryptionAlgorithm)
        json.member("DestinationEncryptionAlgorithm", destinationEncryptionAlgorithm)
        json.member("SourceKeyMaterialId", sourceKeyMaterialId)
        json.member("DestinationKeyMaterialId", destinationKeyMaterialId)
    }
}
