import Foundation
import KMSCrypto
import KMSModel
import KMSStorage
import Logging
import Synchronization

/// The KMS itself: every AWS operation is a method in `Operations/<Op>.swift`, over one
/// repository, one root-key provider and one clock. It knows nothing of HTTP.
public final class KeyManagementService: Sendable {
    let repository: any KeyRepository
    let rootKey: any RootKeyProvider
    let clock: any WallClock
    let logger: Logger
    let committer: GroupCommitter

    /// Unwrapped material by key version (see MaterialCache).
    let materialCache = MaterialCache()
    /// The principals behind access keys and session tokens, looked up on every authenticated request.
    let principals: PrincipalDirectory
    /// Whether a principal may assume a role (see ``AssumeRoleAuthorizer``).
    let assumeRoleAuthorizer: any AssumeRoleAuthorizer
    /// Parsed key and identity policies by their text.
    let policyCache = PolicyCache()

    public init(
        repository: any KeyRepository, rootKey: any RootKeyProvider, clock: any WallClock = SystemWallClock(),
        logger: Logger = Logger(label: "trent.core"),
        assumeRoleAuthorizer: any AssumeRoleAuthorizer = TrustPolicyAuthorizer()
    ) {
        self.repository = repository
        self.rootKey = rootKey
        self.clock = clock
        self.logger = logger
        self.committer = GroupCommitter(repository: repository)
        self.principals = PrincipalDirectory(store: repository, rootKey: rootKey)
        self.assumeRoleAuthorizer = assumeRoleAuthorizer
    }

    /// How many requests have shared each disk flush so far.
    public func commitStatistics() async -> CommitStatistics {
        committer.statistics
    }

    /// Runs a storage or crypto step and maps the lower layers' errors to AWS's: anything not
    /// mapped becomes `KMSInternalException`, with details in the server log only.
    func boundary<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as KMSError {
            throw error
        } catch is CiphertextError {
            throw KMSError.invalidCiphertext
        } catch let error as AsymmetricKeyError {
            throw KMSError(error)
        } catch {
            logger.error("internal failure", metadata: ["error": "\(error)"])
            throw KMSError.internalFailure
        }
    }
}

struct MaterialCacheKey: Hashable {
    var reference: KeyReference
    var version: Int
}

struct CachedMaterial: Sendable {
    var material: KeyMaterial
    var materialId: String
}
