"""Principals made with `trent iam` on a running server's data folder: IAM users and their
access keys, roles, inline policies, accounts. Every change is seen by the running server on its
very next request; secrets are printed once and never listed."""

import json
import re

import pytest

import e2e_helpers as h
import principal_helpers as p
from e2e_helpers import raises_aws


# --------------------------------------------------------------------------------------
# Users and their access keys
# --------------------------------------------------------------------------------------


def test_a_user_signs_with_its_own_access_key(data, endpoint, account_id):
    name, key = p.new_user(data, account_id, "--tag", "team=blue")
    assert re.fullmatch(r"AKIA[A-Z2-7]{16}", key.access_key)
    assert len(key.secret_key) == 40
    me = p.sts(endpoint, key).get_caller_identity()
    assert me["Arn"] == f"arn:aws:iam::{account_id}:user/{name}"
    assert me["Account"] == account_id
    assert re.fullmatch(r"AIDA[A-Z2-7]{17}", me["UserId"]), me["UserId"]

    # KMS calls work for the user: its inline policy allows them.
    kms = p.kms(endpoint, key)
    meta = kms.create_key(Description="made by a user")["KeyMetadata"]
    assert meta["AWSAccountId"] == account_id
    blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"user data")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"user data"

    # list-users shows the id and tags; nothing lists a secret.
    users = p.iam_ok(data, "list-users", "--account", account_id)
    line = next(l for l in users.splitlines() if l.startswith(name + "\t"))
    assert me["UserId"] in line and "team=blue" in line
    keys = p.iam_ok(data, "list-access-keys", "--account", account_id, "--user", name)
    assert keys.split("\t")[:2] == [key.access_key, me["Arn"]]
    assert key.secret_key not in users + keys


def test_the_audit_trail_shows_a_users_requests_as_iam_user(data, endpoint, account_id):
    name, key = p.new_user(data, account_id)
    p.kms(endpoint, key).list_keys()
    arn = f"arn:aws:iam::{account_id}:user/{name}"
    record = p.audit_records(data, "--principal", arn, "--event-name", "ListKeys")[-1]
    identity = record["userIdentity"]
    assert identity["type"] == "IAMUser"
    assert identity["arn"] == arn
    assert identity["userName"] == name
    assert re.fullmatch(r"AIDA[A-Z2-7]{17}", identity["principalId"])
    assert identity["accessKeyId"] == key.access_key
    assert identity["accountId"] == account_id
    # The operator's changes are recorded too, as IAM events invoked by `trent iam`.
    created = [r for r in p.audit_records(data, "--event-name", "CreateUser")
               if r["requestParameters"].get("userName") == name]
    assert len(created) == 1
    assert created[0]["eventSource"] == "iam.amazonaws.com"
    assert created[0]["userIdentity"]["invokedBy"] == "trent iam"
    made = [r for r in p.audit_records(data, "--event-name", "CreateAccessKey")
            if r["responseElements"]["accessKey"]["accessKeyId"] == key.access_key]
    assert len(made) == 1 and key.secret_key not in json.dumps(made[0])


def test_a_deleted_access_key_stops_working_on_the_next_request(data, endpoint, account_id):
    name, key = p.new_user(data, account_id)
    kms = p.kms(endpoint, key)
    sts = p.sts(endpoint, key)
    for _ in range(3):  # warm every cache the server has
        kms.list_keys(Limit=1)
        sts.get_caller_identity()
    p.iam_ok(data, "delete-access-key", "--access-key-id", key.access_key)
    with raises_aws("UnrecognizedClientException") as err:
        kms.list_keys(Limit=1)
    assert err.message == p.INVALID_TOKEN
    with raises_aws("InvalidClientTokenId", status=403) as err:
        sts.get_caller_identity()
    assert err.message == p.INVALID_TOKEN
    assert "no access key" in p.iam_fails(data, "delete-access-key", "--access-key-id", key.access_key)


def test_deleting_a_user_takes_its_keys_along(data, endpoint, account_id):
    name, key = p.new_user(data, account_id)
    second = p.new_key(data, account_id, "--user", name)
    p.kms(endpoint, second).list_keys(Limit=1)
    p.iam_ok(data, "put-user-policy", "--account", account_id, "--name", name, "--policy-name", "p",
             "--document", p.ALLOW_KMS)
    p.iam_ok(data, "delete-user", "--account", account_id, "--name", name)
    for k in (key, second):
        with raises_aws("UnrecognizedClientException"):
            p.kms(endpoint, k).list_keys(Limit=1)
    assert name not in p.iam_ok(data, "list-users", "--account", account_id)
    assert p.iam_ok(data, "list-policies", "--account", account_id).count(f":user/{name}\t") == 0
    # The name is free again; the new user is another user.
    p.iam_ok(data, "create-user", "--account", account_id, "--name", name)
    assert p.iam_ok(data, "list-access-keys", "--account", account_id, "--user", name) == ""


