"""Multi-Region keys end to end: create an mrk- key in us-east-1, replicate it to eu-west-1,
encrypt in one Region and decrypt in the other; rotation in step, AWS's deletion rules between a
primary and its replicas, and asymmetric and HMAC multi-Region keys."""

from __future__ import annotations

import os
import subprocess
import time
from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

import asymmetric_helpers as ah
import e2e_helpers as h
from e2e_helpers import raises_aws


def test_ciphertext_crosses_regions(fresh_account):
    east = fresh_account.client("us-east-1")
    west = fresh_account.client("eu-west-1")

    primary = east.create_key(Description="primary", MultiRegion=True)["KeyMetadata"]
    key_id = primary["KeyId"]
    assert key_id.startswith("mrk-") and len(key_id) == 36
    assert primary["MultiRegion"] is True
    config = primary["MultiRegionConfiguration"]
    assert config["MultiRegionKeyType"] == "PRIMARY"
    assert config["PrimaryKey"] == {"Arn": primary["Arn"], "Region": "us-east-1"}
    assert config["ReplicaKeys"] == []

    replica = east.replicate_key(KeyId=key_id, ReplicaRegion="eu-west-1", Description="replica",
                                 Tags=[{"TagKey": "site", "TagValue": "dr"}])
    meta = replica["ReplicaKeyMetadata"]
    assert meta["KeyId"] == key_id
    assert meta["Arn"] == f"arn:aws:kms:eu-west-1:{fresh_account.id}:key/{key_id}"
    assert meta["MultiRegionConfiguration"]["MultiRegionKeyType"] == "REPLICA"
    assert replica["ReplicaTags"] == [{"TagKey": "site", "TagValue": "dr"}]

    described = east.describe_key(KeyId=key_id)["KeyMetadata"]
    assert described["Description"] == "primary"
    assert described["MultiRegionConfiguration"]["ReplicaKeys"] == [{"Arn": meta["Arn"], "Region": "eu-west-1"}]
    assert west.describe_key(KeyId=key_id)["KeyMetadata"]["Description"] == "replica"
    assert west.list_resource_tags(KeyId=key_id)["Tags"] == [{"TagKey": "site", "TagValue": "dr"}]
    assert east.list_resource_tags(KeyId=key_id)["Tags"] == []

    blob = east.encrypt(KeyId=key_id, Plaintext=b"across the ocean",
                        EncryptionContext={"table": "orders"})["CiphertextBlob"]
    out = west.decrypt(CiphertextBlob=blob, EncryptionContext={"table": "orders"})
    assert out["Plaintext"] == b"across the ocean"
    assert out["KeyId"] == meta["Arn"]

    back = west.encrypt(KeyId=key_id, Plaintext=b"and back")["CiphertextBlob"]
    assert east.decrypt(CiphertextBlob=back)["Plaintext"] == b"and back"

    east.update_primary_region(KeyId=key_id, PrimaryRegion="eu-west-1")
    moved = west.describe_key(KeyId=key_id)["KeyMetadata"]["MultiRegionConfiguration"]
    assert moved["MultiRegionKeyType"] == "PRIMARY"
    assert [r["Region"] for r in moved["ReplicaKeys"]] == ["us-east-1"]


# --------------------------------------------------------------------------------------
# Rotation in step
# --------------------------------------------------------------------------------------


def _primary_with_replica(account, spec: dict | None = None, replica_region: str = "eu-west-1"):
    east, west = account.client("us-east-1"), account.client(replica_region)
    primary = east.create_key(MultiRegion=True, **(spec or {}))["KeyMetadata"]
    east.replicate_key(KeyId=primary["KeyId"], ReplicaRegion=replica_region)
    return east, west, primary


def test_on_demand_rotation_of_the_primary_rotates_the_replica(fresh_account):
    east, west, primary = _primary_with_replica(fresh_account)
    key_id = primary["KeyId"]
    old_blob = west.encrypt(KeyId=key_id, Plaintext=b"version one")["CiphertextBlob"]

    east.rotate_key_on_demand(KeyId=key_id)
    newest = east.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"]
    assert newest != primary["CurrentKeyMaterialId"]
    assert west.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"] == newest

    # The newest version made in either Region opens in the other.
    from_west = west.encrypt(KeyId=key_id, Plaintext=b"made in the west", EncryptionContext={"r": "w"})
    opened = east.decrypt(CiphertextBlob=from_west["CiphertextBlob"], EncryptionContext={"r": "w"})
    assert opened["Plaintext"] == b"made in the west" and opened["KeyMaterialId"] == newest
    from_east = east.encrypt(KeyId=key_id, Plaintext=b"made in the east")["CiphertextBlob"]
    opened = west.decrypt(CiphertextBlob=from_east)
    assert opened["Plaintext"] == b"made in the east" and opened["KeyMaterialId"] == newest
    assert opened["KeyId"] == f"arn:aws:kms:eu-west-1:{fresh_account.id}:key/{key_id}"
    assert east.decrypt(CiphertextBlob=old_blob)["Plaintext"] == b"version one"

    # The replica lists the same rotation.
    east_rotations = east.list_key_rotations(KeyId=key_id)["Rotations"]
    assert [r["RotationType"] for r in east_rotations] == ["ON_DEMAND"]
    assert west.list_key_rotations(KeyId=key_id)["Rotations"] == east_rotations


