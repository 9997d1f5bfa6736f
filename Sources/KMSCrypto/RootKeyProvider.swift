import Foundation

/// What a wrapped secret is for. Bound to the wrapping as additional authenticated data, so a
/// blob wrapped for one key version or credential cannot be swapped in for another.
public struct WrappingContext: Sendable, Hashable {
    public let label: String

    public init(_ label: String) { self.label = label }

    public static func keyMaterial(account: String, region: String, keyId: String, version: Int) -> WrappingContext {
        WrappingContext("key-material/\(account)/\(region)/\(keyId)/\(version)")
    }

    public static func credential(accessKeyId: String) -> WrappingContext {
        WrappingContext("credential/\(accessKeyId)")
    }

    /// An STS session token, sealed for the temporary access key id it goes with: a token
    /// presented with any other access key id does not open.
    public static func sessionToken(accessKeyId: String) -> WrappingContext {
        WrappingContext("session-token/\(accessKeyId)")
    }
}

/// The root of trust: key material and secrets exist in plaintext only in memory, and at rest
/// only wrapped by a provider. A file-backed provider ships first; sealed and PKCS#11 (HSM)
/// providers implement the same two calls.
public protocol RootKeyProvider: Sendable {
    /// A short name for logs and `trent` output, e.g. `file:/var/lib/trent/root.key`.
    var name: String { get }
    func wrap(_ plaintext: Data, for context: WrappingContext) throws -> Data
    func unwrap(_ wrapped: Data, for context: WrappingContext) throws -> Data
}

public enum RootKeyError: Error, Equatable, Sendable {
    /// The wrapped blob was altered, belongs to another context, or another root key made it.
    case unwrapFailed
    case malformedRootKey(String)
}
