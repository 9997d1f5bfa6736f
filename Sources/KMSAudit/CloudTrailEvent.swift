import Foundation

/// One audit record, in CloudTrail's record shape, so tools that read CloudTrail logs read
/// Trent's. [CloudTrail record contents](https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html)
public struct CloudTrailEvent: Codable, Sendable, Equatable {
    public var eventVersion = "1.11"
    public var userIdentity: UserIdentity
    public var eventTime: String
    public var eventSource = "kms.amazonaws.com"
    public var eventName: String
    public var awsRegion: String
    public var sourceIPAddress: String
    public var userAgent: String
    /// Never plaintext, ciphertext, key material or secrets: built member by member.
    public var requestParameters: AuditValue
    public var responseElements: AuditValue
    public var additionalEventData: AuditValue?
    public var errorCode: String?
    public var errorMessage: String?
    public var requestID: String
    public var eventID: String
    public var readOnly: Bool
    public var resources: [Resource]
    /// `AwsApiCall` for requests; `AwsServiceEvent` for what the service does by itself (a
    /// scheduled rotation or deletion).
    public var eventType = "AwsApiCall"
    /// A service event's own details (`keyId`, …); nil on requests.
    public var serviceEventDetails: AuditValue?
    public var managementEvent = true
    public var recipientAccountId: String
    public var eventCategory = "Management"

    public struct UserIdentity: Codable, Sendable, Equatable {
        /// `Root`, `IAMUser`, `AssumedRole`, or `Unknown` when the request was not authenticated;
        /// absent on service events.
        public var type: String?
        public var principalId: String?
        public var arn: String?
        public var accountId: String?
        public var accessKeyId: String?
        /// The service that acted, on service events (`kms.amazonaws.com`).
        public var invokedBy: String?
        /// `IAMUser`: the user's name.
        public var userName: String?
        /// `AssumedRole`: the role the session is of, and when it was issued.
        public var sessionContext: SessionContext?

        public init(
            type: String?, principalId: String?, arn: String?, accountId: String?, accessKeyId: String?, invokedBy: String? = nil,
            userName: String? = nil, sessionContext: SessionContext? = nil
        ) {
            self.invokedBy = invokedBy
            self.type = type
            self.principalId = principalId
            self.arn = arn
            self.accountId = accountId
            self.accessKeyId = accessKeyId
            self.userName = userName
            self.sessionContext = sessionContext
        }
    }

    /// An assumed-role session's context, as CloudTrail writes it.
    public struct SessionContext: Codable, Sendable, Equatable {
        public var sessionIssuer: SessionIssuer
        public var attributes: Attributes

        public init(sessionIssuer: SessionIssuer, attributes: Attributes) {
            self.sessionIssuer = sessionIssuer
            self.attributes = attributes
        }

        /// The role: `type` is `Role`, `userName` the role's name, `principalId` its `AROA…` id.
        public struct SessionIssuer: Codable, Sendable, Equatable {
            public var type: String
            public var principalId: String
            public var arn: String
            public var accountId: String
            public var userName: String

            public init(type: String, principalId: String, arn: String, accountId: String, userName: String) {
                self.type = type
                self.principalId = principalId
                self.arn = arn
                self.accountId = accountId
                self.userName = userName
            }
        }

        public struct Attributes: Codable, Sendable, Equatable {
            /// When the session was issued, ISO 8601 in UTC.
            public var creationDate: String
            /// `"false"`: Trent has no MFA. A string, as CloudTrail writes it.
            public var mfaAuthenticated: String

            public init(creationDate: String, mfaAuthenticated: String) {
                self.creationDate = creationDate
                self.mfaAuthenticated = mfaAuthenticated
            }
        }
    }

    public struct Resource: Codable, Sendable, Equatable {
        public var accountId: String
        public var type = "AWS::KMS::Key"
        public var arn: String

        public init(accountId: String, arn: String) {
            self.accountId = accountId
            self.arn = arn
        }

        enum CodingKeys: String, CodingKey {
            case accountId
            case type
            case arn = "ARN"
        }
    }

    public init(
        userIdentity: UserIdentity, eventTime: Date, eventName: String, awsRegion: String, sourceIPAddress: String,
        userAgent: String, requestParameters: AuditValue, responseElements: AuditValue, additionalEventData: AuditValue?,
        errorCode: String?, errorMessage: String?, requestID: String, eventID: String, readOnly: Bool,
        resources: [Resource], recipientAccountId: String
    ) {
        self.userIdentity = userIdentity
        self.eventTime = CloudTrailTime.format(eventTime)
        self.eventName = eventName
        self.awsRegion = awsRegion
        self.sourceIPAddress = sourceIPAddress
        self.userAgent = userAgent
        self.requestParameters = requestParameters
        self.responseElements = responseElements
        self.additionalEventData = additionalEventData
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.requestID = requestID
        self.eventID = eventID
        self.readOnly = readOnly
        self.resources = resources
        self.recipientAccountId = recipientAccountId
    }

