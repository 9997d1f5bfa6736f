"""The JSON 1.1 wire protocol, driven with raw HTTP signed by botocore's SigV4Auth."""

import base64
import concurrent.futures
import http.client
import json
import os
import re
import socket
import time

import pytest
import requests

import e2e_helpers as h
from e2e_helpers import raises_aws

T = h.TARGET_PREFIX


def assert_alive(kms):
    assert kms.list_keys(Limit=1)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_success_response_shape(admin):
    resp = h.signed_post(admin, T + "GenerateRandom", {"NumberOfBytes": 16})
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"].startswith(h.JSON_CT)
    assert resp.headers.get("x-amzn-RequestId")
    body = resp.json()
    assert len(base64.b64decode(body["Plaintext"])) == 16


def test_error_response_shape(admin):
    resp = h.signed_post(admin, T + "DescribeKey", {"KeyId": "00000000-0000-0000-0000-000000000000"})
    assert resp.status_code == 400
    assert resp.headers["Content-Type"].startswith(h.JSON_CT)
    assert resp.headers.get("x-amzn-RequestId")
    body = resp.json()
    assert body["__type"].split("#")[-1] == "NotFoundException"
    assert isinstance(body.get("message", body.get("Message")), str)


def test_unknown_operation(admin, kms):
    resp = h.signed_post(admin, T + "FrobnicateKey", {})
    h.assert_aws_error(resp, "UnknownOperationException", status=400)
    assert_alive(kms)


def test_unknown_target_prefix(admin):
    resp = h.signed_post(admin, "SomeOtherService.ListKeys", {})
    h.assert_aws_error(resp, "UnknownOperationException", status=400)


def test_missing_target_header(admin):
    resp = h.signed_post(admin, None, {})
    assert 400 <= resp.status_code < 500, resp.status_code
    h.aws_error_of(resp)
    assert resp.headers.get("x-amzn-RequestId")


@pytest.mark.parametrize("body", [b"{not json", b"{", b'{"Limit": }', b"just text",
                                  b'{"Limit": 5,}'])
def test_malformed_json_is_serialization_error(admin, kms, body):
    resp = h.signed_post(admin, T + "ListKeys", body)
    h.assert_aws_error(resp, "SerializationException", status=400)
    assert_alive(kms)


@pytest.mark.parametrize("target,body", [
    ("ListKeys", {"Limit": "ten"}),
    ("GenerateRandom", {"NumberOfBytes": "abc"}),
    ("ScheduleKeyDeletion", {"KeyId": "00000000-0000-0000-0000-000000000000",
                             "PendingWindowInDays": "seven"}),
])
def test_string_where_integer_expected_is_serialization_error(admin, target, body):
    resp = h.signed_post(admin, T + target, body)
    h.assert_aws_error(resp, "SerializationException", status=400)


def test_missing_required_member_is_validation_error(admin):
    resp = h.signed_post(admin, T + "DescribeKey", {})
    message = h.assert_aws_error(resp, "ValidationException", status=400)
    # AWS's request-validation wording: "1 validation error detected: Value null at 'keyId'
    # failed to satisfy constraint: Member must not be null" (format of the sourced
    # numberOfBytes/plaintext messages; the null variant itself is not from a recorded response).
    assert "Value null at 'keyId'" in message, message
    assert "Member must not be null" in message, message


def test_two_missing_members_are_both_reported(admin):
    resp = h.signed_post(admin, T + "Encrypt", {})
    message = h.assert_aws_error(resp, "ValidationException", status=400)
    assert message.startswith("2 validation errors detected: "), message
    assert "'keyId'" in message and "'plaintext'" in message, message


def test_missing_required_member_via_boto3(kms):
    with raises_aws("ValidationException") as err:
        kms.encrypt(Plaintext=b"no key id")
    assert "keyId" in err.message


def test_unknown_members_are_ignored(admin):
    resp = h.signed_post(admin, T + "ListKeys", {"Limit": 1, "SomeFutureMember": {"x": [1, 2]}})
    assert resp.status_code == 200, resp.text


