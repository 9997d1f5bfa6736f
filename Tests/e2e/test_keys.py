"""CreateKey, DescribeKey, ListKeys, EnableKey/DisableKey, key deletion, UpdateKeyDescription."""

import datetime
import time
import uuid

import pytest

import e2e_helpers as h
from e2e_helpers import raises_aws

DAY = 86400


def assert_default_symmetric_metadata(meta, account_id, region, description=""):
    assert h.KEY_ID_RE.match(meta["KeyId"]), meta
    assert meta["AWSAccountId"] == account_id
    assert meta["Arn"] == h.key_arn(region, account_id, meta["KeyId"])
    assert isinstance(meta["CreationDate"], datetime.datetime)
    assert abs(meta["CreationDate"].timestamp() - time.time()) < 600
    assert meta["Enabled"] is True
    assert meta["Description"] == description
    assert meta["KeyUsage"] == "ENCRYPT_DECRYPT"
    assert meta["KeyState"] == "Enabled"
    assert meta["Origin"] == "AWS_KMS"
    assert meta["KeyManager"] == "CUSTOMER"
    assert meta["KeySpec"] == "SYMMETRIC_DEFAULT"
    assert meta["CustomerMasterKeySpec"] == "SYMMETRIC_DEFAULT"
    assert meta["EncryptionAlgorithms"] == ["SYMMETRIC_DEFAULT"]
    assert meta["MultiRegion"] is False
    assert "DeletionDate" not in meta


# --------------------------------------------------------------------------------------
# CreateKey
# --------------------------------------------------------------------------------------


def test_create_key_defaults(kms, account_id, region):
    resp = kms.create_key()
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    # A fresh key without Description describes as "" in AWS (localstack snapshot test_kms.py).
    assert_default_symmetric_metadata(resp["KeyMetadata"], account_id, region)


def test_create_key_with_description_and_explicit_spec(kms, account_id, region):
    meta = kms.create_key(Description="payments key", KeySpec="SYMMETRIC_DEFAULT",
                          KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]
    assert_default_symmetric_metadata(meta, account_id, region, description="payments key")


def test_create_key_with_customer_master_key_spec(kms, account_id, region):
    meta = kms.create_key(CustomerMasterKeySpec="SYMMETRIC_DEFAULT")["KeyMetadata"]
    assert_default_symmetric_metadata(meta, account_id, region)


def test_create_key_ids_are_unique(kms):
    ids = {kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(5)}
    assert len(ids) == 5


def test_create_key_with_tags(kms):
    tags = [{"TagKey": "team", "TagValue": "payments"}, {"TagKey": "env", "TagValue": "test"}]
    meta = kms.create_key(Tags=tags)["KeyMetadata"]
    got = kms.list_resource_tags(KeyId=meta["KeyId"])["Tags"]
    assert sorted(got, key=lambda t: t["TagKey"]) == sorted(tags, key=lambda t: t["TagKey"])


def test_create_key_hmac_spec_with_encrypt_decrypt_usage_is_refused(kms):
    with raises_aws("ValidationException"):
        kms.create_key(KeySpec="HMAC_256", KeyUsage="ENCRYPT_DECRYPT")


def test_create_key_unknown_key_spec_is_refused(kms):
    with raises_aws("ValidationException") as err:
        kms.create_key(KeySpec="HMAC_random")
    # Real AWS text (localstack snapshot test_hmac_create_key_invalid_operations); the enum list
    # that follows varies with the API version, so only the prefix is compared.
    assert err.message.startswith(
        "1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy "
        "constraint: Member must satisfy enum value set: ["), err.message


def test_create_key_unknown_key_usage_is_refused(kms):
    with raises_aws("ValidationException") as err:
        kms.create_key(KeyUsage="RANDOM")
    # Same source as above.
    assert err.message.startswith(
        "1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy "
        "constraint: Member must satisfy enum value set: ["), err.message


