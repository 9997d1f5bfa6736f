import Foundation
import KMSModel

/// A request type that the hot path decodes from a ``FlatJSONObject`` without JSONDecoder.
/// `init(flat:)` returns nil for anything it does not take exactly as JSONDecoder would (an
/// unknown member, a value of another type, a blob that is not base64, a required member
/// missing); the body is then decoded the usual way, which also produces the error.
protocol FlatDecodable {
    init?(flat: FlatJSONObject)
}

/// Typed reads of one member's value; each is nil when the value has another JSON type.
extension FlatJSONObject.Value {
    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Blobs are base64 strings; `Data(base64Encoded:)` is also what JSONDecoder applies.
    var blob: Data? { string.flatMap { Data(base64Encoded: $0) } }

    var integer: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var strings: [String]? {
        if case .strings(let value) = self { return value }
        return nil
    }

    var stringMap: [String: String]? {
        if case .stringMap(let value) = self { return value }
        return nil
    }

    func wire<Value: WireEnum>(_: Value.Type) -> WireValue<Value>? { string.map(WireValue.init(raw:)) }
}

extension EncryptRequest: FlatDecodable {
    init?(flat: FlatJSONObject) {
        var keyId: String?, plaintext: Data?, request = EncryptRequest(keyId: "", plaintext: Data())
        for (name, value) in flat.members {
            switch name {
            case "KeyId": guard let v = value.string else { return nil }; keyId = v
            case "Plaintext": guard let v = value.blob else { return nil }; plaintext = v
            case "EncryptionContext": guard let v = value.stringMap else { return nil }; request.encryptionContext = v
            case "GrantTokens": guard let v = value.strings else { return nil }; request.grantTokens = v
            case "EncryptionAlgorithm":
                guard let v = value.wire(EncryptionAlgorithmSpec.self) else { return nil }; request.encryptionAlgorithm = v
            case "DryRun": guard let v = value.bool else { return nil }; request.dryRun = v
            default: return nil
            }
        }
        guard let keyId, let plaintext else { return nil }
        request.keyId = keyId
        request.plaintext = plaintext
        self = request
    }
}

extension DecryptRequest: FlatDecodable {
    init?(flat: FlatJSONObject) {
        var blob: Data?, request = DecryptRequest(ciphertextBlob: Data())
        for (name, value) in flat.members {
            switch name {
            case "CiphertextBlob": guard let v = value.blob else { return nil }; blob = v
            case "EncryptionContext": guard let v = value.stringMap else { return nil }; request.encryptionContext = v
            case "GrantTokens": guard let v = value.strings else { return nil }; request.grantTokens = v
            case "KeyId": guard let v = value.string else { return nil }; request.keyId = v
            case "EncryptionAlgorithm":
                guard let v = value.wire(EncryptionAlgorithmSpec.self) else { return nil }; request.encryptionAlgorithm = v
            case "DryRun": guard let v = value.bool else { return nil }; request.dryRun = v
            default: return nil
            }
        }
        guard let blob else { return nil }
        request.ciphertextBlob = blob
        self = request
    }
}

extension GenerateDataKeyRequest: FlatDecodable {
    init?(flat: FlatJSONObject) {
        var keyId: String?, request = GenerateDataKeyRequest(keyId: "")
        for (name, value) in flat.members {
            switch name {
            case "KeyId": guard let v = value.string else { return nil }; keyId = v
            case "EncryptionContext": guard let v = value.stringMap else { return nil }; request.encryptionContext = v
            case "NumberOfBytes": guard let v = value.integer else { return nil }; request.numberOfBytes = v
            case "KeySpec": guard let v = value.wire(DataKeySpec.self) else { return nil }; request.keySpec = v
            case "GrantTokens": guard let v = value.strings else { return nil }; request.grantTokens = v
            case "DryRun": guard let v = value.bool else { return nil }; request.dryRun = v
            default: return nil
            }
        }
        guard let keyId else { return nil }
        request.keyId = keyId
        self = request
    }
}

extension SignRequest: FlatDecodable {
    init?(flat: FlatJSONObject) {
        var keyId: String?, message: Data?, algorithm: WireValue<SigningAlgorithmSpec>?
        var request = SignRequest(keyId: "", message: Data(), signingAlgorithm: SigningAlgorithmSpec.allCases[0])
        for (name, value) in flat.members {
            switch name {
            case "KeyId": guard let v = value.string else { return nil }; keyId = v
            case "Message": guard let v = value.blob else { return nil }; message = v
            case "MessageType": guard let v = value.wire(MessageType.self) else { return nil }; request.messageType = v
            case "GrantTokens": guard let v = value.strings else { return nil }; request.grantTokens = v
            case "SigningAlgorithm": guard let v = value.wire(SigningAlgorithmSpec.self) else { return nil }; algorithm = v
            case "DryRun": guard let v = value.bool else { return nil }; request.dryRun = v
            default: return nil
            }
        }
        guard let keyId, let message, let algorithm else { return nil }
        request.keyId = keyId
        request.message = message
        request.signingAlgorithm = algorithm
        self = request
    }
}

extension VerifyRequest: FlatDecodable {
    init?(flat: FlatJSONObject) {
        var keyId: String?, message: Data?, signature: Data?, algorithm: WireValue<SigningAlgorithmSpec>?
        var request = VerifyRequest(keyId: "", message: Data(), signature: Data(), signingAlgorithm: SigningAlgorithmSpec.allCases[0])
        for (name, value) in flat.members {
            switch name {
            case "KeyId": guard let v = value.string else { return nil }; keyId = v
            case "Message": guard let v = value.blob else { return nil }; message = v
            case "MessageType": guard let v = value.wire(MessageType.self) else { return nil }; request.messageType = v
            case "Signature": guard let v = value.blob else { return nil }; signature = v
            case "SigningAlgorithm": guard let v = value.wire(SigningAlgorithmSpec.self) else { return nil }; algorithm = v
            case "GrantTokens": guard let v = value.strings else { return nil }; request.grantTokens = v
            case "DryRun": guard let v = value.bool else { return nil }; request.dryRun = v
            default: return nil
            }
        }
        guard let keyId, let message, let signature, let algorithm else { return nil }
        request.keyId = keyId
        request.message = message
        request.signature = signature
        request.signingAlgorithm = algorithm
        self = request
    }
}