@pytest.mark.parametrize("target,body", [
    ("Encrypt", {"KeyId": "alias/x", "Plaintext": "!!! not base64 !!!"}),
    ("DescribeKey", {"KeyId": 12345}),
    ("DescribeKey", {"KeyId": None}),
    ("DescribeKey", {"KeyId": ["a", "b"]}),
    ("ListKeys", {"Limit": 1.5}),
    ("ListKeys", {"Limit": True}),
    ("ListKeys", {"Limit": -1}),
    ("ListKeys", {"Limit": 10**30}),
    ("ListKeys", [1, 2, 3]),
    ("ListKeys", "a string"),
    ("ListKeys", None),
    ("Encrypt", {"KeyId": "alias/x", "Plaintext": "aGk=", "EncryptionContext": ["a", "b"]}),
    ("Encrypt", {"KeyId": "alias/x", "Plaintext": "aGk=", "EncryptionContext": {"a": 1}}),
    ("TagResource", {"KeyId": "00000000-0000-0000-0000-000000000000", "Tags": {"a": "b"}}),
    ("CreateKey", {"Tags": [{"TagKey": None}]}),
    ("CreateAlias", {"AliasName": {"nested": True}, "TargetKeyId": "x"}),
])
def test_wrongly_typed_input_is_a_4xx_not_a_crash(admin, kms, target, body):
    # Where AWS's exact answer is not known (e.g. 1.5 for an integer may be coerced), the
    # contract checked is: never a 5xx, and any error is a 400 with an AWS-shaped body.
    resp = h.signed_post(admin, T + target, body)
    assert resp.status_code < 500, (resp.status_code, resp.text)
    if resp.status_code != 200:
        assert resp.status_code == 400, (resp.status_code, resp.text)
        code, _ = h.aws_error_of(resp)
        assert code in ("SerializationException", "ValidationException", "NotFoundException"), code
    assert_alive(kms)


def test_deeply_nested_json_is_refused_cleanly(admin, kms):
    body = b'{"Limit": ' + b"[" * 10000 + b"]" * 10000 + b"}"
    resp = h.signed_post(admin, T + "ListKeys", body)
    assert 400 <= resp.status_code < 500, resp.status_code
    h.aws_error_of(resp)
    assert_alive(kms)


def test_invalid_utf8_body(admin, kms):
    resp = h.signed_post(admin, T + "DescribeKey", b'{"KeyId": "\xff\xfe\xfa"}')
    assert 400 <= resp.status_code < 500, resp.status_code
    h.aws_error_of(resp)
    assert_alive(kms)


def test_oversized_body_is_refused_without_hanging(admin, kms):
    big = os.urandom(2 * 1024 * 1024)
    body = json.dumps({"KeyId": "alias/whatever", "Plaintext": h.b64(big)}).encode()
    prepared = h.sign_request(admin.endpoint, admin.access_key, admin.secret_key, admin.region,
                              T + "Encrypt", body)
    try:
        resp = requests.post(prepared.url, data=body, headers=dict(prepared.headers.items()),
                             timeout=30)
    except requests.exceptions.Timeout:
        pytest.fail("server hung on a 2 MiB body")
    except requests.exceptions.ConnectionError as e:
        pytest.fail(f"server dropped the connection instead of answering with an AWS error: {e}")
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.content[:300])
    h.aws_error_of(resp)
    assert resp.headers.get("x-amzn-RequestId")
    assert_alive(kms)


def test_get_request_is_not_a_server_error(admin, kms):
    resp = requests.get(admin.endpoint + "/", timeout=30)
    assert resp.status_code < 500, resp.status_code
    assert_alive(kms)


def test_half_request_then_disconnect_does_not_hurt(admin, kms):
    # A client that promises a body and vanishes must not wedge the server.
    with socket.create_connection(("127.0.0.1", int(admin.endpoint.rsplit(":", 1)[1])),
                                  timeout=5) as s:
        s.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                  + h.JSON_CT.encode() + b"\r\nContent-Length: 1000\r\n\r\n{\"Lim")
    assert_alive(kms)


def test_garbage_bytes_do_not_hurt(admin, kms):
    with socket.create_connection(("127.0.0.1", int(admin.endpoint.rsplit(":", 1)[1])),
                                  timeout=5) as s:
        s.sendall(os.urandom(4096))
        s.settimeout(5)
        try:
            s.recv(1024)
        except (socket.timeout, ConnectionResetError):
            pass
    assert_alive(kms)


def test_keep_alive_connection_serves_many_requests(admin):
    conn = http.client.HTTPConnection("127.0.0.1", int(admin.endpoint.rsplit(":", 1)[1]),
                                      timeout=30)
    try:
        for i in range(20):
            body = json.dumps({"NumberOfBytes": i + 1}).encode()
            prepared = h.sign_request(admin.endpoint, admin.access_key, admin.secret_key,
                                      admin.region, T + "GenerateRandom", body)
            conn.request("POST", "/", body=body, headers=dict(prepared.headers.items()))
            resp = conn.getresponse()
            data = resp.read()
            assert resp.status == 200, data
            assert len(base64.b64decode(json.loads(data)["Plaintext"])) == i + 1
    finally:
        conn.close()


def test_concurrent_clients(kms, key):
    def work(i):
        plaintext = f"message {i}".encode()
        ctx = {"n": str(i)}
        blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=plaintext,
                           EncryptionContext=ctx)["CiphertextBlob"]
        out = kms.decrypt(CiphertextBlob=blob, EncryptionContext=ctx)["Plaintext"]
        dk = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256")
        return out == plaintext and len(dk["Plaintext"]) == 32

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(80)))
    assert all(results)


