import Crypto
import Foundation

/// A digest the caller computed (Sign/Verify with MessageType DIGEST), in the shape
/// swift-crypto's ECDSA takes. swift-crypto signs any `Digest` by its bytes; its own digest
/// types cannot be built from bytes, so these carry the client's.
protocol PrecomputedDigest: Digest {
    var bytes: [UInt8] { get }
}

extension PrecomputedDigest {
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }

    var description: String { "\(Self.self)(\(bytes.count) bytes)" }
}

struct PrecomputedSHA256Digest: PrecomputedDigest {
    static let byteCount = 32
    let bytes: [UInt8]
}

struct PrecomputedSHA384Digest: PrecomputedDigest {
    static let byteCount = 48
    let bytes: [UInt8]
}

struct PrecomputedSHA512Digest: PrecomputedDigest {
    static let byteCount = 64
    let bytes: [UInt8]
}
