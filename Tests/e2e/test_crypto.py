"""Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext), GenerateRandom, key states."""

import os
import uuid

import pytest

import e2e_helpers as h
from e2e_helpers import raises_aws

# Real AWS text for a wrong KeyId on Decrypt (localstack snapshot
# test_error_messaging_for_invalid_keys, decrypt-invalid-key-id).
INCORRECT_KEY_MESSAGE = (
    "The key ID in the request does not identify a CMK that can perform this operation.")


# --------------------------------------------------------------------------------------
# Encrypt / Decrypt
# --------------------------------------------------------------------------------------


def test_encrypt_decrypt_round_trip(kms, key):
    plaintext = b"attack at dawn"
    enc = kms.encrypt(KeyId=key["KeyId"], Plaintext=plaintext)
    assert enc["KeyId"] == key["Arn"]
    assert enc["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    blob = enc["CiphertextBlob"]
    assert isinstance(blob, bytes) and len(blob) > len(plaintext)
    assert plaintext not in blob

    dec = kms.decrypt(CiphertextBlob=blob)
    assert dec["Plaintext"] == plaintext
    assert dec["KeyId"] == key["Arn"]
    assert dec["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"


def test_encrypt_with_every_key_identifier(kms, key, alias_for, account_id, region):
    alias = alias_for(key["KeyId"])
    for ident in (key["KeyId"], key["Arn"], alias, h.alias_arn(region, account_id, alias)):
        plaintext = f"hello via {ident}".encode()
        enc = kms.encrypt(KeyId=ident, Plaintext=plaintext)
        assert enc["KeyId"] == key["Arn"], ident
        assert kms.decrypt(CiphertextBlob=enc["CiphertextBlob"])["Plaintext"] == plaintext


def test_decrypt_with_every_key_identifier(kms, key, alias_for, account_id, region):
    alias = alias_for(key["KeyId"])
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    for ident in (key["KeyId"], key["Arn"], alias, h.alias_arn(region, account_id, alias)):
        dec = kms.decrypt(CiphertextBlob=blob, KeyId=ident)
        assert dec["Plaintext"] == b"x", ident
        assert dec["KeyId"] == key["Arn"]


def test_encrypt_is_randomised(kms, key):
    a = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"same")["CiphertextBlob"]
    b = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"same")["CiphertextBlob"]
    assert a != b
    assert kms.decrypt(CiphertextBlob=a)["Plaintext"] == b"same"
    assert kms.decrypt(CiphertextBlob=b)["Plaintext"] == b"same"


def test_binary_plaintext_round_trip(kms, key):
    plaintext = bytes(range(256)) * 4
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=plaintext)["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == plaintext


def test_plaintext_size_limits(kms, key):
    for size in (1, 4096):
        plaintext = os.urandom(size)
        blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=plaintext)["CiphertextBlob"]
        assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == plaintext
    with raises_aws("ValidationException") as err:
        kms.encrypt(KeyId=key["KeyId"], Plaintext=os.urandom(4097))
    # Real AWS text (localstack snapshot test_plaintext_size_for_encrypt).
    assert err.message == (
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
        "Member must have length less than or equal to 4096")


def test_empty_plaintext_is_refused(kms, key):
    with raises_aws("ValidationException"):
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"")


def test_encrypt_with_missing_key(kms):
    with raises_aws("NotFoundException"):
        kms.encrypt(KeyId=str(uuid.uuid4()), Plaintext=b"x")


def test_encrypt_with_missing_alias(kms):
    with raises_aws("NotFoundException"):
        kms.encrypt(KeyId="alias/e2e-no-such-alias-here", Plaintext=b"x")


