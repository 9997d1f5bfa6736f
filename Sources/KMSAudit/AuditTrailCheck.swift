import Crypto
import Foundation
import KMSStorage

/// Reads a whole trail from its store and verifies it: the hash chain record by record, then
/// every digest. What `trent audit verify` runs.
public enum AuditTrailCheck {
    public struct Result: Sendable {
        public var recordCount: Int
        public var digestCount: Int
        /// Each problem, with the digest whose range holds it when there is one.
        public var problems: [(problem: AuditProblem, digest: Int64?)]

        public var isIntact: Bool { problems.isEmpty }
    }

    public static func run(store: any AuditStore, publicKey: Curve25519.Signing.PublicKey, pageSize: Int = 5000) async throws -> Result {
        let digests = try await store.auditDigests()
        var verifier = AuditVerifier(digests: digests)
        var after: Int64 = 0
        while true {
            let page = try await store.auditRecords(after: after, limit: pageSize)
            guard let last = page.last else { break }
            for record in page { verifier.add(record) }
            after = last.sequence
        }
        let problems = verifier.finish(publicKey: publicKey)
        return Result(
            recordCount: verifier.recordCount, digestCount: digests.count,
            problems: problems.map { problem in (problem, problem.sequence.flatMap { verifier.digest(covering: $0)?.id }) })
    }

    /// Every record in sequence order, page by page, for query and export.
    public static func forEachRecord(
        in store: any AuditStore, pageSize: Int = 5000, _ body: ([StoredAuditRecord]) throws -> Void
    ) async throws {
        var after: Int64 = 0
        while true {
            let page = try await store.auditRecords(after: after, limit: pageSize)
            guard let last = page.last else { return }
            try body(page)
            after = last.sequence
        }
    }
}
