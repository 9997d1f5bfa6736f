import ArgumentParser
import Foundation
import KMSAudit
import KMSCore
import KMSStorage

/// `trent keys …`: operator views of the keys in a data folder.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Operator views of the keys in a data folder.", subcommands: [Due.self, Reschedule.self])

    struct Due: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List scheduled work (automatic rotations, deletions), earliest first, with its date.")

        @OptionGroup var options: AuditCommand.DataOption

        @Flag(help: "Only what is due now (the server acts on it at its next scheduler pass).")
        var overdue = false

        func run() async throws {
            let store = try options.folder().openRepository()
            let now = Date()
            let work = try await store.scheduledWork(dueBy: overdue ? now : nil, limit: 100_000)
            for item in work {
                let state = item.date <= now ? "due" : "scheduled"
                AuditCommand.say("\(CloudTrailTime.format(item.date))\t\(item.kind.rawValue)\t\(state)\t\(item.key.reference.arn)")
            }
            if work.isEmpty { AuditCommand.say("trent keys: nothing scheduled") }
        }
    }

    /// Moves an existing schedule. The server acts on a date that has passed at its next
    /// scheduler pass (at the latest on its next start).
    struct Reschedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a key's next automatic rotation or its pending deletion to another date (recorded in the audit trail).")

        @OptionGroup var options: AuditCommand.DataOption

        @Option(help: "The key's ARN.")
        var key: String

        @Option(help: "What to move: rotation or deletion.")
        var kind: String

        @Option(help: "The new date, ISO 8601 in UTC (2026-01-01T00:00:00Z).")
        var date: String

        func run() async throws {
            let folder = try options.folder()
            let parts = key.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 6, parts[0] == "arn", parts[5].hasPrefix("key/") else {
                throw ValidationError("--key must be a key ARN (arn:aws:kms:<region>:<account>:key/<id>)")
            }
            let reference = KeyReference(accountId: String(parts[4]), region: String(parts[3]), keyId: String(parts[5].dropFirst(4)))
            let work: ScheduledWork.Kind
            switch kind {
            case "rotation": work = .rotation
            case "deletion": work = .deletion
            default: throw ValidationError("--kind must be rotation or deletion")
            }
            guard let when = CloudTrailTime.parse(date) else { throw ValidationError("--date must be ISO 8601, like 2026-01-01T00:00:00Z") }
            let service = KeyManagementService(repository: try folder.openRepository(), rootKey: try folder.loadRootKey())
            try await service.reschedule(reference, work, to: when)
            AuditCommand.say("trent keys: \(kind) of \(key) now due \(CloudTrailTime.format(when))")
        }
    }
}
