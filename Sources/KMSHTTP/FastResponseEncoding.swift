import Foundation
import KMSModel
import NIOCore

/// A response type the hot path writes straight into its body buffer, without JSONEncoder:
/// the same members and values, blobs as base64 and absent optionals left out.
protocol FlatEncodable {
    func write(to json: inout FlatJSONWriter)
}

/// Writes one flat JSON object member by member.
struct FlatJSONWriter {
    private(set) var buffer: ByteBuffer
    private var empty = true

    init() {
        buffer = ByteBuffer()
        buffer.reserveCapacity(512)
        buffer.writeInteger(UInt8(ascii: "{"))
    }

    mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func member(_ name: StaticString, _ blob: Data) {
        key(name)
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeString(blob.base64EncodedString())
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    mutating func member(_ name: StaticString, _ flag: Bool) {
        key(name)
        buffer.writeStaticString(flag ? "true" : "false")
    }

    mutating func member<Value: WireEnum>(_ name: StaticString, _ value: Value) {
        member(name, value.rawValue)
    }

    mutating func finish() -> ByteBuffer {
        buffer.writeInteger(UInt8(ascii: "}"))
        return buffer
    }

    private mutating func key(_ name: StaticString) {
        if !empty { buffer.writeInteger(UInt8(ascii: ",")) }
        empty = false
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(name)
        buffer.writeStaticString("\":")
    }

    /// RFC 8259 escaping: quote, backslash and control characters; everything else as UTF-8.
    private mutating func string(_ value: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                buffer.writeBytes(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                switch byte {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                case 0x09: buffer.writeStaticString("\\t")
                default:
                    let hex: StaticString = "0123456789abcdef"
                    buffer.writeStaticString("\\u00")
                    hex.withUTF8Buffer { hex in
                        buffer.writeInteger(hex[Int(byte >> 4)])
                        buffer.writeInteger(hex[Int(byte & 0x0F)])
                    }
                }
                runStart = index + 1
            }
            buffer.writeBytes(UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        buffer.writeInteger(UInt8(ascii: "\""))
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
