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

    mutating func member<Value: WireEnum>(_ name: StaticString, _ value: Value?) {
        member(name, value?.rawValue)
    }

    mutating func member<Value: WireEnum>(_ name: StaticString, _ values: [Value]?) {
        guard let values else { return }
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONString.append(value.rawValue, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func member(_ name: StaticString, _ number: Int?) {
        guard let number else { return }
        key(name)
        bytes.append(contentsOf: String(number).utf8)
    }

    /// Epoch seconds, as JSONEncoder's `.secondsSince1970` writes them: the shortest decimal
    /// that reads back as the same Double, without a trailing ".0".
    mutating func member(_ name: StaticString, _ date: Date?) {
        guard let date else { return }
        key(name)
        let text = date.timeIntervalSince1970.description
        bytes.append(contentsOf: text.hasSuffix(".0") ? text.utf8.dropLast(2) : text.utf8[...])
    }

    /// A nested object, its members written by `body`.
    mutating func object(_ name: StaticString, _ body: (inout FlatJSONWriter) -> Void) {
        key(name)
        nested(body)
    }

    /// An array of objects, one per element, each written by `body`.
    mutating func objects<Element>(_ name: StaticString, _ elements: [Element], _ body: (inout FlatJSONWriter, Element) -> Void) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            nested { body(&$0, element) }
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func nested(_ body: (inout FlatJSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        empty = true
        body(&self)
        empty = false
        bytes.append(UInt8(ascii: "}"))
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

extension GenerateDataKeyWithoutPlaintextResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.member("CiphertextBlob", ciphertextBlob)
        json.member("KeyId", keyId)
        json.member("KeyMaterialId", keyMaterialId)
    }
}

extension GenerateRandomResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.member("Plaintext", plaintext)
    }
}

extension VerifyMacResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.member("KeyId", keyId)
        json.member("MacValid", macValid)
        json.member("MacAlgorithm", macAlgorithm)
    }
}

extension GetPublicKeyResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.member("KeyId", keyId)
        json.member("PublicKey", publicKey)
        json.member("CustomerMasterKeySpec", customerMasterKeySpec)
        json.member("KeySpec", keySpec)
        json.member("KeyUsage", keyUsage)
        json.member("EncryptionAlgorithms", encryptionAlgorithms)
        json.member("SigningAlgorithms", signingAlgorithms)
        json.member("KeyAgreementAlgorithms", keyAgreementAlgorithms)
    }
}

/// Every member of KeyMetadata, in its declaration order; absent optionals are left out, as
/// the synthesized Encodable leaves them out. DescribeKey answers with it, and JSONEncoder took
/// about 20 µs to write its twenty-odd members.
extension KeyMetadata {
    func write(to json: inout FlatJSONWriter) {
        json.member("AWSAccountId", awsAccountId)
        json.member("KeyId", keyId)
        json.member("Arn", arn)
        json.member("CreationDate", creationDate)
        json.member("Enabled", enabled)
        json.member("Description", description)
        json.member("KeyUsage", keyUsage)
        json.member("KeyState", keyState)
        json.member("DeletionDate", deletionDate)
        json.member("PendingDeletionWindowInDays", pendingDeletionWindowInDays)
        json.member("ValidTo", validTo)
        json.member("ExpirationModel", expirationModel)
        json.member("Origin", origin)
        json.member("KeyManager", keyManager)
        json.member("CustomerMasterKeySpec", customerMasterKeySpec)
        json.member("KeySpec", keySpec)
        json.member("EncryptionAlgorithms", encryptionAlgorithms)
        json.member("SigningAlgorithms", signingAlgorithms)
        json.member("KeyAgreementAlgorithms", keyAgreementAlgorithms)
        json.member("MacAlgorithms", macAlgorithms)
        json.member("MultiRegion", multiRegion)
        json.member("CurrentKeyMaterialId", currentKeyMaterialId)
        if let configuration = multiRegionConfiguration {
            json.object("MultiRegionConfiguration") { json in
                json.member("MultiRegionKeyType", configuration.multiRegionKeyType)
                if let primary = configuration.primaryKey {
                    json.object("PrimaryKey") { $0.write(primary) }
                }
                json.objects("ReplicaKeys", configuration.replicaKeys) { $0.write($1) }
            }
        }
    }
}

extension FlatJSONWriter {
    fileprivate mutating func write(_ key: MultiRegionKey) {
        member("Arn", key.arn)
        member("Region", key.region)
    }
}

extension DescribeKeyResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.object("KeyMetadata") { keyMetadata.write(to: &$0) }
    }
}

extension CreateKeyResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.object("KeyMetadata") { keyMetadata.write(to: &$0) }
    }
}

extension ListKeysResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.objects("Keys", keys) { json, entry in
            json.member("KeyId", entry.keyId)
            json.member("KeyArn", entry.keyArn)
        }
        json.member("NextMarker", nextMarker)
        json.member("Truncated", truncated)
    }
}

/// The answer of the operations that return nothing (EnableKey, TagResource, CreateAlias, …).
extension EmptyResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {}
}

extension GetKeyPolicyResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.member("Policy", policy)
        json.member("PolicyName", policyName)
    }
}

extension GetKeyRotationStatusResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.member("KeyRotationEnabled", keyRotationEnabled)
        json.member("KeyId", keyId)
        json.member("RotationPeriodInDays", rotationPeriodInDays)
        json.member("NextRotationDate", nextRotationDate)
        json.member("OnDemandRotationStartDate", onDemandRotationStartDate)
    }
}

extension CreateGrantResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.member("GrantToken", grantToken)
        json.member("GrantId", grantId)
    }
}

extension ListAliasesResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.objects("Aliases", aliases) { json, alias in
            json.member("AliasName", alias.aliasName)
            json.member("AliasArn", alias.aliasArn)
            json.member("TargetKeyId", alias.targetKeyId)
            json.member("CreationDate", alias.creationDate)
            json.member("LastUpdatedDate", alias.lastUpdatedDate)
        }
        json.member("NextMarker", nextMarker)
        json.member("Truncated", truncated)
    }
}

extension ListResourceTagsResponse: FlatEncodable {
    func write(to json: inout FlatJSONWriter) {
        json.objects("Tags", tags) { json, tag in
            json.member("TagKey", tag.tagKey)
            json.member("TagValue", tag.tagValue)
        }
        json.member("NextMarker", nextMarker)
        json.member("Truncated", truncated)
    }
}
