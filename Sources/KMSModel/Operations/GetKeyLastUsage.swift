import Foundation

/// [GetKeyLastUsage](https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyLastUsage.html)
public struct GetKeyLastUsageRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]

    public var keyId: String

    public init(keyId: String) { self.keyId = keyId }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
    }

    enum CodingKeys: String, CodingKey { case keyId = "KeyId" }
}

public struct GetKeyLastUsageResponse: Codable, Sendable {
    public var keyId: String
    public var keyLastUsage: KeyLastUsageData?
    public var trackingStartDate: Date
    public var keyCreationDate: Date

    public init(keyId: String, keyLastUsage: KeyLastUsageData?, trackingStartDate: Date, keyCreationDate: Date) {
        self.keyId = keyId
        self.keyLastUsage = keyLastUsage
        self.trackingStartDate = trackingStartDate
        self.keyCreationDate = keyCreationDate
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case keyLastUsage = "KeyLastUsage"
        case trackingStartDate = "TrackingStartDate"
        case keyCreationDate = "KeyCreationDate"
    }
}

/// The last successful cryptographic use of a key.
public struct KeyLastUsageData: Codable, Sendable, Equatable {
    public var operation: String
    public var timestamp: Date
    public var cloudTrailEventId: String
    public var kmsRequestId: String

    public init(operation: String, timestamp: Date, cloudTrailEventId: String, kmsRequestId: String) {
        self.operation = operation
        self.timestamp = timestamp
        self.cloudTrailEventId = cloudTrailEventId
        self.kmsRequestId = kmsRequestId
    }

    enum CodingKeys: String, CodingKey {
        case operation = "Operation"
        case timestamp = "Timestamp"
        case cloudTrailEventId = "CloudTrailEventId"
        case kmsRequestId = "KmsRequestId"
    }
}
