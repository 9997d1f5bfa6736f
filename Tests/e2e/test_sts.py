"""STS on Trent's port (AWS query protocol, SigV4 scope `sts`): GetCallerIdentity and AssumeRole
with boto3, the AWS CLI and raw signed requests; temporary credentials on KMS calls.

AWS texts asserted here, as real STS/KMS answer them (quoted in public bug reports):
* "Roles may not be assumed by root accounts." (kubeflow/testing#961)
* "User: <arn> is not authorized to perform: sts:AssumeRole on resource: <arn>" (403, e.g.
  Netflix/security_monkey#77, with the ErrorResponse XML shape)
* "The requested DurationSeconds exceeds the MaxSessionDuration set for this role." (kreuzwerker/awsu#27)
* "1 validation error detected: Value '…' at 'roleSessionName' failed to satisfy constraint:
  Member must satisfy regular expression pattern: [\\w+=,.@-]*" (zalando-stups/aws-credentials-service#7)
* ExpiredTokenException "The security token included in the request is expired", HTTP 400, from
  KMS (boto/boto3#1127, getsops/sops#621); STS's ExpiredToken, HTTP 403 (cfn-sphere#55)
"""

import json
import re
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest
import requests

import e2e_helpers as h
import principal_helpers as p
from e2e_helpers import raises_aws

FORM_CT = "application/x-www-form-urlencoded; charset=utf-8"


@pytest.fixture
def root(admin):
    return p.Key(admin.access_key, admin.secret_key)


@pytest.fixture
def alice(data, account_id):
    """A user, and a role only that user may assume."""
    name, key = p.new_user(data, account_id)
    user_arn = f"arn:aws:iam::{account_id}:user/{name}"
    role_arn = p.new_role(data, account_id, user_arn, max_session=7200)
    return {"name": name, "key": key, "arn": user_arn, "role": role_arn}


def signed_form(creds: p.Key, endpoint: str, body: str, region: str = "us-east-1", service: str = "sts"):
    extra = {"X-Amz-Security-Token": creds.token} if creds.token else {}
    prepared = h.sign_request(endpoint, creds.access_key, creds.secret_key, region, None, body.encode(),
                              content_type=FORM_CT, extra_headers=extra, service=service)
    return h.send(prepared, body.encode())


def sts_error(resp: requests.Response) -> tuple[str, str, str]:
    """(Type, Code, Message) of an STS ErrorResponse; checks its shape and request id."""
    assert resp.headers["Content-Type"].startswith("text/xml"), resp.headers
    root = ET.fromstring(resp.content)
    ns = {"s": p.STS_NS}
    assert root.tag == f"{{{p.STS_NS}}}ErrorResponse", resp.text
    assert root.findtext("s:RequestId", namespaces=ns) == resp.headers["x-amzn-RequestId"]
    error = root.find("s:Error", ns)
    return (error.findtext("s:Type", namespaces=ns), error.findtext("s:Code", namespaces=ns),
            error.findtext("s:Message", namespaces=ns))


# --------------------------------------------------------------------------------------
# GetCallerIdentity
# --------------------------------------------------------------------------------------


def test_get_caller_identity_for_the_root(endpoint, root, account_id):
    me = p.sts(endpoint, root).get_caller_identity()
    assert me["Account"] == account_id
    assert me["UserId"] == account_id
    assert me["Arn"] == f"arn:aws:iam::{account_id}:root"
    assert me["ResponseMetadata"]["RequestId"] == h.request_id(me)


def test_the_raw_answer_is_sts_xml(endpoint, root, account_id):
    resp = signed_form(root, endpoint, "Action=GetCallerIdentity&Version=2011-06-15")
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"].startswith("text/xml")
    doc = ET.fromstring(resp.content)
    ns = {"s": p.STS_NS}
    assert doc.tag == f"{{{p.STS_NS}}}GetCallerIdentityResponse"
    assert doc.findtext("s:GetCallerIdentityResult/s:Account", namespaces=ns) == account_id
    assert doc.findtext("s:ResponseMetadata/s:RequestId", namespaces=ns) == resp.headers["x-amzn-RequestId"]