def test_decrypt_with_wrong_key_id_is_incorrect_key(kms, key, other_key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    with raises_aws("IncorrectKeyException") as err:
        kms.decrypt(CiphertextBlob=blob, KeyId=other_key["KeyId"])
    assert err.message == INCORRECT_KEY_MESSAGE
    with raises_aws("IncorrectKeyException"):
        kms.decrypt(CiphertextBlob=blob, KeyId=other_key["Arn"])


def test_decrypt_with_wrong_alias_is_incorrect_key(kms, key, other_key, alias_for):
    alias = alias_for(other_key["KeyId"])
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    with raises_aws("IncorrectKeyException"):
        kms.decrypt(CiphertextBlob=blob, KeyId=alias)


# --------------------------------------------------------------------------------------
# Tampering
# --------------------------------------------------------------------------------------


def test_every_single_bit_flip_is_invalid_ciphertext(kms, key):
    plaintext = b"integrity matters"
    context = {"purpose": "tamper-test"}
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=plaintext,
                       EncryptionContext=context)["CiphertextBlob"]
    failures = []
    # One flipped bit per byte position, cycling through all eight bit positions.
    for index in range(len(blob)):
        for bit in (index % 8,):
            tampered = bytearray(blob)
            tampered[index] ^= 1 << bit
            try:
                out = kms.decrypt(CiphertextBlob=bytes(tampered), EncryptionContext=context)
                failures.append((index, bit, "decrypted!", out["Plaintext"]))
            except h.ClientError as e:
                code = e.response["Error"]["Code"]
                if code != "InvalidCiphertextException":
                    failures.append((index, bit, code, e.response["Error"].get("Message")))
    assert not failures, f"{len(failures)} of {len(blob)} flips misbehaved: {failures[:10]}"


def test_truncated_and_extended_blobs_are_invalid_ciphertext(kms, key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"whole")["CiphertextBlob"]
    for bad in (blob[:-1], blob[: len(blob) // 2], blob[:1], blob + b"\x00"):
        with raises_aws("InvalidCiphertextException"):
            kms.decrypt(CiphertextBlob=bad)


def test_random_bytes_are_invalid_ciphertext(kms):
    for size in (1, 16, 64, 200, 1000):
        with raises_aws("InvalidCiphertextException"):
            kms.decrypt(CiphertextBlob=os.urandom(size))


def test_ciphertext_too_large_is_validation_error(kms):
    with raises_aws("ValidationException"):
        kms.decrypt(CiphertextBlob=os.urandom(6145))  # CiphertextType max 6144


# --------------------------------------------------------------------------------------
# Encryption context
# --------------------------------------------------------------------------------------


def test_encryption_context_is_order_independent(kms, key):
    enc_ctx = {}
    for k, v in [("tenant", "acme"), ("purpose", "invoice"), ("z", "last"), ("a", "first")]:
        enc_ctx[k] = v
    dec_ctx = {}
    for k, v in [("a", "first"), ("z", "last"), ("purpose", "invoice"), ("tenant", "acme")]:
        dec_ctx[k] = v
    assert list(enc_ctx) != list(dec_ctx)
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"ctx", EncryptionContext=enc_ctx)[
        "CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext=dec_ctx)["Plaintext"] == b"ctx"


def test_encryption_context_unicode(kms, key):
    ctx = {"région": "Île-de-France", "ключ": "значение", "emoji": "🔐"}
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"u", EncryptionContext=ctx)[
        "CiphertextBlob"]
    reordered = dict(reversed(list(ctx.items())))
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext=reordered)["Plaintext"] == b"u"


@pytest.mark.parametrize("decrypt_ctx", [
    None,                                              # missing
    {},                                                # empty
    {"tenant": "acme"},                                # subset
    {"tenant": "acme", "purpose": "other"},            # different value
    {"tenant": "acme", "purpose": "invoice", "x": "y"},  # superset
    {"Tenant": "acme", "purpose": "invoice"},          # keys are case-sensitive
])
def test_wrong_encryption_context_is_invalid_ciphertext(kms, key, decrypt_ctx):
    ctx = {"tenant": "acme", "purpose": "invoice"}
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"p", EncryptionContext=ctx)[
        "CiphertextBlob"]
    kwargs = {} if decrypt_ctx is None else {"EncryptionContext": decrypt_ctx}
    # AWS answers InvalidCiphertextException with an empty message here (localstack snapshot
    # test_encrypt_decrypt_encryption_context); only the code is checked.
    with raises_aws("InvalidCiphertextException"):
        kms.decrypt(CiphertextBlob=blob, **kwargs)


