import KMSModel
import KMSStorage

/// What a grant may say, and who may retire it: the rules of CreateGrant and RetireGrant that
/// depend on the grant and the key alone, never on a policy.
/// [Grants in KMS](https://docs.aws.amazon.com/kms/latest/developerguide/grants.html)
public enum GrantRules {
    /// Operations every grant may include, on any key.
    static let keyOperations: Set<GrantOperation> = [.createGrant, .retireGrant, .describeKey]

    /// The grant operations a key supports, by its spec and usage, as the CreateGrant reference
    /// lists them: no Sign on a symmetric key, no data keys on an asymmetric one, and so on.
    public static func supportedOperations(keySpec: KeySpec, keyUsage: KeyUsage) -> Set<GrantOperation> {
        let usageOperations: Set<GrantOperation>
        switch keyUsage {
        case .encryptDecrypt where keySpec == .symmetricDefault:
            usageOperations = [
                .encrypt, .decrypt, .reEncryptFrom, .reEncryptTo, .generateDataKey, .generateDataKeyWithoutPlaintext,
                .generateDataKeyPair, .generateDataKeyPairWithoutPlaintext,
            ]
        case .encryptDecrypt: usageOperations = [.encrypt, .decrypt, .reEncryptFrom, .reEncryptTo, .getPublicKey]
        case .signVerify: usageOperations = [.sign, .verify, .getPublicKey]
        case .generateVerifyMac: usageOperations = [.generateMac, .verifyMac]
        case .keyAgreement: usageOperations = [.deriveSharedSecret, .getPublicKey]
        }
        return usageOperations.union(keyOperations)
    }

    /// Operations whose requests carry an encryption context, the only ones an encryption
    /// context constraint can apply to (and only on symmetric encryption keys).
    static let encryptionContextOperations: Set<GrantOperation> = [
        .encrypt, .decrypt, .reEncryptFrom, .reEncryptTo, .generateDataKey, .generateDataKeyWithoutPlaintext,
        .generateDataKeyPair, .generateDataKeyPairWithoutPlaintext,
    ]

    /// AWS's limits on one constraint: 8 pairs, 384 characters of keys and values together.
    static let maximumConstraintPairs = 8
    static let maximumConstraintCharacters = 384

    /// Checks a CreateGrant's operations and constraints against the key; returns the operations
    /// without repeats, in request order.
    public static func checkedOperations(
        _ operations: [GrantOperation], constraints: GrantConstraints?, key: KeyRecord
    ) throws -> [GrantOperation] {
        var seen = Set<GrantOperation>()
        let unique = operations.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else { throw KMSError.grantWithoutOperations }
        if unique == [.createGrant] { throw KMSError.grantOfCreateGrantOnly }
        let supported = supportedOperations(keySpec: key.keySpec, keyUsage: key.keyUsage)
        let unsupported = unique.filter { !supported.contains($0) }
        if !unsupported.isEmpty { throw KMSError.grantOperationsUnsupported(unsupported, key: key) }
        if let constraints, !constraints.isEmpty {
            if constraints.encryptionContextEquals != nil && constraints.encryptionContextSubset != nil {
                throw KMSError.moreThanOneGrantConstraint
            }
            let constrainable = key.keySpec == .symmetricDefault ? encryptionContextOperations : []
            let refused = unique.filter { !constrainable.contains($0) && !keyOperations.contains($0) }
            if !refused.isEmpty { throw KMSError.grantConstraintUnsupported(refused) }
            let context = constraints.encryptionContextEquals ?? constraints.encryptionContextSubset ?? [:]
            let characters = context.reduce(0) { $0 + $1.key.count + $1.value.count }
            guard context.count <= maximumConstraintPairs, characters <= maximumConstraintCharacters else {
                throw KMSError.grantConstraintTooLarge
            }
        }
        return unique
    }

    /// Whether `text` can name a grantee or retiring principal: the ARN of an account (root),
    /// IAM user or role, assumed-role session or federated user; a 12-digit account id; or an
    /// AWS service principal (`rds.amazonaws.com`). What a principal may do is a policy's concern.
    public static func isPrincipal(_ text: String) -> Bool {
        if isAccountId(text) { return true }
        for suffix in [".amazonaws.com", ".amazonaws.com.cn"] where text.hasSuffix(suffix) {
            let service = text.dropLast(suffix.count)
            return !service.isEmpty && !service.hasPrefix(".")
                && service.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
        }
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[3].isEmpty, isAccountId(parts[4]) else {
            return false
        }
        let resource = parts[5]
        switch parts[2] {
        case "iam":
            if resource == "root" { return true }
            return (resource.hasPrefix("user/") || resource.hasPrefix("role/")) && resource.split(separator: "/").count >= 2
                && !resource.hasSuffix("/")
        case "sts":
            let components = resource.split(separator: "/", omittingEmptySubsequences: false)
            if components.first == "assumed-role" { return components.count == 3 && components.allSatisfy { !$0.isEmpty } }
            if components.first == "federated-user" { return components.count == 2 && !components[1].isEmpty }
            return false
        default:
            return false
        }
    }

    /// The account a principal belongs to, when it names one (nil for service principals).
    public static func account(of principal: String) -> String? {
        if isAccountId(principal) { return principal }
        let parts = principal.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", isAccountId(parts[4]) else { return nil }
        return String(parts[4])
    }

    /// Who may retire a grant on the grant's own authority, as RetireGrant's reference says:
    /// its retiring principal, its grantee principal when the grant allows RetireGrant, and the
    /// account in which the grant was created (its root). Principals a key or IAM policy allows
    /// `kms:RetireGrant` are the policy evaluator's to add.
    /// [Retiring and revoking grants](https://docs.aws.amazon.com/kms/latest/developerguide/grant-manage.html#grant-delete)
    public static func mayRetire(_ grant: GrantRecord, caller: Caller) -> Bool {
        if let retiring = grant.retiringPrincipal, identifies(retiring, caller) { return true }
        if grant.operations.contains(.retireGrant), identifies(grant.granteePrincipal, caller) { return true }
        return caller.accountId == grant.issuingAccount && isAccountRoot(caller)
    }

    /// Whether a principal named in a grant is the caller: the same ARN; the role of an
    /// assumed-role session; or, for an account principal, that account's root.
    public static func identifies(_ principal: String, _ caller: Caller) -> Bool {
        if principal == caller.principalArn { return true }
        if let role = caller.session?.roleArn, principal == role { return true }
        return isAccountRoot(caller) && (principal == caller.accountId || principal == "arn:aws:iam::\(caller.accountId):root")
    }

    static func isAccountRoot(_ caller: Caller) -> Bool { caller.kind == .root }

    static func isAccountId(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
