import Hummingbird
import HummingbirdCore
import KMSCore
import Logging
import NIOCore

/// The Trent HTTP application: Hummingbird's lifecycle (binding, graceful shutdown on SIGTERM
/// and SIGINT) around connections set up by ``KMSChannel``. Its `responder` is what
/// Hummingbird's test client calls in `.router` mode.
public struct TrentApplication: ApplicationProtocol {
    public let responder: KMSResponder
    public let configuration: ApplicationConfiguration
    public let logger: Logger
    let serverRunning: @concurrent @Sendable (any Channel) async -> Void

    public var server: HTTPServerBuilder {
        let channel = KMSChannel(responder: responder, logger: logger)
        // Hummingbird offers its own responder closure here; Trent's connections answer
        // through `KMSResponder` directly.
        return HTTPServerBuilder { _ in channel }
    }

    @Sendable public func onServerRunning(_ channel: any Channel) async {
        await serverRunning(channel)
    }
}

/// Builds the Trent HTTP application. Kept apart from `@main`, so tests build the real app.
public func buildApplication(
    service: KeyManagementService,
    authenticator: any RequestAuthenticator,
    host: String,
    port: Int,
    logger: Logger,
    onServerRunning: @escaping @concurrent @Sendable (any Channel) async -> Void = { _ in }
) -> TrentApplication {
    TrentApplication(
        responder: KMSResponder(service: service, authenticator: authenticator),
        configuration: .init(address: .hostname(host, port: port), serverName: "Trent"),
        logger: logger,
        serverRunning: onServerRunning)
}