def test_identity_policy_changes_apply_on_the_next_request(data, endpoint, account_id, key):
    name, user_key = p.new_user(data, account_id, kms=False)
    kms = p.kms(endpoint, user_key)
    arn = f"arn:aws:iam::{account_id}:user/{name}"
    with raises_aws("AccessDeniedException") as err:
        kms.describe_key(KeyId=key["KeyId"])
    assert err.message.startswith(f"User: {arn} is not authorized to perform: kms:DescribeKey on resource: {key['Arn']}")
    describe = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": key["Arn"]}]}
    p.iam_ok(data, "put-user-policy", "--account", account_id, "--name", name, "--policy-name", "describe",
             "--document", json.dumps(describe))
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["Arn"] == key["Arn"]
    deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:*", "Resource": "*"}]}
    p.iam_ok(data, "put-user-policy", "--account", account_id, "--name", name, "--policy-name", "stop",
             "--document", json.dumps(deny))
    with raises_aws("AccessDeniedException"):
        kms.describe_key(KeyId=key["KeyId"])
    p.iam_ok(data, "delete-user-policy", "--account", account_id, "--name", name, "--policy-name", "stop")
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["Arn"] == key["Arn"]
    p.iam_ok(data, "delete-user-policy", "--account", account_id, "--name", name, "--policy-name", "describe")
    with raises_aws("AccessDeniedException"):
        kms.describe_key(KeyId=key["KeyId"])


def test_a_user_has_at_most_two_access_keys(data, account_id):
    name, _ = p.new_user(data, account_id)
    p.new_key(data, account_id, "--user", name)
    message = p.iam_fails(data, "create-access-key", "--account", account_id, "--user", name)
    assert "already has 2 access keys" in message, message


# --------------------------------------------------------------------------------------
# Inline policies
# --------------------------------------------------------------------------------------


def test_put_policy_replaces_by_name_and_reads_files(data, account_id, tmp_path):
    name, _ = p.new_user(data, account_id, kms=False)
    first = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"}]}
    second = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}
    (tmp_path / "policy.json").write_text(json.dumps(second))
    p.iam_ok(data, "put-user-policy", "--account", account_id, "--name", name, "--policy-name", "crypto",
             "--document", json.dumps(first))
    p.iam_ok(data, "put-user-policy", "--account", account_id, "--name", name, "--policy-name", "crypto",
             "--document", f"@{tmp_path / 'policy.json'}")
    p.iam_ok(data, "put-user-policy", "--account", account_id, "--name", name, "--policy-name", "other",
             "--document", f"file://{tmp_path / 'policy.json'}")
    listed = p.iam_ok(data, "list-policies", "--account", account_id, "--user", name, "--documents").splitlines()
    arn = f"arn:aws:iam::{account_id}:user/{name}"
    assert listed[0] == f"{arn}\tcrypto"
    assert json.loads(listed[1]) == second
    assert listed[2] == f"{arn}\tother"
    p.iam_ok(data, "delete-user-policy", "--account", account_id, "--name", name, "--policy-name", "crypto")
    assert p.iam_ok(data, "list-policies", "--account", account_id, "--user", name) == f"{arn}\tother\n"
    message = p.iam_fails(data, "delete-user-policy", "--account", account_id, "--name", name, "--policy-name", "crypto")
    assert message == f"trent iam: {arn} has no inline policy named crypto"


