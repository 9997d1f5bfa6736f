"""GenerateDataKeyPair(+WithoutPlaintext): PKCS#8 private keys and SPKI public keys that
belong together, the private key also sealed under a symmetric key and opened by Decrypt."""

import pytest
from cryptography.hazmat.primitives import serialization

import asymmetric_helpers as ah
from e2e_helpers import raises_aws

SPECS = ["RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
         "ECC_SECG_P256K1", "ECC_NIST_EDWARDS25519", "SM2"]


def spki(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


@pytest.mark.parametrize("spec", SPECS)
def test_pair_halves_belong_together(kms, key, spec):
    pair = kms.generate_data_key_pair(KeyId=key["KeyId"], KeyPairSpec=spec, EncryptionContext={"app": "e2e"})
    assert pair["KeyPairSpec"] == spec and pair["KeyId"] == key["Arn"] and len(pair["KeyMaterialId"]) == 64
    private_der, public_der = pair["PrivateKeyPlaintext"], pair["PublicKey"]
    if spec == "SM2":
        # `cryptography` has no SM2: OpenSSL derives the public half from the PKCS#8 key.
        assert ah.openssl_public_from_private(private_der) == public_der
    else:
        private = serialization.load_der_private_key(private_der, password=None)
        assert spki(private.public_key()) == public_der
    opened = kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"], EncryptionContext={"app": "e2e"})
    assert opened["Plaintext"] == private_der and opened["KeyId"] == key["Arn"]
    with raises_aws("InvalidCiphertextException"):
        kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"])


@pytest.mark.parametrize("spec", ["ECC_NIST_P256", "RSA_2048", "SM2"])
def test_without_plaintext(kms, key, spec):
    pair = kms.generate_data_key_pair_without_plaintext(KeyId=key["KeyId"], KeyPairSpec=spec)
    assert "PrivateKeyPlaintext" not in pair and pair["KeyPairSpec"] == spec
    private_der = kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"])["Plaintext"]
    if spec == "SM2":
        assert ah.openssl_public_from_private(private_der) == pair["PublicKey"]
    else:
        assert spki(serialization.load_der_private_key(private_der, password=None).public_key()) == pair["PublicKey"]


def test_pairs_are_unique(kms, key):
    a = kms.generate_data_key_pair(KeyId=key["KeyId"], KeyPairSpec="ECC_NIST_P256")
    b = kms.generate_data_key_pair(KeyId=key["KeyId"], KeyPairSpec="ECC_NIST_P256")
    assert a["PublicKey"] != b["PublicKey"]


def test_asymmetric_or_unknown_spec_refused(kms, new_key, key):
    rsa = new_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")
    with raises_aws("InvalidKeyUsageException"):
        kms.generate_data_key_pair(KeyId=rsa["KeyId"], KeyPairSpec="ECC_NIST_P256")
    with raises_aws("ValidationException") as err:
        kms.generate_data_key_pair(KeyId=key["KeyId"], KeyPairSpec="ML_DSA_65")
    assert "keyPairSpec" in err.message
    with raises_aws("DryRunOperationException"):
        kms.generate_data_key_pair(KeyId=key["KeyId"], KeyPairSpec="ECC_NIST_P256", DryRun=True)
