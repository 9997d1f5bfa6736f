"""Sign, Verify, GetPublicKey and DescribeKey for every signing key spec, checked by an
independent implementation: Python's `cryptography` (RSA, NIST and secp256k1 ECDSA, Ed25519,
ML-DSA), the OpenSSL 3 command line (SM2DSA) and the RFC 8032 reference algorithm (Ed25519ph)."""

import hashlib

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

import asymmetric_helpers as ah
from e2e_helpers import raises_aws

RSA_ALGORITHMS = [
    "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
    "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
]

# What AWS lists as SigningAlgorithms per spec (KeyMetadata and GetPublicKey).
SIGNING_ALGORITHMS = {
    "RSA_2048": RSA_ALGORITHMS, "RSA_3072": RSA_ALGORITHMS, "RSA_4096": RSA_ALGORITHMS,
    "ECC_NIST_P256": ["ECDSA_SHA_256"], "ECC_NIST_P384": ["ECDSA_SHA_384"], "ECC_NIST_P521": ["ECDSA_SHA_512"],
    "ECC_SECG_P256K1": ["ECDSA_SHA_256"],
    "ECC_NIST_EDWARDS25519": ["ED25519_SHA_512", "ED25519_PH_SHA_512"],
    "ML_DSA_65": ["ML_DSA_SHAKE_256"], "ML_DSA_87": ["ML_DSA_SHAKE_256"],
    "SM2": ["SM2DSA"],
}

# (spec, algorithm, message type) that Trent signs and an independent library verifies.
CASES = [
    (spec, algorithm, message_type)
    for spec, algorithms in SIGNING_ALGORITHMS.items()
    for algorithm in algorithms
    for message_type in ("RAW", "DIGEST")
    if not (algorithm in ("ED25519_SHA_512", "ML_DSA_SHAKE_256") and message_type == "DIGEST")
    and not (algorithm == "ED25519_PH_SHA_512" and message_type == "RAW")
    and not (algorithm == "SM2DSA" and message_type == "DIGEST")
]

MESSAGE = b"release v1.2.3 of the orders service"


@pytest.fixture(scope="module")
def signing_key(kms):
    made = {}

    def get(spec):
        if spec not in made:
            made[spec] = kms.create_key(KeySpec=spec, KeyUsage="SIGN_VERIFY", Description=f"e2e sign {spec}")["KeyMetadata"]
        return made[spec]

    return get


@pytest.mark.parametrize("spec,algorithm,message_type", CASES)
def test_signature_verifies_independently(kms, signing_key, spec, algorithm, message_type):
    key = signing_key(spec)
    message = MESSAGE if message_type == "RAW" else ah.digest(algorithm, MESSAGE)
    signed = kms.sign(KeyId=key["KeyId"], Message=message, MessageType=message_type, SigningAlgorithm=algorithm)
    assert signed["KeyId"] == key["Arn"] and signed["SigningAlgorithm"] == algorithm
    public = kms.get_public_key(KeyId=key["KeyId"])["PublicKey"]
    if algorithm == "ED25519_PH_SHA_512":
        ah.verify_independently(public, algorithm, message, "DIGEST", signed["Signature"])
    else:
        # A digest signature is the same as one over the message, for every other verifier.
        ah.verify_independently(public, algorithm, MESSAGE, "RAW", signed["Signature"])

    verified = kms.verify(
        KeyId=key["KeyId"], Message=message, MessageType=message_type, Signature=signed["Signature"],
        SigningAlgorithm=algorithm)
    assert verified["SignatureValid"] is True and verified["SigningAlgorithm"] == algorithm

    with raises_aws("KMSInvalidSignatureException"):
        kms.verify(
            KeyId=key["KeyId"], Message=message[:-1] + bytes([message[-1] ^ 1]), MessageType=message_type,
            Signature=signed["Signature"], SigningAlgorithm=algorithm)


def test_sm2_digest_signature_is_over_sm3_of_za_and_message(kms, signing_key):
    """SM2DSA with DIGEST signs e = SM3(Z_A ‖ M) as given: Trent's RAW verifier accepts it only
    when the caller computed e the standard way, so compare against Trent's own RAW signing path."""
    key = signing_key("SM2")
    raw = kms.sign(KeyId=key["KeyId"], Message=MESSAGE, SigningAlgorithm="SM2DSA")["Signature"]
    e = bytes(32)  # a digest of the right length that is not SM3(Z_A ‖ M)
    signed = kms.sign(KeyId=key["KeyId"], Message=e, MessageType="DIGEST", SigningAlgorithm="SM2DSA")["Signature"]
    assert kms.verify(KeyId=key["KeyId"], Message=e, MessageType="DIGEST", Signature=signed, SigningAlgorithm="SM2DSA")["SignatureValid"]
    with raises_aws("KMSInvalidSignatureException"):
        kms.verify(KeyId=key["KeyId"], Message=e, MessageType="DIGEST", Signature=raw, SigningAlgorithm="SM2DSA")