def test_create_key_description_too_long_is_refused(kms):
    with raises_aws("ValidationException") as err:
        kms.create_key(Description="x" * 8193)  # DescriptionType max 8192
    assert "description" in err.message


# --------------------------------------------------------------------------------------
# DescribeKey
# --------------------------------------------------------------------------------------


def test_describe_key_by_every_identifier(kms, key, alias_for, account_id, region):
    alias = alias_for(key["KeyId"])
    for ident in (key["KeyId"], key["Arn"], alias, h.alias_arn(region, account_id, alias)):
        meta = kms.describe_key(KeyId=ident)["KeyMetadata"]
        assert meta["KeyId"] == key["KeyId"], ident
        assert meta["Arn"] == key["Arn"], ident
        assert meta["Description"] == key["Description"]
        assert meta["KeyState"] == "Enabled"


def test_describe_key_returns_what_create_key_returned(kms, key):
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    for field in ("KeyId", "Arn", "AWSAccountId", "KeyUsage", "KeySpec", "Origin", "KeyManager",
                  "EncryptionAlgorithms", "Enabled", "KeyState", "Description", "MultiRegion"):
        assert meta[field] == key[field], field
    assert abs(meta["CreationDate"].timestamp() - key["CreationDate"].timestamp()) < 1


def test_describe_missing_key_by_id(kms, account_id, region):
    missing = str(uuid.uuid4())
    with raises_aws("NotFoundException") as err:
        kms.describe_key(KeyId=missing)
    # Real AWS text (localstack snapshot test_get_key_does_not_exist).
    assert err.message == f"Key '{h.key_arn(region, account_id, missing)}' does not exist"


def test_describe_missing_key_by_arn(kms, account_id, region):
    arn = h.key_arn(region, account_id, str(uuid.uuid4()))
    with raises_aws("NotFoundException") as err:
        kms.describe_key(KeyId=arn)
    # Real AWS text (localstack snapshot test_get_key_does_not_exist, describe-nonexistent-with-arn).
    assert err.message == f"Key '{arn}' does not exist"


def test_describe_key_with_malformed_id(kms):
    with raises_aws("NotFoundException") as err:
        kms.describe_key(KeyId="fake-key-id")
    # Real AWS text (localstack snapshot test_get_key_invalid_uuid).
    assert err.message == "Invalid keyId 'fake-key-id'"


def test_describe_key_by_missing_alias(kms):
    with raises_aws("NotFoundException") as err:
        kms.describe_key(KeyId="alias/e2e-there-is-no-such-alias")
    assert "alias/e2e-there-is-no-such-alias" in err.message


def test_describe_key_empty_key_id(kms):
    with raises_aws("ValidationException"):
        kms.describe_key(KeyId="")


# --------------------------------------------------------------------------------------
# ListKeys and paging
# --------------------------------------------------------------------------------------


def test_list_keys_contains_created_keys(kms, new_key):
    made = {new_key()["KeyId"] for _ in range(3)}
    seen = {}
    for page in kms.get_paginator("list_keys").paginate():
        for entry in page["Keys"]:
            assert set(entry) == {"KeyId", "KeyArn"}, entry
            seen[entry["KeyId"]] = entry["KeyArn"]
    assert made <= set(seen)
    for key_id in made:
        assert seen[key_id].endswith(f":key/{key_id}")


def test_list_keys_paging_in_isolated_namespace(fresh_account):
    kms = fresh_account.client()
    first = kms.list_keys()
    assert first["Keys"] == [] and first["Truncated"] is False
    made = {kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(5)}

    pages = h.walk_pages(kms.list_keys, "Keys", limit=2)
    assert len(pages) >= 3
    ids = [k["KeyId"] for page in pages for k in page["Keys"]]
    assert len(ids) == len(set(ids)), "a key appeared on two pages"
    assert set(ids) == made

    everything = kms.list_keys()  # default Limit is 100
    assert everything["Truncated"] is False
    assert {k["KeyId"] for k in everything["Keys"]} == made


