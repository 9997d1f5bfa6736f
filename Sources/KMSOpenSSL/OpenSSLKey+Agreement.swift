import COpenSSL
import Foundation

extension OpenSSLKey {
    /// Plain ECDH: the x-coordinate of d·Q, unhashed, as AWS's DeriveSharedSecret returns it.
    /// The peer key must be on the same curve; OpenSSL checked when parsing it that the point
    /// is on that curve.
    public func sharedSecret(with peer: OpenSSLKey) throws -> Data {
        if isA("SM2") { return try sm2SharedSecret(with: peer) }
        return try withContext { context in
            try check(EVP_PKEY_derive_init(context), "EVP_PKEY_derive_init")
            try check(EVP_PKEY_derive_set_peer(context, peer.pointer), "EVP_PKEY_derive_set_peer")
            var length = 0
            try check(EVP_PKEY_derive(context, nil, &length), "EVP_PKEY_derive")
            var out = [UInt8](repeating: 0, count: length)
            try check(EVP_PKEY_derive(context, &out, &length), "EVP_PKEY_derive")
            return Data(out.prefix(length))
        }
    }

    /// OpenSSL 3.0 has no key exchange for its `SM2` key type, its `EC` key manager refuses the
    /// SM2 curve, and SM2 keys do not convert to `EC_KEY`. So the private scalar and the peer's
    /// point are read as parameters and fed to the (deprecated, still shipped) `EC_KEY`
    /// interface: `ECDH_compute_key` is the same cofactor-less ECDH, on the SM2 curve.
    private func sm2SharedSecret(with peer: OpenSSLKey) throws -> Data {
        guard peer.isA("SM2") else { throw OpenSSLError("SM2 ECDH with a non-SM2 peer key") }
        var scalar: OpaquePointer?
        try check(EVP_PKEY_get_bn_param(pointer, "priv", &scalar), "read the SM2 private scalar")
        defer { BN_clear_free(scalar) }
        guard let own = EC_KEY_new_by_curve_name(NID_sm2) else { throw OpenSSLError("EC_KEY_new_by_curve_name(SM2)") }
        defer { EC_KEY_free(own) }
        try check(EC_KEY_set_private_key(own, scalar), "EC_KEY_set_private_key")
        guard let group = EC_KEY_get0_group(own), let point = EC_POINT_new(group) else { throw OpenSSLError("EC_POINT_new") }
        defer { EC_POINT_free(point) }
        var encoded = [UInt8](repeating: 0, count: 133)
        var encodedLength = 0
        try check(
            EVP_PKEY_get_octet_string_param(peer.pointer, "pub", &encoded, encoded.count, &encodedLength),
            "read the peer's SM2 point")
        // oct2point checks that the point lies on the SM2 curve.
        try check(EC_POINT_oct2point(group, point, encoded, encodedLength, nil), "EC_POINT_oct2point")
        let size = (Int(EC_GROUP_get_degree(group)) + 7) / 8
        var out = [UInt8](repeating: 0, count: size)
        guard ECDH_compute_key(&out, size, point, own, nil) == size else { throw OpenSSLError("ECDH_compute_key") }
        return Data(out)
    }
}
