import KMSCore
import Logging

/// The server's key scheduler: a pass over due work at start (catching up on whatever fell
/// due while the server was down), then one every interval. What a pass does lives in
/// `KeyManagementService.runDueWork`, tested with a manual clock.
struct KeyScheduler: Sendable {
    let service: KeyManagementService
    let interval: Duration
    let logger: Logger

    func run() async {
        while !Task.isCancelled {
            for outcome in await service.runDueWork() {
                logger.info(
                    "scheduled work", metadata: [
                        "kind": "\(outcome.work.kind.rawValue)", "key": "\(outcome.work.key.reference.arn)",
                        "due": "\(outcome.work.date)", "result": "\(outcome.result)",
                    ])
            }
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
        }
    }
}
