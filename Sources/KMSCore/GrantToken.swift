import Foundation
import KMSCrypto
import KMSModel

/// A grant token as Trent issues it: base64url (no padding) of
///
/// ```
/// 0x01 | grant id (32 bytes) | token id (16 bytes) | nonce (16 bytes)
/// ```
///
/// The grant id names the grant; the token id is the grant's own random id (stored with it and
/// shown nowhere else), so a token cannot be made from a grant id that ListGrants shows; the
/// nonce makes every CreateGrant answer a different token, as AWS's are, while all tokens of
/// one grant work alike. A token is a bearer secret: never logged or recorded.
///
/// Grants take effect as soon as CreateGrant commits (Trent's store is strongly consistent), so
/// a token grants nothing by itself: RetireGrant uses it to name a grant, every other operation
/// only checks its form. [Grant tokens](https://docs.aws.amazon.com/kms/latest/developerguide/grant-manage.html#using-grant-token)
public struct GrantToken: Sendable, Equatable {
    static let version: UInt8 = 1
    static let byteCount = 1 + 32 + 16 + 16

    /// 64 lowercase hex characters.
    public var grantId: String
    /// 32 lowercase hex characters.
    public var tokenId: String

    public init(grantId: String, tokenId: String) {
        self.grantId = grantId
        self.tokenId = tokenId
    }

    /// Parses a token; nil for anything that is not one of Trent's.
    public init?(_ text: String) {
        guard let bytes = Data(base64URL: text), bytes.count == Self.byteCount, bytes.first == Self.version else { return nil }
        let body = Array(bytes)
        grantId = body[1..<33].hexString
        tokenId = body[33..<49].hexString
    }

    /// A new token string for this grant, with a fresh nonce.
    public func encoded(nonce: Data = SecureRandom.data(16)) -> String {
        var bytes = Data([Self.version])
        bytes.append(Data(hex: grantId)!)
        bytes.append(Data(hex: tokenId)!)
        bytes.append(nonce)
        return bytes.base64URLEncodedString()
    }
}

/// Checks the GrantTokens of a request: at most 10, each 1 to 8192 characters (the API model's
/// `GrantTokenList`, `ValidationException`), each one of Trent's grant tokens
/// (`InvalidGrantTokenException`). Messages never echo a token.
///
/// Every operation that takes GrantTokens calls this first. A well-formed token adds no
/// permission: grants are in effect from the moment CreateGrant answers.
public func validateGrantTokens(_ tokens: [String]?) throws {
    guard let tokens else { return }
    var validation = Validation()
    validation.grantTokens(tokens)
    try validation.check()
    for token in tokens where GrantToken(token) == nil {
        throw KMSError.invalidGrantToken
    }
}

extension Data {
    /// base64url without padding (RFC 4648 §5); nil for any other character or a bad length.
    init?(base64URL text: String) {
        guard text.utf8.allSatisfy({ byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default: false
            }
        }), text.utf8.count % 4 != 1 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        self.init(base64Encoded: base64)
    }

    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
