"""Grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant and grant
tokens, with boto3 and the AWS CLI. (Whether a grant allows a request is not tested here.)"""

import re
import subprocess
import time
from datetime import datetime, timedelta, timezone

import pytest

import e2e_helpers as h
from e2e_helpers import raises_aws

GRANT_ID_RE = re.compile(r"^[0-9a-f]{64}$")


def grantee(account: str, name: str = "app") -> str:
    return f"arn:aws:iam::{account}:role/{name}"


def test_create_and_list_a_grant(kms, key, account_id):
    constraints = {"EncryptionContextSubset": {"Department": "IT"}}
    created = kms.create_grant(
        KeyId=key["KeyId"], GranteePrincipal=grantee(account_id),
        RetiringPrincipal=f"arn:aws:iam::{account_id}:user/admin",
        Operations=["Decrypt", "GenerateDataKey", "RetireGrant"], Constraints=constraints, Name="e2e-grant")
    assert GRANT_ID_RE.match(created["GrantId"])
    assert created["GrantToken"]

    listed = kms.list_grants(KeyId=key["KeyId"])
    assert listed["Truncated"] is False and "NextMarker" not in listed
    [entry] = listed["Grants"]
    created_at = entry.pop("CreationDate")
    assert abs((datetime.now(timezone.utc) - created_at).total_seconds()) < 300
    assert entry == {
        "KeyId": key["Arn"],
        "GrantId": created["GrantId"],
        "Name": "e2e-grant",
        "GranteePrincipal": grantee(account_id),
        "RetiringPrincipal": f"arn:aws:iam::{account_id}:user/admin",
        "IssuingAccount": f"arn:aws:iam::{account_id}:root",
        "Operations": ["Decrypt", "GenerateDataKey", "RetireGrant"],
        "Constraints": constraints,
    }
    # By key ARN too; a minimal grant leaves Name, RetiringPrincipal and Constraints out.
    bare = kms.create_grant(KeyId=key["Arn"], GranteePrincipal=grantee(account_id), Operations=["Encrypt"])
    [bare_entry] = kms.list_grants(KeyId=key["Arn"], GrantId=bare["GrantId"])["Grants"]
    assert not {"Name", "RetiringPrincipal", "Constraints"} & set(bare_entry)


def test_a_name_makes_retries_idempotent(kms, key, account_id):
    args = dict(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id), Name="retry-me")
    first = kms.create_grant(Operations=["Encrypt", "Decrypt"], **args)
    again = kms.create_grant(Operations=["Decrypt", "Encrypt"], **args)
    assert again["GrantId"] == first["GrantId"]
    assert again["GrantToken"] != first["GrantToken"]
    different = kms.create_grant(Operations=["Encrypt"], **args)
    assert different["GrantId"] != first["GrantId"]
    names = [g["Name"] for g in kms.list_grants(KeyId=key["KeyId"])["Grants"]]
    assert names == ["retry-me", "retry-me"]


def test_list_grants_pages_and_filters(kms, key, account_id):
    ids = sorted(kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id, f"r{i % 2}"),
                                  Operations=["Decrypt"])["GrantId"] for i in range(5))
    pages = h.walk_pages(kms.list_grants, "Grants", 2, KeyId=key["KeyId"])
    assert len(pages) == 3
    assert [g["GrantId"] for p in pages for g in p["Grants"]] == ids
    paginated = [g["GrantId"] for page in kms.get_paginator("list_grants").paginate(
        KeyId=key["KeyId"], PaginationConfig={"PageSize": 3}) for g in page["Grants"]]
    assert paginated == ids
    r1 = kms.list_grants(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id, "r1"))["Grants"]
    assert len(r1) == 2 and {g["GranteePrincipal"] for g in r1} == {grantee(account_id, "r1")}
    assert [g["GrantId"] for g in kms.list_grants(KeyId=key["KeyId"], GrantId=ids[2])["Grants"]] == [ids[2]]
    with raises_aws("InvalidGrantIdException"):
        kms.list_grants(KeyId=key["KeyId"], GrantId="not-a-grant-id")


