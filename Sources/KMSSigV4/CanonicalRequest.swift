/// Builds SigV4's canonical request and string to sign.
/// [Create a canonical request](https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request)
public enum CanonicalRequest {
    public static func build(_ request: SigV4Request, signedHeaders: [String]) -> String {
        var out = request.method
        out += "\n"
        out += canonicalURI(request.path)
        out += "\n"
        out += canonicalQuery(request.query)
        out += "\n"
        out += canonicalHeaders(request.headers, signed: signedHeaders)
        out += "\n"
        out += signedHeaders.joined(separator: ";")
        out += "\n"
        out += request.payloadHash
        return out
    }

    public static func stringToSign(canonicalRequestHash: String, amzDate: String, scope: CredentialScope) -> String {
        "\(SigV4Authorization.algorithm)\n\(amzDate)\n\(scope.string)\n\(canonicalRequestHash)"
    }

    /// Non-S3 services normalize the path (dot segments, repeated slashes) and URI-encode each
    /// segment of it as received, as botocore and the AWS SDKs sign it.
    static func canonicalURI(_ path: String) -> String {
        if path == "/" || path.isEmpty { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        let trailingSlash = path.hasSuffix("/") && !segments.isEmpty
        return "/" + segments.map { uriEncode($0) }.joined(separator: "/") + (trailingSlash ? "/" : "")
    }

    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = part.firstIndex(of: "=") {
                name = part[..<equals]
                value = part[part.index(after: equals)...]
            } else {
                name = part
                value = ""
            }
            pairs.append((uriEncode(percentDecode(name)), uriEncode(percentDecode(value))))
        }
        pairs.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Lowercase names, values trimmed with inner runs of spaces folded, repeated headers joined
    /// by commas, in the order of `SignedHeaders`.
    static func canonicalHeaders(_ headers: [(name: String, value: String)], signed: [String]) -> String {
        // One pass over the request's headers, then one line per signed header.
        var valuesByName: [String: [String]] = [:]
        for header in headers {
            let name = header.name.lowercased()
            if signed.contains(name) { valuesByName[name, default: []].append(foldSpaces(header.value)) }
        }
        var out = ""
        for name in signed {
            let values = valuesByName[name] ?? []
            out += name
            out += ":"
            out += values.joined(separator: ",")
            out += "\n"
        }
        return out
    }

    static func foldSpaces(_ value: String) -> String {
        var out = ""
        var lastWasSpace = false
        for character in value.trimmingSpaces {
            if character == " " || character == "\t" {
                if !lastWasSpace { out.append(" ") }
                lastWasSpace = true
            } else {
                out.append(character)
                lastWasSpace = false
            }
        }
        return out
    }

    /// RFC 3986 encoding: unreserved characters stay, everything else is `%XX` (uppercase).
    static func uriEncode(_ text: some StringProtocol) -> String {
        let hex: [Character] = Array("0123456789ABCDEF")
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            default:
                out.append("%")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }

    static func percentDecode(_ text: some StringProtocol) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
