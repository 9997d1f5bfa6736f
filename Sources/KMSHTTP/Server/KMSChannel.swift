import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// How `trent serve` sets up each accepted connection: NIO's HTTP/1.1 codec; its pipelining
/// handler, which passes on one request at a time and, when the server shuts down, closes the
/// connection at once if idle or else after its reply; its protocol-error handler (a malformed
/// request gets a 400, and ``KMSRequestHandler`` then closes the connection); the conversion to
/// HTTP types; and ``KMSRequestHandler``.
struct KMSChannel: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let channel: any Channel
    }

    let responder: KMSResponder
    let logger: Logger

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(KMSRequestHandler(
                responder: responder, logger: self.logger,
                sourceIPAddress: channel.remoteAddress?.ipAddress ?? "unknown"))
            return Value(channel: channel)
        }
    }

    /// The connection's work happens in its handlers; this task only lives as long as it does,
    /// which is what the server waits for when it shuts down.
    func handle(value: Value, logger: Logger) async {
        await withTaskCancellationHandler {
            try? await value.channel.closeFuture.get()
        } onCancel: {
            value.channel.close(promise: nil)
        }
    }
}
