"""Key policies: PutKeyPolicy, GetKeyPolicy, ListKeyPolicies, and the Policy of CreateKey and
ReplicateKey, with boto3 and the AWS CLI. (Whether a policy allows a request is not tested here.)"""

import json

import pytest

import e2e_helpers as h
from e2e_helpers import raises_aws


def default_policy(account: str) -> str:
    """AWS's default key policy, byte for byte as `aws kms get-key-policy --output text` shows it
    (KMS developer guide, "Getting a key policy")."""
    return (
        "{\n"
        '  "Version" : "2012-10-17",\n'
        '  "Id" : "key-default-1",\n'
        '  "Statement" : [ {\n'
        '    "Sid" : "Enable IAM User Permissions",\n'
        '    "Effect" : "Allow",\n'
        '    "Principal" : {\n'
        f'      "AWS" : "arn:aws:iam::{account}:root"\n'
        "    },\n"
        '    "Action" : "kms:*",\n'
        '    "Resource" : "*"\n'
        "  } ]\n"
        "}"
    )


# Odd spacing on purpose: the document must come back exactly as it was sent.
POLICY = ('{"Version": "2012-10-17",\n\t"Id" : "e2e",  "Statement": [{"Sid": "Enable root",'
          ' "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root"},'
          ' "Action": "kms:*", "Resource": "*"}]}\n\n')


def sized_policy(size: int, account: str) -> str:
    head = '{"Version":"2012-10-17","Id":"'
    tail = ('","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},"Action":"kms:*","Resource":"*"}]}'
            % account)
    return head + "x" * (size - len(head) - len(tail)) + tail


def test_a_new_key_has_the_default_policy(kms, key, account_id):
    got = kms.get_key_policy(KeyId=key["KeyId"])
    assert got["Policy"] == default_policy(account_id)
    assert got["PolicyName"] == "default"
    assert kms.get_key_policy(KeyId=key["Arn"], PolicyName="default")["Policy"] == default_policy(account_id)
    listed = kms.list_key_policies(KeyId=key["KeyId"])
    assert listed["PolicyNames"] == ["default"]
    assert listed["Truncated"] is False and "NextMarker" not in listed
    assert kms.list_key_policies(KeyId=key["Arn"], Limit=1)["PolicyNames"] == ["default"]


def test_put_key_policy_round_trips_exactly(kms, key, account_id):
    policy = POLICY % account_id
    kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default", Policy=policy)
    assert kms.get_key_policy(KeyId=key["KeyId"])["Policy"] == policy
    compact = json.dumps(json.loads(policy), separators=(",", ":"))
    kms.put_key_policy(KeyId=key["Arn"], Policy=compact, BypassPolicyLockoutSafetyCheck=True)
    assert kms.get_key_policy(KeyId=key["Arn"], PolicyName="default")["Policy"] == compact


def test_create_key_with_a_policy(kms, account_id):
    policy = POLICY % account_id
    meta = kms.create_key(Description="e2e: with policy", Policy=policy,
                          BypassPolicyLockoutSafetyCheck=False)["KeyMetadata"]
    assert kms.get_key_policy(KeyId=meta["KeyId"])["Policy"] == policy


def test_malformed_policies_are_refused(kms, key, account_id):
    for text in ["this is not JSON", '{"Version": "2012-10-17"', '[{"Effect": "Allow"}]']:
        with raises_aws("MalformedPolicyDocumentException"):
            kms.put_key_policy(KeyId=key["KeyId"], Policy=text)
    # Nothing was stored.
    assert kms.get_key_policy(KeyId=key["KeyId"])["Policy"] == default_policy(account_id)
    with raises_aws("MalformedPolicyDocumentException"):
        kms.create_key(Description="e2e: malformed policy", Policy="not a policy")


