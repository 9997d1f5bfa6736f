"""`--dev` mode: SigV4 not verified, account id from the access key id, (account, Region) namespaces."""

import uuid

import requests

import e2e_helpers as h
from e2e_helpers import raises_aws


def list_ids(kms):
    return {k["KeyId"] for p in kms.get_paginator("list_keys").paginate() for k in p["Keys"]}


def test_any_credentials_work(dev_kms):
    access_key = "AKIA" + uuid.uuid4().hex[:16].upper()
    kms = dev_kms(access_key, secret_key="definitely-not-checked")
    meta = kms.create_key()["KeyMetadata"]
    assert meta["AWSAccountId"] == "000000000000"
    assert meta["Arn"] == h.key_arn("us-east-1", "000000000000", meta["KeyId"])
    blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"dev")["CiphertextBlob"]
    other_secret = dev_kms(access_key, secret_key="another")
    assert other_secret.decrypt(CiphertextBlob=blob)["Plaintext"] == b"dev"


def test_twelve_digit_access_key_is_the_account(dev_kms):
    kms = dev_kms("111122223333")
    meta = kms.create_key(Description="account from access key")["KeyMetadata"]
    assert meta["AWSAccountId"] == "111122223333"
    assert meta["Arn"] == h.key_arn("us-east-1", "111122223333", meta["KeyId"])
    name = h.unique_alias("dev")
    kms.create_alias(AliasName=name, TargetKeyId=meta["KeyId"])
    entry = next(a for p in kms.get_paginator("list_aliases").paginate()
                 for a in p["Aliases"] if a["AliasName"] == name)
    assert entry["AliasArn"] == h.alias_arn("us-east-1", "111122223333", name)
    enc = kms.encrypt(KeyId=name, Plaintext=b"x")
    assert enc["KeyId"] == meta["Arn"]


def test_non_numeric_access_keys_share_the_default_account(dev_kms):
    a = dev_kms("AKIADEVMODEEXAMPLE01")
    b = dev_kms("someone-else")
    meta = a.create_key()["KeyMetadata"]
    assert meta["AWSAccountId"] == "000000000000"
    assert b.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]["Arn"] == meta["Arn"]


def test_almost_twelve_digits_is_not_an_account(dev_kms):
    for access_key in ("11112222333", "1111222233334", "11112222333x"):
        meta = dev_kms(access_key).create_key()["KeyMetadata"]
        assert meta["AWSAccountId"] == "000000000000", access_key


def test_region_comes_from_credential_scope(dev_kms):
    account = h.random_account()
    for region in ("eu-west-1", "ap-southeast-2", "us-west-2"):
        meta = dev_kms(account, region=region).create_key()["KeyMetadata"]
        assert meta["Arn"] == h.key_arn(region, account, meta["KeyId"])


def test_regions_are_separate_namespaces(fresh_account):
    us = fresh_account.client("us-east-1")
    eu = fresh_account.client("eu-west-1")
    meta = us.create_key()["KeyMetadata"]
    assert list_ids(us) == {meta["KeyId"]}
    assert eu.list_keys()["Keys"] == []

    with raises_aws("NotFoundException") as err:
        eu.describe_key(KeyId=meta["KeyId"])
    # Real AWS text (localstack snapshot test_get_key_in_different_region): the ARN is built
    # from the caller's Region.
    assert err.message == (
        f"Key '{h.key_arn('eu-west-1', fresh_account.id, meta['KeyId'])}' does not exist")
    with raises_aws("NotFoundException"):
        eu.describe_key(KeyId=meta["Arn"])
    with raises_aws("NotFoundException"):
        eu.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")

    blob = us.encrypt(KeyId=meta["KeyId"], Plaintext=b"us only")["CiphertextBlob"]
    with raises_aws(("NotFoundException", "InvalidCiphertextException")):
        eu.decrypt(CiphertextBlob=blob)


