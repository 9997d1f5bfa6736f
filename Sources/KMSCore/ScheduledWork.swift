import Foundation
import KMSAudit
import KMSModel
import KMSStorage

/// What one pass of the scheduler did with one due item.
public struct ScheduledOutcome: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        case done
        /// Another process, or a request (a cancelled deletion, a disabled rotation), got there
        /// first: nothing was changed and nothing recorded.
        case skipped
        case failed(String)
    }

    public var work: ScheduledWork
    public var result: Result
}

/// Work the service does by itself when its date comes: automatic rotations and the deletions
/// whose waiting period has ended. Each is a claim committed with a service-event audit record
/// (CloudTrail's `AwsServiceEvent`) in one transaction, conditional on the key still being as
/// read, so with several processes over one store each due date is acted on exactly once.
extension KeyManagementService {
    /// Everything scheduled, due or not, in date order (`trent keys due`).
    public func scheduledWork(dueBy: Date? = nil, limit: Int = 1000) async throws -> [ScheduledWork] {
        try await repository.scheduledWork(dueBy: dueBy, limit: limit)
    }

    /// One pass: acts on everything due by the clock's now. Items missed while the server was
    /// down are due too; a key whose rotation was missed several times rotates once, and its
    /// next rotation keeps the schedule's phase (the first due date after now).
    @discardableResult
    public func runDueWork(batch: Int = 100) async -> [ScheduledOutcome] {
        let now = clock.now()
        let due: [ScheduledWork]
        do {
            due = try await repository.scheduledWork(dueBy: now, limit: batch)
        } catch {
            logger.error("scheduled work: listing failed", metadata: ["error": "\(error)"])
            return []
        }
        // Import tokens past their 24 hours (and a grace day) are of no further use.
        _ = try? await committer.commit(
            CommitItem(mutations: [.deleteImportParameters(expiredBefore: now.addingTimeInterval(-86400))], audit: nil))
        var outcomes: [ScheduledOutcome] = []
        for work in due {
            let result: ScheduledOutcome.Result
            do {
                switch work.kind {
                case .rotation: result = try await rotateDue(work.key, due: work.date, now: now)
                case .deletion: result = try await deleteDue(work.key, due: work.date, now: now)
                case .materialExpiry: result = try await expireDue(work.key, materialId: work.materialId, due: work.date)
                }
            } catch {
                logger.error("scheduled work failed", metadata: ["key": "\(work.key.reference.arn)", "error": "\(error)"])
                result = .failed("\(error)")
            }
            outcomes.append(ScheduledOutcome(work: work, result: result))
        }
        return outcomes
    }

    private func rotateDue(_ key: KeyRecord, due: Date, now: Date) async throws -> ScheduledOutcome.Result {
        guard let period = key.rotationPeriodInDays else { return .skipped }
        let step = Self.days(period)
        var next = due.addingTimeInterval(step)
        if next <= now { next = due.addingTimeInterval(step * (((now.timeIntervalSince(due)) / step).rounded(.down) + 1)) }
        let mutation: Mutation
        let materialId: String
        if key.isMultiRegionPrimary {
            // A multi-Region key rotates in every Region at once.
            (mutation, materialId) = try await rotateRelatedKeys(
                key, type: .automatic, expectedNextRotationDate: due, nextRotationDate: next)
        } else {
            let material = try await newRotationMaterial(key, type: .automatic)
            mutation = .rotateKey(key.reference, material: material, expectedNextRotationDate: due, nextRotationDate: next, onDemand: false)
            materialId = material.materialId
        }
        let entry = try serviceEvent("RotateKey", key: key.reference, additional: .object(["keyMaterialId": .string(materialId)]))
        return try await commitServiceEvent([mutation], entry)
    }

    /// Deleting a multi-Region replica may start its primary's waiting period (the primary was
    /// PendingReplicaDeletion and this was its last replica): both in one transaction, the
    /// primary's period running from now.
    private func deleteDue(_ key: KeyRecord, due: Date, now: Date) async throws -> ScheduledOutcome.Result {
        let entry = try serviceEvent("DeleteKey", key: key.reference, additional: nil)
        var mutations: [Mutation] = [.deleteKey(key.reference, deletionDate: due)]
        if key.isMultiRegionReplica {
            mutations.append(.beginPrimaryDeletionWindow(accountId: key.reference.accountId, keyId: key.reference.keyId, startingAt: now))
        }
        let result = try await commitServiceEvent(mutations, entry)
        if result == .done { materialCache.forget(key.reference) }
        return result
    }