extension GenerateMacRequest: FlatDecodable {
    init?(flat: FlatJSONObject) {
        var keyId: String?, message: Data?, algorithm: WireValue<MacAlgorithmSpec>?
        var request = GenerateMacRequest(keyId: "", message: Data(), macAlgorithm: MacAlgorithmSpec.allCases[0])
        for (name, value) in flat.members {
            switch name {
            case "KeyId": guard let v = value.string else { return nil }; keyId = v
            case "Message": guard let v = value.blob else { return nil }; message = v
            case "MacAlgorithm": guard let v = value.wire(MacAlgorithmSpec.self) else { return nil }; algorithm = v
            case "GrantTokens": guard let v = value.strings else { return nil }; request.grantTokens = v
            case "DryRun": guard let v = value.bool else { return nil }; request.dryRun = v
            default: return nil
            }
        }
        guard let keyId, let message, let algorithm else { return nil }
        request.keyId = keyId
        request.message = message
        request.macAlgorithm = algorithm
        self = request
    }
}

extension ReEncryptRequest: FlatDecodable {
    init?(flat: FlatJSONObject) {
        var blob: Data?, destination: String?, request = ReEncryptRequest(ciphertextBlob: Data(), destinationKeyId: "")
        for (name, value) in flat.members {
            switch name {
            case "CiphertextBlob": guard let v = value.blob else { return nil }; blob = v
            case "SourceEncryptionContext": guard let v = value.stringMap else { return nil }; request.sourceEncryptionContext = v
            case "SourceKeyId": guard let v = value.string else { return nil }; request.sourceKeyId = v
            case "DestinationKeyId": guard let v = value.string else { return nil }; destination = v
            case "DestinationEncryptionContext":
                guard let v = value.stringMap else { return nil }; request.destinationEncryptionContext = v
            case "SourceEncryptionAlgorithm":
                guard let v = value.wire(EncryptionAlgorithmSpec.self) else { return nil }; request.sourceEncryptionAlgorithm = v
            case "DestinationEncryptionAlgorithm":
                guard let v = value.wire(EncryptionAlgorithmSpec.self) else { return nil }; request.destinationEncryptionAlgorithm = v
            case "GrantTokens": guard let v = value.strings else { return nil }; request.grantTokens = v
            case "DryRun": guard let v = value.bool else { return nil }; request.dryRun = v
            default: return nil
            }
        }
        guard let blob, let destination else { return nil }
        request.ciphertextBlob = blob
        request.destinationKeyId = destination
        self = request
    }
}

/// KeyId and GrantTokens: the whole of a DescribeKey or GetPublicKey request.
private func keyIdAndGrantTokens(_ flat: FlatJSONObject) -> (keyId: String, grantTokens: [String]?)? {
    var keyId: String?, grantTokens: [String]?
    for (name, value) in flat.members {
        switch name {
        case "KeyId": guard let v = value.string else { return nil }; keyId = v
        case "GrantTokens": guard let v = value.strings else { return nil }; grantTokens = v
        default: return nil
        }
    }
    return keyId.map { ($0, grantTokens) }
}

extension DescribeKeyRequest: FlatDecodable {
    init?(flat: FlatJSONObject) {
        guard let members = keyIdAndGrantTokens(flat) else { return nil }
        self.init(keyId: members.keyId)
        grantTokens = members.grantTokens
    }
}

extension GetPublicKeyRequest: FlatDecodable {
    init?(flat: FlatJSONObject) {
        guard let members = keyIdAndGrantTokens(flat) else { return nil }
        self.init(keyId: members.keyId)
        grantTokens = members.grantTokens
    }
}

extension GenerateRandomRequest: FlatDecodable {
    init?(flat: FlatJSONObject) {
        self.init(numberOfBytes: nil)
        for (name, value) in flat.members {
            switch name {
            case "NumberOfBytes": guard let v = value.integer else { return nil }; numberOfBytes = v
            case "CustomKeyStoreId": guard let v = value.string else { return nil }; customKeyStoreId = v
            default: return nil
            }
        }
    }
}

extension VerifyMacRequest: FlatDecodable {
    init?(flat: FlatJSONObject) {
        var keyId: String?, message: Data?, mac: Data?, algorithm: WireValue<MacAlgorithmSpec>?
        var grantTokens: [String]?, dryRun: Bool?
        for (name, value) in flat.members {
            switch name {
            case "KeyId": guard let v = value.string else { return nil }; keyId = v
            case "Message": guard let v = value.blob else { return nil }; message = v
            case "Mac": guard let v = value.blob else { return nil }; mac = v
            case "MacAlgorithm": guard let v = value.wire(MacAlgorithmSpec.self) else { return nil }; algorithm = v
            case "GrantTokens": guard let v = value.strings else { return nil }; grantTokens = v
            case "DryRun": guard let v = value.bool else { return nil }; dryRun = v
            default: return nil
            }
        }
        guard let keyId, let message, let mac, let algorithm else { return nil }
        self.init(keyId: keyId, message: message, macAlgorithm: MacAlgorithmSpec.allCases[0], mac: mac)
        self.macAlgorithm = algorithm
        self.grantTokens = grantTokens
        self.dryRun = dryRun
    }
}
