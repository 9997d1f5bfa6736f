"""Keys over time: rotation (on demand and scheduled) and scheduled deletion that executes.

Schedules are moved with the documented operator command `trent keys reschedule` while the
server is stopped; the restarted server's scheduler acts on what is due at once.
"""

import subprocess
import time
from datetime import datetime, timedelta, timezone

import pytest

import e2e_helpers as h
from e2e_helpers import raises_aws


def trent(*args: str) -> str:
    out = subprocess.run([str(h.trent_binary()), *args], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr + out.stdout
    return out.stdout


def test_three_generations_decrypt_and_reencrypt_moves_to_newest(kms, key):
    key_id = key["KeyId"]
    blobs, material_ids = [], []
    for generation in range(3):
        if generation:
            assert kms.rotate_key_on_demand(KeyId=key_id)["KeyId"] == key["Arn"]
        blobs.append(kms.encrypt(KeyId=key_id, Plaintext=f"gen {generation}".encode(),
                                 EncryptionContext={"g": str(generation)})["CiphertextBlob"])
        material_ids.append(kms.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"])
    assert len(set(material_ids)) == 3
    for generation, blob in enumerate(blobs):
        out = kms.decrypt(CiphertextBlob=blob, EncryptionContext={"g": str(generation)})
        assert out["Plaintext"] == f"gen {generation}".encode()
    for generation, blob in enumerate(blobs[:2]):
        moved = kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=key_id,
                               SourceEncryptionContext={"g": str(generation)},
                               DestinationEncryptionContext={"g": str(generation)})
        assert moved["SourceKeyMaterialId"] == material_ids[generation]
        assert moved["DestinationKeyMaterialId"] == material_ids[2]
        assert kms.decrypt(CiphertextBlob=moved["CiphertextBlob"],
                           EncryptionContext={"g": str(generation)})["Plaintext"] == f"gen {generation}".encode()

    rotations = kms.list_key_rotations(KeyId=key_id)["Rotations"]
    assert [r["KeyMaterialId"] for r in rotations] == material_ids[1:]
    assert [r["RotationType"] for r in rotations] == ["ON_DEMAND", "ON_DEMAND"]
    assert [r["KeyMaterialState"] for r in rotations] == ["NON_CURRENT", "CURRENT"]
    pages = h.walk_pages(kms.list_key_rotations, "Rotations", 1, KeyId=key_id,
                         IncludeKeyMaterial="ALL_KEY_MATERIAL")
    assert [r["KeyMaterialId"] for p in pages for r in p["Rotations"]] == material_ids


def test_rotation_settings(kms, key, new_key):
    key_id = key["KeyId"]
    status = kms.get_key_rotation_status(KeyId=key_id)
    assert status["KeyRotationEnabled"] is False and "RotationPeriodInDays" not in status
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=180)
    status = kms.get_key_rotation_status(KeyId=key_id)
    assert status["KeyRotationEnabled"] is True and status["RotationPeriodInDays"] == 180
    assert status["KeyId"] == key["Arn"]
    days = (status["NextRotationDate"] - datetime.now(timezone.utc)).total_seconds() / 86400
    assert 179.9 < days <= 180.01
    kms.disable_key_rotation(KeyId=key_id)
    assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is False

    with raises_aws("ValidationException"):
        kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=89)
    hmac = new_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")
    with raises_aws("UnsupportedOperationException"):
        kms.enable_key_rotation(KeyId=hmac["KeyId"])
    with raises_aws("UnsupportedOperationException"):
        kms.rotate_key_on_demand(KeyId=hmac["KeyId"])


def test_scheduled_rotation_and_deletion_execute_after_restart(server_factory, tmp_path):
    srv = server_factory("lifecycle")
    srv.start()
    creds = srv.wait_for_credentials()
    kms = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, creds.region)

    rotating = kms.create_key(Description="rotates")["KeyMetadata"]
    kms.enable_key_rotation(KeyId=rotating["KeyId"], RotationPeriodInDays=90)
    old_blob = kms.encrypt(KeyId=rotating["KeyId"], Plaintext=b"v1")["CiphertextBlob"]

    doomed = kms.create_key(Description="deleted")["KeyMetadata"]
    doomed_blob = kms.encrypt(KeyId=doomed["KeyId"], Plaintext=b"gone")["CiphertextBlob"]
    kms.schedule_key_deletion(KeyId=doomed["KeyId"], PendingWindowInDays=7)

    due = trent("keys", "due", "--data", str(srv.data_dir))
    assert rotating["Arn"] in due and doomed["Arn"] in due
    srv.stop()

    past = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    trent("keys", "reschedule", "--data", str(srv.data_dir), "--key", rotating["Arn"],
          "--kind", "rotation", "--date", past)
    trent("keys", "reschedule", "--data", str(srv.data_dir), "--key", doomed["Arn"],
          "--kind", "deletion", "--date", past)
    overdue = trent("keys", "due", "--data", str(srv.data_dir), "--overdue")
    assert overdue.count("\tdue\t") == 2, overdue

    srv.start()
    kms = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, creds.region)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if kms.list_key_rotations(KeyId=rotating["KeyId"])["Rotations"]:
            break
        time.sleep(0.2)
    rotations = kms.list_key_rotations(KeyId=rotating["KeyId"])["Rotations"]
    assert [r["RotationType"] for r in rotations] == ["AUTOMATIC"]
    assert kms.decrypt(CiphertextBlob=old_blob)["Plaintext"] == b"v1"
    next_date = kms.get_key_rotation_status(KeyId=rotating["KeyId"])["NextRotationDate"]
    assert next_date > datetime.now(timezone.utc)

    with raises_aws("NotFoundException"):
        kms.describe_key(KeyId=doomed["KeyId"])
    with raises_aws("InvalidCiphertextException"):
        kms.decrypt(CiphertextBlob=doomed_blob)
    assert "nothing scheduled" not in trent("keys", "due", "--data", str(srv.data_dir))  # the rotation's next date


def test_cancelled_deletion_never_executes_after_restart(server_factory):
    srv = server_factory("cancelled")
    srv.start()
    creds = srv.wait_for_credentials()
    kms = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, creds.region)
    spared = kms.create_key(Description="cancelled")["KeyMetadata"]
    kms.schedule_key_deletion(KeyId=spared["KeyId"], PendingWindowInDays=7)
    kms.cancel_key_deletion(KeyId=spared["KeyId"])
    srv.stop()
    # Nothing is scheduled any more, so there is nothing to move.
    with pytest.raises(AssertionError):
        past = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        trent("keys", "reschedule", "--data", str(srv.data_dir), "--key", spared["Arn"],
              "--kind", "deletion", "--date", past)
    srv.start()
    time.sleep(1)
    assert kms_state(srv, creds, spared["KeyId"]) == "Disabled"


def kms_state(srv, creds, key_id):
    kms = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, creds.region)
    return kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]
