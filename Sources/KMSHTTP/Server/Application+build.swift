import Hummingbird
import KMSCore
import Logging
import NIOCore

/// Builds the Trent HTTP application. Kept apart from `@main`, so tests build the real app.
public func buildApplication(
    service: KeyManagementService,
    authenticator: any RequestAuthenticator,
    host: String,
    port: Int,
    logger: Logger,
    onServerRunning: @escaping @concurrent @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        responder: KMSResponder(service: service, authenticator: authenticator),
        configuration: .init(address: .hostname(host, port: port), serverName: "Trent"),
        onServerRunning: onServerRunning,
        logger: logger)
}