def test_list_keys_limit_one_visits_every_key(fresh_account):
    kms = fresh_account.client()
    made = {kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(3)}
    pages = h.walk_pages(kms.list_keys, "Keys", limit=1)
    assert len([k for p in pages for k in p["Keys"]]) == 3
    assert {k["KeyId"] for p in pages for k in p["Keys"]} == made


def test_list_keys_paginator_in_isolated_namespace(fresh_account):
    kms = fresh_account.client()
    made = {kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(7)}
    pages = list(kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 3}))
    assert all(len(p["Keys"]) <= 3 for p in pages)
    assert len(pages) >= 3
    ids = [k["KeyId"] for p in pages for k in p["Keys"]]
    assert len(ids) == 7 and set(ids) == made
    # MaxItems makes boto3 hand back its own resume token built from NextMarker.
    result = kms.get_paginator("list_keys").paginate(
        PaginationConfig={"PageSize": 2, "MaxItems": 4}).build_full_result()
    assert len(result["Keys"]) == 4
    assert result.get("NextToken")
    rest = kms.get_paginator("list_keys").paginate(
        PaginationConfig={"PageSize": 2, "StartingToken": result["NextToken"]}).build_full_result()
    assert {k["KeyId"] for k in result["Keys"]} | {k["KeyId"] for k in rest["Keys"]} == made
    assert len(result["Keys"]) + len(rest["Keys"]) == 7


def test_list_keys_limit_out_of_range(kms):
    for bad in (0, 1001):
        with raises_aws("ValidationException") as err:
            kms.list_keys(Limit=bad)
        assert "'limit'" in err.message, err.message


def test_list_keys_invalid_marker(kms):
    with raises_aws("InvalidMarkerException"):
        kms.list_keys(Marker="this-is-not-a-marker-the-server-issued")


# --------------------------------------------------------------------------------------
# EnableKey / DisableKey
# --------------------------------------------------------------------------------------


def test_disable_and_enable_key(kms, key):
    resp = kms.disable_key(KeyId=key["KeyId"])
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert meta["KeyState"] == "Disabled"
    assert meta["Enabled"] is False

    kms.enable_key(KeyId=key["Arn"])
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert meta["KeyState"] == "Enabled"
    assert meta["Enabled"] is True


