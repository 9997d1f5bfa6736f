import Foundation

/// [Sign](https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html)
public struct SignRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId", "Message", "SigningAlgorithm"]

    public var keyId: String
    public var message: Data
    public var messageType: WireValue<MessageType>?
    public var grantTokens: [String]?
    public var signingAlgorithm: WireValue<SigningAlgorithmSpec>
    public var dryRun: Bool?

    public init(keyId: String, message: Data, signingAlgorithm: SigningAlgorithmSpec, messageType: MessageType? = nil) {
        self.keyId = keyId
        self.message = message
        self.signingAlgorithm = .known(signingAlgorithm)
        self.messageType = messageType.map(WireValue.known)
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.length(message, "message", 1...4096)
        v.member(messageType, "messageType")
        v.grantTokens(grantTokens)
        v.member(signingAlgorithm, "signingAlgorithm")
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case message = "Message"
        case messageType = "MessageType"
        case grantTokens = "GrantTokens"
        case signingAlgorithm = "SigningAlgorithm"
        case dryRun = "DryRun"
    }
}

public struct SignResponse: Codable, Sendable {
    public var keyId: String
    public var signature: Data
    public var signingAlgorithm: SigningAlgorithmSpec

    public init(keyId: String, signature: Data, signingAlgorithm: SigningAlgorithmSpec) {
        self.keyId = keyId
        self.signature = signature
        self.signingAlgorithm = signingAlgorithm
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case signature = "Signature"
        case signingAlgorithm = "SigningAlgorithm"
    }
}