def test_a_replica_refuses_its_own_rotation_and_reports_its_primarys(fresh_account):
    east, west, primary = _primary_with_replica(fresh_account)
    key_id = primary["KeyId"]
    replica_arn = f"arn:aws:kms:eu-west-1:{fresh_account.id}:key/{key_id}"
    for call in (lambda: west.enable_key_rotation(KeyId=key_id),
                 lambda: west.disable_key_rotation(KeyId=key_id),
                 lambda: west.rotate_key_on_demand(KeyId=key_id)):
        with raises_aws("UnsupportedOperationException") as caught:
            call()
        assert caught.message == f"{replica_arn} is not a multi-Region primary key."
    assert west.list_key_rotations(KeyId=key_id)["Rotations"] == []

    east.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
    status = west.get_key_rotation_status(KeyId=key_id)
    assert status["KeyRotationEnabled"] is True and status["RotationPeriodInDays"] == 90
    assert status["KeyId"] == replica_arn
    assert status["NextRotationDate"] == east.get_key_rotation_status(KeyId=key_id)["NextRotationDate"]


# --------------------------------------------------------------------------------------
# Deletion
# --------------------------------------------------------------------------------------


def test_cancelling_the_deletion_of_a_primary_that_waits_for_its_replicas(fresh_account):
    east, west, primary = _primary_with_replica(fresh_account)
    key_id = primary["KeyId"]
    scheduled = east.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert scheduled["KeyState"] == "PendingReplicaDeletion" and scheduled["PendingWindowInDays"] == 7
    assert "DeletionDate" not in scheduled
    meta = east.describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "PendingReplicaDeletion" and meta["Enabled"] is False
    assert meta["PendingDeletionWindowInDays"] == 7 and "DeletionDate" not in meta
    with raises_aws("KMSInvalidStateException"):
        east.encrypt(KeyId=key_id, Plaintext=b"no")
    with raises_aws("KMSInvalidStateException"):
        east.replicate_key(KeyId=key_id, ReplicaRegion="ap-south-1")
    # The replica is unaffected.
    blob = west.encrypt(KeyId=key_id, Plaintext=b"still here")["CiphertextBlob"]
    assert west.decrypt(CiphertextBlob=blob)["Plaintext"] == b"still here"

    east.cancel_key_deletion(KeyId=key_id)
    meta = east.describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "Disabled" and "PendingDeletionWindowInDays" not in meta
    east.enable_key(KeyId=key_id)
    assert east.decrypt(CiphertextBlob=blob)["Plaintext"] == b"still here"


def test_update_primary_region_refuses_a_replica_pending_deletion(fresh_account):
    east, west, primary = _primary_with_replica(fresh_account)
    key_id = primary["KeyId"]
    west.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    with raises_aws("KMSInvalidStateException"):
        east.update_primary_region(KeyId=key_id, PrimaryRegion="eu-west-1")
    west.cancel_key_deletion(KeyId=key_id)
    with raises_aws("DisabledException"):
        east.update_primary_region(KeyId=key_id, PrimaryRegion="eu-west-1")
    west.enable_key(KeyId=key_id)
    east.update_primary_region(KeyId=key_id, PrimaryRegion="eu-west-1")
    assert west.describe_key(KeyId=key_id)["KeyMetadata"]["MultiRegionConfiguration"]["MultiRegionKeyType"] == "PRIMARY"