def test_disable_and_enable_are_idempotent(kms, key):
    kms.enable_key(KeyId=key["KeyId"])
    kms.disable_key(KeyId=key["KeyId"])
    kms.disable_key(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    kms.enable_key(KeyId=key["KeyId"])
    kms.enable_key(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


def test_disable_key_does_not_accept_an_alias(kms, key, alias_for):
    # DisableKey takes a key ID or key ARN only (API reference). The exact error for an alias
    # is not documented, so only "refused, and the key is untouched" is checked.
    alias = alias_for(key["KeyId"])
    with raises_aws(("NotFoundException", "ValidationException")):
        kms.disable_key(KeyId=alias)
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


@pytest.mark.parametrize("op", ["enable_key", "disable_key", "schedule_key_deletion",
                                "cancel_key_deletion"])
def test_state_operations_on_missing_key(kms, op):
    with raises_aws("NotFoundException"):
        getattr(kms, op)(KeyId=str(uuid.uuid4()))


# --------------------------------------------------------------------------------------
# ScheduleKeyDeletion / CancelKeyDeletion
# --------------------------------------------------------------------------------------


def assert_deletion_date(date, days):
    expected = time.time() + days * DAY
    # AWS may round the date; allow a day of slack either way.
    assert abs(date.timestamp() - expected) <= DAY + 3600, (date, days)


def test_schedule_key_deletion_default_window(kms, key):
    resp = kms.schedule_key_deletion(KeyId=key["KeyId"])
    assert resp["KeyId"] == key["Arn"]
    assert resp["KeyState"] == "PendingDeletion"
    assert resp["PendingWindowInDays"] == 30
    assert_deletion_date(resp["DeletionDate"], 30)

    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert meta["KeyState"] == "PendingDeletion"
    assert meta["Enabled"] is False
    assert_deletion_date(meta["DeletionDate"], 30)


@pytest.mark.parametrize("days", [7, 30])
def test_schedule_key_deletion_window_bounds(kms, key, days):
    resp = kms.schedule_key_deletion(KeyId=key["Arn"], PendingWindowInDays=days)
    assert resp["PendingWindowInDays"] == days
    assert_deletion_date(resp["DeletionDate"], days)


@pytest.mark.parametrize("days", [0, 6, 31, 365])
def test_schedule_key_deletion_window_out_of_range(kms, key, days):
    with raises_aws("ValidationException"):
        kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=days)
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


def test_schedule_deletion_of_disabled_key(kms, key):
    kms.disable_key(KeyId=key["KeyId"])
    resp = kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    assert resp["KeyState"] == "PendingDeletion"


def test_schedule_deletion_twice_is_invalid_state(kms, key):
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    with raises_aws("KMSInvalidStateException") as err:
        kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    # AWS key-state docs: "KMSInvalidStateException : <key ARN> is pending deletion."
    assert err.message == f"{key['Arn']} is pending deletion."


def test_cancel_key_deletion_leaves_key_disabled(kms, key):
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    resp = kms.cancel_key_deletion(KeyId=key["KeyId"])
    assert resp["KeyId"] == key["Arn"]
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert meta["KeyState"] == "Disabled"
    assert meta["Enabled"] is False
    assert "DeletionDate" not in meta
    kms.enable_key(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


def test_cancel_key_deletion_by_arn(kms, key):
    kms.schedule_key_deletion(KeyId=key["Arn"], PendingWindowInDays=7)
    assert kms.cancel_key_deletion(KeyId=key["Arn"])["KeyId"] == key["Arn"]


def test_cancel_deletion_of_key_not_pending_deletion(kms, key):
    with raises_aws("KMSInvalidStateException"):
        kms.cancel_key_deletion(KeyId=key["KeyId"])


def test_enable_and_disable_pending_deletion_key_is_invalid_state(kms, key):
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    for op in (kms.enable_key, kms.disable_key):
        with raises_aws("KMSInvalidStateException") as err:
            op(KeyId=key["KeyId"])
        assert err.message == f"{key['Arn']} is pending deletion."
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"


def test_pending_deletion_key_still_listed(kms, key):
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    ids = {k["KeyId"] for p in kms.get_paginator("list_keys").paginate() for k in p["Keys"]}
    assert key["KeyId"] in ids


# --------------------------------------------------------------------------------------
# UpdateKeyDescription
# --------------------------------------------------------------------------------------


def test_update_key_description(kms, key):
    resp = kms.update_key_description(KeyId=key["KeyId"], Description="new words")
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["Description"] == "new words"
    kms.update_key_description(KeyId=key["Arn"], Description="")
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["Description"] == ""


def test_update_key_description_on_disabled_key(kms, key):
    kms.disable_key(KeyId=key["KeyId"])
    kms.update_key_description(KeyId=key["KeyId"], Description="disabled but described")
    assert (kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["Description"]
            == "disabled but described")


def test_update_key_description_unicode(kms, key):
    text = "clé de chiffrement — 鍵 🔑"
    kms.update_key_description(KeyId=key["KeyId"], Description=text)
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["Description"] == text


def test_update_key_description_missing_key(kms):
    with raises_aws("NotFoundException"):
        kms.update_key_description(KeyId=str(uuid.uuid4()), Description="x")


def test_update_key_description_pending_deletion(kms, key):
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    with raises_aws("KMSInvalidStateException"):
        kms.update_key_description(KeyId=key["KeyId"], Description="x")
