import Foundation

/// [GenerateMac](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html)
public struct GenerateMacRequest: ValidatedRequest {
    public static let requiredMembers = ["Message", "KeyId", "MacAlgorithm"]

    public var message: Data
    public var keyId: String
    public var macAlgorithm: WireValue<MacAlgorithmSpec>
    public var grantTokens: [String]?
    public var dryRun: Bool?

    public init(keyId: String, message: Data, macAlgorithm: MacAlgorithmSpec) {
        self.keyId = keyId
        self.message = message
        self.macAlgorithm = .known(macAlgorithm)
    }

    public func validate(into v: inout Validation) {
        v.length(message, "message", 1...4096)
        v.keyId(keyId)
        v.member(macAlgorithm, "macAlgorithm")
        v.grantTokens(grantTokens)
    }

    enum CodingKeys: String, CodingKey {
        case message = "Message"
        case keyId = "KeyId"
        case macAlgorithm = "MacAlgorithm"
        case grantTokens = "GrantTokens"
        case dryRun = "DryRun"
    }
}

public struct GenerateMacResponse: Codable, Sendable {
    public var mac: Data
    public var macAlgorithm: MacAlgorithmSpec
    public var keyId: String

    public init(mac: Data, macAlgorithm: MacAlgorithmSpec, keyId: String) {
        self.mac = mac
        self.macAlgorithm = macAlgorithm
        self.keyId = keyId
    }

    enum CodingKeys: String, CodingKey {
        case mac = "Mac"
        case macAlgorithm = "MacAlgorithm"
        case keyId = "KeyId"
    }
}
