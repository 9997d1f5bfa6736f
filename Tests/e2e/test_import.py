"""Imported key material (BYOK): material made and wrapped with Python's `cryptography`.

Each wrapping algorithm AWS offers for RSA wrapping keys is used as AWS documents it:
RSAES-OAEP of the material, or (RSA_AES_KEY_WRAP_*) RSAES-OAEP of an ephemeral AES-256 key
followed by the material wrapped under it with AES key wrap with padding (RFC 5649).
"""

import os
import time
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.keywrap import aes_key_wrap_with_padding

import e2e_helpers as h
from e2e_helpers import raises_aws

ALGORITHMS = ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256"]


def wrap(material: bytes, public_key_der: bytes, algorithm: str) -> bytes:
    public_key = serialization.load_der_public_key(public_key_der)
    digest = hashes.SHA1() if algorithm.endswith("SHA_1") else hashes.SHA256()
    oaep = padding.OAEP(mgf=padding.MGF1(algorithm=digest), algorithm=digest, label=None)
    if algorithm.startswith("RSAES_OAEP"):
        return public_key.encrypt(material, oaep)
    aes_key = os.urandom(32)
    return public_key.encrypt(aes_key, oaep) + aes_key_wrap_with_padding(aes_key, material)


def import_material(kms, key_id: str, material: bytes, algorithm: str = "RSAES_OAEP_SHA_256",
                    spec: str = "RSA_2048", **extra):
    params = kms.get_parameters_for_import(KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec=spec)
    extra.setdefault("ExpirationModel", "KEY_MATERIAL_DOES_NOT_EXPIRE")
    return kms.import_key_material(KeyId=key_id, ImportToken=params["ImportToken"],
                                   EncryptedKeyMaterial=wrap(material, params["PublicKey"], algorithm), **extra)


@pytest.fixture
def external_key(new_key):
    return new_key(Origin="EXTERNAL")


