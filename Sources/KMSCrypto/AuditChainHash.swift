import Foundation
import KMSOpenSSL

/// The hash chain that makes the audit trail tamper-evident: each record's hash covers the
/// previous record's hash, its own sequence number and its exact bytes, so changing, removing
/// or reordering any record breaks every link after it.
///
///     hash(n) = SHA-256(hash(n-1) || n as 8-byte big endian || record bytes)
public enum AuditChainHash {
    /// The `previous hash` of the first record ever written.
    public static let genesis = Data(repeating: 0, count: 32)

    public static func link(previous: Data, sequence: Int64, record: Data) -> Data {
        var hasher = OpenSSLSHA256()
        previous.withUnsafeBytes { hasher.update($0) }
        withUnsafeBytes(of: UInt64(bitPattern: sequence).bigEndian) { hasher.update($0) }
        record.withUnsafeBytes { hasher.update($0) }
        var digest = Data(count: OpenSSLSHA256.byteCount)
        digest.withUnsafeMutableBytes { hasher.finalize(into: $0) }
        return digest
    }
}
