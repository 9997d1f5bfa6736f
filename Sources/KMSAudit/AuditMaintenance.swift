import Foundation
import KMSStorage
import Logging

/// The server's audit housekeeping: a signed digest every interval, then trimming of records
/// past retention, only ever up to a digest, so the oldest kept digest anchors what remains.
public struct AuditMaintenance: Sendable {
    let store: any AuditStore
    let signer: AuditDigestSigner
    let interval: Duration
    let retention: TimeInterval
    let logger: Logger

    public init(store: any AuditStore, signer: AuditDigestSigner, interval: Duration, retention: TimeInterval, logger: Logger) {
        self.store = store
        self.signer = signer
        self.interval = interval
        self.retention = retention
        self.logger = logger
    }

    public func run() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
                try await tick(now: Date())
            } catch is CancellationError {
                return
            } catch {
                logger.error("audit maintenance failed", metadata: ["error": "\(error)"])
            }
        }
    }

    public func tick(now: Date) async throws {
        if let digest = try await signer.digest(store: store, now: now) {
            logger.info("audit digest", metadata: ["id": "\(digest.id)", "records": "\(digest.firstSequence)-\(digest.lastSequence)"])
        }
        let cutoff = now.addingTimeInterval(-retention)
        let digests = try await store.auditDigests()
        if let boundary = digests.last(where: { $0.createdAt < cutoff }),
            let oldest = try await store.oldestAuditRecord(), oldest.sequence <= boundary.lastSequence
        {
            try await store.trimAudit(through: boundary.lastSequence)
            logger.info("audit trail trimmed", metadata: ["through": "\(boundary.lastSequence)"])
        }
    }
}
