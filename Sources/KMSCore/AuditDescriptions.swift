import Foundation
import KMSAudit
import KMSModel

/// What an operation's audit record says of its request. Built member by member, so only what
/// is listed here can ever reach the trail: never a plaintext, ciphertext, key or secret.
public protocol AuditedRequest: ValidatedRequest {
    /// CloudTrail's `readOnly`: true for reads and cryptographic operations.
    static var auditReadOnly: Bool { get }
    var auditParameters: AuditParameters { get }
}

extension CreateKeyRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("description", description)
        p.set("keyUsage", keyUsage?.rawText)
        p.set("keySpec", keySpec?.rawText)
        p.set("customerMasterKeySpec", customerMasterKeySpec?.rawText)
        p.set("origin", origin?.rawText)
        p.set("multiRegion", multiRegion)
        p.set("policy", policy)
        p.set("bypassPolicyLockoutSafetyCheck", bypassPolicyLockoutSafetyCheck)
        p.set("tags", tags.map(AuditValue.tags))
        return p
    }
}

extension DescribeKeyRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        .keyId(keyId)
    }
}

extension ListKeysRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("limit", limit)
        p.set("marker", marker)
        return p
    }
}

extension KeyIdRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        .keyId(keyId)
    }
}

extension ScheduleKeyDeletionRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("pendingWindowInDays", pendingWindowInDays)
        return p
    }
}

extension UpdateKeyDescriptionRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("description", description)
        return p
    }
}

extension EncryptRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("encryptionContext", encryptionContext)
        p.set("encryptionAlgorithm", encryptionAlgorithm?.rawText ?? EncryptionAlgorithmSpec.symmetricDefault.rawValue)
        p.set("dryRun", dryRun)
        return p
    }
}

extension DecryptRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("encryptionContext", encryptionContext)
        // CloudTrail always names the algorithm, given or not.
        p.set("encryptionAlgorithm", encryptionAlgorithm?.rawText ?? EncryptionAlgorithmSpec.symmetricDefault.rawValue)
        p.set("dryRun", dryRun)
        return p
    }
}

extension ReEncryptRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("sourceKeyId", sourceKeyId)
        p.set("destinationKeyId", destinationKeyId)
        p.set("sourceEncryptionContext", sourceEncryptionContext)
        p.set("destinationEncryptionContext", destinationEncryptionContext)
        p.set("sourceEncryptionAlgorithm", sourceEncryptionAlgorithm?.rawText ?? EncryptionAlgorithmSpec.symmetricDefault.rawValue)
        p.set(
            "destinationEncryptionAlgorithm",
            destinationEncryptionAlgorithm?.rawText ?? EncryptionAlgorithmSpec.symmetricDefault.rawValue)
        p.set("dryRun", dryRun)
        return p
    }
}

extension GenerateDataKeyRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("keySpec", keySpec?.rawText)
        p.set("numberOfBytes", numberOfBytes)
        p.set("encryptionContext", encryptionContext)
        p.set("dryRun", dryRun)
        return p
    }
}

extension GenerateRandomRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("numberOfBytes", numberOfBytes)
        p.set("customKeyStoreId", customKeyStoreId)
        return p
    }
}

extension CreateAliasRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("aliasName", aliasName)
        p.set("targetKeyId", targetKeyId)
        return p
    }
}

extension DeleteAliasRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("aliasName", aliasName)
        return p
    }
}

extension ListAliasesRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("limit", limit)
        p.set("marker", marker)
        return p
    }
}

extension TagResourceRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("tags", AuditValue.tags(tags))
        return p
    }
}

extension UntagResourceRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("tagKeys", tagKeys)
        return p
    }
}

extension ListResourceTagsRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("limit", limit)
        p.set("marker", marker)
        return p
    }
}

extension AuditParameters {
    /// The parameters of a request that names a key and nothing else worth recording.
    static func keyId(_ keyId: String) -> AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        return p
    }
}

