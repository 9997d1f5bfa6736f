import HTTPTypes
import Hummingbird
import KMSSigV4
import NIOHTTP1

/// What the pipeline reads of a request's head: its method, its target split into path and
/// query as they arrived (SigV4 signs them percent-encoded), and its header fields, Host among
/// them, with names in whatever case the client sent.
///
/// `trent serve` makes it straight from NIO's decoded head. Going through HTTPTypes'
/// `HTTPRequest`, as Hummingbird does, validated and lowercased every field name into a new
/// `HTTPFields` and moved Host into a pseudo-header, only for SigV4 to turn the fields back
/// into name and value strings: about 2 µs of an Encrypt's event-loop time, measured with perf.
public struct IncomingRequest: Sendable {
    public var method: String
    /// The request target before `?`, as sent.
    public var path: String
    /// The request target after `?`, as sent; empty without one.
    public var query: String
    public var headers: HTTPHeaders

    public init(method: String, target: String, headers: HTTPHeaders) {
        self.method = method
        self.headers = headers
        var target = Substring(target)
        // An absolute-form target (`http://host/path`, as sent through a proxy) signs its path.
        if !target.hasPrefix("/"), let scheme = target.range(of: "://") {
            let afterAuthority = target[scheme.upperBound...].firstIndex { $0 == "/" || $0 == "?" }
            target = afterAuthority.map { target[$0...] } ?? "/"
        }
        if let mark = target.firstIndex(of: "?") {
            path = mark == target.startIndex ? "/" : String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        } else {
            path = String(target)
            query = ""
        }
    }

    /// From NIO's HTTP/1.1 decoder.
    public init(_ head: HTTPRequestHead) {
        self.init(method: head.method.rawValue, target: head.uri, headers: head.headers)
    }

    /// From a Hummingbird request (its router and test client): Host comes back from the
    /// `:authority` pseudo-header.
    public init(_ request: Request) {
        var headers = HTTPHeaders()
        if let authority = request.head.authority { headers.add(name: "Host", value: authority) }
        for field in request.headers { headers.add(name: field.name.rawName, value: field.value) }
        self.init(method: request.method.rawValue, target: request.head.path ?? "/", headers: headers)
    }

    public var isPost: Bool { method == "POST" }

    /// The value of the field named `lowercaseName` in any case, several occurrences joined
    /// with ", " (as HTTP allows for every field Trent reads).
    public func header(_ lowercaseName: String) -> String? {
        var value: String?
        for field in headers where SigV4Request.lowercasedEquals(field.name, lowercaseName) {
            value = value.map { $0 + ", " + field.value } ?? field.value
        }
        return value
    }
}
