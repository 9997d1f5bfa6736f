import KMSModel

/// The condition keys a request supplies to policy evaluation, as AWS KMS documents them per
/// operation (kms:EncryptionContext:…, kms:SigningAlgorithm, aws:RequestTag/…, …). Keys the
/// key itself or the caller supply (kms:KeySpec, aws:PrincipalArn, …) are added by the
/// authorization step, not here.
public protocol ConditionSupplying {
    /// `action` is the policy action without its prefix: one request can be authorized for
    /// two actions (ReEncrypt is ReEncryptFrom on the source key and ReEncryptTo on the
    /// destination key), each with its own encryption context.
    func conditionValues(for action: String) -> [String: [String]]
    /// The encryption context `action` uses, which grant constraints compare as a whole.
    func encryptionContext(for action: String) -> [String: String]?
}

extension ConditionSupplying {
    public func encryptionContext(for action: String) -> [String: String]? { nil }
}

extension EncryptRequest {
    public func encryptionContext(for action: String) -> [String: String]? { encryptionContext }
}

extension DecryptRequest {
    public func encryptionContext(for action: String) -> [String: String]? { encryptionContext }
}

extension GenerateDataKeyRequest {
    public func encryptionContext(for action: String) -> [String: String]? { encryptionContext }
}

extension GenerateDataKeyPairRequest {
    public func encryptionContext(for action: String) -> [String: String]? { encryptionContext }
}

extension ReEncryptRequest {
    public func encryptionContext(for action: String) -> [String: String]? {
        action == "ReEncryptFrom" ? sourceEncryptionContext : destinationEncryptionContext
    }
}

/// Encryption context as condition keys: one `kms:EncryptionContext:<key>` per pair, and
/// `kms:EncryptionContextKeys` listing the keys (absent when there is no context, so a
/// `Null` condition can require one).
struct ConditionValues {
    private(set) var values: [String: [String]] = [:]

    mutating func set(_ key: String, _ value: String?) {
        if let value { values[key] = [value] }
    }

    mutating func set(_ key: String, values list: [String]) {
        values[key] = list
    }

    mutating func encryptionContext(_ context: [String: String]?) {
        guard let context, !context.isEmpty else { return }
        for (key, value) in context { values["kms:EncryptionContext:\(key)"] = [value] }
        values["kms:EncryptionContextKeys"] = context.keys.sorted()
    }

    mutating func requestTags(_ tags: [Tag]?) {
        guard let tags, !tags.isEmpty else { return }
        for tag in tags { values["aws:RequestTag/\(tag.tagKey)"] = [tag.tagValue] }
        values["aws:TagKeys"] = tags.map(\.tagKey)
    }
}

extension WireValue {
    /// The string the client sent, known to this server or not.
    var sentText: String {
        switch self {
        case .known(let value): value.rawValue
        case .unknown(let raw): raw
        }
    }
}

extension CreateKeyRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.set("kms:KeySpec", keySpec?.sentText ?? customerMasterKeySpec?.sentText ?? KeySpec.symmetricDefault.rawValue)
        c.set("kms:KeyUsage", keyUsage?.sentText ?? KeyUsage.encryptDecrypt.rawValue)
        c.set("kms:KeyOrigin", origin?.sentText ?? OriginType.awsKMS.rawValue)
        c.set("kms:MultiRegion", String(multiRegion ?? false))
        c.set("kms:BypassPolicyLockoutSafetyCheck", String(bypassPolicyLockoutSafetyCheck ?? false))
        c.requestTags(tags)
        return c.values
    }
}

extension EncryptRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.encryptionContext(encryptionContext)
        c.set("kms:EncryptionAlgorithm", encryptionAlgorithm?.sentText ?? EncryptionAlgorithmSpec.symmetricDefault.rawValue)
        return c.values
    }
}

extension DecryptRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.encryptionContext(encryptionContext)
        c.set("kms:EncryptionAlgorithm", encryptionAlgorithm?.sentText ?? EncryptionAlgorithmSpec.symmetricDefault.rawValue)
        return c.values
    }
}