extension AuditParameters {
    /// Sign and Verify record the same members; never the message or the signature.
    static func signing(
        _ keyId: String, _ messageType: WireValue<MessageType>?, _ algorithm: WireValue<SigningAlgorithmSpec>, _ dryRun: Bool?
    ) -> AuditParameters {
        var p = AuditParameters.keyId(keyId)
        p.set("messageType", messageType?.rawText ?? MessageType.raw.rawValue)
        p.set("signingAlgorithm", algorithm.rawText)
        p.set("dryRun", dryRun)
        return p
    }

    /// GenerateMac and VerifyMac record the same members; never the message or the MAC.
    static func mac(_ keyId: String, _ algorithm: WireValue<MacAlgorithmSpec>, _ dryRun: Bool?) -> AuditParameters {
        var p = AuditParameters.keyId(keyId)
        p.set("macAlgorithm", algorithm.rawText)
        p.set("dryRun", dryRun)
        return p
    }
}

extension AuditValue {
    static func tags(_ tags: [Tag]) -> AuditValue {
        .array(tags.map { .object(["tagKey": .string($0.tagKey), "tagValue": .string($0.tagValue)]) })
    }

    /// KeyMetadata as CloudTrail writes it in responseElements: lowerCamel names (with AWS's
    /// own `aWSAccountId`) and dates as `Jan 4, 2023, 10:05:52 PM`.
    static func keyMetadata(_ m: KeyMetadata) -> AuditValue {
        var members: [String: AuditValue] = [
            "aWSAccountId": .string(m.awsAccountId), "keyId": .string(m.keyId), "arn": .string(m.arn),
            "creationDate": .string(CloudTrailResponseDate.format(m.creationDate)), "enabled": .bool(m.enabled),
            "description": .string(m.description), "keyUsage": .string(m.keyUsage.rawValue),
            "keyState": .string(m.keyState.rawValue), "origin": .string(m.origin.rawValue),
            "keyManager": .string(m.keyManager.rawValue), "keySpec": .string(m.keySpec.rawValue),
            "multiRegion": .bool(m.multiRegion),
        ]
        if let spec = m.customerMasterKeySpec { members["customerMasterKeySpec"] = .string(spec.rawValue) }
        if let algorithms = m.encryptionAlgorithms {
            members["encryptionAlgorithms"] = .array(algorithms.map { .string($0.rawValue) })
        }
        if let id = m.currentKeyMaterialId { members["currentKeyMaterialId"] = .string(id) }
        if let validTo = m.validTo { members["validTo"] = .string(CloudTrailResponseDate.format(validTo)) }
        if let model = m.expirationModel { members["expirationModel"] = .string(model.rawValue) }
        return .object(members)
    }
}

/// The date style of CloudTrail's responseElements, in UTC.
enum CloudTrailResponseDate {
    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let hour12 = (c.hour! % 12 == 0) ? 12 : c.hour! % 12
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(months[c.month! - 1]) \(c.day!), \(c.year!), \(hour12):\(two(c.minute!)):\(two(c.second!)) \(c.hour! < 12 ? "AM" : "PM")"
    }
}

// Every key spec's operations. Messages, signatures, MACs and peer keys are never recorded.

extension SignRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        .signing(keyId, messageType, signingAlgorithm, dryRun)
    }
}

extension VerifyRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        .signing(keyId, messageType, signingAlgorithm, dryRun)
    }
}

extension GetPublicKeyRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        .keyId(keyId)
    }
}

extension GenerateMacRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        .mac(keyId, macAlgorithm, dryRun)
    }
}

extension VerifyMacRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        .mac(keyId, macAlgorithm, dryRun)
    }
}

extension DeriveSharedSecretRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("keyAgreementAlgorithm", keyAgreementAlgorithm.rawText)
        p.set("dryRun", dryRun)
        return p
    }
}

extension GenerateDataKeyPairRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("keyPairSpec", keyPairSpec.rawText)
        p.set("encryptionContext", encryptionContext)
        p.set("dryRun", dryRun)
        return p
    }
}

extension EnableKeyRotationRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("rotationPeriodInDays", rotationPeriodInDays)
        return p
    }
}

extension DisableKeyRotationRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        .keyId(keyId)
    }
}

