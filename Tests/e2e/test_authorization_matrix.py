"""The authorization matrix: every principal tries every operation on keys with a default, a
restrictive, a shared (cross-account) and a context-conditioned policy, through boto3 against a
real server. Each expected decision is written down below; the test reports every unexpected
allow and every unexpected denial at once, and passes only when there are none.

Principals (account A is the administrator's; B is made with `trent iam create-account`):
  root        A's root user (the first-start administrator)
  keyadmin    IAM user of A, no identity policies; named as key administrator by the restrictive policy
  keyuser     IAM user of A, no identity policies; named as key user by the restrictive policy
  iamuser     IAM user of A whose identity policy allows Encrypt, Decrypt, GenerateDataKey, DescribeKey on "*"
  outsider    IAM user of A with nothing
  role        a session of role `app` of A (trusting keyuser), no identity policies
  b_root      B's root user
  b_user      IAM user of B whose identity policy allows Encrypt, Decrypt, DescribeKey on A's keys

AWS's rules that decide the table (KMS Developer Guide, "Determining access to a KMS key"):
  * the key policy must allow the principal, or allow its account so that an identity policy decides;
  * without a key policy statement for the account, even A's root user is refused;
  * a principal of another account needs the key policy AND its own identity policy (its root needs none).
"""

from __future__ import annotations

import json
import subprocess

import pytest
from botocore.exceptions import ClientError

import e2e_helpers as h
import principal_helpers as p

USE = {"Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncrypt"}
READ = {"DescribeKey", "GetKeyPolicy", "ListKeyPolicies", "ListGrants", "ListResourceTags", "GetKeyRotationStatus",
        "ListKeyRotations"}
# Each state change is undone by the same principal in the same attempt (see World.attempt).
ADMIN = {"PutKeyPolicy", "UpdateKeyDescription", "TagResource", "UntagResource", "CreateGrant", "DisableKey",
         "EnableKeyRotation", "ScheduleKeyDeletion"}
ALL = USE | READ | ADMIN
PRINCIPALS = ["root", "keyadmin", "keyuser", "iamuser", "outsider", "role", "b_root", "b_user"]
CONTEXT = {"app": "payments"}

ADMIN_ACTIONS = ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                 "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource",
                 "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"]
USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]

# What each principal may do on each key. Anything not listed must be AccessDeniedException.
EXPECTED = {
    # Default policy: A's root may do everything; A's users only what their identity policy allows.
    "default": {
        "root": ALL,
        "iamuser": {"Encrypt", "Decrypt", "GenerateDataKey", "DescribeKey"},
    },
    # Key administrators apart from key users, and no statement for the account: A's root is out.
    "restrictive": {
        "keyadmin": READ | ADMIN,
        "keyuser": USE | {"DescribeKey"},
    },
    # Shared with account B: B's root needs nothing more; B's user also needs its identity policy.
    "shared": {
        "root": ALL,
        "iamuser": {"Encrypt", "Decrypt", "GenerateDataKey", "DescribeKey"},
        "b_root": USE | {"DescribeKey"},
        "b_user": {"Encrypt", "Decrypt", "DescribeKey"},
    },
    # The role may use the key only with the encryption context app=payments (the matrix sends it).
    "context": {
        "root": ALL,
        "iamuser": {"Encrypt", "Decrypt", "GenerateDataKey", "DescribeKey"},
        "role": USE | {"DescribeKey"},
    },
}


def statement(sid, principal, actions, condition=None):
    s = {"Sid": sid, "Effect": "Allow", "Principal": {"AWS": principal}, "Action": actions, "Resource": "*"}
    if condition:
        s["Condition"] = condition
    return s


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