def test_external_key_is_pending_import(kms, external_key):
    assert external_key["Origin"] == "EXTERNAL" and external_key["KeyState"] == "PendingImport"
    assert "CurrentKeyMaterialId" not in external_key and not external_key["Enabled"]
    with raises_aws("KMSInvalidStateException") as err:
        kms.encrypt(KeyId=external_key["KeyId"], Plaintext=b"x")
    assert err.message == f"{external_key['Arn']} is pending import."


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_import_round_trip_with_each_wrapping_algorithm(kms, external_key, algorithm):
    key_id = external_key["KeyId"]
    params = kms.get_parameters_for_import(KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec="RSA_3072"
                                           if algorithm.endswith("SHA_256") else "RSA_2048")
    assert params["KeyId"] == external_key["Arn"]
    remaining = params["ParametersValidTo"] - datetime.now(timezone.utc)
    assert timedelta(hours=23, minutes=55) < remaining <= timedelta(hours=24, minutes=1)
    material = os.urandom(32)
    out = kms.import_key_material(KeyId=key_id, ImportToken=params["ImportToken"],
                                  EncryptedKeyMaterial=wrap(material, params["PublicKey"], algorithm),
                                  ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    assert out["KeyId"] == external_key["Arn"] and len(out["KeyMaterialId"]) == 64
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "Enabled" and meta["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE"
    assert meta["CurrentKeyMaterialId"] == out["KeyMaterialId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"byok", EncryptionContext={"alg": algorithm})["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext={"alg": algorithm})["Plaintext"] == b"byok"


def test_reimport_after_delete_decrypts_old_ciphertexts(kms, external_key):
    key_id = external_key["KeyId"]
    material = os.urandom(32)
    first = import_material(kms, key_id, material, "RSA_AES_KEY_WRAP_SHA_256")
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"old")["CiphertextBlob"]

    deleted = kms.delete_imported_key_material(KeyId=key_id)
    assert deleted["KeyMaterialId"] == first["KeyMaterialId"]
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"
    with raises_aws("KMSInvalidStateException"):
        kms.decrypt(CiphertextBlob=blob)

    with raises_aws("IncorrectKeyMaterialException"):
        import_material(kms, key_id, os.urandom(32))
    again = import_material(kms, key_id, material, "RSAES_OAEP_SHA_1", ImportType="EXISTING_KEY_MATERIAL",
                            KeyMaterialId=first["KeyMaterialId"], KeyMaterialDescription="same again")
    assert again["KeyMaterialId"] == first["KeyMaterialId"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"old"


def test_wrong_material_and_bad_tokens(kms, external_key, new_key):
    key_id = external_key["KeyId"]
    with raises_aws("IncorrectKeyMaterialException"):
        import_material(kms, key_id, os.urandom(16))
    params = kms.get_parameters_for_import(KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256",
                                           WrappingKeySpec="RSA_2048")
    encrypted = wrap(os.urandom(32), params["PublicKey"], "RSAES_OAEP_SHA_256")
    other = new_key(Origin="EXTERNAL")
    with raises_aws("InvalidImportTokenException"):
        kms.import_key_material(KeyId=other["KeyId"], ImportToken=params["ImportToken"],
                                EncryptedKeyMaterial=encrypted, ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    garbled = bytes([params["ImportToken"][0]]) + bytes(b ^ 0xFF for b in params["ImportToken"][1:])
    with raises_aws("InvalidImportTokenException"):
        kms.import_key_material(KeyId=key_id, ImportToken=garbled, EncryptedKeyMaterial=encrypted,
                                ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    with raises_aws("InvalidCiphertextException"):
        kms.import_key_material(KeyId=key_id, ImportToken=params["ImportToken"], EncryptedKeyMaterial=encrypted[::-1],
                                ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    with raises_aws("ValidationException"):
        kms.import_key_material(KeyId=key_id, ImportToken=params["ImportToken"], EncryptedKeyMaterial=encrypted)
    generated = new_key()
    with raises_aws("UnsupportedOperationException"):
        kms.get_parameters_for_import(KeyId=generated["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256",
                                      WrappingKeySpec="RSA_2048")
    kms.import_key_material(KeyId=key_id, ImportToken=params["ImportToken"], EncryptedKeyMaterial=encrypted,
                            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    with raises_aws("IncorrectKeyMaterialException"):
        import_material(kms, key_id, os.urandom(32))


def test_material_expires_on_time_and_token_expiry(server_factory):
    """ValidTo a few seconds ahead: the server started after it passes expires the material at
    its first scheduler pass (recorded as DeleteExpiredKeyMaterial); the same material comes back.
    A token older than 24 hours cannot be made without moving the server's clock: the unit tests
    cover ExpiredImportTokenException with a manual clock."""
    srv = server_factory("import-expiry")
    srv.start()
    creds = srv.wait_for_credentials()
    kms = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, creds.region)
    key = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    material = os.urandom(32)
    valid_to = datetime.now(timezone.utc) + timedelta(seconds=3)
    import_material(kms, key["KeyId"], material, ExpirationModel="KEY_MATERIAL_EXPIRES", ValidTo=valid_to)
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert meta["ExpirationModel"] == "KEY_MATERIAL_EXPIRES" and abs((meta["ValidTo"] - valid_to).total_seconds()) < 1
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"short-lived")["CiphertextBlob"]
    srv.stop()

    time.sleep(max(0.0, (valid_to - datetime.now(timezone.utc)).total_seconds()) + 1)
    srv.start()
    kms = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, creds.region)
    deadline = time.time() + 10
    while kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] != "PendingImport":
        assert time.time() < deadline, "material did not expire"
        time.sleep(0.2)
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert "ValidTo" not in meta and "CurrentKeyMaterialId" not in meta
    with raises_aws("KMSInvalidStateException"):
        kms.decrypt(CiphertextBlob=blob)
    import_material(kms, key["KeyId"], material)
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"short-lived"


@pytest.mark.parametrize("spec,size,digest", [("HMAC_224", 28, "sha224"), ("HMAC_256", 64, "sha256"),
                                              ("HMAC_384", 48, "sha384"), ("HMAC_512", 128, "sha512")])
def test_imported_hmac_key_macs_like_a_local_hmac(kms, new_key, spec, size, digest):
    import hashlib
    import hmac as hmac_lib

    key = new_key(Origin="EXTERNAL", KeySpec=spec, KeyUsage="GENERATE_VERIFY_MAC")
    assert key["KeyState"] == "PendingImport"
    material = os.urandom(size)
    import_material(kms, key["KeyId"], material, "RSA_AES_KEY_WRAP_SHA_256", "RSA_4096" if spec == "HMAC_512" else "RSA_2048")
    algorithm = "HMAC_SHA_" + spec.split("_")[1]
    mac = kms.generate_mac(KeyId=key["KeyId"], Message=b"message", MacAlgorithm=algorithm)["Mac"]
    assert mac == hmac_lib.new(material, b"message", getattr(hashlib, digest)).digest()
