import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// The handler of a `trent serve` connection, after NIO's HTTP/1.1 request decoder: it gathers
/// one request's head and body, answers it through ``KMSResponder`` in a task of its own, and
/// writes the reply, framed by ``ReplyEncoding``, on the channel's event loop.
///
/// It does the little of HTTP/1.1 serving that KMS needs itself, in place of Hummingbird's
/// NIOAsyncChannel loop and NIO's pipelining, protocol-error and response-encoding handlers:
/// - one request at a time: parts of a pipelined request wait until the reply before them is
///   written, and reading from the socket pauses while too many wait;
/// - `Connection: close`, or HTTP/1.0 without keep-alive, closes the connection after the reply;
/// - a malformed request gets a 400 and the connection is closed;
/// - when the server shuts down, a connection is closed at once, or after its reply if it is
///   answering a request.
final class KMSRequestHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let responder: KMSResponder
    private let logger: Logger
    private let sourceIPAddress: String
    /// Where each request's task runs: the connection's event loop.
    private let executor: EventLoopTaskExecutor

    /// The request being read.
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var bodyTooLarge = false
    /// A request is being answered; what arrives meanwhile waits in `waitingParts`.
    private var answering = false
    private var waitingParts = CircularBuffer<HTTPServerRequestPart>()
    /// The channel asked to read while too many parts were waiting.
    private var readWaiting = false
    /// Reading pauses past this many waiting parts (a request is at least three), which bounds
    /// what a client that pipelines can make the server hold. Below it, reads go on while a
    /// request is answered: pausing for every request cost two `epoll_ctl` calls per request,
    /// one to stop watching the socket and one to watch it again.
    static let waitingPartsLimit = 32
    private var closeAfterReply = false
    /// The last bytes are written and the connection is closing: input is dropped.
    private var closing = false

    init(responder: KMSResponder, logger: Logger, sourceIPAddress: String, executor: EventLoopTaskExecutor) {
        self.responder = responder
        self.logger = logger
        self.sourceIPAddress = sourceIPAddress
        self.executor = executor
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        let part = unwrapInboundIn(data)
        if answering || !waitingParts.isEmpty {
            waitingParts.append(part)
        } else {
            receive(part, context: context)
        }
    }

    private func receive(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            self.head = head
            body = ByteBuffer()
            bodyTooLarge = false
        case .body(var part):
            guard !bodyTooLarge else { return }
            if body.readableBytes + part.readableBytes > maximumBodySize {
                // The rest is read and dropped, so the connection stays in step for the 413.
                bodyTooLarge = true
                body = ByteBuffer()
            } else if body.readableBytes == 0 {
                body = part  // the usual case, a body in one part: no copy
            } else {
                body.writeBuffer(&part)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let body = bodyTooLarge ? nil : self.body
            self.body = ByteBuffer()
            answering = true
            if !head.isKeepAlive { closeAfterReply = true }
            answer(IncomingRequest(head), body: body, context: context)
        }
    }

    private func answer(_ request: IncomingRequest, body: ByteBuffer?, context: ChannelHandlerContext) {
        let connection = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let responder = self.responder
        let logger = self.logger
        let sourceIPAddress = self.sourceIPAddress
        let omitBody = request.method == "HEAD"
        // A closure of its own: handed to `Task` inline, the region checker gives up on it.
        let work: @Sendable () async -> Void = {
            let reply = await responder.reply(to: request, body: body, sourceIPAddress: sourceIPAddress, logger: logger)
            KMSRequestHandler.deliver(reply, omitBody: omitBody, to: connection)
        }
        Task(executorPreference: executor) { await work() }
    }

    /// The task prefers the connection's event loop (``EventLoopTaskExecutor``), so it normally
    /// ends there; the check keeps the write on the loop should anything move it.
    private static func deliver(
        _ reply: Reply, omitBody: Bool, to connection: NIOLoopBound<(handler: KMSRequestHandler, context: ChannelHandlerContext)>
    ) {
        guard connection.eventLoop.inEventLoop else {
            connection.eventLoop.execute { deliver(reply, omitBody: omitBody, to: connection) }
            return
        }
        let (handler, context) = connection.value
        handler.write(reply, omitBody: omitBody, context: context)
    }

    private func write(_ reply: Reply, omitBody: Bool, context: ChannelHandlerContext) {
        var bytes = context.channel.allocator.buffer(capacity: ReplyEncoding.capacity(for: reply))
        ReplyEncoding.encode(reply, closing: closeAfterReply, omitBody: omitBody, into: &bytes)
        answering = false
        if closeAfterReply {
            writeThenClose(bytes, context: context)
            return
        }
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        // Requests that came in meanwhile, in order.
        while !answering, let part = waitingParts.popFirst() {
            receive(part, context: context)
        }
        if readWaiting, waitingParts.count < Self.waitingPartsLimit {
            readWaiting = false
            context.read()
        }
    }

    private func refuseMalformed(context: ChannelHandlerContext) {
        writeThenClose(ReplyEncoding.badRequest, context: context)
    }

    /// Closing at once would drop what the socket has not yet taken.
    private func writeThenClose(_ bytes: ByteBuffer, context: ChannelHandlerContext) {
        closing = true
        waitingParts.removeAll()
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(bytes), promise: written)
        let channel = context.channel
        written.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }

    func read(context: ChannelHandlerContext) {
        if waitingParts.count >= Self.waitingPartsLimit {
            readWaiting = true
        } else {
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        // A request still arriving is dropped: a client that stalls must not hold the shutdown.
        if answering {
            closeAfterReply = true
        } else {
            context.close(promise: nil)
        }
    }

    /// NIO's decoder found a malformed request (it decodes nothing more after one), or the
    /// connection failed. A 400 is owed only if no reply is being prepared.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        waitingParts.removeAll()
        if answering {
            closeAfterReply = true
        } else if error is HTTPParserError {
            refuseMalformed(context: context)
        } else {
            context.close(promise: nil)
        }
    }
}
