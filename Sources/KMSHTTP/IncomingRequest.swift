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
    public let headers: HTTPHeaders
    /// When the request had arrived whole (it is made then): a principal change made before
    /// this must apply to it.
    public let receivedAt: ContinuousClock.Instant
    /// The fields every KMS request reads, found in one pass over `headers`.
    private let common: CommonFields

    public init(method: String, target: String, headers: HTTPHeaders, receivedAt: ContinuousClock.Instant = .now) {
        self.method = method
        self.headers = headers
        self.receivedAt = receivedAt
        common = CommonFields(headers)
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
        if let value = common.value(lowercaseName) { return value }
        return Self.joined(lowercaseName, in: headers)
    }

    private static func joined(_ lowercaseName: String, in headers: HTTPHeaders) -> String? {
        var value: String?
        for field in headers where SigV4Request.lowercasedEquals(field.name, lowercaseName) {
            CommonFields.add(field.value, to: &value)
        }
        return value
    }

    /// The fields read on every request (the operation, the body's type, the signature's
    /// parts, the session token, the user agent for the audit record), looked up in one pass
    /// when the request arrives. Looked up one by one, with the KMS and STS responders, SigV4
    /// and the audit record each asking, they were seven passes over every field name, about
    /// 2 % of the event loops' time under Encrypt load.
    private struct CommonFields {
        var target: String?
        var contentType: String?
        var authorization: String?
        var date: String?
        var securityToken: String?
        var userAgent: String?

        init(_ headers: HTTPHeaders) {
            for field in headers {
                let name = field.name
                switch name.utf8.count {
                case 10:
                    if SigV4Request.lowercasedEquals(name, "x-amz-date") {
                        Self.add(field.value, to: &date)
                    } else if SigV4Request.lowercasedEquals(name, "user-agent") {
                        Self.add(field.value, to: &userAgent)
                    }
                case 12:
                    if SigV4Request.lowercasedEquals(name, "x-amz-target") {
                        Self.add(field.value, to: &target)
                    } else if SigV4Request.lowercasedEquals(name, "content-type") {
                        Self.add(field.value, to: &contentType)
                    }
                case 13 where SigV4Request.lowercasedEquals(name, "authorization"):
                    Self.add(field.value, to: &authorization)
                case 20 where SigV4Request.lowercasedEquals(name, "x-amz-security-token"):
                    Self.add(field.value, to: &securityToken)
                default:
                    continue
                }
            }
        }

        /// Several occurrences joined with ", ", as `header(_:)` promises.
        static func add(_ value: String, to field: inout String?) {
            field = field.map { $0 + ", " + value } ?? value
        }

        /// `.some(value)` for a field kept here (`.some(nil)` when the request lacks it), nil
        /// for any other name.
        func value(_ lowercaseName: String) -> String?? {
            switch lowercaseName {
            case "x-amz-target": .some(target)
            case "content-type": .some(contentType)
            case "authorization": .some(authorization)
            case "x-amz-date": .some(date)
            case "x-amz-security-token": .some(securityToken)
            case "user-agent": .some(userAgent)
            default: nil
            }
        }
    }
}