def test_grants_allow_only_what_their_key_can_do(kms, key, new_key, account_id):
    with raises_aws("ValidationException"):
        kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id), Operations=["Encrypt", "Sign"])
    signing = new_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    with raises_aws("ValidationException"):
        kms.create_grant(KeyId=signing["KeyId"], GranteePrincipal=grantee(account_id), Operations=["GenerateDataKey"])
    kms.create_grant(KeyId=signing["KeyId"], GranteePrincipal=grantee(account_id), Operations=["Sign", "Verify", "GetPublicKey"])
    # No encryption context constraint on operations that take no encryption context.
    with raises_aws("ValidationException"):
        kms.create_grant(KeyId=signing["KeyId"], GranteePrincipal=grantee(account_id), Operations=["Sign"],
                         Constraints={"EncryptionContextEquals": {"a": "b"}})
    # AWS's own texts (ansible/ansible#31960, aws/aws-sdk-java#328).
    with raises_aws("ValidationException") as err:
        kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id), Operations=["CreateGrant"])
    assert err.message == "Grants must not contain only the CreateGrant operation."
    with raises_aws("ValidationException") as err:
        kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id), Operations=["Decrypt"],
                         Constraints={"EncryptionContextEquals": {"a": "b"}, "EncryptionContextSubset": {"a": "b"}})
    assert err.message == "More than one constraint supplied"
    with raises_aws("ValidationException") as err:
        kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id), Operations=["Decrypt", "Teleport"])
    assert "Value '[Decrypt, Teleport]' at 'operations' failed to satisfy constraint" in err.message
    assert kms.list_grants(KeyId=key["KeyId"])["Grants"] == []


def test_principals_and_key_identifiers(kms, key, alias_for, account_id):
    with raises_aws("InvalidArnException"):
        kms.create_grant(KeyId=key["KeyId"], GranteePrincipal="alice", Operations=["Decrypt"])
    with raises_aws("InvalidArnException"):
        kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id), Operations=["Decrypt"],
                         RetiringPrincipal=f"arn:aws:iam::{account_id}:group/admins")
    with raises_aws("ValidationException"):
        kms.create_grant(KeyId=key["KeyId"], GranteePrincipal="no spaces allowed", Operations=["Decrypt"])
    with raises_aws("InvalidArnException") as err:
        kms.create_grant(KeyId=alias_for(key["KeyId"]), GranteePrincipal=grantee(account_id), Operations=["Decrypt"])
    assert err.message == "Key Aliases are not supported for this operation."
    kms.create_grant(KeyId=key["KeyId"], GranteePrincipal="rds.amazonaws.com", Operations=["Decrypt"])
    kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=f"arn:aws:sts::{account_id}:assumed-role/app/s",
                     Operations=["Decrypt"])


def test_retire_by_token_and_by_key_and_grant_id(kms, key, account_id):
    by_token = kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id), Operations=["Decrypt"])
    by_id = kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id), Operations=["Decrypt"])
    with raises_aws("DryRunOperationException"):
        kms.retire_grant(GrantToken=by_token["GrantToken"], DryRun=True)
    assert len(kms.list_grants(KeyId=key["KeyId"])["Grants"]) == 2
    kms.retire_grant(GrantToken=by_token["GrantToken"])
    kms.retire_grant(KeyId=key["Arn"], GrantId=by_id["GrantId"])
    assert kms.list_grants(KeyId=key["KeyId"])["Grants"] == []
    with raises_aws("NotFoundException"):
        kms.retire_grant(GrantToken=by_token["GrantToken"])
    with raises_aws("NotFoundException"):
        kms.retire_grant(KeyId=key["Arn"], GrantId=by_id["GrantId"])
    with raises_aws("InvalidGrantTokenException"):
        kms.retire_grant(GrantToken="not-a-grant-token")
    with raises_aws("ValidationException"):
        kms.retire_grant(KeyId=key["KeyId"])