def test_context_given_on_decrypt_but_not_on_encrypt_is_invalid_ciphertext(kms, key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"p")["CiphertextBlob"]
    with raises_aws("InvalidCiphertextException"):
        kms.decrypt(CiphertextBlob=blob, EncryptionContext={"a": "b"})


# --------------------------------------------------------------------------------------
# ReEncrypt
# --------------------------------------------------------------------------------------


def test_re_encrypt(kms, key, other_key):
    src_ctx = {"stage": "one"}
    dst_ctx = {"stage": "two"}
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"moving", EncryptionContext=src_ctx)[
        "CiphertextBlob"]
    resp = kms.re_encrypt(CiphertextBlob=blob, SourceEncryptionContext=src_ctx,
                          DestinationKeyId=other_key["KeyId"],
                          DestinationEncryptionContext=dst_ctx)
    assert resp["SourceKeyId"] == key["Arn"]
    assert resp["KeyId"] == other_key["Arn"]
    assert resp["SourceEncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    assert resp["DestinationEncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    new_blob = resp["CiphertextBlob"]
    assert new_blob != blob

    dec = kms.decrypt(CiphertextBlob=new_blob, EncryptionContext=dst_ctx)
    assert dec["Plaintext"] == b"moving"
    assert dec["KeyId"] == other_key["Arn"]
    with raises_aws("InvalidCiphertextException"):
        kms.decrypt(CiphertextBlob=new_blob, EncryptionContext=src_ctx)


def test_re_encrypt_to_same_key_with_new_context(kms, key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"same key")["CiphertextBlob"]
    resp = kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=key["Arn"],
                          DestinationEncryptionContext={"v": "2"})
    assert resp["SourceKeyId"] == resp["KeyId"] == key["Arn"]
    assert kms.decrypt(CiphertextBlob=resp["CiphertextBlob"],
                       EncryptionContext={"v": "2"})["Plaintext"] == b"same key"


def test_re_encrypt_to_alias(kms, key, other_key, alias_for):
    alias = alias_for(other_key["KeyId"])
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"to alias")["CiphertextBlob"]
    resp = kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=alias)
    assert resp["KeyId"] == other_key["Arn"]
    assert kms.decrypt(CiphertextBlob=resp["CiphertextBlob"])["Plaintext"] == b"to alias"


def test_re_encrypt_wrong_source_context(kms, key, other_key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x", EncryptionContext={"a": "1"})[
        "CiphertextBlob"]
    with raises_aws("InvalidCiphertextException"):
        kms.re_encrypt(CiphertextBlob=blob, SourceEncryptionContext={"a": "2"},
                       DestinationKeyId=other_key["KeyId"])


