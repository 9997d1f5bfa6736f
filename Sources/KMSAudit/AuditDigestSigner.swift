import Crypto
import Foundation
import KMSCrypto
import KMSStorage

/// Signs digests of the trail with an Ed25519 key, as CloudTrail signs its digest files.
///
/// A digest states that records `first...last` ended in a given chain hash; it also names the
/// previous digest, so digests chain too. The private key is stored wrapped under the root key;
/// the public key is published, so anyone holding a copy can check the trail without trusting
/// the store it lives in.
public struct AuditDigestSigner: Sendable {
    static let wrappingContext = WrappingContext("audit-signing-key")
    let privateKey: Curve25519.Signing.PrivateKey

    public var publicKey: Curve25519.Signing.PublicKey { privateKey.publicKey }

    /// Loads the store's signing key, creating it on first use.
    public static func load(store: any AuditStore, rootKey: any RootKeyProvider, now: Date) async throws -> AuditDigestSigner {
        if let stored = try await store.auditSigningKey() {
            return try AuditDigestSigner(stored, rootKey: rootKey)
        }
        let fresh = Curve25519.Signing.PrivateKey()
        let record = AuditSigningKeyRecord(
            publicKey: fresh.publicKey.rawRepresentation,
            wrappedPrivateKey: try rootKey.wrap(fresh.rawRepresentation, for: wrappingContext), createdAt: now)
        // Two processes may race to create it; the store keeps the first, and both use that one.
        return try AuditDigestSigner(try await store.installAuditSigningKey(record), rootKey: rootKey)
    }

    init(_ record: AuditSigningKeyRecord, rootKey: any RootKeyProvider) throws {
        privateKey = try Curve25519.Signing.PrivateKey(
            rawRepresentation: try rootKey.unwrap(record.wrappedPrivateKey, for: Self.wrappingContext))
    }

    /// Writes a digest covering every record not yet covered; nil when there are none.
    public func digest(store: any AuditStore, now: Date) async throws -> AuditDigestRecord? {
        let digests = try await store.auditDigests()
        guard let newest = try await store.newestAuditRecord() else { return nil }
        let first = (digests.last?.lastSequence ?? 0) + 1
        guard newest.sequence >= first else { return nil }
        var digest = AuditDigestRecord(
            id: 0, firstSequence: first, lastSequence: newest.sequence, headHash: newest.hash,
            previousDigestHash: digests.last.map(AuditDigestFormat.hash) ?? AuditChainHash.genesis,
            createdAt: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)), signature: Data())
        digest.signature = try privateKey.signature(for: AuditDigestFormat.signedBytes(digest))
        digest.id = try await store.insertAuditDigest(digest)
        return digest
    }
}

/// The exact bytes a digest signs, and the hash by which the next digest names it.
public enum AuditDigestFormat {
    public static func signedBytes(_ digest: AuditDigestRecord) -> Data {
        let text = [
            "trent-audit-digest/1", String(digest.firstSequence), String(digest.lastSequence),
            digest.headHash.hexString, digest.previousDigestHash.hexString,
            String(Int64(digest.createdAt.timeIntervalSince1970)),
        ].joined(separator: "\n")
        return Data(text.utf8)
    }

    public static func hash(_ digest: AuditDigestRecord) -> Data {
        Data(SHA256.hash(data: signedBytes(digest) + digest.signature))
    }

    public static func isValidSignature(_ digest: AuditDigestRecord, publicKey: Curve25519.Signing.PublicKey) -> Bool {
        publicKey.isValidSignature(digest.signature, for: signedBytes(digest))
    }

    /// The public key as PEM (SubjectPublicKeyInfo), the form `trent audit public-key` prints.
    public static func pem(_ publicKey: Curve25519.Signing.PublicKey) -> String {
        // SubjectPublicKeyInfo for Ed25519 is a fixed 12-byte prefix and the 32-byte key (RFC 8410).
        let prefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]
        let der = Data(prefix) + publicKey.rawRepresentation
        let body = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN PUBLIC KEY-----\n\(body)\n-----END PUBLIC KEY-----\n"
    }

    public static func publicKey(pem: String) -> Curve25519.Signing.PublicKey? {
        let base64 = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let der = Data(base64Encoded: base64), der.count == 44 else { return nil }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: der.suffix(32))
    }
}