def test_accounts_are_separate_namespaces(dev_kms):
    a_id, b_id = h.random_account(), h.random_account()
    a, b = dev_kms(a_id), dev_kms(b_id)
    meta = a.create_key()["KeyMetadata"]
    assert b.list_keys()["Keys"] == []
    with raises_aws("NotFoundException") as err:
        b.describe_key(KeyId=meta["KeyId"])
    assert err.message == f"Key '{h.key_arn('us-east-1', b_id, meta['KeyId'])}' does not exist"

    # Naming the other account's key by ARN must not give access to it either. (Real AWS
    # answers cross-account calls per key policy; Trent has no policies, so it must refuse.)
    with raises_aws(("NotFoundException", "AccessDeniedException")):
        b.encrypt(KeyId=meta["Arn"], Plaintext=b"x")
    blob = a.encrypt(KeyId=meta["KeyId"], Plaintext=b"a's secret")["CiphertextBlob"]
    with raises_aws(("NotFoundException", "AccessDeniedException", "InvalidCiphertextException",
                     "IncorrectKeyException")):
        b.decrypt(CiphertextBlob=blob)
    with raises_aws(("NotFoundException", "AccessDeniedException")):
        b.disable_key(KeyId=meta["Arn"])
    assert a.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


def test_aliases_are_per_namespace(dev_kms):
    a_id = h.random_account()
    a, b = dev_kms(a_id), dev_kms(h.random_account())
    eu_a = dev_kms(a_id, region="eu-west-1")
    name = h.unique_alias("shared-name")
    ka = a.create_key()["KeyMetadata"]
    kb = b.create_key()["KeyMetadata"]
    ke = eu_a.create_key()["KeyMetadata"]
    a.create_alias(AliasName=name, TargetKeyId=ka["KeyId"])
    b.create_alias(AliasName=name, TargetKeyId=kb["KeyId"])      # no AlreadyExistsException
    eu_a.create_alias(AliasName=name, TargetKeyId=ke["KeyId"])   # nor across Regions
    assert a.describe_key(KeyId=name)["KeyMetadata"]["KeyId"] == ka["KeyId"]
    assert b.describe_key(KeyId=name)["KeyMetadata"]["KeyId"] == kb["KeyId"]
    assert eu_a.describe_key(KeyId=name)["KeyMetadata"]["KeyId"] == ke["KeyId"]
    a.delete_alias(AliasName=name)
    assert b.describe_key(KeyId=name)["KeyMetadata"]["KeyId"] == kb["KeyId"]


def test_unsigned_requests_use_the_default_account_and_region(dev_server):
    # As in LocalStack: with no Authorization header at all, --dev acts for account
    # 000000000000 in us-east-1, so curl works against a dev server.
    resp = requests.post(dev_server.endpoint + "/", data=b"{}", timeout=30, headers={
        "Content-Type": h.JSON_CT, "X-Amz-Target": "TrentService.CreateKey"})
    assert resp.status_code == 200, resp.text
    assert resp.headers.get("x-amzn-RequestId")
    arn = resp.json()["KeyMetadata"]["Arn"]
    assert arn.startswith("arn:aws:kms:us-east-1:000000000000:key/"), arn


def test_dev_mode_full_round_trip(fresh_account):
    kms = fresh_account.client("eu-central-1")
    meta = kms.create_key(Tags=[{"TagKey": "mode", "TagValue": "dev"}])["KeyMetadata"]
    dk = kms.generate_data_key(KeyId=meta["KeyId"], KeySpec="AES_128")
    assert len(dk["Plaintext"]) == 16
    assert kms.decrypt(CiphertextBlob=dk["CiphertextBlob"])["Plaintext"] == dk["Plaintext"]
    assert kms.list_resource_tags(KeyId=meta["KeyId"])["Tags"] == [
        {"TagKey": "mode", "TagValue": "dev"}]
    kms.schedule_key_deletion(KeyId=meta["KeyId"], PendingWindowInDays=7)
    assert kms.cancel_key_deletion(KeyId=meta["KeyId"])["KeyId"] == meta["Arn"]
