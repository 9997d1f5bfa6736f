import Foundation
import KMSCrypto
import KMSModel
import KMSStorage

/// A newly made access key, shown to its owner once.
public struct IssuedCredential: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var accountId: String
    /// The account root's or the user's ARN.
    public var principalArn: String
}

extension KeyManagementService {
    /// AWS's texts for refused credentials, verbatim (KMS answers both with HTTP 400).
    static let unrecognizedClientMessage = "The security token included in the request is invalid."
    static let expiredTokenMessage = "The security token included in the request is expired"

    /// The long-term access key (an account root's or an IAM user's) behind an access key id,
    /// or nil when no such key exists. Secrets are unwrapped once and kept in memory: SigV4
    /// needs one on every request. `receivedAt` is when the request arrived: any principal
    /// change made before then is seen.
    public func credential(accessKeyId: String, receivedAt: ContinuousClock.Instant = .now) async throws -> ResolvedCredential? {
        try await boundary { try await principals.accessKey(accessKeyId, receivedAt: receivedAt) }
    }

    /// The temporary credentials of an assumed-role session: the secret and caller that the
    /// session token carries, refused with `UnrecognizedClientException` when the token does not
    /// open for this access key id or its role is gone, and `ExpiredTokenException` once it
    /// has expired by `now`.
    public func sessionCredential(
        accessKeyId: String, sessionToken: String, now: Date, receivedAt: ContinuousClock.Instant = .now
    ) async throws -> ResolvedCredential {
        do {
            return try await principals.session(accessKeyId: accessKeyId, token: sessionToken, now: now, receivedAt: receivedAt)
        } catch CredentialRefusal.unrecognized {
            throw KMSError(.unrecognizedClient, Self.unrecognizedClientMessage)
        } catch CredentialRefusal.expired {
            throw KMSError(.expiredToken, Self.expiredTokenMessage)
        } catch {
            logger.error("session lookup failed", metadata: ["error": "\(error)"])
            throw KMSError.internalFailure
        }
    }

    /// On a store with no credentials at all, creates the administrator: the root principal of
    /// a new account. Returns nil when credentials already exist.
    public func bootstrapAdministrator() async throws -> IssuedCredential? {
        guard try await repository.credentialCount() == 0 else { return nil }
        return try await createAccount()
    }

    /// `AKIA` (long-term) or `ASIA` (temporary) and 16 characters of base32, the shape of an AWS
    /// access key id.
    static func newAccessKeyId(temporary: Bool = false) -> String {
        (temporary ? "ASIA" : "AKIA") + randomBase32(16)
    }

    /// `AIDA` (users) or `AROA` (roles) and 17 characters of base32, the shape of IAM unique ids.
    static func newUniqueId(prefix: String) -> String {
        prefix + randomBase32(17)
    }

    private static func randomBase32(_ count: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Twelve digits, not starting with zero, as AWS account ids look.
    static func newAccountId() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(Int.random(in: 100_000_000_000...999_999_999_999, using: &generator))
    }

    /// 40 characters drawn from 240 random bits.
    static func newSecretAccessKey() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var generator = SystemRandomNumberGenerator()
        return String((0..<40).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// A new long-term access key for `principalArn`, its secret wrapped under the root key.
    func newAccessKey(accountId: String, principalArn: String) throws -> (record: CredentialRecord, issued: IssuedCredential) {
        let accessKeyId = Self.newAccessKeyId()
        let secret = Self.newSecretAccessKey()
        let wrapped = try rootKey.wrap(Data(secret.utf8), for: .credential(accessKeyId: accessKeyId))
        return (
            CredentialRecord(
                accessKeyId: accessKeyId, accountId: accountId, principalArn: principalArn, wrappedSecret: wrapped,
                createdAt: clock.now()),
            IssuedCredential(accessKeyId: accessKeyId, secretAccessKey: secret, accountId: accountId, principalArn: principalArn)
        )
    }
}
