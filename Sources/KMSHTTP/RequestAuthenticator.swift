import Crypto
import Foundation
import Hummingbird
import KMSCore
import KMSCrypto
import KMSModel
import KMSSigV4
import NIOCore

/// The service a request is for, whose name its SigV4 credential scope must carry.
public enum SigningService: String, Sendable {
    case kms
    case sts
}

/// Turns a request into the `Caller` it acts for, or refuses it with AWS's error.
public protocol RequestAuthenticator: Sendable {
    func authenticate(_ request: IncomingRequest, body: ByteBuffer, for signingService: SigningService) async throws -> Caller
}

/// Production authentication: SigV4 verified against the secret of the access key (an account
/// root's or IAM user's), or of the assumed-role session that `X-Amz-Security-Token` carries.
public struct SigV4Authenticator: RequestAuthenticator {
    let service: KeyManagementService
    let clock: any WallClock
    let kmsVerifier: SigV4Verifier
    let stsVerifier: SigV4Verifier

    public init(service: KeyManagementService, clock: any WallClock = SystemWallClock()) {
        self.service = service
        self.clock = clock
        let signingKeys = SigningKeyCache()
        kmsVerifier = SigV4Verifier(service: SigningService.kms.rawValue, signingKeys: signingKeys)
        stsVerifier = SigV4Verifier(service: SigningService.sts.rawValue, signingKeys: signingKeys)
    }

    public func authenticate(_ request: IncomingRequest, body: ByteBuffer, for signingService: SigningService) async throws -> Caller {
        guard let header = request.header("authorization") else {
            throw KMSError(.missingAuthenticationToken, "Missing Authentication Token")
        }
        let authorization: SigV4Authorization
        do {
            authorization = try SigV4Authorization(header: header)
        } catch {
            throw error.kmsError
        }
        let now = clock.now()
        let credential: ResolvedCredential
        if let token = request.header("x-amz-security-token") {
            // Temporary credentials: the token must open for this access key id, be unexpired,
            // and its role must still exist.
            credential = try await service.sessionCredential(
                accessKeyId: authorization.accessKeyId, sessionToken: token, now: now, receivedAt: request.receivedAt)
        } else if let longTerm = try await service.credential(accessKeyId: authorization.accessKeyId, receivedAt: request.receivedAt) {
            credential = longTerm
        } else {
            throw KMSError(.unrecognizedClient, "The security token included in the request is invalid.")
        }
        do {
            try (signingService == .sts ? stsVerifier : kmsVerifier).verify(
                SigV4Request(request, body: body), authorization: authorization,
                secretAccessKey: credential.secretAccessKey, now: now)
        } catch {
            throw error.kmsError
        }
        var caller = credential.principal
        caller.region = authorization.scope.region
        return caller
    }
}

/// `--dev`: signatures are not checked. The access key id names the account (a 12-digit id is
/// taken as the account id, anything else is 000000000000) and the credential scope the Region,
/// as moto and LocalStack users expect.
public struct DevModeAuthenticator: RequestAuthenticator {
    public static let defaultAccountId = "000000000000"
    public static let defaultRegion = "us-east-1"

    public init() {}

    public func authenticate(_ request: IncomingRequest, body: ByteBuffer, for signingService: SigningService) async throws -> Caller {
        var accessKeyId = "dev"
        var region = Self.defaultRegion
        if let header = request.header("authorization"), let authorization = try? SigV4Authorization(header: header) {
            accessKeyId = authorization.accessKeyId
            if !authorization.scope.region.isEmpty { region = authorization.scope.region }
        }
        let isAccountId = accessKeyId.count == 12 && accessKeyId.allSatisfy(\.isASCIIDigit)
        return Caller.accountRoot(isAccountId ? accessKeyId : Self.defaultAccountId, region: region, accessKeyId: accessKeyId)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension SigV4Failure {
    var kmsError: KMSError {
        switch self {
        case .missingAuthentication: KMSError(.missingAuthenticationToken, "Missing Authentication Token")
        case .incompleteSignature(let message): KMSError(.incompleteSignature, message)
        case .invalidSignature(let message): KMSError(.invalidSignature, message)
        }
    }
}

extension SigV4Request {
    /// The signed parts of a request.
    init(_ request: IncomingRequest, body: ByteBuffer) {
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(request.headers.count)
        for field in request.headers { headers.append(field) }
        let payloadHash = body.withUnsafeReadableBytes(SigV4Request.payloadHash)
        self.init(method: request.method, path: request.path, query: request.query, headers: headers, payloadHash: payloadHash)
    }
}
