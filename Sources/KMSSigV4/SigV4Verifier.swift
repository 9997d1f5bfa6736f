import Crypto
import Foundation
import KMSCrypto
import KMSOpenSSL

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
        let (amzDate, signedAt) = try requestDate(request)
        try checkScope(authorization, amzDate: amzDate)
        try checkTime(amzDate, signedAt: signedAt, now: now)
        guard authorization.signedHeaders.contains("host") else {
            throw .invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
        }
        let expected = Self.signatureHex(
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
        String(decoding: signatureHex(request, signedHeaders: signedHeaders, amzDate: amzDate, scope: scope, signingKey: signingKey), as: UTF8.self)
    }

    /// The signature as lowercase hex bytes. The string to sign is written into one buffer, with
    /// no intermediate strings: this runs on every request.
    static func signatureHex(
        _ request: SigV4Request, signedHeaders: [String], amzDate: String, scope: CredentialScope, signingKey: SymmetricKey
    ) -> [UInt8] {
        let canonicalRequest = CanonicalRequest.bytes(request, signedHeaders: signedHeaders)
        var stringToSign: [UInt8] = []
        stringToSign.reserveCapacity(192)
        stringToSign.append(contentsOf: SigV4Authorization.algorithm.utf8)
        stringToSign.append(UInt8(ascii: "\n"))
        stringToSign.append(contentsOf: amzDate.utf8)
        stringToSign.append(UInt8(ascii: "\n"))
        stringToSign.append(contentsOf: scope.date.utf8)
        stringToSign.append(UInt8(ascii: "/"))
        stringToSign.append(contentsOf: scope.region.utf8)
        stringToSign.append(UInt8(ascii: "/"))
        stringToSign.append(contentsOf: scope.service.utf8)
        stringToSign.append(contentsOf: "/aws4_request\n".utf8)
        canonicalRequest.withUnsafeBytes { canonicalRequest in
            OpenSSLSHA256.hash(canonicalRequest) { appendHex($0, to: &stringToSign) }
        }
        // HMAC over libcrypto's SHA-256, on the stack: swift-crypto's generic HMAC cost about
        // 1.7 µs per request, most of it metadata lookups and heap state.
        return withUnsafeTemporaryAllocation(byteCount: 32, alignment: 1) { mac in
            signingKey.withUnsafeBytes { key in
                stringToSign.withUnsafeBytes { message in
                    OpenSSLHMAC.sha256(key: key, message, into: mac)
                }
            }
            var signature: [UInt8] = []
            appendHex(UnsafeRawBufferPointer(mac), to: &signature)
            return signature
        }
    }

    /// Lowercase hex of `bytes`, written in place after `out`'s current end.
    private static func appendHex(_ bytes: some ContiguousBytes, to out: inout [UInt8]) {
        bytes.withUnsafeBytes { bytes in
            let start = out.count
            out.append(contentsOf: repeatElement(0, count: bytes.count * 2))
            out.withUnsafeMutableBufferPointer { out in
                let digits: StaticString = "0123456789abcdef"
                digits.withUTF8Buffer { digits in
                    var index = start
                    for byte in bytes {
                        out[index] = digits[Int(byte >> 4)]
                        out[index + 1] = digits[Int(byte & 0x0F)]
                        index += 2
                    }
                }
            }
        }
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

    func requestDate(_ request: SigV4Request) throws(SigV4Failure) -> (text: String, date: Date) {
        guard let amzDate = request.header("x-amz-date") else {
            throw .incompleteSignature(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        guard let date = AmzDate.parse(amzDate) else {
            throw .incompleteSignature("Date must be in ISO-8601 'basic format'. Got '\(amzDate)'. See http://en.wikipedia.org/wiki/ISO_8601")
        }
        return (amzDate, date)
    }

    func checkScope(_ authorization: SigV4Authorization, amzDate: String) throws(SigV4Failure) {
        let scope = authorization.scope
        if scope.service != service {
            throw .invalidSignature("Credential should be scoped to correct service: '\(service)'. ")
        }
        if !amzDate.utf8.starts(with: scope.date.utf8) || scope.date.utf8.count != 8 {
            let day = String(amzDate.prefix(8))
            throw .invalidSignature(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                    + "'\(scope.date)' != '\(day)', from '\(amzDate)'.")
        }
        if scope.region.isEmpty {
            throw .invalidSignature("Credential should be scoped to a valid region. ")
        }
    }

    func checkTime(_ amzDate: String, signedAt: Date, now: Date) throws(SigV4Failure) {
        if signedAt < now.addingTimeInterval(-allowedSkew) {
            let nowText = AmzDate.format(now)
            throw .invalidSignature(
                "Signature expired: \(amzDate) is now earlier than \(AmzDate.format(now.addingTimeInterval(-allowedSkew))) "
                    + "(\(nowText) - 5 min.)")
        }
        if signedAt > now.addingTimeInterval(allowedSkew) {
            let nowText = AmzDate.format(now)
            throw .invalidSignature(
                "Signature not yet current: \(amzDate) is still later than \(AmzDate.format(now.addingTimeInterval(allowedSkew))) "
                    + "(\(nowText) + 5 min.)")
        }
    }

    /// Every byte is compared, whatever the first difference. Over contiguous bytes: zipping
    /// the claim's `UTF8View` cost a quarter of a microsecond per request.
    private func constantTimeEquals(_ expected: [UInt8], _ claimed: String) -> Bool {
        guard expected.count == claimed.utf8.count else { return false }
        var claimed = claimed
        return claimed.withUTF8 { claimed in
            var difference: UInt8 = 0
            for index in 0..<expected.count { difference |= expected[index] ^ claimed[index] }
            return difference == 0
        }
    }
}
