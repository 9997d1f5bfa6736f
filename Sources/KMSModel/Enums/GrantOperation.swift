/// An operation a grant permits.
/// [GrantOperation](https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html#KMS-CreateGrant-request-Operations)
public enum GrantOperation: String, WireEnum {
    case decrypt = "Decrypt"
    case encrypt = "Encrypt"
    case generateDataKey = "GenerateDataKey"
    case generateDataKeyWithoutPlaintext = "GenerateDataKeyWithoutPlaintext"
    case reEncryptFrom = "ReEncryptFrom"
    case reEncryptTo = "ReEncryptTo"
    case sign = "Sign"
    case verify = "Verify"
    case getPublicKey = "GetPublicKey"
    case createGrant = "CreateGrant"
    case retireGrant = "RetireGrant"
    case describeKey = "DescribeKey"
    case generateDataKeyPair = "GenerateDataKeyPair"
    case generateDataKeyPairWithoutPlaintext = "GenerateDataKeyPairWithoutPlaintext"
    case generateMac = "GenerateMac"
    case verifyMac = "VerifyMac"
    case deriveSharedSecret = "DeriveSharedSecret"
}

extension Validation {
    /// A list of enum members, reported as AWS reports one: the whole list, then the nested
    /// constraint on its members.
    public mutating func members<Value>(_ values: [WireValue<Value>]?, _ member: String) {
        guard let values, values.contains(where: { $0.value == nil }) else { return }
        fail(
            member, value: "[" + values.map(\.rawText).joined(separator: ", ") + "]",
            constraint: "Member must satisfy constraint: [Member must satisfy enum value set: \(Value.valueSet)]")
    }
}