def _trent(*args: str) -> str:
    out = subprocess.run([str(h.trent_binary()), *args], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr + out.stdout
    return out.stdout


def _wait_until_gone(client, key_id: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            client.describe_key(KeyId=key_id)
        except ClientError as e:
            if e.response["Error"]["Code"] == "NotFoundException":
                return
            raise
        time.sleep(0.2)
    raise AssertionError(f"{key_id} was not deleted within {timeout}s")


def _past() -> str:
    return (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_primary_is_deleted_only_after_its_last_replica(server_factory):
    """Deletion dates are moved with `trent keys reschedule` while the server is stopped; the
    restarted server's scheduler acts on what is due at once."""
    srv = server_factory("mrk-deletion")
    srv.start()
    creds = srv.wait_for_credentials()
    east = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, "us-east-1")
    west = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, "eu-west-1")
    primary = east.create_key(MultiRegion=True)["KeyMetadata"]
    key_id = primary["KeyId"]
    replica_arn = east.replicate_key(KeyId=key_id, ReplicaRegion="eu-west-1")["ReplicaKeyMetadata"]["Arn"]
    blob = east.encrypt(KeyId=key_id, Plaintext=b"kept by the replica")["CiphertextBlob"]

    assert east.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)["KeyState"] == "PendingReplicaDeletion"
    assert west.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)["KeyState"] == "PendingDeletion"
    # Only the replica has a date; the primary's waits for it.
    due = _trent("keys", "due", "--data", str(srv.data_dir))
    assert replica_arn in due and primary["Arn"] not in due, due

    srv.stop()
    _trent("keys", "reschedule", "--data", str(srv.data_dir), "--key", replica_arn, "--kind", "deletion", "--date", _past())
    srv.start()
    east = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, "us-east-1")
    west = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, "eu-west-1")
    _wait_until_gone(west, key_id)

    # The last replica is gone: the primary's own 7 days have started.
    meta = east.describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "PendingDeletion" and "PendingDeletionWindowInDays" not in meta
    assert meta["MultiRegionConfiguration"]["ReplicaKeys"] == []
    days = (meta["DeletionDate"] - datetime.now(timezone.utc)).total_seconds() / 86400
    assert 6.9 < days <= 7.01, days
    assert primary["Arn"] in _trent("keys", "due", "--data", str(srv.data_dir))
    with raises_aws("KMSInvalidStateException"):
        east.decrypt(CiphertextBlob=blob)

    srv.stop()
    _trent("keys", "reschedule", "--data", str(srv.data_dir), "--key", primary["Arn"], "--kind", "deletion", "--date", _past())
    srv.start()
    east = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, "us-east-1")
    _wait_until_gone(east, key_id)
    assert "nothing scheduled" in _trent("keys", "due", "--data", str(srv.data_dir))


# --------------------------------------------------------------------------------------
# Asymmetric and HMAC multi-Region keys
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec,algorithm", [
    ("ECC_NIST_P256", "ECDSA_SHA_256"),
    ("RSA_2048", "RSASSA_PSS_SHA_256"),
    ("ECC_NIST_EDWARDS25519", "ED25519_SHA_512"),
])
def test_a_signature_made_in_one_region_verifies_in_another(fresh_account, spec, algorithm):
    east, west, primary = _primary_with_replica(fresh_account, {"KeySpec": spec, "KeyUsage": "SIGN_VERIFY"})
    key_id = primary["KeyId"]
    assert key_id.startswith("mrk-") and primary["MultiRegion"] is True
    replica = west.describe_key(KeyId=key_id)["KeyMetadata"]
    assert replica["KeySpec"] == spec and replica["SigningAlgorithms"] == primary["SigningAlgorithms"]

    public_east = east.get_public_key(KeyId=key_id)["PublicKey"]
    public_west = west.get_public_key(KeyId=key_id)["PublicKey"]
    assert public_east == public_west

    message = b"signed in us-east-1"
    signature = east.sign(KeyId=key_id, Message=message, MessageType="RAW", SigningAlgorithm=algorithm)["Signature"]
    ah.verify_independently(public_west, algorithm, message, "RAW", signature)
    verified = west.verify(KeyId=key_id, Message=message, MessageType="RAW", Signature=signature,
                           SigningAlgorithm=algorithm)
    assert verified["SignatureValid"] is True and verified["KeyId"] == replica["Arn"]
    with raises_aws("KMSInvalidSignatureException"):
        west.verify(KeyId=key_id, Message=b"something else", MessageType="RAW", Signature=signature,
                    SigningAlgorithm=algorithm)


