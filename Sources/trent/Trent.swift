import ArgumentParser

/// `trent`: the Trent key management service.
@main
struct Trent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A self-hosted key management service that speaks the AWS KMS API.",
        subcommands: [Serve.self, AuditCommand.self, KeysCommand.self, IamCommand.self, PolicyCommand.self, BenchCommand.self],
        defaultSubcommand: Serve.self)
}
