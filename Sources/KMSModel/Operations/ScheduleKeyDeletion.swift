import Foundation

/// [ScheduleKeyDeletion](https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html)
public struct ScheduleKeyDeletionRequest: ValidatedRequest {
    public static let requiredMembers = ["KeyId"]

    public var keyId: String
    public var pendingWindowInDays: Int?

    public init(keyId: String, pendingWindowInDays: Int? = nil) {
        self.keyId = keyId
        self.pendingWindowInDays = pendingWindowInDays
    }

    public func validate(into v: inout Validation) {
        v.keyId(keyId)
        v.range(pendingWindowInDays, "pendingWindowInDays", 1...365)
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case pendingWindowInDays = "PendingWindowInDays"
    }
}

public struct ScheduleKeyDeletionResponse: Codable, Sendable {
    public var keyId: String
    /// Absent for a multi-Region primary key that still has replicas: its waiting period starts
    /// only when the last of them is deleted.
    public var deletionDate: Date?
    public var keyState: KeyState
    public var pendingWindowInDays: Int

    public init(keyId: String, deletionDate: Date?, keyState: KeyState, pendingWindowInDays: Int) {
        self.keyId = keyId
        self.deletionDate = deletionDate
        self.keyState = keyState
        self.pendingWindowInDays = pendingWindowInDays
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId"
        case deletionDate = "DeletionDate"
        case keyState = "KeyState"
        case pendingWindowInDays = "PendingWindowInDays"
    }
}