    /// Imported material whose ValidTo has come is destroyed; unless it was only pending
    /// rotation, the key waits for a re-import.
    private func expireDue(_ key: KeyRecord, materialId: String?, due: Date) async throws -> ScheduledOutcome.Result {
        guard let materialId else { return .skipped }
        let entry = try serviceEvent(
            "DeleteExpiredKeyMaterial", key: key.reference, additional: .object(["keyMaterialId": .string(materialId)]))
        let result = try await commitServiceEvent(
            [.deleteImportedKeyMaterial(key.reference, materialId: materialId, expectedValidTo: due)], entry)
        if result == .done { materialCache.forget(key.reference) }
        return result
    }

    private func commitServiceEvent(_ mutations: [Mutation], _ entry: AuditEntry) async throws -> ScheduledOutcome.Result {
        switch try await committer.commit(CommitItem(mutations: mutations, audit: entry)) {
        case .committed: return .done
        case .refused(.conflict), .refused(.notFound), .refused(.alreadyExists): return .skipped
        case .refused(let error): throw error
        }
    }

    /// A CloudTrail service event: KMS acting on a key by itself, with no caller.
    func serviceEvent(_ name: String, key: KeyReference, additional: AuditValue?) throws -> AuditEntry {
        let now = clock.now()
        var event = CloudTrailEvent(
            userIdentity: .init(type: nil, principalId: nil, arn: nil, accountId: key.accountId, accessKeyId: nil, invokedBy: "kms.amazonaws.com"),
            eventTime: now, eventName: name, awsRegion: key.region, sourceIPAddress: "kms.amazonaws.com",
            userAgent: "kms.amazonaws.com", requestParameters: .null, responseElements: .null, additionalEventData: additional,
            errorCode: nil, errorMessage: nil, requestID: UUID().uuidString.lowercased(), eventID: UUID().uuidString.lowercased(),
            readOnly: false, resources: [CloudTrailEvent.Resource(accountId: key.accountId, arn: key.arn)],
            recipientAccountId: key.accountId)
        event.eventType = "AwsServiceEvent"
        event.serviceEventDetails = .object(["keyId": .string(key.keyId)])
        return AuditEntry(
            eventTime: now, eventName: name, principalArn: nil, keyArn: key.arn, secondaryKeyArn: nil, errorCode: nil,
            record: try event.encoded())
    }
}

/// Operator changes to a schedule, made with the data folder in hand (`trent keys reschedule`).
extension KeyManagementService {
    public enum RescheduleError: Error, CustomStringConvertible {
        case keyNotFound(String)
        case nothingScheduled(String, ScheduledWork.Kind)
        /// Imported material's expiry is the importer's ValidTo: only a re-import changes it.
        case notReschedulable(ScheduledWork.Kind)

        public var description: String {
            switch self {
            case .keyNotFound(let arn): "no key \(arn)"
            case .nothingScheduled(let arn, let kind): "\(arn) has no scheduled \(kind.rawValue)"
            case .notReschedulable(let kind): "\(kind.rawValue) cannot be rescheduled (re-import the key material with a new ValidTo)"
            }
        }
    }

    /// Moves an existing schedule (the next automatic rotation, or a pending deletion) to
    /// `date`, for an operator who must act earlier or later than planned. Recorded in the
    /// trail as a service event named `Reschedule<kind>`, with the old and new dates.
    public func reschedule(_ reference: KeyReference, _ kind: ScheduledWork.Kind, to date: Date) async throws {
        guard var key = try await repository.key(reference) else { throw RescheduleError.keyNotFound(reference.arn) }
        let mutation: Mutation
        let old: Date
        switch kind {
        case .rotation:
            guard let period = key.rotationPeriodInDays, let next = key.nextRotationDate else {
                throw RescheduleError.nothingScheduled(reference.arn, kind)
            }
            old = next
            mutation = .setRotation(reference, periodInDays: period, nextRotationDate: date)
        case .deletion:
            guard key.keyState == .pendingDeletion, let deletion = key.deletionDate else {
                throw RescheduleError.nothingScheduled(reference.arn, kind)
            }
            old = deletion
            key.deletionDate = date
            mutation = .updateKey(key)
        case .materialExpiry:
            throw RescheduleError.notReschedulable(kind)
        }
        let entry = try serviceEvent(
            "Reschedule\(kind.rawValue)", key: reference,
            additional: .object([
                "previousDate": .string(CloudTrailTime.format(old)), "date": .string(CloudTrailTime.format(date)),
                "invokedBy": .string("trent keys reschedule"),
            ]))
        if case .refused(let error) = try await committer.commit(CommitItem(mutations: [mutation], audit: entry)) {
            throw error
        }
    }
}
