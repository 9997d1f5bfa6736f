"""DeriveSharedSecret (ECDH) on KEY_AGREEMENT keys: the secret equals what Python's
`cryptography` derives from the other side with GetPublicKey's key."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from e2e_helpers import raises_aws

CURVES = {"ECC_NIST_P256": ec.SECP256R1, "ECC_NIST_P384": ec.SECP384R1, "ECC_NIST_P521": ec.SECP521R1}


def spki(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


@pytest.mark.parametrize("spec", sorted(CURVES))
def test_secret_matches_the_peer(kms, new_key, spec):
    key = new_key(KeySpec=spec, KeyUsage="KEY_AGREEMENT")
    assert key["KeyAgreementAlgorithms"] == ["ECDH"] and "SigningAlgorithms" not in key
    got = kms.get_public_key(KeyId=key["KeyId"])
    assert got["KeyAgreementAlgorithms"] == ["ECDH"] and got["KeyUsage"] == "KEY_AGREEMENT"
    trent_public = serialization.load_der_public_key(got["PublicKey"])
    peer = ec.generate_private_key(CURVES[spec]())
    derived = kms.derive_shared_secret(KeyId=key["KeyId"], KeyAgreementAlgorithm="ECDH", PublicKey=spki(peer.public_key()))
    assert derived["KeyAgreementAlgorithm"] == "ECDH" and derived["KeyOrigin"] == "AWS_KMS" and derived["KeyId"] == key["Arn"]
    assert derived["SharedSecret"] == peer.exchange(ec.ECDH(), trent_public)


def test_sm2_agreement_is_symmetric_between_two_keys(kms, new_key):
    """`cryptography` has no SM2; two Trent keys must derive the same secret from each other's public key."""
    a = new_key(KeySpec="SM2", KeyUsage="KEY_AGREEMENT")
    b = new_key(KeySpec="SM2", KeyUsage="KEY_AGREEMENT")
    pa = kms.get_public_key(KeyId=a["KeyId"])["PublicKey"]
    pb = kms.get_public_key(KeyId=b["KeyId"])["PublicKey"]
    ab = kms.derive_shared_secret(KeyId=a["KeyId"], KeyAgreementAlgorithm="ECDH", PublicKey=pb)["SharedSecret"]
    ba = kms.derive_shared_secret(KeyId=b["KeyId"], KeyAgreementAlgorithm="ECDH", PublicKey=pa)["SharedSecret"]
    assert ab == ba and len(ab) == 32


def test_bad_peer_keys(kms, new_key):
    key = new_key(KeySpec="ECC_NIST_P256", KeyUsage="KEY_AGREEMENT")
    with raises_aws("ValidationException"):
        kms.derive_shared_secret(KeyId=key["KeyId"], KeyAgreementAlgorithm="ECDH", PublicKey=b"\x30\x03\x02\x01\x01")
    other_curve = ec.generate_private_key(ec.SECP384R1()).public_key()
    with raises_aws("ValidationException"):
        kms.derive_shared_secret(KeyId=key["KeyId"], KeyAgreementAlgorithm="ECDH", PublicKey=spki(other_curve))
    with raises_aws("ValidationException") as err:
        kms.derive_shared_secret(KeyId=key["KeyId"], KeyAgreementAlgorithm="DH", PublicKey=spki(other_curve))
    assert "Member must satisfy enum value set: [ECDH]" in err.message


def test_wrong_usage(kms, new_key):
    signing = new_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    peer = ec.generate_private_key(ec.SECP256R1()).public_key()
    with raises_aws("InvalidKeyUsageException") as err:
        kms.derive_shared_secret(KeyId=signing["KeyId"], KeyAgreementAlgorithm="ECDH", PublicKey=spki(peer))
    assert err.message == f"{signing['Arn']} key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret."
    agreement = new_key(KeySpec="ECC_NIST_P256", KeyUsage="KEY_AGREEMENT")
    with raises_aws("InvalidKeyUsageException"):
        kms.sign(KeyId=agreement["KeyId"], Message=b"m", SigningAlgorithm="ECDSA_SHA_256")
