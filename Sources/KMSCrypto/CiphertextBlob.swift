import Foundation

/// The symmetric ciphertext blob Trent returns from Encrypt and GenerateDataKey.
///
/// It names its key and key version, so Decrypt needs no KeyId, old versions keep decrypting
/// after rotation, and a principal of another account can decrypt with the owner's key:
///
///     version(1) = 0x01 | account(12, ASCII digits) | keyIdLength(1) | keyId | keyVersion(4, BE)
///     | seed(32) | ciphertext | tag(16)
///
/// Everything before the seed is the header, authenticated together with the encryption
/// context; see ``SymmetricKeyMaterial`` for how the seed is used.
public struct CiphertextBlob: Sendable, Equatable {
    public static let formatVersion: UInt8 = 1
    public static let seedLength = 32
    public static let tagLength = 16

    public var header: Header
    public var seed: [UInt8]
    public var ciphertext: [UInt8]
    public var tag: [UInt8]

    public struct Header: Sendable, Equatable {
        public var accountId: String
        public var keyId: String
        public var keyVersion: UInt32

        public init(accountId: String, keyId: String, keyVersion: UInt32) {
            self.accountId = accountId
            self.keyId = keyId
            self.keyVersion = keyVersion
        }

        public var bytes: [UInt8] {
            var out: [UInt8] = []
            append(to: &out)
            return out
        }

        /// Writes the header into `out`, reserving room for `trailing` more bytes after it.
        func append(to out: inout [UInt8], trailing: Int = 0) {
            out.reserveCapacity(out.count + 2 + accountId.utf8.count + keyId.utf8.count + 4 + trailing)
            out.append(CiphertextBlob.formatVersion)
            out.append(contentsOf: accountId.utf8)
            out.append(UInt8(keyId.utf8.count))
            out.append(contentsOf: keyId.utf8)
            out.appendBigEndian(keyVersion)
        }
    }

    public init(header: Header, seed: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
        self.header = header
        self.seed = seed
        self.ciphertext = ciphertext
        self.tag = tag
    }

    /// One buffer, sized once: every Encrypt writes its blob.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        header.append(to: &out, trailing: seed.count + ciphertext.count + tag.count)
        out.append(contentsOf: seed)
        out.append(contentsOf: ciphertext)
        out.append(contentsOf: tag)
        return out
    }

    /// Parses a blob; any structural fault is ``CiphertextError/malformed``, never a crash.
    public init(bytes: some Collection<UInt8>) throws {
        let b = Array(bytes)
        let accountLength = 12
        var offset = 0
        guard b.count > 1 + accountLength + 1, b[0] == Self.formatVersion else { throw CiphertextError.malformed }
        offset = 1
        let accountBytes = b[offset..<(offset + accountLength)]
        guard accountBytes.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw CiphertextError.malformed
        }
        offset += accountLength
        let keyIdLength = Int(b[offset])
        offset += 1
        guard keyIdLength > 0, b.count >= offset + keyIdLength + 4 + Self.seedLength + Self.tagLength else {
            throw CiphertextError.malformed
        }
        guard let keyId = String(validating: b[offset..<(offset + keyIdLength)], as: UTF8.self) else {
            throw CiphertextError.malformed
        }
        offset += keyIdLength
        let version = b[offset..<(offset + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        offset += 4
        self.header = Header(accountId: String(decoding: accountBytes, as: UTF8.self), keyId: keyId, keyVersion: version)
        self.seed = Array(b[offset..<(offset + Self.seedLength)])
        offset += Self.seedLength
        self.ciphertext = Array(b[offset..<(b.count - Self.tagLength)])
        self.tag = Array(b[(b.count - Self.tagLength)...])
    }
}

public enum CiphertextError: Error, Equatable, Sendable {
    /// Not a blob Trent could have made.
    case malformed
    /// The tag did not verify: a flipped bit, another key, or another encryption context.
    case authenticationFailed
}
