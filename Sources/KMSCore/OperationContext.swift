import KMSAudit
import KMSModel
import KMSStorage

/// What one operation call gathers as it runs: who calls, the changes it wants committed, the
/// keys it touched and what its audit record should say. Operations never write to the store
/// themselves; the pipeline commits their changes together with the audit record.
///
/// Used by one task at a time (the request's own).
public final class OperationContext: @unchecked Sendable {
    public let caller: Caller
    private(set) var mutations: [Mutation] = []
    /// The error to answer with if the store refuses a change (a name taken meanwhile, say).
    private(set) var refusalError: KMSError?
    private var refusalChoice: (@Sendable (RepositoryError) -> KMSError?)?
    /// Keys the request used, in order, for the record's `resources`.
    private(set) var resources: [KeyReference] = []
    var responseElements: AuditValue = .null
    /// Resources other than keys for the record's `resources` (the role of an AssumeRole).
    var otherResources: [CloudTrailEvent.Resource] = []
    var keyMaterialId: String?
    /// What the request offers policy conditions (nil for requests that offer nothing).
    let conditions: (any ConditionSupplying)?
    /// `aws:SourceIp`.
    let sourceIPAddress: String?
    /// The alias the request named its key by, for `kms:RequestAlias`.
    var requestAlias: String?

    public init(caller: Caller, conditions: (any ConditionSupplying)? = nil, sourceIPAddress: String? = nil) {
        self.caller = caller
        self.conditions = conditions
        self.sourceIPAddress = sourceIPAddress
    }

    func change(_ mutation: Mutation, ifRefused error: KMSError? = nil) {
        mutations.append(mutation)
        if refusalError == nil && refusalChoice == nil { refusalError = error }
    }

    /// As ``change(_:ifRefused:)``, with the answer chosen by the kind of refusal (nil: the
    /// generic mapping).
    func change(_ mutation: Mutation, refusal: @escaping @Sendable (RepositoryError) -> KMSError?) {
        mutations.append(mutation)
        if refusalError == nil && refusalChoice == nil { refusalChoice = refusal }
    }

    /// The answer to a refused commit.
    func answer(to refusal: RepositoryError) -> KMSError? {
        refusalError ?? refusalChoice?(refusal)
    }

    func touched(_ reference: KeyReference) {
        if !resources.contains(reference) { resources.append(reference) }
    }
}
