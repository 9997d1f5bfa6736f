import Foundation
import KMSModel

/// DER SubjectPublicKeyInfo of an ML-DSA public key (RFC 9881 / draft-ietf-lamps-dilithium-certificates):
/// `SEQUENCE { SEQUENCE { OID id-ml-dsa-NN }, BIT STRING (0 unused bits) raw key }`, with no
/// parameters. swift-crypto gives only the FIPS 204 raw encoding, so the fixed wrapper is written here.
enum MLDSAPublicKeyInfo {
    /// The last arc of id-ml-dsa-44/65/87 under 2.16.840.1.101.3.4.3.
    static func oidLastArc(_ spec: KeySpec) -> UInt8? {
        switch spec {
        case .mlDsa44: 0x11
        case .mlDsa65: 0x12
        case .mlDsa87: 0x13
        default: nil
        }
    }

    static func der(spec: KeySpec, rawPublicKey: Data) -> Data {
        let algorithm: [UInt8] = [0x30, 0x0B, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, oidLastArc(spec)!]
        let bitString: [UInt8] = [0x03] + length(rawPublicKey.count + 1) + [0x00] + Array(rawPublicKey)
        let body = algorithm + bitString
        return Data([0x30] + length(body.count) + body)
    }

    /// DER definite length; ML-DSA keys need the two-byte long form.
    private static func length(_ count: Int) -> [UInt8] {
        switch count {
        case ..<0x80: [UInt8(count)]
        case ..<0x100: [0x81, UInt8(count)]
        default: [0x82, UInt8(count >> 8), UInt8(count & 0xFF)]
        }
    }
}
