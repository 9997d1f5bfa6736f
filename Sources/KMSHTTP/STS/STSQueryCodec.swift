import Foundation
import KMSModel
import NIOCore

/// AWS's query protocol as STS speaks it: requests are form fields, answers XML in the
/// `https://sts.amazonaws.com/doc/2011-06-15/` namespace with `ResponseMetadata/RequestId`,
/// errors an `ErrorResponse`.
/// [STS query requests](https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html#API_GetCallerIdentity_Examples)
enum STSQueryCodec {
    static let version = "2011-06-15"
    static let namespace = "https://sts.amazonaws.com/doc/2011-06-15/"
    static let contentType = "text/xml"

    // MARK: Requests

    /// AssumeRole's members from its form fields. An unknown field is ignored, as AWS does.
    static func assumeRole(_ form: QueryForm) -> AssumeRoleRequest {
        var request = AssumeRoleRequest(roleArn: form["RoleArn"], roleSessionName: form["RoleSessionName"], externalId: form["ExternalId"])
        if let text = form["DurationSeconds"] {
            if let seconds = Int(text) { request.durationSeconds = seconds } else { request.durationSecondsText = text }
        }
        request.policy = form["Policy"]
        if let count = form.structureCount("PolicyArns") {
            request.policyArns = (1...count).map { form["PolicyArns.member.\($0).arn"] ?? "" }
        }
        if let count = form.structureCount("Tags") {
            request.tags = (1...count).map {
                Tag(tagKey: form["Tags.member.\($0).Key"] ?? "", tagValue: form["Tags.member.\($0).Value"] ?? "")
            }
        }
        request.transitiveTagKeys = form.list("TransitiveTagKeys")
        request.serialNumber = form["SerialNumber"]
        request.tokenCode = form["TokenCode"]
        request.sourceIdentity = form["SourceIdentity"]
        request.providedContexts = form.structureCount("ProvidedContexts")
        return request
    }

    // MARK: Answers

    static func getCallerIdentity(_ response: GetCallerIdentityResponse, requestId: String) -> ByteBuffer {
        var x = XMLWriter()
        x.open("GetCallerIdentityResponse", namespace: namespace)
        x.open("GetCallerIdentityResult")
        x.element("Arn", response.arn)
        x.element("UserId", response.userId)
        x.element("Account", response.account)
        x.close("GetCallerIdentityResult")
        x.responseMetadata(requestId)
        x.close("GetCallerIdentityResponse")
        return x.buffer
    }

    static func assumeRole(_ response: AssumeRoleResponse, requestId: String) -> ByteBuffer {
        var x = XMLWriter()
        x.open("AssumeRoleResponse", namespace: namespace)
        x.open("AssumeRoleResult")
        x.open("Credentials")
        x.element("AccessKeyId", response.credentials.accessKeyId)
        x.element("SecretAccessKey", response.credentials.secretAccessKey)
        x.element("SessionToken", response.credentials.sessionToken)
        x.element("Expiration", timestamp(response.credentials.expiration))
        x.close("Credentials")
        x.open("AssumedRoleUser")
        x.element("AssumedRoleId", response.assumedRoleUser.assumedRoleId)
        x.element("Arn", response.assumedRoleUser.arn)
        x.close("AssumedRoleUser")
        x.close("AssumeRoleResult")
        x.responseMetadata(requestId)
        x.close("AssumeRoleResponse")
        return x.buffer
    }

    /// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
    static func error(_ error: KMSError, requestId: String) -> ByteBuffer {
        var x = XMLWriter()
        x.open("ErrorResponse", namespace: namespace)
        x.open("Error")
        x.element("Type", error.code.queryProtocolFaultType)
        x.element("Code", error.code.queryProtocolCode)
        x.element("Message", error.message)
        x.close("Error")
        x.element("RequestId", requestId)
        x.close("ErrorResponse")
        return x.buffer
    }

    /// ISO 8601 in UTC, to the second, as STS writes `Expiration`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
}

/// Just enough XML for the query protocol's answers: nested elements with escaped text.
struct XMLWriter {
    private(set) var text = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"

    mutating func open(_ name: String, namespace: String? = nil) {
        text += namespace.map { "<\(name) xmlns=\"\($0)\">" } ?? "<\(name)>"
    }

    mutating func close(_ name: String) {
        text += "</\(name)>"
    }

    mutating func element(_ name: String, _ value: String) {
        text += "<\(name)>\(Self.escaped(value))</\(name)>"
    }

    mutating func responseMetadata(_ requestId: String) {
        open("ResponseMetadata")
        element("RequestId", requestId)
        close("ResponseMetadata")
    }

    var buffer: ByteBuffer { ByteBuffer(string: text) }

    static func escaped(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
