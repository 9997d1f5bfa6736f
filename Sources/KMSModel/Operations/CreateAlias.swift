/// [CreateAlias](https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html) and
/// [UpdateAlias](https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateAlias.html) share one shape.
public struct CreateAliasRequest: ValidatedRequest {
    public static let requiredMembers = ["AliasName", "TargetKeyId"]

    public var aliasName: String
    public var targetKeyId: String

    public init(aliasName: String, targetKeyId: String) {
        self.aliasName = aliasName
        self.targetKeyId = targetKeyId
    }

    public func validate(into v: inout Validation) {
        v.aliasName(aliasName)
        v.keyId(targetKeyId, "targetKeyId")
    }

    enum CodingKeys: String, CodingKey {
        case aliasName = "AliasName"
        case targetKeyId = "TargetKeyId"
    }
}

public typealias UpdateAliasRequest = CreateAliasRequest

/// [DeleteAlias](https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteAlias.html)
public struct DeleteAliasRequest: ValidatedRequest {
    public static let requiredMembers = ["AliasName"]

    public var aliasName: String

    public init(aliasName: String) { self.aliasName = aliasName }

    public func validate(into v: inout Validation) {
        v.aliasName(aliasName)
    }

    enum CodingKeys: String, CodingKey { case aliasName = "AliasName" }
}

extension Validation {
    /// `AliasNameType`: 1–256 characters of `[a-zA-Z0-9:/_-]`.
    public mutating func aliasName(_ name: String?, _ member: String = "aliasName") {
        length(name, member, 1...256)
        pattern(name, member, "^[a-zA-Z0-9:/_-]+$") { name in
            !name.isEmpty && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: ":"), UInt8(ascii: "/"),
                    UInt8(ascii: "_"), UInt8(ascii: "-"):
                    true
                default: false
                }
            }
        }
    }
}