def test_concurrent_key_creation(kms):
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lambda _: kms.create_key()["KeyMetadata"]["KeyId"], range(24)))
    assert len(set(ids)) == 24
    for key_id in ids[:3]:
        assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


# The hot operations read plain bodies in one pass and leave anything else (escapes, null,
# unknown members) to the full JSON decoder. Both paths must mean the same request.
def test_plain_and_escaped_bodies_mean_the_same_request(admin, kms, key):
    plaintext = base64.b64encode(b"same either way").decode()
    plain = '{"KeyId":"%s","Plaintext":"%s","EncryptionContext":{"tenant":"acme"}}' % (key["KeyId"], plaintext)
    # The same request with escapes and a null member: this one goes through JSONDecoder.
    escaped = ('{"KeyId":"%s","Plaintext":"%s","EncryptionContext":{"ten\\u0061nt":"a\\u0063me"},"GrantTokens":null}'
               % (key["KeyId"], plaintext.replace("/", "\\/")))
    blobs = []
    for body in (plain, escaped):
        resp = h.signed_post(admin, T + "Encrypt", body)
        assert resp.status_code == 200, resp.text
        blobs.append(base64.b64decode(resp.json()["CiphertextBlob"]))
    for blob in blobs:
        out = kms.decrypt(CiphertextBlob=blob, EncryptionContext={"tenant": "acme"})
        assert out["Plaintext"] == b"same either way"
        with raises_aws("InvalidCiphertextException"):
            kms.decrypt(CiphertextBlob=blob, EncryptionContext={"tenant": "other"})


# SDKs other than botocore send non-ASCII as raw UTF-8, which the flat reader validates itself;
# botocore escapes it. Both must mean the same context, and malformed UTF-8 must be refused.
def test_raw_utf8_bodies_on_the_fast_path(admin, kms, key):
    plaintext = base64.b64encode(b"raw").decode()
    raw = ('{"KeyId":"%s","Plaintext":"%s","EncryptionContext":{"tenant":"acmé ✓"}}' % (key["KeyId"], plaintext)).encode()
    resp = h.signed_post(admin, T + "Encrypt", raw)
    assert resp.status_code == 200, resp.text
    blob = base64.b64decode(resp.json()["CiphertextBlob"])
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext={"tenant": "acmé ✓"})["Plaintext"] == b"raw"
    with raises_aws("InvalidCiphertextException"):
        kms.decrypt(CiphertextBlob=blob, EncryptionContext={"tenant": "acme ✓"})
    for malformed in (b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"acm\xc3"):
        body = b'{"KeyId":"%s","Plaintext":"%s","EncryptionContext":{"tenant":"%s"}}' % (
            key["KeyId"].encode(), plaintext.encode(), malformed)
        resp = h.signed_post(admin, T + "Encrypt", body)
        assert resp.status_code == 400, (malformed, resp.status_code, resp.text)
        assert h.aws_error_of(resp)[0] == "SerializationException", resp.text
    assert_alive(kms)


def test_context_values_needing_escapes_round_trip(kms, key):
    context = {"quote": 'a"b', "backslash": "c\\d", "newline": "e\nf", "unicode": "é ✓"}
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x", EncryptionContext=context)["CiphertextBlob"]
    out = kms.decrypt(CiphertextBlob=blob, EncryptionContext=context)
    assert out["Plaintext"] == b"x"
    assert out["KeyId"] == key["Arn"]


def test_request_ids_are_lowercase_v4_uuids(kms):
    ids = {kms.generate_random(NumberOfBytes=8)["ResponseMetadata"]["RequestId"] for _ in range(20)}
    assert len(ids) == 20
    for request_id in ids:
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", request_id), request_id


def test_sigterm_with_idle_keep_alive_connections_stops_promptly(server_factory):
    # Connections that stay open between requests (every SDK's pool keeps them) must not hold
    # a stopping server: each idle one is closed, and the server exits cleanly.
    srv = server_factory("keepalive")
    srv.start()
    creds = srv.wait_for_credentials()
    port = int(srv.endpoint.rsplit(":", 1)[1])
    connections = []
    for i in range(3):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        body = json.dumps({"NumberOfBytes": 8}).encode()
        prepared = h.sign_request(srv.endpoint, creds.access_key, creds.secret_key, creds.region,
                                  T + "GenerateRandom", body)
        conn.request("POST", "/", body=body, headers=dict(prepared.headers.items()))
        resp = conn.getresponse()
        assert resp.status == 200, resp.read()
        resp.read()
        connections.append(conn)
    try:
        started = time.monotonic()
        assert srv.stop(timeout=10) == 0, srv.describe_output()
        assert time.monotonic() - started < 5
        assert "trent: stopped" in srv.stdout()
        for conn in connections:
            conn.sock.settimeout(5)
            assert conn.sock.recv(1) == b"", "the server left a connection open"
    finally:
        for conn in connections:
            conn.close()
