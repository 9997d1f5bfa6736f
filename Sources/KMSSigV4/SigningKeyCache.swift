import Crypto
import Synchronization

/// Derived SigV4 signing keys, which depend only on the secret, the day, the Region and the
/// service: four HMACs saved on every request after a credential's first of the day.
public final class SigningKeyCache: Sendable {
    /// The scope's parts, not its joined text: building that string cost an allocation per request.
    private struct Entry: Hashable {
        let secret: String
        let scope: CredentialScope
    }

    /// Past this many entries the cache starts over; a day's worth of credentials and Regions fit.
    private let capacity: Int
    private let keys = Mutex<[Entry: SymmetricKey]>([:])

    public init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    public func signingKey(secretAccessKey: String, scope: CredentialScope) -> SymmetricKey {
        let entry = Entry(secret: secretAccessKey, scope: scope)
        if let key = keys.withLock({ $0[entry] }) { return key }
        let key = SigV4Verifier.signingKey(secretAccessKey: secretAccessKey, scope: scope)
        keys.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[entry] = key
        }
        return key
    }
}
