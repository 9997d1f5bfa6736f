import Foundation

/// [GenerateRandom](https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateRandom.html)
public struct GenerateRandomRequest: ValidatedRequest {
    public var numberOfBytes: Int?
    public var customKeyStoreId: String?

    public init(numberOfBytes: Int?) { self.numberOfBytes = numberOfBytes }

    public func validate(into v: inout Validation) {
        v.range(numberOfBytes, "numberOfBytes", 1...1024)
        v.length(customKeyStoreId, "customKeyStoreId", 1...64)
    }

    enum CodingKeys: String, CodingKey {
        case numberOfBytes = "NumberOfBytes"
        case customKeyStoreId = "CustomKeyStoreId"
    }
}

public struct GenerateRandomResponse: Codable, Sendable {
    public var plaintext: Data
    public init(plaintext: Data) { self.plaintext = plaintext }
    enum CodingKeys: String, CodingKey { case plaintext = "Plaintext" }
}
