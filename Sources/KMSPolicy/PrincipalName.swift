/// An IAM or STS principal ARN, taken apart: the forms a policy's `AWS` principal may name
/// ("AWS JSON policy elements: Principal").
///
/// - `arn:aws:iam::111122223333:root` (the account; a bare `111122223333` means the same)
/// - `arn:aws:iam::111122223333:user/path/Alice`
/// - `arn:aws:iam::111122223333:role/path/Admin`
/// - `arn:aws:sts::111122223333:assumed-role/Admin/session-name`
/// - `arn:aws:sts::111122223333:federated-user/Bob`
///
/// Wildcards are never part of a principal ARN: AWS KMS refuses them as invalid principals.
struct PrincipalName: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case root
        case user
        case role
        case assumedRole(roleName: String, sessionName: String)
        case federatedUser
    }

    var partition: String
    var accountId: String
    var kind: Kind

    init?(arn: String) {
        // Byte-level checks: this runs for every principal of every statement a request meets.
        guard !arn.utf8.contains(UInt8(ascii: "*")), !arn.utf8.contains(UInt8(ascii: "?")) else { return nil }
        let parts = arn.utf8.split(separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
            .map { Substring($0) }
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, parts[3].isEmpty,
            Self.isAccountId(parts[4])
        else { return nil }
        let service = parts[2]
        let resource = parts[5]
        switch service {
        case "iam":
            if resource == "root" {
                kind = .root
            } else if resource.hasPrefix("user/"), resource.count > "user/".count {
                kind = .user
            } else if resource.hasPrefix("role/"), resource.count > "role/".count {
                kind = .role
            } else {
                return nil
            }
        case "sts":
            if resource.hasPrefix("assumed-role/") {
                let names = resource.dropFirst("assumed-role/".count).split(separator: "/", maxSplits: 1)
                guard names.count == 2 else { return nil }
                kind = .assumedRole(roleName: String(names[0]), sessionName: String(names[1]))
            } else if resource.hasPrefix("federated-user/"), resource.count > "federated-user/".count {
                kind = .federatedUser
            } else {
                return nil
            }
        default:
            return nil
        }
        partition = String(parts[1])
        accountId = String(parts[4])
    }

    /// The ARN of the role an assumed-role session belongs to. A session ARN does not carry
    /// the role's path, so this is right only for roles without one.
    var roleArnOfSession: String? {
        guard case .assumedRole(let roleName, _) = kind else { return nil }
        return "arn:\(partition):iam::\(accountId):role/\(roleName)"
    }

    static func isAccountId<S: StringProtocol>(_ text: S) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