@pytest.mark.parametrize("spec", sorted(SIGNING_ALGORITHMS))
def test_metadata_and_public_key_report_the_spec(kms, signing_key, spec):
    key = signing_key(spec)
    assert key["KeySpec"] == spec and key["KeyUsage"] == "SIGN_VERIFY"
    assert key["SigningAlgorithms"] == SIGNING_ALGORITHMS[spec]
    assert "EncryptionAlgorithms" not in key and "MacAlgorithms" not in key and "KeyAgreementAlgorithms" not in key
    described = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert described["SigningAlgorithms"] == SIGNING_ALGORITHMS[spec]

    got = kms.get_public_key(KeyId=key["KeyId"])
    assert got["KeySpec"] == spec and got["KeyUsage"] == "SIGN_VERIFY" and got["KeyId"] == key["Arn"]
    assert got["SigningAlgorithms"] == SIGNING_ALGORITHMS[spec]
    assert "EncryptionAlgorithms" not in got
    if spec != "SM2":
        public = serialization.load_der_public_key(got["PublicKey"])
        expected_bits = {"RSA_2048": 2048, "RSA_3072": 3072, "RSA_4096": 4096}
        if spec in expected_bits:
            assert public.key_size == expected_bits[spec]
        if spec.startswith("ECC_NIST_P") or spec == "ECC_SECG_P256K1":
            names = {"ECC_NIST_P256": "secp256r1", "ECC_NIST_P384": "secp384r1", "ECC_NIST_P521": "secp521r1",
                     "ECC_SECG_P256K1": "secp256k1"}
            assert public.curve.name == names[spec]
        # The key must be the type the spec names, not a look-alike (an Ed25519 request once got P-521 elsewhere).
        kinds = {"ECC_NIST_EDWARDS25519": "Ed25519PublicKey", "ML_DSA_65": "MLDSA65PublicKey", "ML_DSA_87": "MLDSA87PublicKey"}
        if spec in kinds:
            assert type(public).__name__.endswith(kinds[spec]) or kinds[spec] in [c.__name__ for c in type(public).__mro__]
    else:
        text = ah.openssl("pkey", "-pubin", "-inform", "DER", "-noout", "-text", input=got["PublicKey"]).decode()
        assert "SM2" in text


def test_ed25519_message_types(kms, signing_key):
    key = signing_key("ECC_NIST_EDWARDS25519")
    with raises_aws("ValidationException") as err:
        kms.sign(KeyId=key["KeyId"], Message=bytes(64), MessageType="DIGEST", SigningAlgorithm="ED25519_SHA_512")
    assert err.message == "Message type DIGEST is incompatible with algorithm ED25519_SHA_512."
    with raises_aws("ValidationException") as err:
        kms.sign(KeyId=key["KeyId"], Message=MESSAGE, MessageType="RAW", SigningAlgorithm="ED25519_PH_SHA_512")
    assert err.message == "Message type RAW is incompatible with algorithm ED25519_PH_SHA_512."
    with raises_aws("ValidationException") as err:
        kms.sign(KeyId=key["KeyId"], Message=bytes(32), MessageType="DIGEST", SigningAlgorithm="ED25519_PH_SHA_512")
    assert err.message == "Digest is invalid length for algorithm ED25519_PH_SHA_512."
    digest = hashlib.sha512(MESSAGE).digest()
    signed = kms.sign(KeyId=key["KeyId"], Message=digest, MessageType="DIGEST", SigningAlgorithm="ED25519_PH_SHA_512")
    # Not plain Ed25519 over the digest: Ed25519ph has its own domain separation.
    with raises_aws("KMSInvalidSignatureException"):
        kms.verify(KeyId=key["KeyId"], Message=digest, MessageType="RAW", Signature=signed["Signature"],
                   SigningAlgorithm="ED25519_SHA_512")


def test_ml_dsa_message_types(kms, signing_key):
    key = signing_key("ML_DSA_65")
    with raises_aws("ValidationException") as err:
        kms.sign(KeyId=key["KeyId"], Message=bytes(32), MessageType="DIGEST", SigningAlgorithm="ML_DSA_SHAKE_256")
    assert err.message == "Message type DIGEST is incompatible with key spec ML_DSA_65."
    with raises_aws("ValidationException") as err:
        kms.sign(KeyId=key["KeyId"], Message=bytes(32), MessageType="EXTERNAL_MU", SigningAlgorithm="ML_DSA_SHAKE_256")
    assert err.message == "External Mu is invalid length for algorithm ML_DSA_SHAKE_256."
    with raises_aws("UnsupportedOperationException"):
        kms.sign(KeyId=key["KeyId"], Message=bytes(64), MessageType="EXTERNAL_MU", SigningAlgorithm="ML_DSA_SHAKE_256")


