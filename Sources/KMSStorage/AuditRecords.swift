import Foundation

/// An audit record about to be appended: the CloudTrail JSON and the columns queries filter on.
public struct AuditEntry: Sendable, Equatable {
    public var eventTime: Date
    public var eventName: String
    public var principalArn: String?
    public var keyArn: String?
    public var secondaryKeyArn: String?
    public var errorCode: String?
    /// The CloudTrail record, exactly as hashed.
    public var record: Data

    public init(
        eventTime: Date, eventName: String, principalArn: String?, keyArn: String?, secondaryKeyArn: String?,
        errorCode: String?, record: Data
    ) {
        self.eventTime = eventTime
        self.eventName = eventName
        self.principalArn = principalArn
        self.keyArn = keyArn
        self.secondaryKeyArn = secondaryKeyArn
        self.errorCode = errorCode
        self.record = record
    }
}

/// An appended audit record with its place in the hash chain.
public struct StoredAuditRecord: Sendable, Equatable {
    public var sequence: Int64
    public var entry: AuditEntry
    public var previousHash: Data
    public var hash: Data

    public init(sequence: Int64, entry: AuditEntry, previousHash: Data, hash: Data) {
        self.sequence = sequence
        self.entry = entry
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// A signed statement that records `firstSequence...lastSequence` ended in `headHash`.
public struct AuditDigestRecord: Sendable, Equatable {
    public var id: Int64
    public var firstSequence: Int64
    public var lastSequence: Int64
    public var headHash: Data
    /// SHA-256 of the previous digest's signed bytes and signature: digests chain too.
    public var previousDigestHash: Data
    public var createdAt: Date
    public var signature: Data

    public init(
        id: Int64, firstSequence: Int64, lastSequence: Int64, headHash: Data, previousDigestHash: Data, createdAt: Date,
        signature: Data
    ) {
        self.id = id
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.headHash = headHash
        self.previousDigestHash = previousDigestHash
        self.createdAt = createdAt
        self.signature = signature
    }
}

/// The key that signs digests: its public half in the clear, its private half wrapped.
public struct AuditSigningKeyRecord: Sendable, Equatable {
    public var publicKey: Data
    public var wrappedPrivateKey: Data
    public var createdAt: Date

    public init(publicKey: Data, wrappedPrivateKey: Data, createdAt: Date) {
        self.publicKey = publicKey
        self.wrappedPrivateKey = wrappedPrivateKey
        self.createdAt = createdAt
    }
}

/// Which records a query wants. Nil members do not filter.
public struct AuditFilter: Sendable, Equatable {
    public var since: Date?
    public var until: Date?
    public var principalArn: String?
    /// Matches either resource of a record.
    public var keyArn: String?
    public var eventNames: [String]?
    public var errorCode: String?
    /// Only records without an error.
    public var succeededOnly = false

    public init(
        since: Date? = nil, until: Date? = nil, principalArn: String? = nil, keyArn: String? = nil,
        eventNames: [String]? = nil, errorCode: String? = nil, succeededOnly: Bool = false
    ) {
        self.since = since
        self.until = until
        self.principalArn = principalArn
        self.keyArn = keyArn
        self.eventNames = eventNames
        self.errorCode = errorCode
        self.succeededOnly = succeededOnly
    }

    public func matches(_ entry: AuditEntry) -> Bool {
        if let since, entry.eventTime < since { return false }
        if let until, entry.eventTime > until { return false }
        if let principalArn, entry.principalArn != principalArn { return false }
        if let keyArn, entry.keyArn != keyArn && entry.secondaryKeyArn != keyArn { return false }
        if let eventNames, !eventNames.contains(entry.eventName) { return false }
        if let errorCode, entry.errorCode != errorCode { return false }
        if succeededOnly, entry.errorCode != nil { return false }
        return true
    }
}

/// The store's audit trail: append happens through ``KeyRepository/commit(_:)``; these read it,
/// keep digests and trim.
public protocol AuditStore: Sendable {
    /// Records with `sequence > after`, in order, at most `limit`.
    func auditRecords(after: Int64, limit: Int) async throws -> [StoredAuditRecord]
    /// The newest records matching `filter`, newest first, at most `limit`.
    func latestAuditRecords(matching filter: AuditFilter, limit: Int) async throws -> [StoredAuditRecord]
    func oldestAuditRecord() async throws -> StoredAuditRecord?
    func newestAuditRecord() async throws -> StoredAuditRecord?

    func auditDigests() async throws -> [AuditDigestRecord]
    /// Appends a digest; its id is assigned by the store.
    @discardableResult
    func insertAuditDigest(_ digest: AuditDigestRecord) async throws -> Int64

    func auditSigningKey() async throws -> AuditSigningKeyRecord?
    /// Stores the signing key unless one exists; returns the one in force.
    func installAuditSigningKey(_ key: AuditSigningKeyRecord) async throws -> AuditSigningKeyRecord

    /// Deletes records with `sequence <= through` and the digests that end before it.
    func trimAudit(through sequence: Int64) async throws
}
