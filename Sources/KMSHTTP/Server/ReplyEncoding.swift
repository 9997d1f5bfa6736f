import HTTPTypes
import NIOCore

/// A ``Reply`` as HTTP/1.1 bytes, in one buffer: the status line, the reply's own headers, the
/// framing and server headers, and the body. Reply headers are Trent's own (content type,
/// request id), so they need no validation here.
enum ReplyEncoding {
    /// Enough for the head as Trent writes it, plus the body.
    static func capacity(for reply: Reply) -> Int {
        256 + reply.body.readableBytes
    }

    static func encode(_ reply: Reply, closing: Bool, omitBody: Bool, into bytes: inout ByteBuffer) {
        bytes.writeString("HTTP/1.1 ")
        bytes.writeString(String(reply.status.code))
        bytes.writeString(" ")
        bytes.writeString(reply.status.reasonPhrase)
        bytes.writeString("\r\n")
        bytes.writeString("Content-Type: ")
        bytes.writeString(reply.contentType)
        bytes.writeString("\r\nx-amzn-RequestId: ")
        bytes.writeString(reply.requestId)
        bytes.writeString("\r\nContent-Length: ")
        bytes.writeString(String(reply.body.readableBytes))
        bytes.writeString("\r\nDate: ")
        bytes.writeString(HTTPDate.now())
        bytes.writeString("\r\nServer: Trent\r\n")
        if closing { bytes.writeString("Connection: close\r\n") }
        bytes.writeString("\r\n")
        if !omitBody { bytes.writeImmutableBuffer(reply.body) }
    }

    /// NIO's answer to a request it cannot parse, in the same words.
    static let badRequest = ByteBuffer(string: "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
}