    /// The bytes that are stored and hashed: compact JSON with keys sorted by code point, so
    /// equal events always serialize alike. Written by hand: it is on every request's path.
    public func encoded() throws -> Data {
        var w = JSONWriter()
        var first = true
        w.raw("{")
        if let additionalEventData {
            w.key("additionalEventData", first: &first)
            w.value(additionalEventData)
        }
        w.key("awsRegion", first: &first)
        w.string(awsRegion)
        if let errorCode {
            w.key("errorCode", first: &first)
            w.string(errorCode)
        }
        if let errorMessage {
            w.key("errorMessage", first: &first)
            w.string(errorMessage)
        }
        w.key("eventCategory", first: &first)
        w.string(eventCategory)
        w.key("eventID", first: &first)
        w.string(eventID)
        w.key("eventName", first: &first)
        w.string(eventName)
        w.key("eventSource", first: &first)
        w.string(eventSource)
        w.key("eventTime", first: &first)
        w.string(eventTime)
        w.key("eventType", first: &first)
        w.string(eventType)
        w.key("eventVersion", first: &first)
        w.string(eventVersion)
        w.key("managementEvent", first: &first)
        w.bool(managementEvent)
        w.key("readOnly", first: &first)
        w.bool(readOnly)
        w.key("recipientAccountId", first: &first)
        w.string(recipientAccountId)
        w.key("requestID", first: &first)
        w.string(requestID)
        w.key("requestParameters", first: &first)
        w.value(requestParameters)
        w.key("resources", first: &first)
        w.raw("[")
        for (index, resource) in resources.enumerated() {
            if index > 0 { w.raw(",") }
            var inner = true
            w.raw("{")
            w.key("ARN", first: &inner)
            w.string(resource.arn)
            w.key("accountId", first: &inner)
            w.string(resource.accountId)
            w.key("type", first: &inner)
            w.string(resource.type)
            w.raw("}")
        }
        w.raw("]")
        w.key("responseElements", first: &first)
        w.value(responseElements)
        if let serviceEventDetails {
            w.key("serviceEventDetails", first: &first)
            w.value(serviceEventDetails)
        }
        w.key("sourceIPAddress", first: &first)
        w.string(sourceIPAddress)
        w.key("userAgent", first: &first)
        w.string(userAgent)
        w.key("userIdentity", first: &first)
        var inner = true
        // Members one call each: a literal array of (name, value) pairs to loop over was
        // allocated on every request.
        func member(_ name: StaticString, _ value: String?, first: inout Bool) {
            guard let value else { return }
            w.key(name, first: &first)
            w.string(value)
        }
        w.raw("{")
        member("accessKeyId", userIdentity.accessKeyId, first: &inner)
        member("accountId", userIdentity.accountId, first: &inner)
        member("arn", userIdentity.arn, first: &inner)
        member("invokedBy", userIdentity.invokedBy, first: &inner)
        member("principalId", userIdentity.principalId, first: &inner)
        if let context = userIdentity.sessionContext {
            w.key("sessionContext", first: &inner)
            var contextFirst = true
            w.raw("{")
            w.key("attributes", first: &contextFirst)
            var attribute = true
            w.raw("{")
            w.key("creationDate", first: &attribute)
            w.string(context.attributes.creationDate)
            w.key("mfaAuthenticated", first: &attribute)
            w.string(context.attributes.mfaAuthenticated)
            w.raw("}")
            w.key("sessionIssuer", first: &contextFirst)
            var issuer = true
            w.raw("{")
            member("accountId", context.sessionIssuer.accountId, first: &issuer)
            member("arn", context.sessionIssuer.arn, first: &issuer)
            member("principalId", context.sessionIssuer.principalId, first: &issuer)
            member("type", context.sessionIssuer.type, first: &issuer)
            member("userName", context.sessionIssuer.userName, first: &issuer)
            w.raw("}")
            w.raw("}")
        }
        member("type", userIdentity.type, first: &inner)
        member("userName", userIdentity.userName, first: &inner)
        w.raw("}")
        w.raw("}")
        return Data(w.bytes)
    }

    public static func decode(_ data: Data) throws -> CloudTrailEvent {
        try JSONDecoder().decode(CloudTrailEvent.self, from: data)
    }
}

/// CloudTrail's `eventTime`: ISO 8601 in UTC, to the second (`2026-01-01T12:00:00Z`).
public enum CloudTrailTime {
    /// `2026-11-24T04:12:00Z`: UTC, whole seconds, as `Date.ISO8601FormatStyle(timeZone: .gmt)`
    /// writes it. Formatted by hand for the years 1600 to 9999 (before the Gregorian reform
    /// Foundation's calendar is Julian, glibc's is not): the format style copies a calendar
    /// on every call, and every request formats its time at least twice (the audit record's
    /// `eventTime`, the policy key `aws:CurrentTime`).
    public static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        guard date.timeIntervalSince1970.isFinite, gmtime_r(&seconds, &parts) != nil else {
            return date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        }
        let year = Int(parts.tm_year) + 1900
        guard (1600...9999).contains(year) else { return date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)) }
        return String(unsafeUninitializedCapacity: 20) { out in
            var index = 0
            func put(_ value: Int, digits: Int) {
                var divisor = 1
                for _ in 1..<digits { divisor *= 10 }
                while divisor > 0 {
                    out[index] = UInt8(ascii: "0") + UInt8(value / divisor % 10)
                    index += 1
                    divisor /= 10
                }
            }
            func put(_ byte: Unicode.Scalar) {
                out[index] = UInt8(ascii: byte)
                index += 1
            }
            put(year, digits: 4)
            put("-")
            put(Int(parts.tm_mon) + 1, digits: 2)
            put("-")
            put(Int(parts.tm_mday), digits: 2)
            put("T")
            put(Int(parts.tm_hour), digits: 2)
            put(":")
            put(Int(parts.tm_min), digits: 2)
            put(":")
            put(Int(parts.tm_sec), digits: 2)
            put("Z")
            return index
        }
    }

    public static func parse(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(text)
    }
}