extension ReEncryptRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        if action == "ReEncryptFrom" {
            c.encryptionContext(sourceEncryptionContext)
            c.set("kms:EncryptionAlgorithm", sourceEncryptionAlgorithm?.sentText ?? EncryptionAlgorithmSpec.symmetricDefault.rawValue)
        } else {
            c.encryptionContext(destinationEncryptionContext)
            c.set(
                "kms:EncryptionAlgorithm",
                destinationEncryptionAlgorithm?.sentText ?? EncryptionAlgorithmSpec.symmetricDefault.rawValue)
        }
        c.set("kms:ReEncryptOnSameKey", String(sourceKeyId != nil && sourceKeyId == destinationKeyId))
        return c.values
    }
}

extension GenerateDataKeyRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.encryptionContext(encryptionContext)
        c.set("kms:EncryptionAlgorithm", EncryptionAlgorithmSpec.symmetricDefault.rawValue)
        return c.values
    }
}

extension GenerateDataKeyPairRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.encryptionContext(encryptionContext)
        c.set("kms:DataKeyPairSpec", keyPairSpec.sentText)
        c.set("kms:EncryptionAlgorithm", EncryptionAlgorithmSpec.symmetricDefault.rawValue)
        return c.values
    }
}

extension SignRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.set("kms:SigningAlgorithm", signingAlgorithm.sentText)
        c.set("kms:MessageType", messageType?.sentText ?? MessageType.raw.rawValue)
        return c.values
    }
}

extension VerifyRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.set("kms:SigningAlgorithm", signingAlgorithm.sentText)
        c.set("kms:MessageType", messageType?.sentText ?? MessageType.raw.rawValue)
        return c.values
    }
}

extension GenerateMacRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.set("kms:MacAlgorithm", macAlgorithm.sentText)
        return c.values
    }
}

extension VerifyMacRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.set("kms:MacAlgorithm", macAlgorithm.sentText)
        return c.values
    }
}

extension DeriveSharedSecretRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.set("kms:KeyAgreementAlgorithm", keyAgreementAlgorithm.sentText)
        return c.values
    }
}

extension TagResourceRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.requestTags(tags)
        return c.values
    }
}

extension UntagResourceRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        if !tagKeys.isEmpty { c.set("aws:TagKeys", values: tagKeys) }
        return c.values
    }
}

extension ScheduleKeyDeletionRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.set("kms:ScheduleKeyDeletionPendingWindowInDays", String(pendingWindowInDays ?? 30))
        return c.values
    }
}

extension ReplicateKeyRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.set("kms:ReplicaRegion", replicaRegion)
        c.set("kms:BypassPolicyLockoutSafetyCheck", String(bypassPolicyLockoutSafetyCheck ?? false))
        c.requestTags(tags)
        return c.values
    }
}

extension EnableKeyRotationRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.set("kms:RotationPeriodInDays", String(rotationPeriodInDays ?? 365))
        return c.values
    }
}

extension UpdatePrimaryRegionRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.set("kms:PrimaryRegion", primaryRegion)
        return c.values
    }
}

extension CreateGrantRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.set("kms:GrantOperations", values: operations.map(\.sentText))
        c.set("kms:GranteePrincipal", granteePrincipal)
        c.set("kms:RetiringPrincipal", retiringPrincipal)
        // Only AWS services create grants "for an AWS resource"; no request here comes from one.
        c.set("kms:GrantIsForAWSResource", "false")
        if let constraints {
            var types: [String] = []
            if constraints.encryptionContextEquals != nil { types.append("EncryptionContextEquals") }
            if constraints.encryptionContextSubset != nil { types.append("EncryptionContextSubset") }
            if !types.isEmpty { c.set("kms:GrantConstraintType", values: types) }
        }
        return c.values
    }
}

extension PutKeyPolicyRequest: ConditionSupplying {
    public func conditionValues(for action: String) -> [String: [String]] {
        var c = ConditionValues()
        c.set("kms:BypassPolicyLockoutSafetyCheck", String(bypassPolicyLockoutSafetyCheck ?? false))
        return c.values
    }
}
