import KMSModel
import Testing

@testable import KMSCore

/// Every edge of the key-state machine, as a table.
struct KeyLifecycleTests {
    static let arn = "arn:aws:kms:us-east-1:111122223333:key/k"

    static let table: [(KeyState, KeyLifecycleEvent, KeyState?)] = [
        (.enabled, .enable, .enabled), (.disabled, .enable, .enabled), (.pendingDeletion, .enable, nil),
        (.pendingImport, .enable, nil),
        (.enabled, .disable, .disabled), (.disabled, .disable, .disabled), (.pendingDeletion, .disable, nil),
        (.enabled, .scheduleDeletion, .pendingDeletion), (.disabled, .scheduleDeletion, .pendingDeletion),
        (.pendingImport, .scheduleDeletion, .pendingDeletion), (.pendingDeletion, .scheduleDeletion, nil),
        (.pendingDeletion, .cancelDeletion, .disabled), (.enabled, .cancelDeletion, nil), (.disabled, .cancelDeletion, nil),
        // A multi-Region primary that still has replicas.
        (.enabled, .scheduleDeletionAfterReplicas, .pendingReplicaDeletion),
        (.disabled, .scheduleDeletionAfterReplicas, .pendingReplicaDeletion),
        (.pendingDeletion, .scheduleDeletionAfterReplicas, nil), (.pendingReplicaDeletion, .scheduleDeletionAfterReplicas, nil),
        (.pendingReplicaDeletion, .scheduleDeletion, nil), (.pendingReplicaDeletion, .cancelDeletion, .disabled),
        (.pendingReplicaDeletion, .enable, nil), (.pendingReplicaDeletion, .disable, nil),
    ]

    @Test(arguments: 0..<table.count)
    func transition(_ row: Int) throws {
        let (from, event, expected) = Self.table[row]
        if let expected {
            #expect(try KeyLifecycle.transition(from: from, on: event, arn: Self.arn) == expected)
        } else {
            #expect(throws: KMSError.self) { try KeyLifecycle.transition(from: from, on: event, arn: Self.arn) }
        }
    }

    @Test func refusalsUseAWSTexts() {
        #expect(throws: KMSError(.invalidState, "\(Self.arn) is pending deletion.")) {
            try KeyLifecycle.transition(from: .pendingDeletion, on: .enable, arn: Self.arn)
        }
        #expect(throws: KMSError(.invalidState, "\(Self.arn) is not pending deletion.")) {
            try KeyLifecycle.transition(from: .enabled, on: .cancelDeletion, arn: Self.arn)
        }
        #expect(throws: KMSError(.invalidState, "\(Self.arn) is pending replica deletion.")) {
            try KeyLifecycle.transition(from: .pendingReplicaDeletion, on: .disable, arn: Self.arn)
        }
    }
}