def test_operator_mistakes_get_one_clear_line(data, account_id):
    name, _ = p.new_user(data, account_id)
    checks = [
        (["create-user", "--name", "has space"],
         "trent iam: invalid user name 'has space': use 1 to 64 of the characters A-Z a-z 0-9 _ + = , . @ -"),
        (["create-user", "--name", "x" * 65], "invalid user name"),
        (["create-user", "--name", name.upper()], f"a user named {name.upper()} already exists"),
        (["create-user", "--name", "tagged", "--tag", "novalue"], "--tag takes key=value"),
        (["create-user", "--name", "tagged", "--tag", "aws:x=1"], "tag keys starting with aws: are reserved"),
        (["create-role", "--name", "r", "--trust-policy", "{not json"], "the trust policy document is not valid JSON"),
        (["create-role", "--name", "r", "--trust-policy", "[]"], "the trust policy document must be a JSON object"),
        (["create-role", "--name", "r", "--trust-policy", '{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}}'],
         "the trust policy document is malformed: Missing required field Principal."),
        (["create-role", "--name", "r", "--trust-policy", p.trust_for(account_id), "--max-session-duration", "60"],
         "invalid maximum session duration 60"),
        (["put-user-policy", "--name", name, "--policy-name", "p", "--document", '{"Statement": []}'],
         "the policy document is malformed: Syntax errors in policy."),
        (["put-user-policy", "--name", "nobody", "--policy-name", "p", "--document", p.ALLOW_KMS],
         f"no user named nobody in account {account_id}"),
        (["put-user-policy", "--name", name, "--policy-name", "p", "--document", "@/no/such/file"], "cannot read /no/such/file"),
        (["delete-role", "--name", "nothing"], f"no role named nothing in account {account_id}"),
    ]
    for args, expected in checks:
        message = p.iam_fails(data, *args, "--account", account_id)
        assert expected in message, f"{args}: {message}"
        assert len(message.splitlines()) == 1, message
    assert "no account 999999999999" in p.iam_fails(data, "list-users", "--account", "999999999999")
    assert "no Trent data" in p.iam_fails(data.parent / "nowhere", "list-users")


# --------------------------------------------------------------------------------------
# Accounts
# --------------------------------------------------------------------------------------


def test_create_account_prints_a_root_key_that_works_at_once(server_factory):
    srv = server_factory("accounts")
    srv.start()
    admin = srv.wait_for_credentials()
    first = p.sts(srv.endpoint, p.Key(admin.access_key, admin.secret_key)).get_caller_identity()["Account"]
    # One account: --account may be left out.
    assert p.iam_ok(srv.data_dir, "list-accounts").split("\t")[0] == first
    name = p.unique("solo")
    p.iam_ok(srv.data_dir, "create-user", "--name", name)

    out = p.iam_ok(srv.data_dir, "create-account")
    found = p.exports(out)
    assert "shown only this once" in out
    root = p.Key(found["AWS_ACCESS_KEY_ID"], found["AWS_SECRET_ACCESS_KEY"])
    me = p.sts(srv.endpoint, root).get_caller_identity()
    second = me["Account"]
    assert second != first and re.fullmatch(r"\d{12}", second)
    assert me == {**me, "Arn": f"arn:aws:iam::{second}:root", "UserId": second}
    key = p.kms(srv.endpoint, root).create_key()["KeyMetadata"]
    assert key["AWSAccountId"] == second

    # Two accounts: --account is needed, and says which exist.
    message = p.iam_fails(srv.data_dir, "list-users")
    assert "--account is required" in message and first in message and second in message
    accounts = [line.split("\t")[0] for line in p.iam_ok(srv.data_dir, "list-accounts").splitlines()]
    assert accounts == sorted([first, second])

    # A second root key for the new account, then the first one deleted: only the new one works.
    spare = p.new_key(srv.data_dir, second, "--root")
    p.iam_ok(srv.data_dir, "delete-access-key", "--access-key-id", root.access_key)
    assert p.sts(srv.endpoint, spare).get_caller_identity()["Arn"] == f"arn:aws:iam::{second}:root"
    with raises_aws("InvalidClientTokenId", status=403):
        p.sts(srv.endpoint, root).get_caller_identity()


def test_principals_survive_a_restart(server_factory):
    srv = server_factory("restart")
    srv.start()
    admin = srv.wait_for_credentials()
    account = p.sts(srv.endpoint, p.Key(admin.access_key, admin.secret_key)).get_caller_identity()["Account"]
    name, key = p.new_user(srv.data_dir, account)
    role_arn = p.new_role(srv.data_dir, account, f"arn:aws:iam::{account}:user/{name}")
    temporary, _ = p.assume(srv.endpoint, key, role_arn)
    srv.restart()
    assert p.sts(srv.endpoint, key).get_caller_identity()["Arn"].endswith(f":user/{name}")
    # Nothing of a session is stored: its token carries it, and opens after a restart.
    assert ":assumed-role/" in p.sts(srv.endpoint, temporary).get_caller_identity()["Arn"]
