import ArgumentParser
import Foundation
import KMSCore

/// `trent policy simulate`: the IAM policy simulator's question for a KMS key, answered with
/// the evaluation every request gets, against the policies in a data folder.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Check what key policies, identity policies and grants allow.",
        subcommands: [Simulate.self])

    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether a principal may perform an action on a key, and which statement or grant decided.",
            discussion: """
                Prints "allowed" or "denied" and the reason; exits 0 when allowed, 1 when denied, 2 on a mistake.
                Example: trent policy simulate --principal arn:aws:iam::111122223333:user/alice \\
                           --action kms:Decrypt --key arn:aws:kms:us-east-1:111122223333:key/… --context tenant=t1
                """)

        @Option(help: "Data folder (default: $TRENT_DATA, else ./trent-data).")
        var data: String?

        @Option(help: "The principal's ARN: account root, user, role (simulated as a session of it) or assumed-role session.")
        var principal: String

        @Option(help: "The action, like kms:Encrypt.")
        var action: String

        @Option(help: "The key's ARN or an alias ARN; leave out for actions without a key (kms:CreateKey, kms:ListKeys).")
        var key: String?

        @Option(parsing: .singleValue, help: "An encryption context pair, key=value (repeatable).")
        var context: [String] = []

        @Option(parsing: .singleValue, help: "Another condition value, like kms:SigningAlgorithm=ECDSA_SHA_256 (repeatable).")
        var condition: [String] = []

        func run() async throws {
            do {
                let folder = try DataFolder(existing: DataFolder.resolve(data))
                let service = KeyManagementService(repository: try folder.openRepository(), rootKey: try folder.loadRootKey())
                var conditions: [String: [String]] = [:]
                for (name, value) in try condition.map(Self.pair) { conditions[name, default: []].append(value) }
                let simulation = PolicySimulation(
                    principalArn: principal, action: action, key: key,
                    encryptionContext: Dictionary(try context.map(Self.pair), uniquingKeysWith: { $1 }), conditions: conditions)
                let result = try await service.simulate(simulation)
                print(result.decision.isAllowed ? "allowed" : "denied")
                print("  \(result.decision.explanation)")
                if let message = result.denialMessage { print("  AccessDeniedException: \(message)") }
                if !result.decision.isAllowed { throw ExitCode(1) }
            } catch let mistake as PolicySimulationError {
                FileHandle.standardError.write(Data("trent policy: \(mistake)\n".utf8))
                throw ExitCode(2)
            } catch let missing as DataFolderError {
                FileHandle.standardError.write(Data("trent policy: \(missing)\n".utf8))
                throw ExitCode(2)
            }
        }

        static func pair(_ text: String) throws -> (String, String) {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ValidationError("expected key=value, got '\(text)'")
            }
            return (String(text[..<equals]), String(text[text.index(after: equals)...]))
        }
    }
}