def test_re_encrypt_wrong_source_key_id(kms, key, other_key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    with raises_aws("IncorrectKeyException"):
        kms.re_encrypt(CiphertextBlob=blob, SourceKeyId=other_key["KeyId"],
                       DestinationKeyId=other_key["KeyId"])


def test_re_encrypt_tampered_blob(kms, key, other_key):
    blob = bytearray(kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"])
    blob[-1] ^= 0x01
    with raises_aws("InvalidCiphertextException"):
        kms.re_encrypt(CiphertextBlob=bytes(blob), DestinationKeyId=other_key["KeyId"])


def test_re_encrypt_to_missing_key(kms, key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    with raises_aws("NotFoundException"):
        kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=str(uuid.uuid4()))


def test_re_encrypt_missing_destination_is_validation_error(kms, key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    with raises_aws("ValidationException") as err:
        kms.re_encrypt(CiphertextBlob=blob)
    assert "destinationKeyId" in err.message


# --------------------------------------------------------------------------------------
# GenerateDataKey / GenerateDataKeyWithoutPlaintext
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec,size", [("AES_256", 32), ("AES_128", 16)])
def test_generate_data_key_key_spec(kms, key, spec, size):
    resp = kms.generate_data_key(KeyId=key["KeyId"], KeySpec=spec)
    assert resp["KeyId"] == key["Arn"]
    assert len(resp["Plaintext"]) == size
    dec = kms.decrypt(CiphertextBlob=resp["CiphertextBlob"])
    assert dec["Plaintext"] == resp["Plaintext"]
    assert dec["KeyId"] == key["Arn"]


@pytest.mark.parametrize("n", [1, 16, 64, 1024])
def test_generate_data_key_number_of_bytes(kms, key, n):
    resp = kms.generate_data_key(KeyId=key["Arn"], NumberOfBytes=n)
    assert len(resp["Plaintext"]) == n
    assert kms.decrypt(CiphertextBlob=resp["CiphertextBlob"])["Plaintext"] == resp["Plaintext"]


def test_generate_data_key_is_random(kms, key):
    a = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256")["Plaintext"]
    b = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256")["Plaintext"]
    assert a != b


def test_generate_data_key_by_alias(kms, key, alias_for, account_id, region):
    alias = alias_for(key["KeyId"])
    for ident in (alias, h.alias_arn(region, account_id, alias)):
        resp = kms.generate_data_key(KeyId=ident, KeySpec="AES_256")
        assert resp["KeyId"] == key["Arn"]


def test_generate_data_key_with_encryption_context(kms, key):
    ctx = {"bucket": "b1", "object": "o1"}
    resp = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256", EncryptionContext=ctx)
    assert kms.decrypt(CiphertextBlob=resp["CiphertextBlob"],
                       EncryptionContext={"object": "o1", "bucket": "b1"})["Plaintext"] == \
        resp["Plaintext"]
    with raises_aws("InvalidCiphertextException"):
        kms.decrypt(CiphertextBlob=resp["CiphertextBlob"])


@pytest.mark.parametrize("n", [0, 1025])
def test_generate_data_key_number_of_bytes_out_of_range(kms, key, n):
    with raises_aws("ValidationException") as err:
        kms.generate_data_key(KeyId=key["KeyId"], NumberOfBytes=n)
    assert f"Value '{n}' at 'numberOfBytes'" in err.message, err.message


def test_generate_data_key_needs_spec_or_length(kms, key):
    with raises_aws("ValidationException"):
        kms.generate_data_key(KeyId=key["KeyId"])


def test_generate_data_key_refuses_spec_and_length_together(kms, key):
    with raises_aws("ValidationException"):
        kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256", NumberOfBytes=32)


def test_generate_data_key_unknown_spec(kms, key):
    with raises_aws("ValidationException") as err:
        kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_512")
    assert "Value 'AES_512' at 'keySpec'" in err.message, err.message


def test_generate_data_key_missing_key(kms):
    with raises_aws("NotFoundException"):
        kms.generate_data_key(KeyId=str(uuid.uuid4()), KeySpec="AES_256")


def test_generate_data_key_without_plaintext(kms, key):
    ctx = {"k": "v"}
    resp = kms.generate_data_key_without_plaintext(KeyId=key["KeyId"], KeySpec="AES_256",
                                                   EncryptionContext=ctx)
    assert "Plaintext" not in resp
    assert resp["KeyId"] == key["Arn"]
    dec = kms.decrypt(CiphertextBlob=resp["CiphertextBlob"], EncryptionContext=ctx)
    assert len(dec["Plaintext"]) == 32


def test_generate_data_key_without_plaintext_number_of_bytes(kms, key):
    resp = kms.generate_data_key_without_plaintext(KeyId=key["Arn"], NumberOfBytes=48)
    assert "Plaintext" not in resp
    assert len(kms.decrypt(CiphertextBlob=resp["CiphertextBlob"])["Plaintext"]) == 48


# --------------------------------------------------------------------------------------
# GenerateRandom
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 12, 32, 1024])
def test_generate_random(kms, n):
    resp = kms.generate_random(NumberOfBytes=n)
    assert isinstance(resp["Plaintext"], bytes)
    assert len(resp["Plaintext"]) == n


def test_generate_random_is_random(kms):
    assert kms.generate_random(NumberOfBytes=32)["Plaintext"] != \
        kms.generate_random(NumberOfBytes=32)["Plaintext"]


def test_generate_random_bounds_messages(kms):
    # All three texts are real AWS (localstack snapshot test_generate_random_invalid_number_of_bytes).
    with raises_aws("ValidationException") as err:
        kms.generate_random(NumberOfBytes=0)
    assert err.message == ("1 validation error detected: Value '0' at 'numberOfBytes' failed to "
                           "satisfy constraint: Member must have value greater than or equal to 1")
    with raises_aws("ValidationException") as err:
        kms.generate_random(NumberOfBytes=1025)
    assert err.message == ("1 validation error detected: Value '1025' at 'numberOfBytes' failed "
                           "to satisfy constraint: Member must have value less than or equal to "
                           "1024")
    with raises_aws("ValidationException") as err:
        kms.generate_random()
    assert err.message == "NumberOfBytes is required."


# --------------------------------------------------------------------------------------
# Key states
# --------------------------------------------------------------------------------------


def crypto_calls(kms, key_ident, blob):
    return {
        "Encrypt": lambda: kms.encrypt(KeyId=key_ident, Plaintext=b"x"),
        "Decrypt": lambda: kms.decrypt(CiphertextBlob=blob),
        "DecryptWithKeyId": lambda: kms.decrypt(CiphertextBlob=blob, KeyId=key_ident),
        "GenerateDataKey": lambda: kms.generate_data_key(KeyId=key_ident, KeySpec="AES_256"),
        "GenerateDataKeyWithoutPlaintext": lambda: kms.generate_data_key_without_plaintext(
            KeyId=key_ident, KeySpec="AES_256"),
    }


def test_disabled_key_refuses_crypto(kms, key, other_key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"before")["CiphertextBlob"]
    kms.disable_key(KeyId=key["KeyId"])
    for name, call in crypto_calls(kms, key["KeyId"], blob).items():
        with raises_aws("DisabledException") as err:
            call()
        # AWS answers "<key ARN> is disabled." (as modelled by localstack's provider; the exact
        # punctuation is not confirmed from a recorded AWS response).
        assert "is disabled" in err.message, (name, err.message)
        assert key["Arn"] in err.message, (name, err.message)
    # ReEncrypt from and to a disabled key.
    with raises_aws("DisabledException"):
        kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=other_key["KeyId"])
    good = kms.encrypt(KeyId=other_key["KeyId"], Plaintext=b"y")["CiphertextBlob"]
    with raises_aws("DisabledException"):
        kms.re_encrypt(CiphertextBlob=good, DestinationKeyId=key["KeyId"])

    kms.enable_key(KeyId=key["KeyId"])
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"before"


def test_pending_deletion_key_refuses_crypto(kms, key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"before")["CiphertextBlob"]
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    for name, call in crypto_calls(kms, key["KeyId"], blob).items():
        with raises_aws("KMSInvalidStateException") as err:
            call()
        # AWS key-state docs: "KMSInvalidStateException : <key ARN> is pending deletion."
        assert err.message == f"{key['Arn']} is pending deletion.", (name, err.message)

    kms.cancel_key_deletion(KeyId=key["KeyId"])
    with raises_aws("DisabledException"):
        kms.decrypt(CiphertextBlob=blob)
    kms.enable_key(KeyId=key["KeyId"])
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"before"


def test_generate_random_does_not_depend_on_keys(kms):
    assert len(kms.generate_random(NumberOfBytes=8)["Plaintext"]) == 8