def test_policies_past_32_kb_are_refused(kms, key, account_id):
    largest = sized_policy(32_768, account_id)
    kms.put_key_policy(KeyId=key["KeyId"], Policy=largest)
    assert kms.get_key_policy(KeyId=key["KeyId"])["Policy"] == largest
    # AWS documents LimitExceededException for a key policy past its 32 KB quota, although the
    # API model lets 131072 characters through.
    with raises_aws("LimitExceededException"):
        kms.put_key_policy(KeyId=key["KeyId"], Policy=sized_policy(32_769, account_id))
    with raises_aws("LimitExceededException"):
        kms.create_key(Description="e2e: oversized policy", Policy=sized_policy(40_000, account_id))
    assert kms.get_key_policy(KeyId=key["KeyId"])["Policy"] == largest


def test_the_model_constraints_apply(kms, key):
    with raises_aws("ValidationException") as err:
        kms.put_key_policy(KeyId=key["KeyId"], Policy='{"a": "\u0001"}')
    assert "at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern" in err.message
    with raises_aws("ValidationException"):
        kms.put_key_policy(KeyId=key["KeyId"], Policy="x" * 131_073)
    with raises_aws("ValidationException"):
        kms.put_key_policy(KeyId=key["KeyId"], Policy="")
    with raises_aws("ValidationException"):
        kms.get_key_policy(KeyId=key["KeyId"], PolicyName="not-a-word")
    with raises_aws("ValidationException") as err:
        kms.put_key_policy(KeyId=key["KeyId"])
    assert "Value null at 'policy' failed to satisfy constraint: Member must not be null" in err.message


def test_only_the_default_policy_exists(kms, key):
    with raises_aws("NotFoundException"):
        kms.get_key_policy(KeyId=key["KeyId"], PolicyName="other")
    with raises_aws(("UnsupportedOperationException", "NotFoundException")):
        kms.put_key_policy(KeyId=key["KeyId"], PolicyName="other", Policy="{}")


def test_unknown_key(kms, region, account_id):
    missing = h.key_arn(region, account_id, "00000000-0000-0000-0000-000000000000")
    with raises_aws("NotFoundException"):
        kms.get_key_policy(KeyId=missing)
    with raises_aws("NotFoundException"):
        kms.put_key_policy(KeyId=missing, Policy="{}")


def test_replicas_have_their_own_policy(fresh_account):
    east = fresh_account.client("us-east-1")
    west = fresh_account.client("us-west-2")
    primary = east.create_key(Description="e2e: mrk policy", MultiRegion=True)["KeyMetadata"]
    replica_policy = POLICY % fresh_account.id
    answer = east.replicate_key(KeyId=primary["KeyId"], ReplicaRegion="us-west-2", Policy=replica_policy)
    assert answer["ReplicaPolicy"] == replica_policy
    assert west.get_key_policy(KeyId=primary["KeyId"])["Policy"] == replica_policy
    assert east.get_key_policy(KeyId=primary["KeyId"])["Policy"] == default_policy(fresh_account.id)
    plain = east.replicate_key(KeyId=primary["KeyId"], ReplicaRegion="eu-west-1")
    assert plain["ReplicaPolicy"] == default_policy(fresh_account.id)


def test_cli_put_and_get_key_policy(aws, key, account_id, tmp_path):
    assert aws("kms", "list-key-policies", "--key-id", key["KeyId"])["PolicyNames"] == ["default"]
    assert aws("kms", "get-key-policy", "--key-id", key["KeyId"],
               "--policy-name", "default")["Policy"] == default_policy(account_id)
    policy = POLICY % account_id
    (tmp_path / "policy.json").write_text(policy)
    assert aws("kms", "put-key-policy", "--key-id", key["Arn"], "--policy-name", "default",
               "--policy", "file://policy.json") is None
    assert aws("kms", "get-key-policy", "--key-id", key["KeyId"])["Policy"] == policy
    bad = aws("kms", "put-key-policy", "--key-id", key["KeyId"], "--policy", "nope", raw=True)
    assert bad.returncode != 0 and "MalformedPolicyDocumentException" in bad.stderr
