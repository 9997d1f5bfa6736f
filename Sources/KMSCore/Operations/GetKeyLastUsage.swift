import Foundation
import KMSAudit
import KMSModel
import KMSStorage

extension KeyManagementService {
    /// The operations whose success counts as using a key (`KeyLastUsageTrackingOperation`).
    static let trackedOperations = [
        "Decrypt", "DeriveSharedSecret", "Encrypt", "GenerateDataKey", "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext", "GenerateDataKeyWithoutPlaintext", "GenerateMac", "ReEncrypt", "Sign",
        "Verify", "VerifyMac",
    ]

    /// [GetKeyLastUsage](https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyLastUsage.html)
    /// Answered from the audit trail: tracking starts at the key's creation or at the oldest
    /// record the trail still keeps, whichever is later.
    public func getKeyLastUsage(_ request: GetKeyLastUsageRequest, context: OperationContext) async throws -> GetKeyLastUsageResponse {
        let key = try await resolveKey(request.keyId, .keyOnly, context: context, action: "GetKeyLastUsage")
        let (last, oldest) = try await boundary {
            let last = try await repository.latestAuditRecords(
                matching: AuditFilter(keyArn: key.reference.arn, eventNames: Self.trackedOperations, succeededOnly: true),
                limit: 1
            ).first
            return (last, try await repository.oldestAuditRecord())
        }
        var usage: KeyLastUsageData?
        if let last, let event = try? CloudTrailEvent.decode(last.entry.record) {
            usage = KeyLastUsageData(
                operation: event.eventName, timestamp: last.entry.eventTime, cloudTrailEventId: event.eventID,
                kmsRequestId: event.requestID)
        }
        let trackingStart = max(key.creationDate, oldest?.entry.eventTime ?? key.creationDate)
        return GetKeyLastUsageResponse(
            keyId: key.reference.arn, keyLastUsage: usage, trackingStartDate: trackingStart, keyCreationDate: key.creationDate)
    }
}

extension GetKeyLastUsageRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        return p
    }
}