def test_revoke_grant(kms, key, other_key, account_id):
    created = kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id), Operations=["Decrypt"])
    with raises_aws("DryRunOperationException"):
        kms.revoke_grant(KeyId=key["KeyId"], GrantId=created["GrantId"], DryRun=True)
    with raises_aws("NotFoundException"):
        kms.revoke_grant(KeyId=other_key["KeyId"], GrantId=created["GrantId"])
    kms.revoke_grant(KeyId=key["KeyId"], GrantId=created["GrantId"])
    assert kms.list_grants(KeyId=key["KeyId"])["Grants"] == []
    with raises_aws("NotFoundException"):
        kms.revoke_grant(KeyId=key["KeyId"], GrantId=created["GrantId"])
    with raises_aws("InvalidGrantIdException"):
        kms.revoke_grant(KeyId=key["KeyId"], GrantId="x" * 64)
    with raises_aws("ValidationException") as err:
        kms.revoke_grant(KeyId=key["KeyId"])
    assert "Value null at 'grantId' failed to satisfy constraint: Member must not be null" in err.message


def test_create_grant_dry_run_creates_nothing(kms, key, account_id):
    with raises_aws("DryRunOperationException"):
        kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id), Operations=["Decrypt"], DryRun=True)
    assert kms.list_grants(KeyId=key["KeyId"])["Grants"] == []


def test_list_retirable_grants(kms, key, other_key, account_id):
    retiring = f"arn:aws:iam::{account_id}:user/retirer-{key['KeyId'][:8]}"
    wanted = {kms.create_grant(KeyId=k["KeyId"], GranteePrincipal=grantee(account_id), RetiringPrincipal=retiring,
                               Operations=["Decrypt"])["GrantId"] for k in (key, other_key)}
    kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id), Operations=["Decrypt"])
    pages = h.walk_pages(kms.list_retirable_grants, "Grants", 1, RetiringPrincipal=retiring)
    found = [g for p in pages for g in p["Grants"]]
    assert {g["GrantId"] for g in found} == wanted
    assert {g["KeyId"] for g in found} == {key["Arn"], other_key["Arn"]}
    assert all(g["RetiringPrincipal"] == retiring for g in found)


def test_grant_tokens_are_checked(kms, key, account_id):
    token = kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id),
                             Operations=["Encrypt", "Decrypt"])["GrantToken"]
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"with a token", GrantTokens=[token])["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob, GrantTokens=[token, token])["Plaintext"] == b"with a token"
    kms.describe_key(KeyId=key["KeyId"], GrantTokens=[token])
    with raises_aws("InvalidGrantTokenException") as err:
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x", GrantTokens=[token, "malformed-token"])
    assert "malformed-token" not in err.message
    with raises_aws("InvalidGrantTokenException"):
        kms.decrypt(CiphertextBlob=blob, GrantTokens=[token[:-4]])
    with raises_aws("InvalidGrantTokenException"):
        kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256", GrantTokens=["x"])
    with raises_aws("InvalidGrantTokenException"):
        kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee(account_id), Operations=["Decrypt"],
                         GrantTokens=["x"])
    with raises_aws("ValidationException"):
        kms.describe_key(KeyId=key["KeyId"], GrantTokens=[token] * 11)


