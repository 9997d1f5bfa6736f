/// The request context: condition values by key, as the service gathers them for one request.
///
/// Keys compare case-insensitively, as AWS condition keys do ("Context key names are not
/// case-sensitive"); so `kms:EncryptionContext:AppName` in a policy finds the context pair
/// `appname`, which is what AWS KMS documents for that key. Values are strings (AWS
/// evaluates numbers, dates and booleans from their string forms) and a key can have several
/// (a multivalued key such as `aws:TagKeys`). A key with no values is treated as absent.
///
/// The evaluator knows no service's keys; the service supplies them. Trent's KMS operations
/// supply these (AWS KMS Developer Guide, "AWS KMS condition keys" and "AWS global condition
/// keys"):
/// - request parameters: `kms:EncryptionContext:<context-key>` (one per pair),
///   `kms:EncryptionContextKeys` (multivalued), `kms:EncryptionAlgorithm`,
///   `kms:SigningAlgorithm`, `kms:MacAlgorithm`, `kms:MessageType`, `kms:KeyAgreementAlgorithm`,
///   `kms:DataKeyPairSpec`, `kms:GrantOperations` (multivalued), `kms:GranteePrincipal`,
///   `kms:RetiringPrincipal`, `kms:GrantIsForAWSResource`, `kms:GrantConstraintType`,
///   `kms:BypassPolicyLockoutSafetyCheck`, `kms:RequestAlias`, `kms:ReEncryptOnSameKey`,
///   `kms:ScheduleKeyDeletionPendingWindowInDays`, `kms:RotationPeriodInDays`,
///   `kms:ReplicaRegion`, `kms:PrimaryRegion`, `kms:MultiRegion`,
///   `aws:RequestTag/<tag-key>`, `aws:TagKeys` (multivalued);
/// - the key: `kms:KeySpec`, `kms:KeyUsage`, `kms:KeyOrigin`, `kms:MultiRegionKeyType`,
///   `kms:ResourceAliases` (multivalued), `aws:ResourceTag/<tag-key>`;
/// - the caller and the connection: `kms:CallerAccount`, `kms:ViaService`, `aws:SourceIp`,
///   `aws:CurrentTime`, `aws:EpochTime`, `aws:SecureTransport`, `aws:RequestedRegion`.
///
/// `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:PrincipalTag/<tag-key>`
/// and `aws:username` the evaluator fills in from the `RequestPrincipal` when the context has
/// no value for them.
public struct ConditionContext: Sendable, Equatable {
    /// By lowercased key; the entry keeps the key as first written.
    private var entries: [String: (key: String, values: [String])] = [:]

    public init() {}

    /// From a dictionary of values by key, such as KMSCore's `conditionValues(for:)`.
    public init(_ values: [String: [String]]) {
        for (key, list) in values { self[key] = list }
    }

    public static func == (lhs: ConditionContext, rhs: ConditionContext) -> Bool {
        lhs.entries.count == rhs.entries.count
            && lhs.entries.allSatisfy { rhs.entries[$0.key]?.values == $0.value.values }
    }

    /// The values of a key, whatever its case; `nil` when absent. Setting `nil` removes it.
    public subscript(key: String) -> [String]? {
        get { entries[key.lowercased()]?.values }
        set {
            if let newValue {
                entries[key.lowercased()] = (key, newValue)
            } else {
                entries[key.lowercased()] = nil
            }
        }
    }

    /// Sets a single-valued key.
    public mutating func set(_ key: String, _ value: String) {
        self[key] = [value]
    }

    /// Sets a multivalued key.
    public mutating func set(_ key: String, values: [String]) {
        self[key] = values
    }

    /// Sets a key only when it has no value yet.
    mutating func setIfAbsent(_ key: String, _ values: [String]) {
        if self[key] == nil { self[key] = values }
    }

    /// The keys as first written, sorted, for display.
    public var keys: [String] { entries.values.map(\.key).sorted() }

    /// The values of a key, or `nil` when it is absent or has none (AWS's "empty data set").
    func presentValues(_ key: String) -> [String]? {
        guard let values = self[key], !values.isEmpty else { return nil }
        return values
    }
}
