/// The four ways a request can name a key: key id, key ARN, alias name, alias ARN.
/// [KeyId](https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html#KMS-DescribeKey-request-KeyId)
public enum KeyIdentifier: Sendable, Equatable {
    case keyId(String)
    case keyArn(region: String, accountId: String, keyId: String)
    case aliasName(String)
    case aliasArn(region: String, accountId: String, aliasName: String)

    public init?(_ text: String) {
        if text.hasPrefix("alias/") {
            self = .aliasName(text)
            return
        }
        if text.hasPrefix("arn:") {
            // arn:<partition>:kms:<region>:<account>:key/<id> or …:alias/<name>
            let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, parts[2] == "kms", !parts[3].isEmpty, parts[4].count == 12 else { return nil }
            let region = String(parts[3])
            let account = String(parts[4])
            let resource = parts[5]
            if resource.hasPrefix("key/"), KeyIdentifier.isKeyId(resource.dropFirst(4)) {
                self = .keyArn(region: region, accountId: account, keyId: String(resource.dropFirst(4)))
            } else if resource.hasPrefix("alias/"), resource.count > 6 {
                self = .aliasArn(region: region, accountId: account, aliasName: String(resource))
            } else {
                return nil
            }
            return
        }
        guard KeyIdentifier.isKeyId(text) else { return nil }
        self = .keyId(text)
    }

    public var isAlias: Bool {
        switch self {
        case .aliasName, .aliasArn: true
        case .keyId, .keyArn: false
        }
    }

    /// A lowercase UUID, or a multi-Region `mrk-` id followed by 32 hex digits.
    public static func isKeyId(_ text: some StringProtocol) -> Bool {
        let bytes = Array(text.utf8)
        func isHex(_ b: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(b)
        }
        if bytes.count == 36, text.hasPrefix("mrk-") {
            return bytes[4...].allSatisfy(isHex)
        }
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else if !isHex(byte) {
                return false
            }
        }
        return true
    }
}
