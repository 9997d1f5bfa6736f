"""Authenticated mode: SigV4 verification, printed credentials, request ids, Region namespaces."""

import datetime
import re
import uuid

import requests

import e2e_helpers as h
from e2e_helpers import raises_aws

# Real AWS texts (widely reported verbatim by SDK users for JSON-protocol services, e.g.
# aws/aws-sdk-js#254, boto/botocore#3587 for the expiry format).
SIGNATURE_MISMATCH = ("The request signature we calculated does not match the signature you "
                      "provided. Check your AWS Secret Access Key and signing method.")
UNRECOGNIZED_CLIENT = "The security token included in the request is invalid."
EXPIRED_RE = re.compile(r"^Signature expired: (\d{8}T\d{6}Z) is now earlier than "
                        r"(\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - (\d+) min\.\)$")
NOT_YET_RE = re.compile(r"^Signature not yet current: (\d{8}T\d{6}Z) is still later than "
                        r"(\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) \+ (\d+) min\.\)$")
SHELL_SAFE = re.compile(r"^[A-Za-z0-9/+=._:-]+$")


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


# --------------------------------------------------------------------------------------
# Printed credentials
# --------------------------------------------------------------------------------------


def test_first_start_prints_credentials(auth_server, admin):
    assert len(admin.access_key) == 20, admin.access_key
    assert len(admin.secret_key) == 40
    assert SHELL_SAFE.match(admin.access_key)
    assert SHELL_SAFE.match(admin.secret_key), "secret is not safe to paste into a shell"
    assert admin.region == "us-east-1"
    assert admin.endpoint == auth_server.endpoint
    lines = auth_server.stdout().splitlines()
    for name, value in (("AWS_ACCESS_KEY_ID", admin.access_key),
                        ("AWS_SECRET_ACCESS_KEY", admin.secret_key),
                        ("AWS_REGION", "us-east-1"),
                        ("AWS_ENDPOINT_URL", auth_server.endpoint)):
        assert lines.count(f"export {name}={value}") == 1, name


def test_admin_credentials_work(kms, account_id, region):
    meta = kms.create_key()["KeyMetadata"]
    assert meta["AWSAccountId"] == account_id
    assert meta["Arn"].startswith(f"arn:aws:kms:{region}:{account_id}:key/")


# --------------------------------------------------------------------------------------
# Bad credentials
# --------------------------------------------------------------------------------------


def test_wrong_secret_is_invalid_signature(admin):
    bad = h.make_kms(admin.endpoint, admin.access_key, "x" * 40, admin.region)
    with raises_aws("InvalidSignatureException") as err:
        bad.list_keys()
    assert SIGNATURE_MISMATCH in err.message, err.message


def test_wrong_secret_cannot_create_anything(admin, kms):
    before = {k["KeyId"] for p in kms.get_paginator("list_keys").paginate() for k in p["Keys"]}
    last = "B" if admin.secret_key.endswith("A") else "A"
    almost = admin.secret_key[:-1] + last  # one character off
    bad = h.make_kms(admin.endpoint, admin.access_key, almost, admin.region)
    with raises_aws("InvalidSignatureException"):
        bad.create_key(Description="must not exist")
    after = {k["KeyId"] for p in kms.get_paginator("list_keys").paginate() for k in p["Keys"]}
    assert after == before


