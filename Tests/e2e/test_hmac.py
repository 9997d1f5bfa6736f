"""GenerateMac and VerifyMac on HMAC_224/256/384/512 keys.

An HMAC key never leaves Trent (key import comes later), so no outside library can recompute
its MACs here; agreement with published values on known keys is the RFC 4231 unit test in
Tests/KMSCryptoTests/HMACKeyMaterialTests.swift."""

import hashlib

import pytest

from e2e_helpers import raises_aws

SPECS = {
    "HMAC_224": ("HMAC_SHA_224", hashlib.sha224), "HMAC_256": ("HMAC_SHA_256", hashlib.sha256),
    "HMAC_384": ("HMAC_SHA_384", hashlib.sha384), "HMAC_512": ("HMAC_SHA_512", hashlib.sha512),
}


@pytest.mark.parametrize("spec", sorted(SPECS))
def test_mac_generates_and_verifies(kms, new_key, spec):
    algorithm, _ = SPECS[spec]
    key = new_key(KeySpec=spec, KeyUsage="GENERATE_VERIFY_MAC")
    assert key["MacAlgorithms"] == [algorithm] and key["KeyUsage"] == "GENERATE_VERIFY_MAC"
    assert "EncryptionAlgorithms" not in key and "SigningAlgorithms" not in key
    message = b"GET /orders?id=42"
    made = kms.generate_mac(KeyId=key["KeyId"], Message=message, MacAlgorithm=algorithm)
    assert made["MacAlgorithm"] == algorithm and made["KeyId"] == key["Arn"]
    assert len(made["Mac"]) == SPECS[spec][1]().digest_size
    ok = kms.verify_mac(KeyId=key["KeyId"], Message=message, MacAlgorithm=algorithm, Mac=made["Mac"])
    assert ok["MacValid"] is True
    # Deterministic: the same message gives the same MAC.
    assert kms.generate_mac(KeyId=key["KeyId"], Message=message, MacAlgorithm=algorithm)["Mac"] == made["Mac"]
    with raises_aws("KMSInvalidMacException"):
        kms.verify_mac(KeyId=key["KeyId"], Message=message + b"!", MacAlgorithm=algorithm, Mac=made["Mac"])
    with raises_aws("KMSInvalidMacException"):
        kms.verify_mac(KeyId=key["KeyId"], Message=message, MacAlgorithm=algorithm, Mac=made["Mac"][:-1])


def test_wrong_algorithm_usage_and_size(kms, new_key):
    key = new_key(KeySpec="HMAC_384", KeyUsage="GENERATE_VERIFY_MAC")
    with raises_aws("InvalidKeyUsageException") as err:
        kms.generate_mac(KeyId=key["KeyId"], Message=b"m", MacAlgorithm="HMAC_SHA_256")
    assert err.message == "Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_384."
    with raises_aws("ValidationException"):
        kms.generate_mac(KeyId=key["KeyId"], Message=bytes(4097), MacAlgorithm="HMAC_SHA_384")
    with raises_aws("ValidationException") as err:
        kms.generate_mac(KeyId=key["KeyId"], Message=b"m", MacAlgorithm="HMAC_SHA_1")
    assert "Member must satisfy enum value set" in err.message
    symmetric = new_key()
    with raises_aws("InvalidKeyUsageException") as err:
        kms.generate_mac(KeyId=symmetric["KeyId"], Message=b"m", MacAlgorithm="HMAC_SHA_256")
    assert err.message == f"{symmetric['Arn']} key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac."
    with raises_aws("InvalidKeyUsageException"):
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    with raises_aws("ValidationException"):
        kms.create_key(KeySpec="HMAC_256", KeyUsage="SIGN_VERIFY")
