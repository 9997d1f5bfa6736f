import Crypto
import Foundation
import KMSCrypto
import KMSStorage

/// Something wrong with the trail, as `trent audit verify` reports it.
public enum AuditProblem: Sendable, Equatable, CustomStringConvertible {
    /// The record's bytes no longer hash to its stored hash.
    case changed(sequence: Int64)
    /// A sequence number is missing.
    case removed(sequence: Int64)
    /// The record does not follow its predecessor in the chain: moved, or renumbered.
    case outOfOrder(sequence: Int64)
    /// Records a digest covers are gone from the end of the trail.
    case truncated(after: Int64, digest: Int64)
    case digestSignatureInvalid(digest: Int64)
    /// The digest does not follow the previous one: a digest was removed or altered.
    case digestChainBroken(digest: Int64)
    /// The trail's hash at the digest's last record is not the one the digest signed: the
    /// records it covers were rewritten (and rehashed).
    case digestMismatch(digest: Int64, first: Int64, last: Int64)
    /// The oldest kept record is not anchored by a digest or the start of the chain.
    case unanchored(sequence: Int64)

    public var description: String {
        switch self {
        case .changed(let s): "record \(s) changed: its bytes do not match its hash"
        case .removed(let s): "record \(s) removed: the sequence skips it"
        case .outOfOrder(let s): "record \(s) out of order: it does not follow the record before it"
        case .truncated(let after, let d): "records after \(after) removed: digest \(d) covers them"
        case .digestSignatureInvalid(let d): "digest \(d) has an invalid signature"
        case .digestChainBroken(let d): "digest \(d) does not follow the previous digest"
        case .digestMismatch(let d, let first, let last):
            "digest \(d) (records \(first)-\(last)) does not match the trail: records in that range were rewritten"
        case .unanchored(let s): "record \(s) is the oldest kept but no digest anchors it"
        }
    }

    /// The record a problem points at, for naming the digest it breaks.
    public var sequence: Int64? {
        switch self {
        case .changed(let s), .removed(let s), .outOfOrder(let s), .unanchored(let s): s
        case .truncated(let after, _): after + 1
        default: nil
        }
    }
}

/// Checks the trail's hash chain record by record, then every digest against it. Pure: it is
/// fed records in sequence order and digests, and reports every problem it finds.
public struct AuditVerifier {
    public private(set) var problems: [AuditProblem] = []
    public private(set) var recordCount = 0
    private var expectedSequence: Int64?
    private var expectedPreviousHash: Data?
    private var lastSequence: Int64?
    /// Stored hashes at the sequences digests end at.
    private var hashes: [Int64: Data] = [:]
    private let digests: [AuditDigestRecord]
    private let digestEnds: Set<Int64>

    public init(digests: [AuditDigestRecord]) {
        self.digests = digests
        self.digestEnds = Set(digests.map(\.lastSequence))
    }

    public mutating func add(_ record: StoredAuditRecord) {
        recordCount += 1
        if expectedSequence == nil {
            // The oldest kept record: the chain's start, or trimmed up to a digest that anchors it.
            if record.sequence == 1 {
                expectedPreviousHash = AuditChainHash.genesis
            } else if let anchor = digests.last(where: { $0.lastSequence == record.sequence - 1 }) {
                expectedPreviousHash = anchor.headHash
            } else {
                problems.append(.unanchored(sequence: record.sequence))
            }
            expectedSequence = record.sequence
        }
        if let expected = expectedSequence, record.sequence > expected {
            problems.append(.removed(sequence: expected))
        }
        let recomputed = AuditChainHash.link(
            previous: record.previousHash, sequence: record.sequence, record: record.entry.record)
        let follows = expectedPreviousHash.map { $0 == record.previousHash } ?? true
        if recomputed != record.hash {
            problems.append(follows ? .changed(sequence: record.sequence) : .outOfOrder(sequence: record.sequence))
        } else if !follows {
            problems.append(.outOfOrder(sequence: record.sequence))
        }
        if digestEnds.contains(record.sequence) { hashes[record.sequence] = record.hash }
        expectedSequence = record.sequence + 1
        expectedPreviousHash = record.hash
        lastSequence = record.sequence
    }

    /// Checks the digests (those ending before the oldest kept record are past retention and
    /// only anchor the chain) and returns every problem, in the order found.
    public mutating func finish(publicKey: Curve25519.Signing.PublicKey) -> [AuditProblem] {
        var previous: AuditDigestRecord?
        for digest in digests {
            if !AuditDigestFormat.isValidSignature(digest, publicKey: publicKey) {
                problems.append(.digestSignatureInvalid(digest: digest.id))
            }
            if let previous, digest.previousDigestHash != AuditDigestFormat.hash(previous) {
                problems.append(.digestChainBroken(digest: digest.id))
            }
            previous = digest
            if let last = lastSequence, digest.lastSequence > last {
                problems.append(.truncated(after: last, digest: digest.id))
            } else if let stored = hashes[digest.lastSequence], stored != digest.headHash {
                problems.append(.digestMismatch(digest: digest.id, first: digest.firstSequence, last: digest.lastSequence))
            }
        }
        return problems
    }

    /// The digest whose range holds a record, for "which digest it breaks".
    public func digest(covering sequence: Int64) -> AuditDigestRecord? {
        digests.first { $0.firstSequence <= sequence && sequence <= $0.lastSequence }
    }
}
