import Crypto
import Foundation
import KMSCrypto
import KMSStorage
import Testing

@testable import KMSAudit

/// The verifier on a trail in memory, tampered in each way an insider might.
struct AuditVerifierTests {
    static let rootKey = FileRootKeyProvider(key: SymmetricKey(size: .bits256))
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    func entry(_ n: Int) -> AuditEntry {
        AuditEntry(
            eventTime: Self.start.addingTimeInterval(Double(n)), eventName: "Encrypt", principalArn: "arn:aws:iam::111122223333:root",
            keyArn: nil, secondaryKeyArn: nil, errorCode: nil, record: Data(#"{"n":\#(n)}"#.utf8))
    }

    /// A store with `count` records and, if asked, a digest over them.
    func trail(_ count: Int, digest: Bool) async throws -> (MemoryKeyRepository, AuditDigestSigner) {
        let store = MemoryKeyRepository()
        _ = try await store.commit((1...count).map { CommitItem(mutations: [], audit: entry($0)) })
        let signer = try await AuditDigestSigner.load(store: store, rootKey: Self.rootKey, now: Self.start)
        if digest { _ = try await signer.digest(store: store, now: Self.start) }
        return (store, signer)
    }

    func verify(_ records: [StoredAuditRecord], _ digests: [AuditDigestRecord], _ key: Curve25519.Signing.PublicKey) -> [AuditProblem] {
        var verifier = AuditVerifier(digests: digests)
        for record in records { verifier.add(record) }
        return verifier.finish(publicKey: key)
    }

    @Test func anUntouchedTrailVerifies() async throws {
        let (store, signer) = try await trail(10, digest: true)
        let result = try await AuditTrailCheck.run(store: store, publicKey: signer.publicKey)
        #expect(result.isIntact)
        #expect(result.recordCount == 10 && result.digestCount == 1)
    }

    @Test func aChangedByteNamesTheRecordAndItsDigest() async throws {
        let (store, signer) = try await trail(10, digest: true)
        var records = try await store.auditRecords(after: 0, limit: 100)
        records[4].entry.record[3] ^= 0x01
        var verifier = AuditVerifier(digests: try await store.auditDigests())
        for record in records { verifier.add(record) }
        #expect(verifier.finish(publicKey: signer.publicKey) == [.changed(sequence: 5)])
        #expect(verifier.digest(covering: 5)?.id == 1)
    }

    @Test func aRemovedRecordIsNamed() async throws {
        let (store, signer) = try await trail(10, digest: false)
        var records = try await store.auditRecords(after: 0, limit: 100)
        records.remove(at: 6)
        #expect(verify(records, [], signer.publicKey) == [.removed(sequence: 7), .outOfOrder(sequence: 8)])
    }

    @Test func swappedBodiesAreBothChanged() async throws {
        let (store, signer) = try await trail(10, digest: false)
        var records = try await store.auditRecords(after: 0, limit: 100)
        let body = records[2].entry.record
        records[2].entry.record = records[7].entry.record
        records[7].entry.record = body
        #expect(verify(records, [], signer.publicKey) == [.changed(sequence: 3), .changed(sequence: 8)])
    }

    @Test func aMovedRecordIsOutOfOrder() async throws {
        let (store, signer) = try await trail(10, digest: false)
        var records = try await store.auditRecords(after: 0, limit: 100)
        // Renumber record 9 as 3 (its own link then breaks too) and drop the real 3.
        var moved = records[8]
        moved.sequence = 3
        records[2] = moved
        let problems = verify(records, [], signer.publicKey)
        #expect(problems.first == .outOfOrder(sequence: 3))
    }

    @Test func aRehashedRewriteIsCaughtByTheSignedDigest() async throws {
        let (store, signer) = try await trail(10, digest: true)
        var records = try await store.auditRecords(after: 0, limit: 100)
        // The insider edits record 4 and recomputes every hash after it: the chain is consistent…
        records[3].entry.record = Data(#"{"n":"forged"}"#.utf8)
        var previous = records[2].hash
        for i in 3..<records.count {
            records[i].previousHash = previous
            records[i].hash = AuditChainHash.link(previous: previous, sequence: records[i].sequence, record: records[i].entry.record)
            previous = records[i].hash
        }
        // …but not the head the digest signed.
        #expect(verify(records, try await store.auditDigests(), signer.publicKey) == [.digestMismatch(digest: 1, first: 1, last: 10)])
    }

    @Test func aForgedDigestSignatureAndAnotherKeyAreRefused() async throws {
        let (store, signer) = try await trail(5, digest: true)
        let records = try await store.auditRecords(after: 0, limit: 100)
        var digests = try await store.auditDigests()
        digests[0].signature[0] ^= 0x01
        #expect(verify(records, digests, signer.publicKey) == [.digestSignatureInvalid(digest: 1)])
        let stranger = Curve25519.Signing.PrivateKey().publicKey
        #expect(verify(records, try await store.auditDigests(), stranger) == [.digestSignatureInvalid(digest: 1)])
    }

    @Test func truncatingRecordsADigestCoversIsDetected() async throws {
        let (store, signer) = try await trail(10, digest: true)
        let records = Array(try await store.auditRecords(after: 0, limit: 100).prefix(7))
        #expect(verify(records, try await store.auditDigests(), signer.publicKey) == [.truncated(after: 7, digest: 1)])
    }

    @Test func removingADigestBreaksTheDigestChain() async throws {
        let (store, signer) = try await trail(3, digest: true)
        _ = try await store.commit([CommitItem(mutations: [], audit: entry(4))])
        _ = try await signer.digest(store: store, now: Self.start)
        _ = try await store.commit([CommitItem(mutations: [], audit: entry(5))])
        _ = try await signer.digest(store: store, now: Self.start)
        var digests = try await store.auditDigests()
        #expect(digests.map(\.firstSequence) == [1, 4, 5])
        digests.remove(at: 1)
        let records = try await store.auditRecords(after: 0, limit: 100)
        #expect(verify(records, digests, signer.publicKey) == [.digestChainBroken(digest: 3)])
    }

    @Test func aTrimmedTrailVerifiesFromItsAnchoringDigest() async throws {
        let (store, signer) = try await trail(6, digest: true)
        _ = try await store.commit((7...9).map { CommitItem(mutations: [], audit: entry($0)) })
        _ = try await signer.digest(store: store, now: Self.start)
        try await store.trimAudit(through: 6)
        let result = try await AuditTrailCheck.run(store: store, publicKey: signer.publicKey)
        #expect(result.isIntact, "\(result.problems)")
        #expect(result.recordCount == 3)
        // Trimmed without an anchor, the start of the trail is unaccounted for.
        try await store.trimAudit(through: 7)
        let orphaned = try await AuditTrailCheck.run(store: store, publicKey: signer.publicKey)
        #expect(orphaned.problems.map(\.problem).contains(.unanchored(sequence: 8)))
    }

    @Test func digestsCoverOnlyNewRecordsAndTheSigningKeyIsKept() async throws {
        let (store, signer) = try await trail(4, digest: true)
        #expect(try await signer.digest(store: store, now: Self.start) == nil)
        let again = try await AuditDigestSigner.load(store: store, rootKey: Self.rootKey, now: Self.start)
        #expect(again.publicKey.rawRepresentation == signer.publicKey.rawRepresentation)
        let pem = AuditDigestFormat.pem(signer.publicKey)
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(AuditDigestFormat.publicKey(pem: pem)?.rawRepresentation == signer.publicKey.rawRepresentation)
    }
}

extension AuditVerifierTests {
    @Test func maintenanceDigestsThenTrimsOnlyPastRetentionAndStaysVerifiable() async throws {
        let (store, signer) = try await trail(5, digest: false)
        let day: TimeInterval = 86400
        let maintenance = AuditMaintenance(
            store: store, signer: signer, interval: .seconds(1), retention: 30 * day, logger: .init(label: "test"))
        try await maintenance.tick(now: Self.start)
        #expect(try await store.auditDigests().map(\.lastSequence) == [5])
        _ = try await store.commit((6...8).map { CommitItem(mutations: [], audit: entry($0)) })
        try await maintenance.tick(now: Self.start.addingTimeInterval(10 * day))
        #expect(try await store.oldestAuditRecord()?.sequence == 1, "nothing is past retention yet")
        // Forty days on, the first digest (records 1-5) is past retention; the second is not.
        try await maintenance.tick(now: Self.start.addingTimeInterval(40 * day))
        #expect(try await store.oldestAuditRecord()?.sequence == 6)
        #expect(try await AuditTrailCheck.run(store: store, publicKey: signer.publicKey).isIntact)
    }
}
