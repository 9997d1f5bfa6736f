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


# --- Asymmetric key material ------------------------------------------------------------------
# Private keys made by Python's `cryptography`, sent as PKCS#8 DER, and every result checked
# against that original key outside Trent.

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, rsa, utils

CURVES = {"ECC_NIST_P256": ec.SECP256R1, "ECC_NIST_P384": ec.SECP384R1, "ECC_NIST_P521": ec.SECP521R1,
          "ECC_SECG_P256K1": ec.SECP256K1}
HASHES = {"SHA_256": hashes.SHA256, "SHA_384": hashes.SHA384, "SHA_512": hashes.SHA512}


def generate(spec: str):
    if spec.startswith("RSA_"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(spec[4:]))
    return ec.generate_private_key(CURVES[spec]())


def pkcs8(private_key, encoding=serialization.Encoding.DER) -> bytes:
    return private_key.private_bytes(encoding, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def spki(private_key) -> bytes:
    return private_key.public_key().public_bytes(serialization.Encoding.DER,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)


def verify_locally(public_key, signature: bytes, message: bytes, algorithm: str) -> None:
    """Raises InvalidSignature unless `signature` is `algorithm`'s signature of `message`."""
    digest = HASHES[algorithm[-7:]]()
    if algorithm.startswith("ECDSA"):
        public_key.verify(signature, message, ec.ECDSA(digest))
    elif algorithm.startswith("RSASSA_PSS"):
        public_key.verify(signature, message, padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size),
                          digest)
    else:
        public_key.verify(signature, message, padding.PKCS1v15(), digest)


@pytest.mark.parametrize("spec,usage,algorithm,wrapping", [
    ("RSA_2048", "SIGN_VERIFY", "RSA_AES_KEY_WRAP_SHA_256", "RSA_4096"),
    ("RSA_3072", "ENCRYPT_DECRYPT", "RSA_AES_KEY_WRAP_SHA_1", "RSA_2048"),
    ("RSA_4096", "SIGN_VERIFY", "RSA_AES_KEY_WRAP_SHA_1", "RSA_3072"),
    ("ECC_NIST_P256", "SIGN_VERIFY", "RSAES_OAEP_SHA_256", "RSA_2048"),
    ("ECC_NIST_P384", "SIGN_VERIFY", "RSAES_OAEP_SHA_1", "RSA_3072"),
    ("ECC_NIST_P521", "SIGN_VERIFY", "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048"),
    ("ECC_SECG_P256K1", "SIGN_VERIFY", "RSAES_OAEP_SHA_256", "RSA_4096"),
])
def test_imported_private_key_is_the_key(kms, new_key, spec, usage, algorithm, wrapping):
    key = new_key(Origin="EXTERNAL", KeySpec=spec, KeyUsage=usage)
    assert key["KeyState"] == "PendingImport" and key["Origin"] == "EXTERNAL"
    original = generate(spec)
    out = import_material(kms, key["KeyId"], pkcs8(original), algorithm, wrapping)
    assert out["KeyId"] == key["Arn"] and len(out["KeyMaterialId"]) == 64
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert meta["KeyState"] == "Enabled" and meta["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE"
    assert kms.get_public_key(KeyId=key["KeyId"])["PublicKey"] == spki(original)

    message = b"signed by an imported key"
    if usage == "SIGN_VERIFY":
        for signing in meta["SigningAlgorithms"]:
            signature = kms.sign(KeyId=key["KeyId"], Message=message, SigningAlgorithm=signing)["Signature"]
            verify_locally(original.public_key(), signature, message, signing)
            with pytest.raises(InvalidSignature):
                verify_locally(original.public_key(), signature, message + b"!", signing)
            # And Trent accepts what the original signed.
            if signing.startswith("ECDSA"):
                local = original.sign(message, ec.ECDSA(HASHES[signing[-7:]]()))
            elif signing.startswith("RSASSA_PSS"):
                digest = HASHES[signing[-7:]]()
                local = original.sign(message, padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size),
                                      digest)
            else:
                local = original.sign(message, padding.PKCS1v15(), HASHES[signing[-7:]]())
            assert kms.verify(KeyId=key["KeyId"], Message=message, Signature=local,
                              SigningAlgorithm=signing)["SignatureValid"]
    else:
        for encryption, digest in [("RSAES_OAEP_SHA_1", hashes.SHA1), ("RSAES_OAEP_SHA_256", hashes.SHA256)]:
            ciphertext = kms.encrypt(KeyId=key["KeyId"], Plaintext=message,
                                     EncryptionAlgorithm=encryption)["CiphertextBlob"]
            oaep = padding.OAEP(mgf=padding.MGF1(digest()), algorithm=digest(), label=None)
            assert original.decrypt(ciphertext, oaep) == message
            local = original.public_key().encrypt(message, oaep)
            assert kms.decrypt(KeyId=key["KeyId"], CiphertextBlob=local,
                               EncryptionAlgorithm=encryption)["Plaintext"] == message