class World:
    """Everyone and everything of the matrix, made once."""

    def __init__(self, auth_server, admin, kms, account_id):
        self.endpoint = admin.endpoint
        self.data = auth_server.data_dir
        self.a = account_id
        self.clients = {"root": kms}
        self.arns = {"root": f"arn:aws:iam::{account_id}:root"}
        for name in ["keyadmin", "keyuser", "iamuser", "outsider"]:
            user, key = p.new_user(self.data, self.a, kms=False)
            self.clients[name] = p.kms(self.endpoint, key)
            self.arns[name] = f"arn:aws:iam::{self.a}:user/{user}"
            if name == "keyuser":
                self.keyuser_key = key
            if name == "iamuser":
                p.iam_ok(self.data, "put-user-policy", "--account", self.a, "--name", user, "--policy-name", "kms-use",
                         "--document", policy_document(["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey",
                                                        "kms:DescribeKey"], "*"))
        self.role_arn = p.new_role(self.data, self.a, self.arns["keyuser"], kms=False)
        session_key, answer = p.assume(self.endpoint, self.keyuser_key, self.role_arn, name="matrix")
        self.clients["role"] = p.kms(self.endpoint, session_key)
        self.arns["role"] = answer["AssumedRoleUser"]["Arn"]

        made = p.exports(p.iam_ok(self.data, "create-account"))
        b_root = p.Key(made["AWS_ACCESS_KEY_ID"], made["AWS_SECRET_ACCESS_KEY"])
        self.b = p.sts(self.endpoint, b_root).get_caller_identity()["Account"]
        self.clients["b_root"] = p.kms(self.endpoint, b_root)
        self.arns["b_root"] = f"arn:aws:iam::{self.b}:root"
        b_user, b_user_key = p.new_user(self.data, self.b, kms=False)
        p.iam_ok(self.data, "put-user-policy", "--account", self.b, "--name", b_user, "--policy-name", "use-a",
                 "--document", policy_document(["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
                                               f"arn:aws:kms:*:{self.a}:key/*"))
        self.clients["b_user"] = p.kms(self.endpoint, b_user_key)
        self.arns["b_user"] = f"arn:aws:iam::{self.b}:user/{b_user}"

        root_arn = self.arns["root"]
        self.policies = {
            "default": None,
            "restrictive": policy(statement("Key administrators", self.arns["keyadmin"], ADMIN_ACTIONS),
                                  statement("Key users", self.arns["keyuser"], USE_ACTIONS)),
            "shared": policy(statement("Owner", root_arn, "kms:*"),
                             statement("Account B", self.b, ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
                                                             "kms:GenerateDataKey*", "kms:DescribeKey"])),
            "context": policy(statement("Owner", root_arn, "kms:*"),
                              statement("App describes", self.role_arn, "kms:DescribeKey"),
                              statement("App uses with its context", self.role_arn,
                                        ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
                                        {"StringEquals": {"kms:EncryptionContext:app": "payments"}})),
        }
        self.keys, self.blobs = {}, {}
        for name, text in self.policies.items():
            args = {"Description": f"matrix {name}"}
            if text:
                # The restrictive policy leaves out the creator on purpose.
                args.update(Policy=text, BypassPolicyLockoutSafetyCheck=True)
            arn = kms.create_key(**args)["KeyMetadata"]["Arn"]
            self.keys[name] = arn
            if text is None:
                self.policies[name] = kms.get_key_policy(KeyId=arn, PolicyName="default")["Policy"]
            encryptor = self.clients["keyuser" if name == "restrictive" else "root"]
            self.blobs[name] = encryptor.encrypt(KeyId=arn, Plaintext=b"matrix", EncryptionContext=CONTEXT)[
                "CiphertextBlob"]

    def attempt(self, principal: str, key: str, operation: str):
        c, arn, blob = self.clients[principal], self.keys[key], self.blobs[key]
        calls = {
            "Encrypt": lambda: c.encrypt(KeyId=arn, Plaintext=b"m", EncryptionContext=CONTEXT),
            "Decrypt": lambda: c.decrypt(CiphertextBlob=blob, EncryptionContext=CONTEXT),
            "GenerateDataKey": lambda: c.generate_data_key(KeyId=arn, KeySpec="AES_256", EncryptionContext=CONTEXT),
            "ReEncrypt": lambda: c.re_encrypt(CiphertextBlob=blob, SourceEncryptionContext=CONTEXT,
                                              DestinationKeyId=arn, DestinationEncryptionContext=CONTEXT),
            "DescribeKey": lambda: c.describe_key(KeyId=arn),
            "GetKeyPolicy": lambda: c.get_key_policy(KeyId=arn, PolicyName="default"),
            "ListGrants": lambda: c.list_grants(KeyId=arn),
            "PutKeyPolicy": lambda: c.put_key_policy(KeyId=arn, PolicyName="default", Policy=self.policies[key]),
            "UpdateKeyDescription": lambda: c.update_key_description(KeyId=arn, Description=f"matrix {key}"),
            "TagResource": lambda: c.tag_resource(KeyId=arn, Tags=[{"TagKey": "matrix", "TagValue": principal}]),
            # A grantee nobody signs as, so the grants made here change no other decision.
            "CreateGrant": lambda: c.create_grant(KeyId=arn, GranteePrincipal=f"arn:aws:iam::{self.a}:user/nobody",
                                                  Operations=["DescribeKey"]),
            "GenerateDataKeyWithoutPlaintext": lambda: c.generate_data_key_without_plaintext(
                KeyId=arn, KeySpec="AES_256", EncryptionContext=CONTEXT),
            "ListKeyPolicies": lambda: c.list_key_policies(KeyId=arn),
            "ListResourceTags": lambda: c.list_resource_tags(KeyId=arn),
            "GetKeyRotationStatus": lambda: c.get_key_rotation_status(KeyId=arn),
            "ListKeyRotations": lambda: c.list_key_rotations(KeyId=arn),
            "UntagResource": lambda: c.untag_resource(KeyId=arn, TagKeys=["matrix"]),
            "DisableKey": lambda: (c.disable_key(KeyId=arn), c.enable_key(KeyId=arn)),
            "EnableKeyRotation": lambda: (c.enable_key_rotation(KeyId=arn), c.disable_key_rotation(KeyId=arn)),
            # A cancelled deletion leaves the key disabled, as in AWS.
            "ScheduleKeyDeletion": lambda: (c.schedule_key_deletion(KeyId=arn, PendingWindowInDays=7),
                                            c.cancel_key_deletion(KeyId=arn), c.enable_key(KeyId=arn)),
        }
        try:
            calls[operation]()
            return "allow", None
        except ClientError as e:
            return e.response["Error"]["Code"], e.response["Error"]["Message"]


