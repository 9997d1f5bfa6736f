import Foundation
import KMSCrypto
import KMSModel
import KMSStorage

/// An access key's secret and the principal it signs for, once unwrapped.
public struct ResolvedCredential: Sendable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var accountId: String
    public var principalArn: String
}

/// A newly made access key, shown to its owner once.
public struct IssuedCredential: Sendable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var accountId: String
}

extension KeyManagementService {
    /// The credential behind an access key id, or nil when no such key exists. Secrets are
    /// unwrapped once and kept in memory: SigV4 needs one on every request.
    public func credential(accessKeyId: String) async throws -> ResolvedCredential? {
        if let cached = credentialCache.withLock({ $0[accessKeyId] }) { return cached }
        guard let record = try await boundary({ try await repository.credential(accessKeyId: accessKeyId) }) else {
            return nil
        }
        let secret = try await boundary {
            try rootKey.unwrap(record.wrappedSecret, for: .credential(accessKeyId: accessKeyId))
        }
        let resolved = ResolvedCredential(
            accessKeyId: accessKeyId, secretAccessKey: String(decoding: secret, as: UTF8.self),
            accountId: record.accountId, principalArn: record.principalArn)
        credentialCache.withLock { $0[accessKeyId] = resolved }
        return resolved
    }

    /// On a store with no credentials at all, creates the administrator: the root principal of
    /// a new account. Returns nil when credentials already exist.
    public func bootstrapAdministrator() async throws -> IssuedCredential? {
        guard try await repository.credentialCount() == 0 else { return nil }
        let accountId = Self.newAccountId()
        return try await issueCredential(accountId: accountId, principalArn: "arn:aws:iam::\(accountId):root")
    }

    public func issueCredential(accountId: String, principalArn: String) async throws -> IssuedCredential {
        let accessKeyId = Self.newAccessKeyId()
        let secret = Self.newSecretAccessKey()
        let wrapped = try rootKey.wrap(Data(secret.utf8), for: .credential(accessKeyId: accessKeyId))
        try await repository.insertCredential(
            CredentialRecord(
                accessKeyId: accessKeyId, accountId: accountId, principalArn: principalArn, wrappedSecret: wrapped,
                createdAt: clock.now()))
        return IssuedCredential(accessKeyId: accessKeyId, secretAccessKey: secret, accountId: accountId)
    }

    /// Twelve digits, not starting with zero, as AWS account ids look.
    static func newAccountId() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(Int.random(in: 100_000_000_000...999_999_999_999, using: &generator))
    }

    /// `AKIA` and 16 characters of base32, the shape of an AWS long-term access key id.
    static func newAccessKeyId() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var generator = SystemRandomNumberGenerator()
        return "AKIA" + String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// 40 characters drawn from 240 random bits.
    static func newSecretAccessKey() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var generator = SystemRandomNumberGenerator()
        return String((0..<40).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
