import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTPTypes

/// The last handler of a `trent serve` connection: it gathers one request's head and body,
/// answers it through ``KMSResponder`` in a task of its own, and writes the reply on the
/// channel's event loop.
///
/// Hummingbird's own connection loop passes every part through NIOAsyncChannel's sequences and
/// writers, which under NIO's executor hook cost about 50 executor hops per request; this path
/// makes one task per request. NIO's pipelining handler, ahead of this one, holds a connection's
/// next request back until this reply's end is written, so each connection has at most one
/// request here at a time.
final class KMSRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private let responder: KMSResponder
    private let logger: Logger
    private let sourceIPAddress: String
    private var head: HTTPRequest?
    private var body = ByteBuffer()
    private var bodyTooLarge = false

    init(responder: KMSResponder, logger: Logger, sourceIPAddress: String) {
        self.responder = responder
        self.logger = logger
        self.sourceIPAddress = sourceIPAddress
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
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
            answer(head, body: bodyTooLarge ? nil : body, context: context)
            body = ByteBuffer()
        }
    }

    /// A malformed request has been answered with a 400 by NIO's protocol-error handler; the
    /// connection cannot be trusted to stay in step after it, nor after an I/O error.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func answer(_ head: HTTPRequest, body: ByteBuffer?, context: ChannelHandlerContext) {
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer()))
        let closing = head.headerFields[.connection]?.lowercased() == "close"
        let connection = NIOLoopBound(context, eventLoop: context.eventLoop)
        let responder = self.responder
        let logger = self.logger
        let sourceIPAddress = self.sourceIPAddress
        // A closure of its own: handed to `Task` inline, the region checker gives up on it.
        let work: @Sendable () async -> Void = {
            let reply = await responder.reply(to: request, body: body, sourceIPAddress: sourceIPAddress, logger: logger)
            KMSRequestHandler.write(reply, to: connection, closing: closing)
        }
        Task { await work() }
    }

    /// Writes a reply on the connection's event loop. The task usually resumes there, but not
    /// when the writer thread's acknowledgement of its audit record lands on the other loop.
    private static func write(_ reply: Reply, to connection: NIOLoopBound<ChannelHandlerContext>, closing: Bool) {
        let eventLoop = connection.eventLoop
        guard eventLoop.inEventLoop else {
            eventLoop.execute { write(reply, to: connection, closing: closing) }
            return
        }
        let context = connection.value
        var headers = reply.headers
        headers[.contentLength] = String(reply.body.readableBytes)
        headers[.date] = HTTPDate.now()
        headers[.server] = "Trent"
        if closing { headers[.connection] = "close" }
        context.write(NIOAny(HTTPResponsePart.head(HTTPResponse(status: reply.status, headerFields: headers))), promise: nil)
        context.write(NIOAny(HTTPResponsePart.body(reply.body)), promise: nil)
        if closing {
            let written = eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(NIOAny(HTTPResponsePart.end(nil)), promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in connection.value.close(promise: nil) }
        } else {
            context.writeAndFlush(NIOAny(HTTPResponsePart.end(nil)), promise: nil)
        }
    }
}
