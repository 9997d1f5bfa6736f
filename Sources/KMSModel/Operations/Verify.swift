import Foundation

/// [Verify](https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html)
public struct VerifyRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "Message", "Signature", "SigningAlgorithm"]

    public var keyId: String
    public var message: Data
    public var messageType: WireValue<MessageType>?
    public var signature: Data
    public var signingAlgorithm: WireValue<SigningAlgorithmSpec>
    public var grantTokens: [String]?
    public var dryRun: Bool?

    public init(
        keyId: String, message: Data, signature: Data, signingAlgorithm: SigningAlgorithmSpec, messageType: MessageType? = nil
    ) {
        self.keyId = keyId
        self.message = message
        self.signature = signature
        self.signingAlgorithm = .known(signingAlgorithm)
        self.messageType = messageType.map(WireValue.known)
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.length(message, "message", 1...4096)
        v.member(messageType, "messageType")
        v.length(signature, "signature", 1...6144)
        v.member(signingAlgorithm, "signingAlgorithm")
        v.grantTokens(grantTokens)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case message = "Message"
        case messageType = "MessageType"
        case signature = "Signature"
        case signingAlgorithm = "SigningAlgorithm"
        case grantTokens = "GrantTokens"
        case dryRun = "DryRun"
    }
}

public struct VerifyResponse: Codable, Sendable {
    public var keyId: String
    public var signatureValid: Bool
    public var signingAlgorithm: SigningAlgorithmSpec

    public init(keyId: String, signatureValid: Bool, signingAlgorithm: SigningAlgorithmSpec) {
        self.keyId = keyId
        self.signatureValid = signatureValid
        self.signingAlgorithm = signingAlgorithm
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case signatureValid = "SignatureValid"
        case signingAlgorithm = "SigningAlgorithm"
    }
}