def test_imported_ecdh_key_derives_the_originals_secret(kms, new_key):
    key = new_key(Origin="EXTERNAL", KeySpec="ECC_NIST_P384", KeyUsage="KEY_AGREEMENT")
    original = generate("ECC_NIST_P384")
    import_material(kms, key["KeyId"], pkcs8(original), "RSAES_OAEP_SHA_256", "RSA_3072")
    peer = ec.generate_private_key(ec.SECP384R1())
    secret = kms.derive_shared_secret(KeyId=key["KeyId"], KeyAgreementAlgorithm="ECDH",
                                      PublicKey=spki(peer))["SharedSecret"]
    assert secret == original.exchange(ec.ECDH(), peer.public_key())


def test_wrong_asymmetric_material_is_refused(kms, new_key):
    key = new_key(Origin="EXTERNAL", KeySpec="ECC_NIST_P384", KeyUsage="SIGN_VERIFY")
    key_id = key["KeyId"]
    cases = [
        pkcs8(generate("ECC_NIST_P256")),  # another curve
        pkcs8(generate("RSA_2048")),  # another algorithm
        generate("ECC_NIST_P384").private_bytes(serialization.Encoding.DER,  # SEC1, not PKCS#8
                                                serialization.PrivateFormat.TraditionalOpenSSL,
                                                serialization.NoEncryption()),
        pkcs8(generate("ECC_NIST_P384"), serialization.Encoding.PEM),  # PEM, not DER/BER
        pkcs8(generate("ECC_NIST_P384")) + b"\x00",  # trailing bytes
        os.urandom(185),
    ]
    for material in cases:
        with raises_aws("IncorrectKeyMaterialException"):
            import_material(kms, key_id, material, "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048")
    rsa_key = new_key(Origin="EXTERNAL", KeySpec="RSA_3072", KeyUsage="SIGN_VERIFY")
    with raises_aws("IncorrectKeyMaterialException"):
        import_material(kms, rsa_key["KeyId"], pkcs8(generate("RSA_2048")), "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048")
    # RSA private keys do not fit RSAES-OAEP: GetParametersForImport refuses the pairing.
    with raises_aws("ValidationException"):
        kms.get_parameters_for_import(KeyId=rsa_key["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256",
                                      WrappingKeySpec="RSA_4096")
    p521 = new_key(Origin="EXTERNAL", KeySpec="ECC_NIST_P521", KeyUsage="SIGN_VERIFY")
    with raises_aws("ValidationException"):
        kms.get_parameters_for_import(KeyId=p521["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_1",
                                      WrappingKeySpec="RSA_2048")
    # Import parameters of the symmetric import are for symmetric keys only.
    with raises_aws("ValidationException"):
        import_material(kms, key_id, pkcs8(generate("ECC_NIST_P384")), "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048",
                        ImportType="NEW_KEY_MATERIAL")
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"
    for spec in ["ECC_NIST_EDWARDS25519", "ML_DSA_65"]:
        with raises_aws("UnsupportedOperationException"):
            kms.create_key(Origin="EXTERNAL", KeySpec=spec, KeyUsage="SIGN_VERIFY")


def test_asymmetric_key_takes_only_its_own_material_again(kms, new_key):
    key = new_key(Origin="EXTERNAL", KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
    key_id = key["KeyId"]
    original = generate("RSA_2048")
    first = import_material(kms, key_id, pkcs8(original), "RSA_AES_KEY_WRAP_SHA_256", "RSA_3072")
    with raises_aws("IncorrectKeyMaterialException"):
        import_material(kms, key_id, pkcs8(generate("RSA_2048")), "RSA_AES_KEY_WRAP_SHA_256", "RSA_3072")
    deleted = kms.delete_imported_key_material(KeyId=key_id)
    assert deleted["KeyMaterialId"] == first["KeyMaterialId"]
    with raises_aws("KMSInvalidStateException"):
        kms.sign(KeyId=key_id, Message=b"m", SigningAlgorithm="RSASSA_PSS_SHA_256")
    with raises_aws("IncorrectKeyMaterialException"):
        import_material(kms, key_id, pkcs8(generate("RSA_2048")), "RSA_AES_KEY_WRAP_SHA_1", "RSA_2048")
    again = import_material(kms, key_id, pkcs8(original), "RSA_AES_KEY_WRAP_SHA_1", "RSA_2048")
    assert again["KeyMaterialId"] == first["KeyMaterialId"]
    signature = kms.sign(KeyId=key_id, Message=b"m", SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256")["Signature"]
    verify_locally(original.public_key(), signature, b"m", "RSASSA_PKCS1_V1_5_SHA_256")


# --- On-demand rotation of imported symmetric keys ----------------------------------------------

def open_blob_locally(blob: bytes, material: bytes) -> bytes:
    """Opens a Trent ciphertext blob with `material` outside Trent (docs/design.md's format):
    HKDF-SHA256(material, salt=seed, info=b"trent/symmetric-default/v1" + header) gives the
    AES-256-GCM key and nonce; the header is the additional data."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key_id_length = blob[13]
    header_length = 1 + 12 + 1 + key_id_length + 4
    header, seed, sealed = blob[:header_length], blob[header_length:header_length + 32], blob[header_length + 32:]
    derived = HKDF(algorithm=hashes.SHA256(), length=44, salt=seed,
                   info=b"trent/symmetric-default/v1" + header).derive(material)
    context = (0).to_bytes(4, "big")  # an empty encryption context
    return AESGCM(derived[:32]).decrypt(derived[32:], sealed, header + context)


def test_rotate_imported_key_on_demand(kms, external_key):
    key_id = external_key["KeyId"]
    first, second = os.urandom(32), os.urandom(32)
    first_id = import_material(kms, key_id, first, KeyMaterialDescription="first")["KeyMaterialId"]
    old = kms.encrypt(KeyId=key_id, Plaintext=b"old")["CiphertextBlob"]

    # Nothing to rotate to yet.
    with raises_aws("KMSInvalidStateException"):
        kms.rotate_key_on_demand(KeyId=key_id)
    with raises_aws("UnsupportedOperationException"):
        kms.enable_key_rotation(KeyId=key_id)

    valid_to = datetime.now(timezone.utc) + timedelta(days=100)
    second_id = import_material(kms, key_id, second, "RSA_AES_KEY_WRAP_SHA_256", ImportType="NEW_KEY_MATERIAL",
                                KeyMaterialDescription="second", ExpirationModel="KEY_MATERIAL_EXPIRES",
                                ValidTo=valid_to)["KeyMaterialId"]
    assert second_id != first_id
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"] == first_id
    assert kms.list_key_rotations(KeyId=key_id)["Rotations"] == []
    entries = kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")["Rotations"]
    assert [e["KeyMaterialId"] for e in entries] == [first_id, second_id]
    assert [e["KeyMaterialState"] for e in entries] == ["CURRENT", "PENDING_ROTATION"]
    assert [e["ImportState"] for e in entries] == ["IMPORTED", "IMPORTED"]
    assert [e["KeyMaterialDescription"] for e in entries] == ["first", "second"]
    assert [e["ExpirationModel"] for e in entries] == ["KEY_MATERIAL_DOES_NOT_EXPIRE", "KEY_MATERIAL_EXPIRES"]
    assert abs((entries[1]["ValidTo"] - valid_to).total_seconds()) < 1 and "ValidTo" not in entries[0]
    assert all("RotationDate" not in e and "RotationType" not in e for e in entries)
    with raises_aws("KMSInvalidStateException"):
        import_material(kms, key_id, os.urandom(32), ImportType="NEW_KEY_MATERIAL")

    assert kms.rotate_key_on_demand(KeyId=key_id)["KeyId"] in (key_id, external_key["Arn"])
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["CurrentKeyMaterialId"] == second_id and meta["ExpirationModel"] == "KEY_MATERIAL_EXPIRES"
    new = kms.encrypt(KeyId=key_id, Plaintext=b"new")["CiphertextBlob"]
    assert open_blob_locally(old, first) == b"old" and open_blob_locally(new, second) == b"new"
    with pytest.raises(Exception):
        open_blob_locally(new, first)
    assert kms.decrypt(CiphertextBlob=old)["Plaintext"] == b"old"
    assert kms.decrypt(CiphertextBlob=new)["Plaintext"] == b"new"
    rotations = kms.list_key_rotations(KeyId=key_id)["Rotations"]
    assert [(r["KeyMaterialId"], r["RotationType"], r["KeyMaterialState"]) for r in rotations] == \
        [(second_id, "ON_DEMAND", "CURRENT")]
    assert "RotationDate" in rotations[0]

    # Deleting the older material makes the key unusable until that same material comes back.
    kms.delete_imported_key_material(KeyId=key_id, KeyMaterialId=first_id)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"
    with raises_aws("KMSInvalidStateException"):
        kms.decrypt(CiphertextBlob=new)
    with raises_aws("IncorrectKeyMaterialException"):
        import_material(kms, key_id, os.urandom(32))
    import_material(kms, key_id, first, ImportType="EXISTING_KEY_MATERIAL", KeyMaterialId=first_id)
    assert kms.decrypt(CiphertextBlob=old)["Plaintext"] == b"old"
    assert kms.decrypt(CiphertextBlob=new)["Plaintext"] == b"new"