def test_ml_dsa_44_is_refused_explicitly(kms):
    with raises_aws("UnsupportedOperationException") as err:
        kms.create_key(KeySpec="ML_DSA_44", KeyUsage="SIGN_VERIFY")
    assert "ML-DSA-44" in err.message


def test_wrong_algorithm_for_the_spec(kms, signing_key):
    key = signing_key("ECC_NIST_P256")
    with raises_aws("InvalidKeyUsageException") as err:
        kms.sign(KeyId=key["KeyId"], Message=MESSAGE, SigningAlgorithm="ECDSA_SHA_384")
    assert err.message == "Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256."
    with raises_aws("InvalidKeyUsageException"):
        kms.verify(KeyId=key["KeyId"], Message=MESSAGE, Signature=b"x", SigningAlgorithm="RSASSA_PSS_SHA_256")


def test_digest_of_the_wrong_length(kms, signing_key):
    key = signing_key("RSA_2048")
    with raises_aws("ValidationException") as err:
        kms.sign(KeyId=key["KeyId"], Message=bytes(31), MessageType="DIGEST", SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256")
    assert err.message == "Digest is invalid length for algorithm RSASSA_PKCS1_V1_5_SHA_256."
    with raises_aws("ValidationException") as err:
        kms.sign(KeyId=key["KeyId"], Message=bytes(32), MessageType="EXTERNAL_MU", SigningAlgorithm="RSASSA_PSS_SHA_256")
    assert err.message == "Message type EXTERNAL_MU is incompatible with key spec RSA_2048."


def test_oversized_message(kms, signing_key):
    key = signing_key("ECC_NIST_P256")
    with raises_aws("ValidationException") as err:
        kms.sign(KeyId=key["KeyId"], Message=bytes(4097), SigningAlgorithm="ECDSA_SHA_256")
    assert "Member must have length less than or equal to 4096" in err.message
    assert kms.sign(KeyId=key["KeyId"], Message=bytes(4096), SigningAlgorithm="ECDSA_SHA_256")["Signature"]


def test_wrong_key_usage(kms, new_key):
    symmetric = new_key()
    with raises_aws("InvalidKeyUsageException") as err:
        kms.sign(KeyId=symmetric["KeyId"], Message=MESSAGE, SigningAlgorithm="ECDSA_SHA_256")
    assert err.message == f"{symmetric['Arn']} key usage is ENCRYPT_DECRYPT which is not valid for Sign."
    with raises_aws("UnsupportedOperationException"):
        kms.get_public_key(KeyId=symmetric["KeyId"])
    rsa_encrypt = new_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")
    with raises_aws("InvalidKeyUsageException"):
        kms.sign(KeyId=rsa_encrypt["KeyId"], Message=MESSAGE, SigningAlgorithm="RSASSA_PSS_SHA_256")


def test_disabled_key_refuses_to_sign(kms, new_key):
    key = new_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    kms.disable_key(KeyId=key["KeyId"])
    with raises_aws("DisabledException"):
        kms.sign(KeyId=key["KeyId"], Message=MESSAGE, SigningAlgorithm="ECDSA_SHA_256")
    with raises_aws("DisabledException"):
        kms.get_public_key(KeyId=key["KeyId"])


def test_invalid_spec_usage_combination(kms):
    with raises_aws("ValidationException") as err:
        kms.create_key(KeySpec="ECC_NIST_EDWARDS25519", KeyUsage="KEY_AGREEMENT")
    assert err.message == "KeyUsage KEY_AGREEMENT is not compatible with KeySpec ECC_NIST_EDWARDS25519"
    with raises_aws("ValidationException") as err:
        kms.create_key(KeySpec="RSA_2048")
    assert err.message == "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."


def test_tampered_signature_is_rejected_by_independent_verifier_too(kms, signing_key):
    key = signing_key("ECC_SECG_P256K1")
    signature = kms.sign(KeyId=key["KeyId"], Message=MESSAGE, SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    public = kms.get_public_key(KeyId=key["KeyId"])["PublicKey"]
    with pytest.raises(InvalidSignature):
        ah.verify_independently(public, "ECDSA_SHA_256", MESSAGE + b"!", "RAW", signature)


def test_unknown_enum_values_and_missing_members(kms, signing_key):
    key = signing_key("ECC_NIST_P256")
    with raises_aws("ValidationException") as err:
        kms.sign(KeyId=key["KeyId"], Message=MESSAGE, SigningAlgorithm="ECDSA_SHA_1")
    assert err.message.startswith("1 validation error detected: Value 'ECDSA_SHA_1' at 'signingAlgorithm' failed to satisfy")
    with raises_aws("ValidationException") as err:
        kms.sign(KeyId=key["KeyId"], Message=MESSAGE, MessageType="HASHED", SigningAlgorithm="ECDSA_SHA_256")
    assert "at 'messageType' failed to satisfy constraint: Member must satisfy enum value set: [RAW, DIGEST, EXTERNAL_MU]" in err.message
