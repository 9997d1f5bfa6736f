import ArgumentParser
import Foundation
import KMSAudit
import KMSCore
import KMSModel
import KMSStorage

/// `trent iam …`: accounts, IAM users, roles, inline policies and access keys of a data folder.
/// A running server sees each change on its next request (see `PrincipalChangeFile`). Every
/// change is recorded in the audit trail (`eventSource` `iam.amazonaws.com`, `invokedBy`
/// `trent iam`); secrets are printed once and stored only wrapped under the root key.
struct IamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iam", abstract: "Manage accounts, IAM users, roles, their policies and access keys.",
        subcommands: [
            CreateAccount.self, ListAccounts.self,
            CreateUser.self, DeleteUser.self, ListUsers.self,
            CreateRole.self, DeleteRole.self, ListRoles.self,
            CreateAccessKey.self, DeleteAccessKey.self, ListAccessKeys.self,
            PutUserPolicy.self, PutRolePolicy.self, DeleteUserPolicy.self, DeleteRolePolicy.self, ListPolicies.self,
        ])

    struct Options: ParsableArguments {
        @Option(help: "Data folder (default: $TRENT_DATA, else ./trent-data).")
        var data: String?

        @Option(help: "Account id (default: the only account of the data folder).")
        var account: String?

        func service() throws -> KeyManagementService {
            let folder = try DataFolder(existing: DataFolder.resolve(data))
            return KeyManagementService(repository: try folder.openRepository(), rootKey: try folder.loadRootKey())
        }

        /// Runs `body` with the service and the account, turning the operator's mistakes into
        /// one clear line and exit status 1.
        func run(_ body: (KeyManagementService, String) async throws -> Void) async throws {
            try await IamCommand.reportingMistakes {
                let service = try service()
                try await body(service, try await service.resolveAccount(account))
            }
        }
    }

    struct DataOnly: ParsableArguments {
        @Option(help: "Data folder (default: $TRENT_DATA, else ./trent-data).")
        var data: String?

        func service() throws -> KeyManagementService {
            let folder = try DataFolder(existing: DataFolder.resolve(data))
            return KeyManagementService(repository: try folder.openRepository(), rootKey: try folder.loadRootKey())
        }
    }

    static func reportingMistakes(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let mistake as PrincipalAdministrationError {
            FileHandle.standardError.write(Data("trent iam: \(mistake)\n".utf8))
            throw ExitCode(1)
        } catch let missing as DataFolderError {
            FileHandle.standardError.write(Data("trent iam: \(missing)\n".utf8))
            throw ExitCode(1)
        }
    }

    static func say(_ line: String) { AuditCommand.say(line) }

    /// Prints a new access key as lines to paste into a shell.
    static func printSecret(_ issued: IssuedCredential, intro: String) {
        say("trent iam: \(intro); the secret access key is shown only this once:")
        say("export AWS_ACCESS_KEY_ID=\(issued.accessKeyId)")
        say("export AWS_SECRET_ACCESS_KEY=\(issued.secretAccessKey)")
    }

    /// A document given inline, as `@path`, or as `file://path` (the AWS CLI's spelling).
    static func document(_ value: String) throws -> String {
        var path: String?
        if value.hasPrefix("@") { path = String(value.dropFirst()) }
        if value.hasPrefix("file://") { path = String(value.dropFirst("file://".count)) }
        guard let path else { return value }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PrincipalAdministrationError.invalid("cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// `--tag key=value`, repeated.
    static func tags(_ values: [String]) throws -> [Tag] {
        try values.map { value in
            guard let equals = value.firstIndex(of: "=") else {
                throw PrincipalAdministrationError.invalid("--tag takes key=value, not '\(value)'")
            }
            return Tag(tagKey: String(value[..<equals]), tagValue: String(value[value.index(after: equals)...]))
        }
    }

    static func date(_ date: Date) -> String { CloudTrailTime.format(date) }

    // MARK: Accounts

    struct CreateAccount: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account and its root access key (printed once).")
        @OptionGroup var options: DataOnly

        func run() async throws {
            try await IamCommand.reportingMistakes {
                let issued = try await options.service().createAccount(audited: true)
                IamCommand.printSecret(issued, intro: "created account \(issued.accountId) with root access key \(issued.accessKeyId)")
            }
        }
    }

    struct ListAccounts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts: id, created.")
        @OptionGroup var options: DataOnly

        func run() async throws {
            try await IamCommand.reportingMistakes {
                for account in try await options.service().accounts() {
                    IamCommand.say("\(account.accountId)\t\(IamCommand.date(account.createdAt))")
                }
            }
        }
    }

    // MARK: Users

    struct CreateUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an IAM user.")
        @OptionGroup var options: Options
        @Option(help: "User name: 1 to 64 of A-Z a-z 0-9 _ + = , . @ -") var name: String
        @Option(name: .customLong("tag"), help: "A tag, key=value (repeatable).") var tag: [String] = []

        func run() async throws {
            try await options.run { service, account in
                let user = try await service.createUser(accountId: account, userName: name, tags: try IamCommand.tags(tag))
                IamCommand.say("trent iam: created user \(user.arn) (\(user.userId))")
            }
        }
    }

    struct DeleteUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an IAM user, its access keys and its policies.")
        @OptionGroup var options: Options
        @Option(help: "User name.") var name: String

        func run() async throws {
            try await options.run { service, account in
                try await service.deleteUser(accountId: account, userName: name)
                IamCommand.say("trent iam: deleted user \(name) of account \(account), with its access keys and policies")
            }
        }
    }

    struct ListUsers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the IAM users: name, id, ARN, created, tags.")
        @OptionGroup var options: Options

        func run() async throws {
            try await options.run { service, account in
                for user in try await service.users(accountId: account) {
                    let tags = user.tags.map { "\($0.tagKey)=\($0.tagValue)" }.joined(separator: ",")
                    IamCommand.say("\(user.userName)\t\(user.userId)\t\(user.arn)\t\(IamCommand.date(user.createdAt))\t\(tags)")
                }
            }
        }
    }

    // MARK: Roles

    struct CreateRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a role that principals its trust policy allows may assume.")
        @OptionGroup var options: Options
        @Option(help: "Role name: 1 to 64 of A-Z a-z 0-9 _ + = , . @ -") var name: String
        @Option(help: "The trust policy: JSON, @file or file://path.") var trustPolicy: String
        @Option(help: "Longest session AssumeRole may grant, 3600 to 43200 seconds.") var maxSessionDuration = 3600
        @Option(name: .customLong("tag"), help: "A tag, key=value (repeatable).") var tag: [String] = []

        func run() async throws {
            try await options.run { service, account in
                let role = try await service.createRole(
                    accountId: account, roleName: name, trustPolicy: try IamCommand.document(trustPolicy),
                    maxSessionDuration: maxSessionDuration, tags: try IamCommand.tags(tag))
                IamCommand.say("trent iam: created role \(role.arn) (\(role.roleId))")
            }
        }
    }

    struct DeleteRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a role and its policies; its sessions stop working.")
        @OptionGroup var options: Options
        @Option(help: "Role name.") var name: String

        func run() async throws {
            try await options.run { service, account in
                try await service.deleteRole(accountId: account, roleName: name)
                IamCommand.say("trent iam: deleted role \(name) of account \(account), with its policies")
            }
        }
    }

    struct ListRoles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the roles: name, id, ARN, maximum session duration, created, tags (--trust-policies: and each trust policy).")
        @OptionGroup var options: Options
        @Flag(help: "Print each role's trust policy after it.") var trustPolicies = false

        func run() async throws {
            try await options.run { service, account in
                for role in try await service.roles(accountId: account) {
                    let tags = role.tags.map { "\($0.tagKey)=\($0.tagValue)" }.joined(separator: ",")
                    IamCommand.say(
                        "\(role.roleName)\t\(role.roleId)\t\(role.arn)\t\(role.maxSessionDuration)\t\(IamCommand.date(role.createdAt))\t\(tags)")
                    if trustPolicies { IamCommand.say(role.trustPolicy) }
                }
            }
        }
    }

    // MARK: Access keys

    struct CreateAccessKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an access key for a user (or, with --root, for the account root); the secret is printed once.")
        @OptionGroup var options: Options
        @Option(help: "The user the key is for.") var user: String?
        @Flag(help: "Make a key for the account root instead of a user.") var root = false

        func validate() throws {
            guard (user != nil) != root else { throw ValidationError("give either --user NAME or --root") }
        }

        func run() async throws {
            try await options.run { service, account in
                let issued = try await service.createAccessKey(accountId: account, userName: user)
                IamCommand.printSecret(issued, intro: "created access key \(issued.accessKeyId) for \(issued.principalArn)")
            }
        }
    }

    struct DeleteAccessKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an access key; it stops working at once.")
        @OptionGroup var options: DataOnly
        @Option(help: "The access key id (AKIA…).") var accessKeyId: String

        func run() async throws {
            try await IamCommand.reportingMistakes {
                try await options.service().deleteAccessKey(accessKeyId: accessKeyId)
                IamCommand.say("trent iam: deleted access key \(accessKeyId)")
            }
        }
    }

    struct ListAccessKeys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List access keys (never secrets): id, principal ARN, created.")
        @OptionGroup var options: Options
        @Option(help: "Only this user's keys.") var user: String?

        func run() async throws {
            try await options.run { service, account in
                for key in try await service.accessKeys(accountId: account, userName: user) {
                    IamCommand.say("\(key.accessKeyId)\t\(key.principalArn)\t\(IamCommand.date(key.createdAt))")
                }
            }
        }
    }

    // MARK: Inline policies

    struct PolicyOptions: ParsableArguments {
        @Option(help: "Policy name: 1 to 128 of A-Z a-z 0-9 _ + = , . @ -") var policyName: String
    }

    struct PutUserPolicy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add or replace (by name) an inline policy of a user.")
        @OptionGroup var options: Options
        @Option(help: "User name.") var name: String
        @OptionGroup var policy: PolicyOptions
        @Option(help: "The policy: JSON, @file or file://path.") var document: String

        func run() async throws {
            try await options.run { service, account in
                try await service.putPolicy(
                    accountId: account, owner: .user(name), policyName: policy.policyName, document: try IamCommand.document(document))
                IamCommand.say("trent iam: put policy \(policy.policyName) on user \(name)")
            }
        }
    }

    struct PutRolePolicy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add or replace (by name) an inline policy of a role.")
        @OptionGroup var options: Options
        @Option(help: "Role name.") var name: String
        @OptionGroup var policy: PolicyOptions
        @Option(help: "The policy: JSON, @file or file://path.") var document: String

        func run() async throws {
            try await options.run { service, account in
                try await service.putPolicy(
                    accountId: account, owner: .role(name), policyName: policy.policyName, document: try IamCommand.document(document))
                IamCommand.say("trent iam: put policy \(policy.policyName) on role \(name)")
            }
        }
    }

    struct DeleteUserPolicy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an inline policy of a user.")
        @OptionGroup var options: Options
        @Option(help: "User name.") var name: String
        @OptionGroup var policy: PolicyOptions

        func run() async throws {
            try await options.run { service, account in
                try await service.deletePolicy(accountId: account, owner: .user(name), policyName: policy.policyName)
                IamCommand.say("trent iam: deleted policy \(policy.policyName) of user \(name)")
            }
        }
    }

    struct DeleteRolePolicy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an inline policy of a role.")
        @OptionGroup var options: Options
        @Option(help: "Role name.") var name: String
        @OptionGroup var policy: PolicyOptions

        func run() async throws {
            try await options.run { service, account in
                try await service.deletePolicy(accountId: account, owner: .role(name), policyName: policy.policyName)
                IamCommand.say("trent iam: deleted policy \(policy.policyName) of role \(name)")
            }
        }
    }

    struct ListPolicies: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List inline policies: owner ARN, policy name (--documents: and each document).")
        @OptionGroup var options: Options
        @Option(help: "Only this user's policies.") var user: String?
        @Option(help: "Only this role's policies.") var role: String?
        @Flag(help: "Print each policy's document after it.") var documents = false

        func validate() throws {
            guard user == nil || role == nil else { throw ValidationError("give --user or --role, not both") }
        }

        func run() async throws {
            try await options.run { service, account in
                let owner: KeyManagementService.PolicyOwner? = user.map { .user($0) } ?? role.map { .role($0) }
                for policy in try await service.policies(accountId: account, owner: owner) {
                    IamCommand.say("\(policy.ownerArn)\t\(policy.policyName)")
                    if documents { IamCommand.say(policy.document) }
                }
            }
        }
    }
}
