import Foundation
import KMSPolicy
import KMSModel

/// What an operator may not give `trent iam`: each case says what is wrong and, where it
/// helps, what to do.
public enum PrincipalAdministrationError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    case noSuchAccount(String)
    /// `--account` was left out on a data folder with more (or fewer) than one account.
    case accountRequired(existing: [String])
    case noSuchUser(accountId: String, userName: String)
    case userExists(accountId: String, userName: String)
    case noSuchRole(accountId: String, roleName: String)
    case roleExists(accountId: String, roleName: String)
    case noSuchPolicy(ownerArn: String, policyName: String)
    case noSuchAccessKey(String)
    /// IAM allows two access keys per user (and per account root).
    case accessKeyLimit(principalArn: String)

    public var description: String {
        switch self {
        case .invalid(let message): message
        case .noSuchAccount(let account): "no account \(account) in this data folder (trent iam list-accounts lists them)"
        case .accountRequired(let existing):
            existing.isEmpty
                ? "this data folder has no account yet: start the server once, or run trent iam create-account"
                : "--account is required: this data folder has \(existing.count) accounts (\(existing.joined(separator: ", ")))"
        case .noSuchUser(let account, let name): "no user named \(name) in account \(account)"
        case .userExists(let account, let name): "a user named \(name) already exists in account \(account) (names ignore case)"
        case .noSuchRole(let account, let name): "no role named \(name) in account \(account)"
        case .roleExists(let account, let name): "a role named \(name) already exists in account \(account) (names ignore case)"
        case .noSuchPolicy(let owner, let name): "\(owner) has no inline policy named \(name)"
        case .noSuchAccessKey(let id): "no access key \(id)"
        case .accessKeyLimit(let arn): "\(arn) already has 2 access keys, IAM's limit: delete one first"
        }
    }
}

/// IAM's constraints on names, tags and documents, checked before anything is stored.
/// [IAM quotas and name requirements](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)
public enum PrincipalValidation {
    /// User and role names: `[\w+=,.@-]{1,64}`, where `\w` is ASCII letters, digits and `_`.
    public static func checkName(_ name: String, of kind: String) throws {
        guard (1...64).contains(name.count), name.unicodeScalars.allSatisfy(isNameCharacter) else {
            throw PrincipalAdministrationError.invalid(
                "invalid \(kind) name '\(name)': use 1 to 64 of the characters A-Z a-z 0-9 _ + = , . @ -")
        }
    }

    /// Inline policy names: `[\w+=,.@-]{1,128}`.
    public static func checkPolicyName(_ name: String) throws {
        guard (1...128).contains(name.count), name.unicodeScalars.allSatisfy(isNameCharacter) else {
            throw PrincipalAdministrationError.invalid(
                "invalid policy name '\(name)': use 1 to 128 of the characters A-Z a-z 0-9 _ + = , . @ -")
        }
    }

    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "+", "=", ",", ".", "@", "-": true
        default: false
        }
    }

    public static func checkAccountId(_ account: String) throws {
        guard account.count == 12, account.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw PrincipalAdministrationError.invalid("invalid account id '\(account)': an account id is 12 digits")
        }
    }

    /// IAM's tag rules: at most 50, keys of 1–128 and values of 0–256 letters, digits, spaces
    /// and `_ . : / = + - @`, no key twice (ignoring case), none starting with `aws:`.
    public static func checkTags(_ tags: [Tag]) throws {
        guard tags.count <= 50 else { throw PrincipalAdministrationError.invalid("at most 50 tags, not \(tags.count)") }
        var seen: Set<String> = []
        for tag in tags {
            guard (1...128).contains(tag.tagKey.count), tag.tagKey.unicodeScalars.allSatisfy(isTagCharacter) else {
                throw PrincipalAdministrationError.invalid(
                    "invalid tag key '\(tag.tagKey)': use 1 to 128 letters, digits, spaces or _ . : / = + - @")
            }
            guard tag.tagValue.count <= 256, tag.tagValue.unicodeScalars.allSatisfy(isTagCharacter) else {
                throw PrincipalAdministrationError.invalid(
                    "invalid value for tag '\(tag.tagKey)': use at most 256 letters, digits, spaces or _ . : / = + - @")
            }
            guard !tag.tagKey.lowercased().hasPrefix("aws:") else {
                throw PrincipalAdministrationError.invalid("tag keys starting with aws: are reserved: '\(tag.tagKey)'")
            }
            guard seen.insert(tag.tagKey.lowercased()).inserted else {
                throw PrincipalAdministrationError.invalid("tag key '\(tag.tagKey)' given twice (tag keys ignore case)")
            }
        }
    }

    static func isTagCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .spaceSeparator, .lineSeparator, .paragraphSeparator, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return "_.:/=+-@".unicodeScalars.contains(scalar)
        }
    }

    /// A role's maximum session duration: one to twelve hours.
    public static func checkMaxSessionDuration(_ seconds: Int) throws {
        guard (3600...43200).contains(seconds) else {
            throw PrincipalAdministrationError.invalid(
                "invalid maximum session duration \(seconds): it must be 3600 to 43200 seconds (1 to 12 hours)")
        }
    }
}

/// The one place a policy document is checked before it is stored.
///
/// Today it checks that the text is a JSON object (and not absurdly large). The policy
/// evaluator (`KMSPolicy`) will extend this with the grammar: Version, Statement, Effect,
/// Principal, Action, Resource, Condition and their values.
public enum PolicyDocumentCheck {
    public enum Kind: String, Sendable {
        /// An inline identity policy of a user or role.
        case identity = "policy"
        /// A role's trust policy.
        case trust = "trust policy"
    }

    /// IAM's largest document (a role's inline policies together, after raising quotas) is
    /// well under this.
    static let maximumLength = 131_072

    public static func check(_ text: String, kind: Kind) throws {
        guard text.utf8.count <= maximumLength else {
            throw PrincipalAdministrationError.invalid("the \(kind.rawValue) document is longer than \(maximumLength) bytes")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            throw PrincipalAdministrationError.invalid(
                "the \(kind.rawValue) document is not valid JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error)")
        }
        guard parsed is [String: Any] else {
            throw PrincipalAdministrationError.invalid("the \(kind.rawValue) document must be a JSON object ({\"Version\": …, \"Statement\": …})")
        }
        // IAM's grammar, as the evaluator will read the document on every request: a document
        // stored here must never fail there.
        do {
            _ = try PolicyDocument(json: text, kind: kind == .identity ? .identity : .trust)
        } catch {
            throw PrincipalAdministrationError.invalid("the \(kind.rawValue) document is malformed: \(error.reason)")
        }
    }
}