def test_unknown_access_key_is_unrecognized_client(admin):
    bad = h.make_kms(admin.endpoint, "AKIAIOSFODNN7EXAMPLE",
                     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", admin.region)
    with raises_aws("UnrecognizedClientException") as err:
        bad.list_keys()
    assert err.message == UNRECOGNIZED_CLIENT


def test_dev_style_access_key_is_not_accepted_in_authenticated_mode(admin):
    bad = h.make_kms(admin.endpoint, "111122223333", "anything", admin.region)
    with raises_aws("UnrecognizedClientException"):
        bad.list_keys()


def test_missing_authorization_header(admin):
    resp = requests.post(admin.endpoint + "/", data=b"{}", timeout=30, headers={
        "Content-Type": h.JSON_CT, "X-Amz-Target": "TrentService.ListKeys"})
    # AWS JSON services answer 400 here; API Gateway-fronted ones 403. Either is AWS-shaped.
    message = h.assert_aws_error(resp, "MissingAuthenticationTokenException", status=(400, 403))
    # Texts seen from AWS: "Missing Authentication Token" / "Request is missing Authentication
    # Token" (architect/dynalite#105 quotes the latter from DynamoDB).
    assert "missing authentication token" in message.lower(), message


def test_malformed_authorization_header(admin):
    resp = requests.post(admin.endpoint + "/", data=b"{}", timeout=30, headers={
        "Content-Type": h.JSON_CT, "X-Amz-Target": "TrentService.ListKeys",
        "X-Amz-Date": utcnow().strftime("%Y%m%dT%H%M%SZ"),
        "Authorization": "AWS4-HMAC-SHA256 this-is-not-a-signature"})
    h.assert_aws_error(resp, ("IncompleteSignatureException", "InvalidSignatureException"))


def test_signature_for_another_service_is_refused(admin):
    resp = h.signed_post(admin, "TrentService.ListKeys", {}, service="s3")
    h.assert_aws_error(resp, ("InvalidSignatureException", "IncompleteSignatureException"))


# --------------------------------------------------------------------------------------
# Clock skew and tampering (raw SigV4 via botocore.auth.SigV4Auth)
# --------------------------------------------------------------------------------------


def test_signed_raw_request_works(admin):
    resp = h.signed_post(admin, "TrentService.ListKeys", {})
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"].startswith(h.JSON_CT)
    body = resp.json()
    assert isinstance(body["Keys"], list)
    assert resp.headers.get("x-amzn-RequestId")


def test_small_clock_skew_is_tolerated(admin):
    resp = h.signed_post(admin, "TrentService.ListKeys", {},
                         when=utcnow() - datetime.timedelta(minutes=2))
    assert resp.status_code == 200, resp.text


def test_expired_signature(admin):
    when = utcnow() - datetime.timedelta(minutes=10)
    body = b"{}"
    prepared = h.sign_request(admin.endpoint, admin.access_key, admin.secret_key, admin.region,
                              "TrentService.ListKeys", body, when=when)
    resp = h.send(prepared, body)
    message = h.assert_aws_error(resp, "InvalidSignatureException")
    match = EXPIRED_RE.match(message)
    assert match, f"not AWS's 'Signature expired' text: {message!r}"
    assert match.group(1) == prepared.headers["X-Amz-Date"]
    assert match.group(1) < match.group(2) < match.group(3)


def test_signature_from_the_future(admin):
    when = utcnow() + datetime.timedelta(minutes=10)
    resp = h.signed_post(admin, "TrentService.ListKeys", {}, when=when)
    message = h.assert_aws_error(resp, "InvalidSignatureException")
    assert NOT_YET_RE.match(message), f"not AWS's 'Signature not yet current' text: {message!r}"


def test_tampered_body_is_invalid_signature(admin):
    signed_body = b'{"Description": "what I signed"}'
    prepared = h.sign_request(admin.endpoint, admin.access_key, admin.secret_key, admin.region,
                              "TrentService.CreateKey", signed_body)
    resp = h.send(prepared, b'{"Description": "what I sent!!"}')
    h.assert_aws_error(resp, "InvalidSignatureException")


def test_tampered_target_header_is_invalid_signature(admin):
    body = b"{}"
    prepared = h.sign_request(admin.endpoint, admin.access_key, admin.secret_key, admin.region,
                              "TrentService.ListKeys", body)
    headers = dict(prepared.headers.items())
    headers["X-Amz-Target"] = "TrentService.CreateKey"
    resp = requests.post(prepared.url, data=body, headers=headers, timeout=30)
    h.assert_aws_error(resp, "InvalidSignatureException")


# --------------------------------------------------------------------------------------
# Request ids
# --------------------------------------------------------------------------------------


def test_every_response_has_a_unique_request_id(kms):
    ids = [h.request_id(kms.list_keys(Limit=1)) for _ in range(5)]
    assert all(ids), ids
    assert len(set(ids)) == 5
    resp = kms.list_keys(Limit=1)
    assert resp["ResponseMetadata"]["RequestId"] == h.request_id(resp)


def test_error_responses_have_request_id(kms):
    with raises_aws("NotFoundException") as err:
        kms.describe_key(KeyId=str(uuid.uuid4()))
    assert err.response["ResponseMetadata"].get("RequestId")


# --------------------------------------------------------------------------------------
# Regions are separate namespaces, also for the admin
# --------------------------------------------------------------------------------------


def test_region_comes_from_credential_scope(admin, kms, account_id):
    eu = h.make_kms(admin.endpoint, admin.access_key, admin.secret_key, "eu-west-1")
    meta = eu.create_key()["KeyMetadata"]
    assert meta["Arn"] == h.key_arn("eu-west-1", account_id, meta["KeyId"])
    assert meta["AWSAccountId"] == account_id

    # Invisible from us-east-1 (message: localstack snapshot test_get_key_in_different_region).
    with raises_aws("NotFoundException") as err:
        kms.describe_key(KeyId=meta["KeyId"])
    assert err.message == f"Key '{h.key_arn('us-east-1', account_id, meta['KeyId'])}' does not exist"
    us_ids = {k["KeyId"] for p in kms.get_paginator("list_keys").paginate() for k in p["Keys"]}
    assert meta["KeyId"] not in us_ids
    with raises_aws("NotFoundException"):
        kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")
    # A ciphertext made in eu-west-1 does not decrypt in us-east-1.
    blob = eu.encrypt(KeyId=meta["KeyId"], Plaintext=b"eu only")["CiphertextBlob"]
    with raises_aws(("NotFoundException", "InvalidCiphertextException")):
        kms.decrypt(CiphertextBlob=blob)
    assert eu.decrypt(CiphertextBlob=blob)["Plaintext"] == b"eu only"