def test_rsa_ciphertext_made_in_one_region_decrypts_in_another(fresh_account):
    east, west, primary = _primary_with_replica(fresh_account, {"KeySpec": "RSA_3072", "KeyUsage": "ENCRYPT_DECRYPT"})
    key_id = primary["KeyId"]
    public = serialization.load_der_public_key(west.get_public_key(KeyId=key_id)["PublicKey"])
    # Encrypted outside KMS with the replica's public key, opened by the primary.
    blob = public.encrypt(b"for the primary", padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
    out = east.decrypt(KeyId=key_id, CiphertextBlob=blob, EncryptionAlgorithm="RSAES_OAEP_SHA_256")
    assert out["Plaintext"] == b"for the primary"


def test_an_hmac_made_in_one_region_verifies_in_another(fresh_account):
    east, west, primary = _primary_with_replica(fresh_account, {"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"})
    key_id = primary["KeyId"]
    assert primary["MacAlgorithms"] == ["HMAC_SHA_256"]
    message = b"authenticated in us-east-1"
    mac = east.generate_mac(KeyId=key_id, Message=message, MacAlgorithm="HMAC_SHA_256")["Mac"]
    verified = west.verify_mac(KeyId=key_id, Message=message, MacAlgorithm="HMAC_SHA_256", Mac=mac)
    assert verified["MacValid"] is True
    assert verified["KeyId"] == f"arn:aws:kms:eu-west-1:{fresh_account.id}:key/{key_id}"
    assert west.generate_mac(KeyId=key_id, Message=message, MacAlgorithm="HMAC_SHA_256")["Mac"] == mac
    with raises_aws("KMSInvalidMacException"):
        west.verify_mac(KeyId=key_id, Message=b"tampered", MacAlgorithm="HMAC_SHA_256", Mac=mac)


def test_imported_material_crosses_regions(fresh_account):
    """An EXTERNAL multi-Region key: AWS copies no material to the replica, which takes the same
    material by its own import (wrapped under its own wrapping key); then ciphertexts cross."""
    from test_import import import_material

    east = fresh_account.client("us-east-1")
    west = fresh_account.client("eu-west-1")
    primary = east.create_key(MultiRegion=True, Origin="EXTERNAL")["KeyMetadata"]
    key_id = primary["KeyId"]
    assert key_id.startswith("mrk-") and primary["KeyState"] == "PendingImport"
    material = os.urandom(32)
    first = import_material(east, key_id, material)
    assert east.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"

    replica = east.replicate_key(KeyId=key_id, ReplicaRegion="eu-west-1")["ReplicaKeyMetadata"]
    assert replica["KeyState"] == "PendingImport" and replica["Origin"] == "EXTERNAL"
    with raises_aws("KMSInvalidStateException"):
        west.encrypt(KeyId=key_id, Plaintext=b"too early")
    with raises_aws("IncorrectKeyMaterialException"):
        import_material(west, key_id, os.urandom(32))
    second = import_material(west, key_id, material, algorithm="RSA_AES_KEY_WRAP_SHA_256",
                             ExpirationModel="KEY_MATERIAL_EXPIRES",
                             ValidTo=datetime.now(timezone.utc) + timedelta(days=30))
    assert second["KeyMaterialId"] == first["KeyMaterialId"]
    west_meta = west.describe_key(KeyId=key_id)["KeyMetadata"]
    assert west_meta["KeyState"] == "Enabled" and west_meta["ExpirationModel"] == "KEY_MATERIAL_EXPIRES"
    assert east.describe_key(KeyId=key_id)["KeyMetadata"]["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE"

    blob = east.encrypt(KeyId=key_id, Plaintext=b"imported, east")["CiphertextBlob"]
    assert west.decrypt(CiphertextBlob=blob)["Plaintext"] == b"imported, east"
    back = west.encrypt(KeyId=key_id, Plaintext=b"imported, west")["CiphertextBlob"]
    assert east.decrypt(CiphertextBlob=back)["Plaintext"] == b"imported, west"

    # Each Region's material is its own: deleting the replica's leaves the primary usable.
    west.delete_imported_key_material(KeyId=key_id)
    assert west.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"
    assert east.decrypt(CiphertextBlob=back)["Plaintext"] == b"imported, west"
    with raises_aws("IncorrectKeyMaterialException"):
        import_material(west, key_id, os.urandom(32))
    import_material(west, key_id, material)
    assert west.decrypt(CiphertextBlob=blob)["Plaintext"] == b"imported, east"

    # Rotation to new imported material is not implemented for multi-Region keys.
    with raises_aws("UnsupportedOperationException"):
        import_material(east, key_id, os.urandom(32), ImportType="NEW_KEY_MATERIAL")
    with raises_aws("UnsupportedOperationException"):
        east.rotate_key_on_demand(KeyId=key_id)