def policy_document(actions, resource):
    return json.dumps({"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}]})


@pytest.fixture(scope="module")
def world(auth_server, admin, kms, account_id):
    return World(auth_server, admin, kms, account_id)


def test_the_matrix_has_no_unexpected_allow_and_no_unexpected_denial(world):
    unexpected = []
    tried = 0
    for key, allowed in EXPECTED.items():
        for principal in PRINCIPALS:
            for operation in sorted(ALL):
                expected = "allow" if operation in allowed.get(principal, set()) else "AccessDeniedException"
                outcome, message = world.attempt(principal, key, operation)
                tried += 1
                if outcome != expected:
                    unexpected.append(f"{principal:9} {operation:20} on {key:11}: expected {expected}, got {outcome} "
                                      f"{message or ''}")
    assert tried == len(EXPECTED) * len(PRINCIPALS) * len(ALL)
    assert not unexpected, f"{len(unexpected)} of {tried} decisions unexpected:\n" + "\n".join(unexpected)


def test_denials_say_who_what_which_resource_and_why(world):
    key = world.keys["restrictive"]
    code, message = world.attempt("iamuser", "restrictive", "Encrypt")
    assert code == "AccessDeniedException"
    assert message == (f"User: {world.arns['iamuser']} is not authorized to perform: kms:Encrypt on resource: {key} "
                       "because no resource-based policy allows the kms:Encrypt action")
    code, message = world.attempt("keyadmin", "default", "Decrypt")
    assert message == (f"User: {world.arns['keyadmin']} is not authorized to perform: kms:Decrypt on resource: "
                       f"{world.keys['default']} because no identity-based policy allows the kms:Decrypt action")


def test_a_key_user_cannot_change_the_key_policy_and_an_administrator_cannot_decrypt(world):
    assert world.attempt("keyuser", "restrictive", "PutKeyPolicy")[0] == "AccessDeniedException"
    assert world.attempt("keyadmin", "restrictive", "PutKeyPolicy")[0] == "allow"
    assert world.attempt("keyadmin", "restrictive", "Decrypt")[0] == "AccessDeniedException"
    assert world.attempt("keyuser", "restrictive", "Decrypt")[0] == "allow"


def test_the_context_condition_admits_only_its_context(world):
    role, key = world.clients["role"], world.keys["context"]
    role.encrypt(KeyId=key, Plaintext=b"ok", EncryptionContext=CONTEXT)
    for context in [{"app": "billing"}, {}, {"other": "payments"}, {"app": "Payments"}]:
        with h.raises_aws("AccessDeniedException"):
            role.encrypt(KeyId=key, Plaintext=b"no", EncryptionContext=context)
    # Condition key names ignore case, the context key inside them included (AWS KMS Developer
    # Guide, kms:EncryptionContext:context-key); values do not.
    role.encrypt(KeyId=key, Plaintext=b"ok", EncryptionContext={"App": "payments"})


def test_a_constrained_grant_allows_only_matching_contexts_and_revocation_is_immediate(world):
    admin, outsider, key = world.clients["keyadmin"], world.clients["outsider"], world.keys["restrictive"]
    grant = admin.create_grant(KeyId=key, GranteePrincipal=world.arns["outsider"],
                               Operations=["Encrypt", "Decrypt"],
                               Constraints={"EncryptionContextEquals": {"tenant": "t1"}})
    blob = outsider.encrypt(KeyId=key, Plaintext=b"granted", EncryptionContext={"tenant": "t1"})["CiphertextBlob"]
    assert outsider.decrypt(CiphertextBlob=blob, EncryptionContext={"tenant": "t1"})["Plaintext"] == b"granted"
    for context in [{"tenant": "t2"}, {"tenant": "t1", "extra": "x"}, {}]:
        with h.raises_aws("AccessDeniedException"):
            outsider.encrypt(KeyId=key, Plaintext=b"no", EncryptionContext=context)
    with h.raises_aws("AccessDeniedException"):
        outsider.generate_data_key(KeyId=key, KeySpec="AES_256", EncryptionContext={"tenant": "t1"})
    admin.revoke_grant(KeyId=key, GrantId=grant["GrantId"])
    with h.raises_aws("AccessDeniedException"):
        outsider.decrypt(CiphertextBlob=blob, EncryptionContext={"tenant": "t1"})
    # The server keeps a key's grants in memory once read: a new grant counts at once too.
    admin.create_grant(KeyId=key, GranteePrincipal=world.arns["outsider"], Operations=["Decrypt"])
    assert outsider.decrypt(CiphertextBlob=blob, EncryptionContext={"tenant": "t1"})["Plaintext"] == b"granted"


def test_an_unconstrained_grant_reaches_another_account_without_identity_policy(world):
    key = world.keys["default"]
    b_user = world.clients["b_user"]
    with h.raises_aws("AccessDeniedException"):
        b_user.generate_data_key(KeyId=key, KeySpec="AES_256")
    grant = world.clients["root"].create_grant(KeyId=key, GranteePrincipal=world.arns["b_user"],
                                               Operations=["GenerateDataKey"])
    assert len(b_user.generate_data_key(KeyId=key, KeySpec="AES_256")["Plaintext"]) == 32
    world.clients["root"].revoke_grant(KeyId=key, GrantId=grant["GrantId"])
    with h.raises_aws("AccessDeniedException"):
        b_user.generate_data_key(KeyId=key, KeySpec="AES_256")


def test_an_explicit_deny_in_an_identity_policy_wins_over_the_key_policy(world):
    name = world.arns["keyuser"].rsplit("/", 1)[1]
    deny = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}]})
    p.iam_ok(world.data, "put-user-policy", "--account", world.a, "--name", name, "--policy-name", "no-decrypt",
             "--document", deny)
    try:
        code, message = world.attempt("keyuser", "restrictive", "Decrypt")
        assert code == "AccessDeniedException"
        assert message.endswith("with an explicit deny in an identity-based policy")
        assert world.attempt("keyuser", "restrictive", "Encrypt")[0] == "allow"
    finally:
        p.iam_ok(world.data, "delete-user-policy", "--account", world.a, "--name", name, "--policy-name", "no-decrypt")
    assert world.attempt("keyuser", "restrictive", "Decrypt")[0] == "allow"


