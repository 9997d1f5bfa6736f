import Crypto
import Foundation
import KMSCrypto
import Testing

@testable import KMSCore

/// Session tokens carry their session sealed under the root key, bound to their access key id.
struct SessionTokenTests {
    let rootKey = FileRootKeyProvider(key: SymmetricKey(size: .bits256))
    let session = SessionToken(
        accessKeyId: "ASIAEXAMPLE000000001", secretAccessKey: "s3cr3t/with+chars", accountId: "111122223333",
        roleArn: "arn:aws:iam::111122223333:role/reader", roleId: "AROAEXAMPLE00000000001", roleName: "reader",
        sessionName: "s1", issuedAt: 1_767_225_600, expiration: 1_767_229_200)

    @Test func sealsAndOpensForItsAccessKeyIdOnly() throws {
        let token = try session.sealed(with: rootKey)
        #expect(SessionToken.unsealed(token, accessKeyId: session.accessKeyId, with: rootKey) == session)
        #expect(SessionToken.unsealed(token, accessKeyId: "ASIAEXAMPLE000000002", with: rootKey) == nil)
        #expect(SessionToken.unsealed(token, accessKeyId: session.accessKeyId, with: FileRootKeyProvider(key: SymmetricKey(size: .bits256))) == nil,
            "another root key cannot open it")
        #expect(session.expirationDate == Date(timeIntervalSince1970: 1_767_229_200))
    }

    @Test func carriesNothingInPlaintext() throws {
        let bytes = try #require(Data(base64Encoded: try session.sealed(with: rootKey)))
        for secret in [session.secretAccessKey, session.roleArn, session.sessionName, session.accessKeyId] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is readable in the token")
        }
    }

    @Test func anyAlteredByteOrNonTokenIsRefused() throws {
        let token = try session.sealed(with: rootKey)
        var bytes = try #require(Data(base64Encoded: token))
        for index in [0, 1, 13, bytes.count / 2, bytes.count - 1] {
            var altered = bytes
            altered[index] ^= 0x01
            #expect(SessionToken.unsealed(altered.base64EncodedString(), accessKeyId: session.accessKeyId, with: rootKey) == nil, "byte \(index)")
        }
        bytes.removeLast()
        #expect(SessionToken.unsealed(bytes.base64EncodedString(), accessKeyId: session.accessKeyId, with: rootKey) == nil)
        for junk in ["", "not base64!", "AQ==", Data(count: 64).base64EncodedString()] {
            #expect(SessionToken.unsealed(junk, accessKeyId: session.accessKeyId, with: rootKey) == nil, "\(junk)")
        }
    }
}
