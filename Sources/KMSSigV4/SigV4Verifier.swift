import Crypto
import Foundation
import KMSCrypto

/// Verifies a SigV4-signed request against the caller's secret.
///
/// Time is passed in, never read from a global, so skew handling is testable.
public struct SigV4Verifier: Sendable {
    /// AWS accepts requests whose `X-Amz-Date` is within five minutes of its clock.
    public var allowedSkew: TimeInterval = 300
    public var service: String
    private let signingKeys: SigningKeyCache

    public init(service: String, signingKeys: SigningKeyCache = SigningKeyCache()) {
        self.service = service
        self.signingKeys = signingKeys
    }

    /// Checks scope and time, then recomputes the signature. Throws ``SigV4Failure``.
    public func verify(
        _ request: SigV4Request, authorization: SigV4Authorization, secretAccessKey: String, now: Date
    ) throws(SigV4Failure) {
        let amzDate = try requestDate(request)
        try checkScope(authorization, amzDate: amzDate)
        try checkTime(amzDate, now: now)
        guard authorization.signedHeaders.contains("host") else {
            throw .invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
        }
        let expected = Self.signature(
            request, signedHeaders: authorization.signedHeaders, amzDate: amzDate, scope: authorization.scope,
            signingKey: signingKeys.signingKey(secretAccessKey: secretAccessKey, scope: authorization.scope))
        guard constantTimeEquals(expected, authorization.signature) else {
            throw .invalidSignature(SigV4Failure.mismatchMessage)
        }
    }

    /// The hex signature of a request, as a client computes it.
    public static func signature(
        _ request: SigV4Request, signedHeaders: [String], amzDate: String, scope: CredentialScope, secretAccessKey: String
    ) -> String {
        signature(
            request, signedHeaders: signedHeaders, amzDate: amzDate, scope: scope,
            signingKey: signingKey(secretAccessKey: secretAccessKey, scope: scope))
    }

    static func signature(
        _ request: SigV4Request, signedHeaders: [String], amzDate: String, scope: CredentialScope, signingKey: SymmetricKey
    ) -> String {
        let canonical = CanonicalRequest.build(request, signedHeaders: signedHeaders)
        let canonicalHash = SHA256.hash(data: Array(canonical.utf8)).hexString
        let stringToSign = CanonicalRequest.stringToSign(canonicalRequestHash: canonicalHash, amzDate: amzDate, scope: scope)
        return Data(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey)).hexString
    }

    /// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
    public static func signingKey(secretAccessKey: String, scope: CredentialScope) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key))
        }
        var key = SymmetricKey(data: Array(("AWS4" + secretAccessKey).utf8))
        key = hmac(key, scope.date)
        key = hmac(key, scope.region)
        key = hmac(key, scope.service)
        return hmac(key, "aws4_request")
    }

    func requestDate(_ request: SigV4Request) throws(SigV4Failure) -> String {
        guard let amzDate = request.header("x-amz-date") else {
            throw .incompleteSignature(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        guard AmzDate.parse(amzDate) != nil else {
            throw .incompleteSignature("Date must be in ISO-8601 'basic format'. Got '\(amzDate)'. See http://en.wikipedia.org/wiki/ISO_8601")
        }
        return amzDate
    }

    func checkScope(_ authorization: SigV4Authorization, amzDate: String) throws(SigV4Failure) {
        let scope = authorization.scope
        if scope.service != service {
            throw .invalidSignature("Credential should be scoped to correct service: '\(service)'. ")
        }
        let day = String(amzDate.prefix(8))
        if scope.date != day {
            throw .invalidSignature(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                    + "'\(scope.date)' != '\(day)', from '\(amzDate)'.")
        }
        if scope.region.isEmpty {
            throw .invalidSignature("Credential should be scoped to a valid region. ")
        }
    }

    func checkTime(_ amzDate: String, now: Date) throws(SigV4Failure) {
        guard let signedAt = AmzDate.parse(amzDate) else { return }
        let nowText = AmzDate.format(now)
        if signedAt < now.addingTimeInterval(-allowedSkew) {
            throw .invalidSignature(
                "Signature expired: \(amzDate) is now earlier than \(AmzDate.format(now.addingTimeInterval(-allowedSkew))) "
                    + "(\(nowText) - 5 min.)")
        }
        if signedAt > now.addingTimeInterval(allowedSkew) {
            throw .invalidSignature(
                "Signature not yet current: \(amzDate) is still later than \(AmzDate.format(now.addingTimeInterval(allowedSkew))) "
                    + "(\(nowText) + 5 min.)")
        }
    }

    private func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