extension GetKeyRotationStatusRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        .keyId(keyId)
    }
}

extension RotateKeyOnDemandRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        .keyId(keyId)
    }
}

extension ListKeyRotationsRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("includeKeyMaterial", includeKeyMaterial?.rawText)
        p.set("limit", limit)
        p.set("marker", marker)
        return p
    }
}

/// Import requests record which key and how, never the token, the encrypted material or the
/// wrapping key.
extension GetParametersForImportRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("wrappingAlgorithm", wrappingAlgorithm.rawText)
        p.set("wrappingKeySpec", wrappingKeySpec.rawText)
        return p
    }
}

extension ImportKeyMaterialRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("validTo", validTo.map(CloudTrailResponseDate.format))
        p.set("expirationModel", expirationModel?.rawText)
        p.set("importType", importType?.rawText)
        p.set("keyMaterialDescription", keyMaterialDescription)
        p.set("keyMaterialId", keyMaterialId)
        return p
    }
}

extension DeleteImportedKeyMaterialRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("keyMaterialId", keyMaterialId)
        return p
    }
}

extension ReplicateKeyRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("replicaRegion", replicaRegion)
        p.set("description", description)
        p.set("policy", policy)
        p.set("bypassPolicyLockoutSafetyCheck", bypassPolicyLockoutSafetyCheck)
        p.set("tags", tags.map(AuditValue.tags))
        return p
    }
}

extension UpdatePrimaryRegionRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("primaryRegion", primaryRegion)
        return p
    }
}

// Key policies. A policy document is no secret: CloudTrail records it.

extension PutKeyPolicyRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters.keyId(keyId)
        p.set("policyName", policyName ?? "default")
        p.set("policy", policy)
        p.set("bypassPolicyLockoutSafetyCheck", bypassPolicyLockoutSafetyCheck)
        return p
    }
}

extension GetKeyPolicyRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters.keyId(keyId)
        p.set("policyName", policyName ?? "default")
        return p
    }
}

extension ListKeyPoliciesRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters.keyId(keyId)
        p.set("limit", limit)
        p.set("marker", marker)
        return p
    }
}

// Grants. A grant token is a bearer secret: no record ever holds one, neither the
// GrantTokens a request presents nor the GrantToken CreateGrant answers (its responseElements
// name the grant id only) nor RetireGrant's GrantToken.

extension CreateGrantRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters.keyId(keyId)
        p.set("granteePrincipal", granteePrincipal)
        p.set("retiringPrincipal", retiringPrincipal)
        p.set("operations", operations.map(\.rawText))
        if let constraints {
            var members: [String: AuditValue] = [:]
            if let equals = constraints.encryptionContextEquals { members["encryptionContextEquals"] = .context(equals) }
            if let subset = constraints.encryptionContextSubset { members["encryptionContextSubset"] = .context(subset) }
            p.set("constraints", AuditValue.object(members))
        }
        p.set("name", name)
        p.set("dryRun", dryRun)
        return p
    }
}

extension ListGrantsRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters.keyId(keyId)
        p.set("limit", limit)
        p.set("marker", marker)
        p.set("grantId", grantId)
        p.set("granteePrincipal", granteePrincipal)
        return p
    }
}

extension ListRetirableGrantsRequest: AuditedRequest {
    public static let auditReadOnly = true
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("retiringPrincipal", retiringPrincipal)
        p.set("limit", limit)
        p.set("marker", marker)
        return p
    }
}

extension RetireGrantRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters()
        p.set("keyId", keyId)
        p.set("grantId", grantId)
        p.set("dryRun", dryRun)
        return p
    }
}

extension RevokeGrantRequest: AuditedRequest {
    public static let auditReadOnly = false
    public var auditParameters: AuditParameters {
        var p = AuditParameters.keyId(keyId)
        p.set("grantId", grantId)
        p.set("dryRun", dryRun)
        return p
    }
}

extension AuditValue {
    static func context(_ pairs: [String: String]) -> AuditValue {
        .object(pairs.mapValues(AuditValue.string))
    }
}