def test_list_keys_and_list_aliases_stay_per_account(world):
    b_keys = {k["KeyArn"] for k in world.clients["b_root"].list_keys()["Keys"]}
    assert not b_keys & set(world.keys.values())
    with h.raises_aws("AccessDeniedException"):
        world.clients["outsider"].list_keys()


def test_dev_mode_applies_policies_to_the_account_the_access_key_names(dev_kms):
    owner, other = h.random_account(), h.random_account()
    a, b = dev_kms(owner), dev_kms(other)
    private = a.create_key(Description="dev private")["KeyMetadata"]["Arn"]
    with h.raises_aws("AccessDeniedException"):
        b.encrypt(KeyId=private, Plaintext=b"x")
    shared = a.create_key(Description="dev shared", Policy=policy(
        statement("Owner", f"arn:aws:iam::{owner}:root", "kms:*"),
        statement("Other", other, ["kms:Encrypt", "kms:Decrypt"])))["KeyMetadata"]["Arn"]
    blob = b.encrypt(KeyId=shared, Plaintext=b"across")["CiphertextBlob"]
    assert a.decrypt(CiphertextBlob=blob)["Plaintext"] == b"across"
    with h.raises_aws("AccessDeniedException"):
        b.describe_key(KeyId=shared)


def simulate(world, *args):
    cmd = [str(h.trent_binary()), "policy", "simulate", "--data", str(world.data), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_the_policy_simulator_agrees_with_the_server_and_says_what_decided(world):
    restrictive, context = world.keys["restrictive"], world.keys["context"]
    allowed = simulate(world, "--principal", world.arns["keyuser"], "--action", "kms:Decrypt", "--key", restrictive)
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.splitlines()[0] == "allowed"
    assert 'key policy statement "Key users"' in allowed.stdout

    denied = simulate(world, "--principal", world.arns["keyadmin"], "--action", "kms:Decrypt", "--key", restrictive)
    assert denied.returncode == 1
    assert denied.stdout.splitlines()[0] == "denied"
    assert (f"AccessDeniedException: User: {world.arns['keyadmin']} is not authorized to perform: kms:Decrypt on "
            f"resource: {restrictive} because no resource-based policy allows the kms:Decrypt action") in denied.stdout

    # A role is simulated as a session of it; the encryption context decides.
    role = ["--principal", world.role_arn, "--action", "kms:Encrypt", "--key", context]
    assert simulate(world, *role, "--context", "app=payments").returncode == 0
    assert simulate(world, *role, "--context", "app=billing").returncode == 1
    assert simulate(world, *role).returncode == 1

    # Identity policies through the default policy's delegation, and actions without a key.
    iamuser = ["--principal", world.arns["iamuser"]]
    delegated = simulate(world, *iamuser, "--action", "kms:Encrypt", "--key", world.keys["default"])
    assert delegated.returncode == 0 and 'identity policy "kms-use"' in delegated.stdout
    assert simulate(world, *iamuser, "--action", "kms:CreateKey").returncode == 1
    assert simulate(world, "--principal", world.arns["root"], "--action", "kms:CreateKey").returncode == 0

    mistake = simulate(world, "--principal", f"arn:aws:iam::{world.a}:user/nobody-here", "--action", "kms:Encrypt",
                       "--key", restrictive)
    assert mistake.returncode == 2 and "no such principal" in mistake.stderr
