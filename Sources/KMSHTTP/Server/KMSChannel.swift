import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// How `trent serve` sets up each accepted connection: NIO's HTTP/1.1 request decoder, then
/// ``KMSRequestHandler``, which does the rest.
struct KMSChannel: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let channel: any Channel
    }

    let responder: KMSResponder
    let logger: Logger
    /// Where each connection's request tasks run: its loop, through the loop's one executor.
    let executors = EventLoopTaskExecutors()

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
            try pipeline.addHandler(KMSRequestHandler(
                responder: responder, logger: self.logger,
                sourceIPAddress: channel.remoteAddress?.ipAddress ?? "unknown", executor: executors.executor(for: channel.eventLoop)))
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
