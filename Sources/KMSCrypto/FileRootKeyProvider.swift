import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 256-bit root key kept in a file that only its owner can read.
///
/// Wrapping is AES-256-GCM: `version(1) | nonce(12) | ciphertext | tag(16)`, with the
/// ``WrappingContext`` as additional authenticated data.
public struct FileRootKeyProvider: RootKeyProvider {
    private static let formatVersion: UInt8 = 1
    private let key: SymmetricKey
    public let name: String

    public init(key: SymmetricKey, name: String = "memory") {
        self.key = key
        self.name = name
    }

    /// Loads the root key at `path`, or creates it (mode 0600) when the file does not exist.
    /// Returns whether it was created, so the caller can tell a first start.
    public static func loadOrCreate(at path: String) throws -> (provider: FileRootKeyProvider, created: Bool) {
        if FileManager.default.fileExists(atPath: path) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            guard bytes.count == 32 else {
                throw RootKeyError.malformedRootKey("\(path) holds \(bytes.count) bytes; a root key is 32")
            }
            return (FileRootKeyProvider(key: SymmetricKey(data: bytes), name: "file:\(path)"), false)
        }
        let key = SymmetricKey(size: .bits256)
        try writeOwnerOnly(key.withUnsafeBytes { Data($0) }, to: path)
        return (FileRootKeyProvider(key: key, name: "file:\(path)"), true)
    }

    /// Creates the file with mode 0600 from the start (never world-readable, not even briefly),
    /// and flushes it before returning: a root key lost to a crash loses every key.
    private static func writeOwnerOnly(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw RootKeyError.malformedRootKey("cannot create \(path): errno \(errno)") }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count, fsync(fd) == 0 else {
            throw RootKeyError.malformedRootKey("cannot write \(path): errno \(errno)")
        }
    }

    public func wrap(_ plaintext: Data, for context: WrappingContext) throws -> Data {
        let sealed = try AES.GCM.seal(plaintext, using: key, authenticating: Data(context.label.utf8))
        var out = Data([Self.formatVersion])
        out.append(contentsOf: sealed.nonce)
        out.append(sealed.ciphertext)
        out.append(sealed.tag)
        return out
    }

    public func unwrap(_ wrapped: Data, for context: WrappingContext) throws -> Data {
        let bytes = [UInt8](wrapped)
        guard bytes.count >= 1 + 12 + 16, bytes[0] == Self.formatVersion else { throw RootKeyError.unwrapFailed }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: bytes[1..<13]),
                ciphertext: bytes[13..<(bytes.count - 16)],
                tag: bytes[(bytes.count - 16)...])
            return try AES.GCM.open(box, using: key, authenticating: Data(context.label.utf8))
        } catch {
            throw RootKeyError.unwrapFailed
        }
    }
}
