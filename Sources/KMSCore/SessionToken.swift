import Foundation
import KMSCrypto

/// An assumed-role session, carried by its own session token: nothing about a session is
/// stored, so any server holding the root key can check a token, and a session ends by itself
/// at its expiration (or earlier, when its role is deleted).
///
/// The token is `base64(0x01 | wrapped)`, where `wrapped` is the JSON of this value sealed by
/// the root key under ``WrappingContext/sessionToken(accessKeyId:)``: the secret access key
/// inside is never in plaintext outside memory, and a token presented with another access key
/// id, altered, or sealed by another root key does not open.
struct SessionToken: Codable, Sendable, Equatable {
    static let formatVersion: UInt8 = 1

    /// `ASIA…`: the temporary access key id the token goes with.
    var accessKeyId: String
    var secretAccessKey: String
    /// The role's account, which the session acts in.
    var accountId: String
    var roleArn: String
    var roleId: String
    var roleName: String
    var sessionName: String
    /// Whole seconds since 1970.
    var issuedAt: Int64
    var expiration: Int64

    enum CodingKeys: String, CodingKey {
        case accessKeyId = "k"
        case secretAccessKey = "s"
        case accountId = "a"
        case roleArn = "r"
        case roleId = "i"
        case roleName = "n"
        case sessionName = "sn"
        case issuedAt = "t"
        case expiration = "e"
    }

    func sealed(with rootKey: any RootKeyProvider) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var bytes = Data([Self.formatVersion])
        bytes.append(try rootKey.wrap(try encoder.encode(self), for: .sessionToken(accessKeyId: accessKeyId)))
        return bytes.base64EncodedString()
    }

    /// The session a token carries, if it is a token this root key sealed for `accessKeyId`.
    static func unsealed(_ token: String, accessKeyId: String, with rootKey: any RootKeyProvider) -> SessionToken? {
        guard let bytes = Data(base64Encoded: token), bytes.count > 1, bytes.first == formatVersion,
            let json = try? rootKey.unwrap(bytes.dropFirst(), for: .sessionToken(accessKeyId: accessKeyId)),
            let session = try? JSONDecoder().decode(SessionToken.self, from: json),
            session.accessKeyId == accessKeyId
        else { return nil }
        return session
    }

    var expirationDate: Date { Date(timeIntervalSince1970: TimeInterval(expiration)) }
    var issuedAtDate: Date { Date(timeIntervalSince1970: TimeInterval(issuedAt)) }
}