def test_retiring_across_accounts(fresh_account, dev_kms):
    owner = fresh_account.client()
    partner_id = h.random_account()
    partner = dev_kms(partner_id)
    stranger = dev_kms(h.random_account())
    key = owner.create_key(Description="e2e: shared grant")["KeyMetadata"]
    created = owner.create_grant(KeyId=key["KeyId"], GranteePrincipal=f"arn:aws:iam::{partner_id}:role/app",
                                 RetiringPrincipal=f"arn:aws:iam::{partner_id}:root", Operations=["Decrypt"])
    retirable = partner.list_retirable_grants(RetiringPrincipal=f"arn:aws:iam::{partner_id}:root")["Grants"]
    assert [g["GrantId"] for g in retirable] == [created["GrantId"]]
    assert retirable[0]["IssuingAccount"] == f"arn:aws:iam::{fresh_account.id}:root"
    with raises_aws("AccessDeniedException"):
        stranger.list_retirable_grants(RetiringPrincipal=f"arn:aws:iam::{partner_id}:root")
    with raises_aws("AccessDeniedException"):
        stranger.retire_grant(KeyId=key["Arn"], GrantId=created["GrantId"])
    with raises_aws("AccessDeniedException"):
        stranger.retire_grant(GrantToken=created["GrantToken"])
    partner.retire_grant(KeyId=key["Arn"], GrantId=created["GrantId"])
    assert owner.list_grants(KeyId=key["KeyId"])["Grants"] == []


def trent(*args: str) -> str:
    out = subprocess.run([str(h.trent_binary()), *args], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr + out.stdout
    return out.stdout


def test_grants_go_with_their_key(server_factory):
    srv = server_factory("grants-deletion")
    srv.start()
    creds = srv.wait_for_credentials()
    kms = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, creds.region)
    kept_meta = kms.create_key(Description="kept")["KeyMetadata"]
    account, kept = kept_meta["AWSAccountId"], kept_meta["KeyId"]
    doomed = kms.create_key(Description="doomed")["KeyMetadata"]
    retiring = f"arn:aws:iam::{account}:user/retirer"
    for key_id in (kept, doomed["KeyId"]):
        kms.create_grant(KeyId=key_id, GranteePrincipal=grantee(account), RetiringPrincipal=retiring,
                         Operations=["Decrypt"])
    assert len(kms.list_retirable_grants(RetiringPrincipal=retiring)["Grants"]) == 2
    kms.schedule_key_deletion(KeyId=doomed["KeyId"], PendingWindowInDays=7)
    # Still listed while the key waits for its deletion.
    assert len(kms.list_grants(KeyId=doomed["KeyId"])["Grants"]) == 1
    srv.stop()
    past = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    trent("keys", "reschedule", "--data", str(srv.data_dir), "--key", doomed["Arn"], "--kind", "deletion", "--date", past)
    srv.start()
    kms = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, creds.region)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            kms.describe_key(KeyId=doomed["KeyId"])
        except kms.exceptions.NotFoundException:
            break
        time.sleep(0.2)
    with raises_aws("NotFoundException"):
        kms.list_grants(KeyId=doomed["KeyId"])
    remaining = kms.list_retirable_grants(RetiringPrincipal=retiring)["Grants"]
    assert [g["KeyId"] for g in remaining] == [h.key_arn(creds.region, account, kept)]


def test_cli_grant_lifecycle(aws, key, account_id):
    created = aws("kms", "create-grant", "--key-id", key["KeyId"], "--grantee-principal", grantee(account_id),
                  "--operations", "Encrypt", "Decrypt", "--name", "cli-grant",
                  "--constraints", "EncryptionContextEquals={purpose=cli}")
    assert GRANT_ID_RE.match(created["GrantId"])
    [entry] = aws("kms", "list-grants", "--key-id", key["KeyId"])["Grants"]
    assert entry["GrantId"] == created["GrantId"] and entry["Name"] == "cli-grant"
    assert entry["Operations"] == ["Encrypt", "Decrypt"]
    assert entry["Constraints"] == {"EncryptionContextEquals": {"purpose": "cli"}}
    assert aws("kms", "retire-grant", "--grant-token", created["GrantToken"]) is None
    assert aws("kms", "list-grants", "--key-id", key["KeyId"])["Grants"] == []
    bad = aws("kms", "revoke-grant", "--key-id", key["KeyId"], "--grant-id", created["GrantId"], raw=True)
    assert bad.returncode != 0 and "NotFoundException" in bad.stderr
