import Foundation
import KMSCrypto
import KMSModel
import KMSStorage
import Synchronization

/// An access key's secret and the principal it signs for, once unwrapped.
public struct ResolvedCredential: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    /// Who signs with it; a request's caller is this with the request's Region.
    public var principal: Caller
    /// Temporary credentials only: when they stop working.
    public var expiration: Date?

    public var accountId: String { principal.accountId }
    public var principalArn: String { principal.principalArn }
}

/// Why a presented credential is refused. The HTTP layer answers each as AWS does.
public enum CredentialRefusal: Error, Sendable, Equatable {
    /// No such access key, a session token that does not open, or a session whose role is gone.
    case unrecognized
    /// A session token past its expiration.
    case expired
}

/// The principals behind access keys and session tokens, cached in memory: every authenticated
/// request needs its principal (secret, id, tags, policies), and the store is a thread hop away.
///
/// The operator changes principals from another process (`trent iam …`), so a lookup first
/// compares the store's change stamp (an `fstat` of a file, see `PrincipalChangeFile`) with the
/// one the cache was filled under, and starts over when it differs: a deleted access key or a
/// removed policy is gone on the very next request. A load that started before a change is not
/// stored after it (the generation check), so a change cannot be undone by a slow load.
///
/// A stamp read after a request arrived already shows every change made before it arrived, so
/// such a request uses it without another `fstat`. Under load an event loop reads several
/// requests before it runs any: the first looks at the file for all of them. (One `fstat` per
/// request was 2 % of the event loops' time under Encrypt load.)
final class PrincipalDirectory: Sendable {
    private struct State {
        var stamp: PrincipalChangeStamp?
        /// When the `fstat` that read the newest applied stamp began.
        var stampReadAt: ContinuousClock.Instant?
        var generation: UInt64 = 0
        var accessKeys: [String: ResolvedCredential] = [:]
        /// Sessions by temporary access key id, with the token they were opened from.
        var sessions: [String: (token: String, credential: ResolvedCredential)] = [:]
    }

    private let store: any KeyRepository
    private let rootKey: any RootKeyProvider
    private let state = Mutex(State())
    /// Past this many entries a map starts over, so a flood of sessions cannot grow it unbounded.
    private let capacity: Int

    init(store: any KeyRepository, rootKey: any RootKeyProvider, capacity: Int = 100_000) {
        self.store = store
        self.rootKey = rootKey
        self.capacity = capacity
    }

    /// Empties the caches if the principals changed since they were filled, as seen by a
    /// request that arrived at `receivedAt`; returns the generation that loads must still see
    /// to store what they read.
    private func revalidate<T>(receivedAt: ContinuousClock.Instant, _ body: (inout State) -> T) -> T {
        let current: T? = state.withLock { state in
            guard let readAt = state.stampReadAt, readAt > receivedAt else { return nil }
            return body(&state)
        }
        if let current { return current }
        let readAt = ContinuousClock.now
        let stamp = store.principalChangeStamp()
        return state.withLock { state in
            if state.stamp != stamp {
                state.stamp = stamp
                state.generation &+= 1
                state.accessKeys.removeAll()
                state.sessions.removeAll()
            }
            // A read that began earlier and finished later leaves the newer time alone; if it
            // saw an older stamp, the next read that sees the newer one starts over again.
            if state.stampReadAt.map({ readAt > $0 }) ?? true { state.stampReadAt = readAt }
            return body(&state)
        }
    }

    private func remember(_ generation: UInt64, _ body: (inout State) -> Void) {
        state.withLock { state in
            guard state.generation == generation else { return }
            body(&state)
        }
    }

    /// A long-term access key (an account root's or a user's), or nil when there is none, for
    /// a request that arrived at `receivedAt`.
    func accessKey(_ accessKeyId: String, receivedAt: ContinuousClock.Instant = .now) async throws -> ResolvedCredential? {
        let (cached, generation) = revalidate(receivedAt: receivedAt) { ($0.accessKeys[accessKeyId], $0.generation) }
        if let cached { return cached }
        guard let record = try await store.credential(accessKeyId: accessKeyId),
            let principal = try await principal(of: record)
        else { return nil }
        let secret = try rootKey.unwrap(record.wrappedSecret, for: .credential(accessKeyId: accessKeyId))
        let resolved = ResolvedCredential(
            accessKeyId: accessKeyId, secretAccessKey: String(decoding: secret, as: UTF8.self), principal: principal)
        remember(generation) { state in
            if state.accessKeys.count >= capacity { state.accessKeys.removeAll(keepingCapacity: true) }
            state.accessKeys[accessKeyId] = resolved
        }
        return resolved
    }

    /// The caller an access key signs for (Region left empty).
    private func principal(of record: CredentialRecord) async throws -> Caller? {
        guard let arn = PrincipalArn(record.principalArn), arn.accountId == record.accountId else { return nil }
        switch arn.kind {
        case .root:
            return Caller.accountRoot(record.accountId, region: "", accessKeyId: record.accessKeyId)
        case .user:
            guard let user = try await store.user(accountId: arn.accountId, userName: arn.name), user.arn == record.principalArn
            else { return nil }
            return Caller.user(
                accountId: user.accountId, userName: user.userName, userId: user.userId, region: "",
                accessKeyId: record.accessKeyId, tags: Self.tags(user.tags),
                identityPolicies: try await policies(of: user.arn))
        case .role:
            return nil
        }
    }

    /// The session a token carries, checked against the role as it is now.
    func session(
        accessKeyId: String, token: String, now: Date, receivedAt: ContinuousClock.Instant = .now
    ) async throws -> ResolvedCredential {
        let (cached, generation) = revalidate(receivedAt: receivedAt) { ($0.sessions[accessKeyId], $0.generation) }
        let resolved: ResolvedCredential
        if let cached, cached.token == token {
            resolved = cached.credential
        } else {
            guard let session = SessionToken.unsealed(token, accessKeyId: accessKeyId, with: rootKey) else {
                throw CredentialRefusal.unrecognized
            }
            // Expired tokens are told apart from unknown ones before the role is looked up.
            if now >= session.expirationDate { throw CredentialRefusal.expired }
            guard let role = try await store.role(accountId: session.accountId, roleName: session.roleName),
                role.roleId == session.roleId
            else { throw CredentialRefusal.unrecognized }
            let principal = Caller.assumedRole(
                accountId: role.accountId,
                session: Caller.Session(
                    roleArn: role.arn, roleId: role.roleId, roleName: role.roleName, sessionName: session.sessionName,
                    issuedAt: session.issuedAtDate, expiration: session.expirationDate),
                region: "", accessKeyId: accessKeyId, tags: Self.tags(role.tags), identityPolicies: try await policies(of: role.arn))
            resolved = ResolvedCredential(
                accessKeyId: accessKeyId, secretAccessKey: session.secretAccessKey, principal: principal,
                expiration: session.expirationDate)
            remember(generation) { state in
                if state.sessions.count >= capacity { state.sessions.removeAll(keepingCapacity: true) }
                state.sessions[accessKeyId] = (token, resolved)
            }
        }
        if let expiration = resolved.expiration, now >= expiration { throw CredentialRefusal.expired }
        return resolved
    }

    private func policies(of ownerArn: String) async throws -> [Caller.IdentityPolicy] {
        try await store.identityPolicies(ownerArn: ownerArn).map { Caller.IdentityPolicy(name: $0.policyName, document: $0.document) }
    }

    private static func tags(_ tags: [Tag]) -> [String: String] {
        Dictionary(tags.map { ($0.tagKey, $0.tagValue) }, uniquingKeysWith: { _, last in last })
    }
}
