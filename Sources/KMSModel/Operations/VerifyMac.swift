import Foundation

/// [VerifyMac](https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html)
public struct VerifyMacRequest: ValidatedRequest {
    public static let requiredMembers = ["Message", "KeyId", "MacAlgorithm", "Mac"]

    public var message: Data
    public var keyId: String
    public var macAlgorithm: WireValue<MacAlgorithmSpec>
    public var mac: Data
    public var grantTokens: [String]?
    public var dryRun: Bool?

    public init(keyId: String, message: Data, macAlgorithm: MacAlgorithmSpec, mac: Data) {
        self.keyId = keyId
        self.message = message
        self.macAlgorithm = .known(macAlgorithm)
        self.mac = mac
    }

    public func validate(into v: inout Validation) {
        v.length(message, "message", 1...4096)
        v.keyId(keyId)
        v.member(macAlgorithm, "macAlgorithm")
        v.length(mac, "mac", 1...6144)
        v.grantTokens(grantTokens)
    }

    enum CodingKeys: String, CodingKey {
        case message = "Message"
        case keyId = "KeyId"
        case macAlgorithm = "MacAlgorithm"
        case mac = "Mac"
        case grantTokens = "GrantTokens"
        case dryRun = "DryRun"
    }
}

public struct VerifyMacResponse: Codable, Sendable {
    public var keyId: String
    public var macValid: Bool
    public var macAlgorithm: MacAlgorithmSpec

    public init(keyId: String, macValid: Bool, macAlgorithm: MacAlgorithmSpec) {
        self.keyId = keyId
        self.macValid = macValid
        self.macAlgorithm = macAlgorithm
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case macValid = "MacValid"
        case macAlgorithm = "MacAlgorithm"
    }
}