def test_the_aws_cli_speaks_to_trent_sts(endpoint, alice, account_id, tmp_path, region):
    def aws(*args, key: p.Key):
        env_key = dict(access_key=key.access_key, secret_key=key.secret_key)
        proc = h.run_aws(args, endpoint=endpoint, region=region, scratch=tmp_path, **env_key)
        return proc

    me = aws("sts", "get-caller-identity", key=alice["key"])
    assert me.returncode == 0, me.stderr
    assert json.loads(me.stdout)["Arn"] == alice["arn"]

    out = aws("sts", "assume-role", "--role-arn", alice["role"], "--role-session-name", "cli-session",
              "--duration-seconds", "900", key=alice["key"])
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    role_name = alice["role"].split("/")[-1]
    assert answer["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{account_id}:assumed-role/{role_name}/cli-session"
    creds = answer["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")

    # The CLI with the temporary credentials (AWS_SESSION_TOKEN) is the session.
    env = h.cli_env(creds["AccessKeyId"], creds["SecretAccessKey"], region, tmp_path)
    env["AWS_SESSION_TOKEN"] = creds["SessionToken"]
    proc = subprocess.run(h.aws_cli_command() + ["--endpoint-url", endpoint, "--output", "json", "sts", "get-caller-identity"],
                          env=env, capture_output=True, text=True, timeout=90, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["Arn"] == answer["AssumedRoleUser"]["Arn"]
    proc = subprocess.run(h.aws_cli_command() + ["--endpoint-url", endpoint, "--output", "json", "kms", "list-keys"],
                          env=env, capture_output=True, text=True, timeout=90, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr


# --------------------------------------------------------------------------------------
# AssumeRole
# --------------------------------------------------------------------------------------


def test_assume_role_gives_working_temporary_credentials(endpoint, data, alice, account_id):
    before = time.time()
    temporary, answer = p.assume(endpoint, alice["key"], alice["role"], name="boto3-session", DurationSeconds=1800)
    role_name = alice["role"].split("/")[-1]
    assert re.fullmatch(r"ASIA[A-Z2-7]{16}", temporary.access_key)
    assert len(temporary.secret_key) == 40 and temporary.token
    expires = answer["Credentials"]["Expiration"].timestamp()
    assert before + 1800 - 5 <= expires <= time.time() + 1800 + 5
    user = answer["AssumedRoleUser"]
    assert user["Arn"] == f"arn:aws:sts::{account_id}:assumed-role/{role_name}/boto3-session"
    assert re.fullmatch(r"AROA[A-Z2-7]{17}:boto3-session", user["AssumedRoleId"])

    me = p.sts(endpoint, temporary).get_caller_identity()
    assert me["Arn"] == user["Arn"] and me["UserId"] == user["AssumedRoleId"] and me["Account"] == account_id

    # KMS calls work for the session (its role's policy allows them), and are recorded with
    # CloudTrail's AssumedRole identity.
    kms = p.kms(endpoint, temporary)
    key_id = kms.create_key(Description="made by a role session")["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"role data")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"role data"
    record = p.audit_records(data, "--principal", user["Arn"], "--event-name", "Decrypt")[-1]
    identity = record["userIdentity"]
    assert identity["type"] == "AssumedRole"
    assert identity["principalId"] == user["AssumedRoleId"]
    assert identity["accessKeyId"] == temporary.access_key
    issuer = identity["sessionContext"]["sessionIssuer"]
    assert issuer == {"type": "Role", "principalId": user["AssumedRoleId"].split(":")[0], "arn": alice["role"],
                      "accountId": account_id, "userName": role_name}
    assert identity["sessionContext"]["attributes"]["mfaAuthenticated"] == "false"

    # The AssumeRole itself is an STS record that names the role and holds no secret.
    assumed = [r for r in p.audit_records(data, "--event-name", "AssumeRole")
               if r["requestParameters"].get("roleSessionName") == "boto3-session"]
    assert len(assumed) == 1
    assert assumed[0]["eventSource"] == "sts.amazonaws.com"
    assert assumed[0]["userIdentity"]["arn"] == alice["arn"]
    assert assumed[0]["resources"] == [{"ARN": alice["role"], "accountId": account_id, "type": "AWS::IAM::Role"}]
    text = json.dumps(assumed[0])
    assert temporary.secret_key not in text and temporary.token not in text


def test_assume_role_refusals(endpoint, root, alice, data, account_id):
    with raises_aws("AccessDenied", status=403) as err:
        p.assume(endpoint, root, alice["role"])
    assert err.message == p.ROOT_CANNOT_ASSUME

    outsider_name, outsider = p.new_user(data, account_id)
    outsider_arn = f"arn:aws:iam::{account_id}:user/{outsider_name}"
    for target in (alice["role"], f"arn:aws:iam::{account_id}:role/no-such-role"):
        with raises_aws("AccessDenied", status=403) as err:
            p.assume(endpoint, outsider, target)
        assert err.message == f"User: {outsider_arn} is not authorized to perform: sts:AssumeRole on resource: {target}"

    with raises_aws("ValidationError") as err:
        p.assume(endpoint, alice["key"], alice["role"], DurationSeconds=7201)
    assert err.message == "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    with raises_aws("ValidationError") as err:
        p.assume(endpoint, alice["key"], alice["role"], DurationSeconds=899)
    assert err.message == ("1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy "
                           "constraint: Member must have value greater than or equal to 900")
    with raises_aws("ValidationError") as err:
        p.assume(endpoint, alice["key"], alice["role"], name="not/allowed")
    assert err.message == ("1 validation error detected: Value 'not/allowed' at 'roleSessionName' failed to "
                           "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*")
    with raises_aws("ValidationError") as err:
        p.assume(endpoint, alice["key"], alice["role"], Policy='{"Version": "2012-10-17", "Statement": []}')
    assert "does not support session policies" in err.message


def test_a_session_ends_with_its_role(endpoint, data, alice, account_id):
    temporary, _ = p.assume(endpoint, alice["key"], alice["role"])
    p.kms(endpoint, temporary).list_keys(Limit=1)
    p.iam_ok(data, "delete-role", "--account", account_id, "--name", alice["role"].split("/")[-1])
    with raises_aws("UnrecognizedClientException") as err:
        p.kms(endpoint, temporary).list_keys(Limit=1)
    assert err.message == p.INVALID_TOKEN
    with raises_aws("AccessDenied", status=403):
        p.assume(endpoint, alice["key"], alice["role"])


def test_trust_through_the_account_needs_an_identity_policy(endpoint, data, account_id):
    name, key = p.new_user(data, account_id)
    role_arn = p.new_role(data, account_id, f"arn:aws:iam::{account_id}:root")
    with raises_aws("AccessDenied", status=403):
        p.assume(endpoint, key, role_arn)
    p.iam_ok(data, "put-user-policy", "--account", account_id, "--name", name, "--policy-name", "assume",
             "--document", json.dumps({"Version": "2012-10-17", "Statement": [
                 {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}]}))
    temporary, _ = p.assume(endpoint, key, role_arn)  # at once, no restart
    assert p.sts(endpoint, temporary).get_caller_identity()["Arn"].startswith(f"arn:aws:sts::{account_id}:assumed-role/")
    p.iam_ok(data, "delete-user-policy", "--account", account_id, "--name", name, "--policy-name", "assume")
    with raises_aws("AccessDenied", status=403):
        p.assume(endpoint, key, role_arn)


# --------------------------------------------------------------------------------------
# Temporary credentials refused
# --------------------------------------------------------------------------------------


def test_a_tampered_or_misplaced_session_token_is_refused(endpoint, alice):
    temporary, _ = p.assume(endpoint, alice["key"], alice["role"])
    other, _ = p.assume(endpoint, alice["key"], alice["role"], name="other")
    token = temporary.token
    middle = len(token) // 2
    flipped = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1:]
    for bad in (p.Key(temporary.access_key, temporary.secret_key, flipped),
                p.Key(temporary.access_key, temporary.secret_key, other.token),
                p.Key(temporary.access_key, temporary.secret_key, "not-a-token"),
                p.Key(temporary.access_key, temporary.secret_key, None),
                p.Key(alice["key"].access_key, alice["key"].secret_key, token)):
        with raises_aws("UnrecognizedClientException") as err:
            p.kms(endpoint, bad).list_keys(Limit=1)
        assert err.message == p.INVALID_TOKEN, bad
        with raises_aws("InvalidClientTokenId", status=403) as err:
            p.sts(endpoint, bad).get_caller_identity()
        assert err.message == p.INVALID_TOKEN
    # The right secret matters too: a valid token does not stand in for the signature.
    wrong_secret = p.Key(temporary.access_key, "x" * 40, token)
    with raises_aws("InvalidSignatureException"):
        p.kms(endpoint, wrong_secret).list_keys(Limit=1)
    with raises_aws("SignatureDoesNotMatch", status=403):
        p.sts(endpoint, wrong_secret).get_caller_identity()
    # Expiry cannot be waited for here (AWS's shortest session is 900 s): the Swift tests
    # (STSWireTests, PrincipalResolutionTests) move an injected clock past it instead.


# --------------------------------------------------------------------------------------
# The query protocol's faults
# --------------------------------------------------------------------------------------


def test_protocol_faults_are_sts_error_responses(endpoint, root, data):
    resp = signed_form(root, endpoint, "Action=GetFederationToken&Version=2011-06-15&Name=x")
    assert resp.status_code == 400
    assert sts_error(resp) == ("Sender", "InvalidAction", "Could not find operation GetFederationToken for version 2011-06-15")

    resp = signed_form(root, endpoint, "Action=GetCallerIdentity&Version=2011-06-15", service="kms")
    assert resp.status_code == 403
    kind, code, message = sts_error(resp)
    assert (kind, code) == ("Sender", "SignatureDoesNotMatch")
    assert "Credential should be scoped to correct service: 'sts'" in message

    resp = requests.post(endpoint + "/", data=b"Action=GetCallerIdentity&Version=2011-06-15",
                         headers={"Content-Type": FORM_CT}, timeout=30)
    assert resp.status_code == 403
    assert sts_error(resp)[1] == "MissingAuthenticationToken"

    # Every one of them is in the trail, as an STS record with STS's code.
    records = p.audit_records(data, "--error-code", "InvalidAction")
    assert any(r["eventName"] == "GetFederationToken" and r["eventSource"] == "sts.amazonaws.com" for r in records)



def test_dev_mode_answers_sts_as_the_account_root(dev_server):
    account = h.random_account()
    me = p.sts(dev_server.endpoint, p.Key(account, "anything")).get_caller_identity()
    assert (me["Account"], me["UserId"], me["Arn"]) == (account, account, f"arn:aws:iam::{account}:root")
    # Everyone is a root in dev mode, and roots do not assume roles.
    with raises_aws("AccessDenied", status=403) as err:
        p.assume(dev_server.endpoint, p.Key(account, "anything"), f"arn:aws:iam::{account}:role/any")
    assert err.message == p.ROOT_CANNOT_ASSUME
