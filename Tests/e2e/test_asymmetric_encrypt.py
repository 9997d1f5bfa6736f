"""Encrypt and Decrypt with RSA (RSAES_OAEP_SHA_1/256) and SM2 (SM2PKE) keys. Ciphertext made
by Python's `cryptography` with GetPublicKey's key decrypts in Trent; Trent's ciphertext
decrypts in Trent; AWS's plaintext limits and texts."""

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from e2e_helpers import raises_aws

OAEP = {"RSAES_OAEP_SHA_1": hashes.SHA1, "RSAES_OAEP_SHA_256": hashes.SHA256}
# k − 2·hLen − 2 (RFC 8017), as AWS documents per key spec.
LIMITS = {
    ("RSA_2048", "RSAES_OAEP_SHA_1"): 214, ("RSA_2048", "RSAES_OAEP_SHA_256"): 190,
    ("RSA_3072", "RSAES_OAEP_SHA_1"): 342, ("RSA_3072", "RSAES_OAEP_SHA_256"): 318,
    ("RSA_4096", "RSAES_OAEP_SHA_1"): 470, ("RSA_4096", "RSAES_OAEP_SHA_256"): 446,
}


@pytest.fixture(scope="module")
def encryption_key(kms):
    made = {}

    def get(spec):
        if spec not in made:
            made[spec] = kms.create_key(KeySpec=spec, KeyUsage="ENCRYPT_DECRYPT", Description=f"e2e enc {spec}")["KeyMetadata"]
        return made[spec]

    return get


@pytest.mark.parametrize("spec,algorithm", sorted(LIMITS))
def test_ciphertext_from_cryptography_decrypts_in_trent(kms, encryption_key, spec, algorithm):
    key = encryption_key(spec)
    assert key["EncryptionAlgorithms"] == ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]
    assert "SigningAlgorithms" not in key
    got = kms.get_public_key(KeyId=key["KeyId"])
    assert got["EncryptionAlgorithms"] == ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]
    public = serialization.load_der_public_key(got["PublicKey"])
    plaintext = b"p" * LIMITS[(spec, algorithm)]
    h = OAEP[algorithm]
    ciphertext = public.encrypt(plaintext, padding.OAEP(mgf=padding.MGF1(h()), algorithm=h(), label=None))
    dec = kms.decrypt(KeyId=key["KeyId"], CiphertextBlob=ciphertext, EncryptionAlgorithm=algorithm)
    assert dec["Plaintext"] == plaintext and dec["EncryptionAlgorithm"] == algorithm and dec["KeyId"] == key["Arn"]

    enc = kms.encrypt(KeyId=key["KeyId"], Plaintext=plaintext, EncryptionAlgorithm=algorithm)
    assert enc["EncryptionAlgorithm"] == algorithm and len(enc["CiphertextBlob"]) == public.key_size // 8
    assert kms.decrypt(KeyId=key["KeyId"], CiphertextBlob=enc["CiphertextBlob"], EncryptionAlgorithm=algorithm)["Plaintext"] == plaintext


@pytest.mark.parametrize("spec,algorithm", sorted(LIMITS))
def test_plaintext_limit(kms, encryption_key, spec, algorithm):
    key = encryption_key(spec)
    limit = LIMITS[(spec, algorithm)]
    with raises_aws("ValidationException") as err:
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"p" * (limit + 1), EncryptionAlgorithm=algorithm)
    assert err.message == f"Algorithm {algorithm} and key spec {spec} cannot encrypt data larger than {limit} bytes."


def test_sm2pke_round_trip(kms, encryption_key):
    key = encryption_key("SM2")
    assert key["EncryptionAlgorithms"] == ["SM2PKE"]
    enc = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"sm2 secret", EncryptionAlgorithm="SM2PKE")
    assert b"sm2 secret" not in enc["CiphertextBlob"]
    dec = kms.decrypt(KeyId=key["KeyId"], CiphertextBlob=enc["CiphertextBlob"], EncryptionAlgorithm="SM2PKE")
    assert dec["Plaintext"] == b"sm2 secret"


def test_wrong_algorithm_and_tampered_ciphertext(kms, encryption_key):
    key = encryption_key("RSA_2048")
    with raises_aws("InvalidKeyUsageException") as err:
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    assert err.message == (
        "The requested algorithm is not supported by the key. Supported algorithms: [RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256]")
    enc = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x", EncryptionAlgorithm="RSAES_OAEP_SHA_256")["CiphertextBlob"]
    with raises_aws("InvalidCiphertextException"):
        kms.decrypt(KeyId=key["KeyId"], CiphertextBlob=enc, EncryptionAlgorithm="RSAES_OAEP_SHA_1")
    with raises_aws("InvalidCiphertextException"):
        kms.decrypt(KeyId=key["KeyId"], CiphertextBlob=enc[:-1], EncryptionAlgorithm="RSAES_OAEP_SHA_256")
    # Without a KeyId the ciphertext names no key: it is not a Trent blob.
    with raises_aws("InvalidCiphertextException"):
        kms.decrypt(CiphertextBlob=enc, EncryptionAlgorithm="RSAES_OAEP_SHA_256")
    with raises_aws("ValidationException"):
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x", EncryptionAlgorithm="RSAES_OAEP_SHA_256", EncryptionContext={"a": "b"})


def test_symmetric_key_refuses_rsa_algorithms(kms, new_key):
    key = new_key()
    with raises_aws("InvalidKeyUsageException"):
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x", EncryptionAlgorithm="RSAES_OAEP_SHA_256")


def test_reencrypt_from_rsa_to_symmetric(kms, encryption_key, new_key):
    rsa_key = encryption_key("RSA_3072")
    target = new_key()
    enc = kms.encrypt(KeyId=rsa_key["KeyId"], Plaintext=b"move me", EncryptionAlgorithm="RSAES_OAEP_SHA_1")["CiphertextBlob"]
    moved = kms.re_encrypt(
        CiphertextBlob=enc, SourceKeyId=rsa_key["KeyId"], SourceEncryptionAlgorithm="RSAES_OAEP_SHA_1",
        DestinationKeyId=target["KeyId"])
    assert moved["SourceEncryptionAlgorithm"] == "RSAES_OAEP_SHA_1" and moved["DestinationEncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    assert kms.decrypt(CiphertextBlob=moved["CiphertextBlob"])["Plaintext"] == b"move me"
