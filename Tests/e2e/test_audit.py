"""The tamper-evident audit trail (issue 5): one CloudTrail-shaped record per request, the hash
chain and signed digests (`trent audit verify|digest`), query/export, kill -9 durability and
GetKeyLastUsage.

The trail is read two ways: with `trent audit query --data DIR` (the documented interface) and,
for the storage checks, with sqlite3 on `<data>/trent.sqlite`, table `audit_records`. Records are
matched to requests through the x-amzn-RequestId header (= the record's requestID).

Tests that tamper with the trail or SIGKILL the server use private data folders. The tamper tests
work on copies of one pristine, cleanly stopped data folder.
"""

from __future__ import annotations

import base64
import concurrent.futures
import datetime
import gzip
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Optional

import pytest

import e2e_helpers as h
from e2e_helpers import raises_aws

T = h.TARGET_PREFIX
AUDIT_TIMEOUT = 60
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
EVENT_TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
VERIFIED_RE = re.compile(r"^trent audit: verified (\d+) records? and (\d+) digests?\s*$")
DIGEST_RE = re.compile(r"trent audit: digest (\d+) covers records (\d+)-(\d+)")
EXPORT_NAME_RE = re.compile(
    r"^(?P<account>[^_]*)_CloudTrail_(?P<region>[^_]+)_(?P<date>\d{8})T(?P<hhmm>\d{4})Z_[^/]+\.json\.gz$")
RAW_USER_AGENT = "trent-e2e-audit/1.0"
CRYPTO_OPERATIONS = {"Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
                     "GenerateRandom", "ReEncrypt"}


# --------------------------------------------------------------------------------------
# Helpers: the `trent audit` CLI and the sqlite trail
# --------------------------------------------------------------------------------------


def run_audit(*args: str, data: Path, timeout: float = AUDIT_TIMEOUT) -> tuple[int, str, str]:
    """Runs `trent audit <args> --data DATA`; returns (exit code, stdout, stderr)."""
    cmd = [str(h.trent_binary()), "audit", *args, "--data", str(data)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    return proc.returncode, proc.stdout, proc.stderr


def show(cmd: str, rc: int, out: str, err: str) -> str:
    return (f"`trent audit {cmd}` exited {rc}\n--- stdout ---\n{out[-4000:]}\n"
            f"--- stderr ---\n{err[-4000:]}")


def audit_ok(*args: str, data: Path) -> str:
    rc, out, err = run_audit(*args, data=data)
    assert rc == 0, show(" ".join(args), rc, out, err)
    return out


def query(data: Path, *filters: str) -> list[dict]:
    """`trent audit query` (json format): one stored record per line."""
    out = audit_ok("query", "--limit", "1000000", *filters, data=data)
    records = []
    for n, line in enumerate(out.splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except ValueError:
            pytest.fail(f"`trent audit query {' '.join(filters)}` line {n} is not JSON: {line[:300]!r}")
    return records


def query_lines(data: Path, *filters: str) -> list[str]:
    out = audit_ok("query", "--limit", "1000000", *filters, data=data)
    return [line for line in out.splitlines() if line.strip()]


def verify(data: Path) -> tuple[int, str]:
    """(exit code, stdout + stderr) of `trent audit verify`."""
    rc, out, err = run_audit("verify", data=data)
    return rc, out + "\n" + err


def assert_verifies(data: Path, records: Optional[int] = None, digests: Optional[int] = None):
    rc, out, err = run_audit("verify", data=data)
    assert rc == 0, "verify failed on an untouched trail:\n" + show("verify", rc, out, err)
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines, "verify printed nothing:\n" + show("verify", rc, out, err)
    m = VERIFIED_RE.match(lines[-1].strip())
    assert m, ("last line of verify is not `trent audit: verified N records and M digests`:\n"
               + show("verify", rc, out, err))
    if records is not None:
        assert int(m.group(1)) == records, f"verify counted {m.group(1)} records, expected {records}"
    if digests is not None:
        assert int(m.group(2)) == digests, f"verify counted {m.group(2)} digests, expected {digests}"
    return int(m.group(1)), int(m.group(2))


def assert_tamper_detected(data: Path, *patterns: str, what: str) -> str:
    rc, text = verify(data)
    assert rc == 1, f"verify must exit 1 after {what}, got {rc}:\n{text}"
    for pattern in patterns:
        assert re.search(pattern, text), (
            f"after {what}, verify output does not match {pattern!r}:\n{text}")
    return text


def make_digest(data: Path) -> tuple[int, int, int]:
    """The digest covering the trail up to its newest record. A clean stop of the server signs one
    itself; otherwise `trent audit digest` does."""
    out = audit_ok("digest", data=data)
    m = DIGEST_RE.search(out)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    assert "no new records to digest" in out, (
        f"`trent audit digest` printed neither `digest <id> covers records A-B` nor `no new records`:\n{out}")
    conn = db(data)
    try:
        row = conn.execute("SELECT id, first_seq, last_seq FROM audit_digests ORDER BY id DESC LIMIT 1").fetchone()
        newest = conn.execute("SELECT MAX(seq) FROM audit_records").fetchone()[0]
    finally:
        conn.close()
    assert row is not None, "no digest exists, yet `trent audit digest` found nothing to digest"
    assert row["last_seq"] == newest, f"the newest digest ends at {row['last_seq']}, the trail at {newest}"
    return int(row["id"]), int(row["first_seq"]), int(row["last_seq"])


def db(data: Path) -> sqlite3.Connection:
    path = Path(data) / "trent.sqlite"
    assert path.is_file(), f"no trent.sqlite in {data}: {sorted(p.name for p in Path(data).iterdir())}"
    conn = sqlite3.connect(str(path), timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def as_bytes(value) -> bytes:
    if value is None:
        return b""
    return value.encode() if isinstance(value, str) else bytes(value)


def db_rows(data: Path) -> list[dict]:
    """Every row of audit_records, in seq order, with `json` = the parsed record."""
    conn = db(data)
    try:
        rows = [dict(r) for r in conn.execute("SELECT * FROM audit_records ORDER BY seq")]
    finally:
        conn.close()
    for row in rows:
        raw = as_bytes(row["record"])
        try:
            row["json"] = json.loads(raw.decode("utf-8"))
        except ValueError:
            pytest.fail(f"audit_records seq {row['seq']}: record is not UTF-8 JSON: {raw[:300]!r}")
    return rows


def chain_hash(previous: bytes, seq: int, record: bytes) -> bytes:
    """The contract's formula: SHA-256(previous_hash || seq as 8-byte big endian || record)."""
    return hashlib.sha256(previous + seq.to_bytes(8, "big") + record).digest()


def by_request_id(records: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for rec in records:
        out.setdefault(rec.get("requestID"), []).append(rec)
    return out


def rid_of(response: dict) -> str:
    rid = response["ResponseMetadata"].get("RequestId")
    assert rid, f"response without a request id: {response['ResponseMetadata']}"
    return rid


def rid_of_error(err: h.AwsError) -> str:
    rid = err.response["ResponseMetadata"].get("RequestId") or err.headers.get("x-amzn-requestid")
    assert rid, f"error response without a request id: {err!r}"
    return rid


def rid_of_raw(resp) -> str:
    rid = resp.headers.get("x-amzn-RequestId")
    assert rid, f"raw response without x-amzn-RequestId: HTTP {resp.status_code} {resp.content[:300]!r}"
    return rid


def resource_arns(rec: dict) -> list[str]:
    return [r.get("ARN") for r in (rec.get("resources") or [])]


def parse_event_time(text: str) -> datetime.datetime:
    assert EVENT_TIME_RE.match(text or ""), f"eventTime is not ISO-8601 UTC with Z: {text!r}"
    base = text[:19]
    return datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=datetime.timezone.utc)


def iso(ts: float) -> str:
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def client(srv: h.TrentServer, creds: h.AdminCredentials, **config):
    return h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, creds.region, **config)


def root_arn(account: str) -> str:
    return f"arn:aws:iam::{account}:root"


def start_private(name: str, base: Path, dev: bool = False, scope: str = "test"):
    srv = h.TrentServer(name, base / f"{name}-data", base / "logs", dev=dev, scope=scope)
    srv.start()
    creds = None if dev else srv.wait_for_credentials()
    return srv, creds


def secret_forms(secret: bytes) -> set[bytes]:
    """The raw bytes and the encodings a careless implementation might write."""
    forms = {secret, base64.b64encode(secret), secret.hex().encode(), secret.hex().upper().encode(),
             base64.urlsafe_b64encode(secret).rstrip(b"=")}
    forms.add(base64.b64encode(secret).replace(b"/", b"\\/"))  # JSON with escaped slashes
    return {f for f in forms if len(f) >= 8}


# --------------------------------------------------------------------------------------
# 1. A scripted session: exactly one correct record per request
# --------------------------------------------------------------------------------------


def test_scripted_session_one_record_per_request(server_factory):
    srv = server_factory("audit-session")
    srv.start()
    creds = srv.wait_for_credentials()
    kms = client(srv, creds)
    started = time.time()

    expected: list[dict] = []  # in request order: {"label", "rid", ...checks}

    def expect(label, rid, **checks):
        expected.append(dict(label=label, rid=rid, **checks))

    resp = kms.create_key(Description="audit session key")
    meta = resp["KeyMetadata"]
    account, key_id, arn = meta["AWSAccountId"], meta["KeyId"], meta["Arn"]
    expect("CreateKey", rid_of(resp), event="CreateKey", read_only=False, resources=[arn])

    ctx = {"purpose": "audit-e2e", "n": "1"}
    resp = kms.encrypt(KeyId=key_id, Plaintext=b"session plaintext", EncryptionContext=ctx)
    blob = resp["CiphertextBlob"]
    expect("Encrypt", rid_of(resp), event="Encrypt", read_only=True, resources=[arn],
           params={"keyId": key_id, "encryptionContext": ctx}, null_response=True,
           key_material=True)

    wrong_ctx = {"purpose": "wrong"}
    with raises_aws("InvalidCiphertextException") as err:
        kms.decrypt(CiphertextBlob=blob, EncryptionContext=wrong_ctx)
    expect("Decrypt (wrong context)", rid_of_error(err), event="Decrypt",
           error="InvalidCiphertextException", message=err.message, read_only=True,
           params={"encryptionContext": wrong_ctx})

    resp = kms.decrypt(CiphertextBlob=blob, EncryptionContext=ctx)
    assert resp["Plaintext"] == b"session plaintext"
    expect("Decrypt", rid_of(resp), event="Decrypt", read_only=True, resources=[arn],
           params={"encryptionContext": ctx}, null_response=True, key_material=True)

    dk_ctx = {"purpose": "data-key"}
    resp = kms.generate_data_key(KeyId=arn, KeySpec="AES_256", EncryptionContext=dk_ctx)
    expect("GenerateDataKey", rid_of(resp), event="GenerateDataKey", read_only=True,
           resources=[arn], params={"keyId": arn, "keySpec": "AES_256",
                                    "encryptionContext": dk_ctx},
           null_response=True, key_material=True)

    missing = str(uuid.uuid4())
    with raises_aws("NotFoundException") as err:
        kms.describe_key(KeyId=missing)
    expect("DescribeKey (missing)", rid_of_error(err), event="DescribeKey",
           error="NotFoundException", message=err.message, read_only=True, params={"keyId": missing})

    raw = h.signed_post(creds, T + "FrobnicateKey", {}, endpoint=srv.endpoint,
                        extra_headers={"User-Agent": RAW_USER_AGENT})
    message = h.assert_aws_error(raw, "UnknownOperationException")
    expect("unknown operation", rid_of_raw(raw), message=message, event=("FrobnicateKey", "UnknownOperation"),
           error="UnknownOperationException", user_agent=RAW_USER_AGENT, identity="any")

    raw = h.signed_post(creds, T + "Encrypt", b"{not json", endpoint=srv.endpoint,
                        extra_headers={"User-Agent": RAW_USER_AGENT})
    message = h.assert_aws_error(raw, "SerializationException")
    expect("malformed JSON", rid_of_raw(raw), message=message, event="Encrypt", error="SerializationException",
           user_agent=RAW_USER_AGENT, identity="any", null_params=True)

    last = "B" if creds.secret_key.endswith("A") else "A"
    bad = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key[:-1] + last, creds.region)
    with raises_aws("InvalidSignatureException") as err:
        bad.list_keys()
    expect("wrong secret", rid_of_error(err), event="ListKeys", message=err.message,
           error="InvalidSignatureException", identity="unknown")

    resp = kms.generate_random(NumberOfBytes=16)
    expect("GenerateRandom", rid_of(resp), event="GenerateRandom", read_only=True,
           resources=[], params={"numberOfBytes": 16}, null_response=True)

    alias = h.unique_alias("audit")
    resp = kms.create_alias(AliasName=alias, TargetKeyId=key_id)
    expect("CreateAlias", rid_of(resp), event="CreateAlias", read_only=False,
           resources_include=[arn], params={"aliasName": alias, "targetKeyId": key_id})

    resp = kms.list_keys()
    expect("ListKeys", rid_of(resp), event="ListKeys", read_only=True)

    resp = kms.describe_key(KeyId=alias)
    expect("DescribeKey (alias)", rid_of(resp), event="DescribeKey", read_only=True,
           resources=[arn], params={"keyId": alias})

    n = len(expected)
    rids = [e["rid"] for e in expected]
    assert len(set(rids)) == n, f"request ids are not unique: {rids}"
    finished = time.time()

    # The CLI reads the trail while the server runs...
    live = by_request_id(query(srv.data_dir))
    for e in expected:
        got = live.get(e["rid"], [])
        assert len(got) == 1, (f"{e['label']} (request {e['rid']}): expected exactly one record in "
                               f"`trent audit query` while running, found {len(got)}")

    # ...and after a clean stop, the stored rows are checked one by one.
    assert srv.stop() == 0
    rows = db_rows(srv.data_dir)
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1)), (
        f"seq is not 1..N in commit order: {[r['seq'] for r in rows]}")
    assert len(rows) == n, (f"a private server that served {n} requests holds {len(rows)} audit "
                            f"records: {[ (r['seq'], r['event_name'], r['json'].get('requestID')) for r in rows]}")
    rows_by_rid = {}
    for row in rows:
        rows_by_rid.setdefault(row["json"].get("requestID"), []).append(row)
    for e in expected:
        assert len(rows_by_rid.get(e["rid"], [])) == 1, (
            f"{e['label']}: expected one row with requestID {e['rid']}, found "
            f"{len(rows_by_rid.get(e['rid'], []))}")
    # Commit order follows request order (the session was sequential).
    assert [r["json"]["requestID"] for r in rows] == rids, "records are not in request order"

    # `query` prints exactly the stored JSON.
    stored_texts = sorted(as_bytes(r["record"]).decode() for r in rows)
    assert sorted(query_lines(srv.data_dir)) == stored_texts, (
        "`trent audit query` lines are not exactly the stored record JSON")

    for e in expected:
        row = rows_by_rid[e["rid"]][0]
        check_record(e, row, account=account, creds=creds, started=started, finished=finished)

    assert_verifies(srv.data_dir, records=n)


def check_record(e: dict, row: dict, *, account: str, creds: h.AdminCredentials, started: float,
                 finished: float) -> None:
    rec = row["json"]
    label = f"{e['label']} (seq {row['seq']}): "
    ctx = label + json.dumps(rec, sort_keys=True)[:2000]

    raw = as_bytes(row["record"])
    assert b"\n" not in raw, label + "stored record JSON is not compact (has newlines)"

    # CloudTrail constants.
    assert rec.get("eventVersion") == "1.11", ctx
    assert rec.get("eventSource") == "kms.amazonaws.com", ctx
    assert rec.get("eventType") == "AwsApiCall", ctx
    assert rec.get("managementEvent") is True, ctx
    assert rec.get("eventCategory") == "Management", ctx
    assert rec.get("awsRegion") == creds.region, ctx
    assert rec.get("sourceIPAddress") == "127.0.0.1", ctx
    assert rec.get("requestID") == e["rid"], ctx
    assert UUID_RE.match(rec.get("eventID") or ""), label + f"eventID is not a UUID: {rec.get('eventID')!r}"
    when = parse_event_time(rec.get("eventTime")).timestamp()
    assert started - 2 <= when <= finished + 2, (
        label + f"eventTime {rec['eventTime']} outside the session [{iso(started)}, {iso(finished)}]")
    assert abs(float(row["event_time"]) - when) < 1.5, (
        label + f"event_time column {row['event_time']} disagrees with eventTime {rec['eventTime']}")

    # The event and its outcome.
    events = e["event"] if isinstance(e["event"], tuple) else (e["event"],)
    assert rec.get("eventName") in events, label + f"eventName {rec.get('eventName')!r}, expected {events}"
    assert row["event_name"] == rec.get("eventName"), label + "event_name column != eventName"
    if "error" in e:
        assert rec.get("errorCode") == e["error"], label + f"errorCode {rec.get('errorCode')!r}, expected {e['error']}"
        message = e.get("message") or ""
        if message:
            assert rec.get("errorMessage") == message, (
                label + f"errorMessage {rec.get('errorMessage')!r}, the response said {message!r}")
        else:  # e.g. InvalidCiphertextException carries no message, as on AWS
            assert rec.get("errorMessage") in (None, ""), label + f"errorMessage {rec.get('errorMessage')!r}"
        assert row["error_code"] == e["error"], label + "error_code column != errorCode"
    else:
        assert rec.get("errorCode") is None, label + f"success recorded with errorCode {rec.get('errorCode')!r}"
        assert row["error_code"] is None, label + "success has an error_code in the column"
    if "read_only" in e:
        assert rec.get("readOnly") is e["read_only"], label + f"readOnly {rec.get('readOnly')!r}, expected {e['read_only']}"

    # Who.
    ident = rec.get("userIdentity") or {}
    identity = e.get("identity", "admin")
    admin_arn = root_arn(account)
    if identity == "admin" or (identity == "any" and ident.get("type") != "Unknown"):
        assert ident.get("type") == "Root", label + f"userIdentity {ident}"
        assert ident.get("arn") == admin_arn, label + f"userIdentity {ident}, expected arn {admin_arn}"
        assert ident.get("accountId") == account, label + f"userIdentity {ident}"
        assert ident.get("accessKeyId") == creds.access_key, label + f"userIdentity {ident}"
        assert rec.get("recipientAccountId") == account, label + f"recipientAccountId {rec.get('recipientAccountId')!r}"
        assert row["principal_arn"] == admin_arn, label + f"principal_arn column {row['principal_arn']!r}"
    elif identity == "unknown" or identity == "any":
        assert ident.get("type") == "Unknown", label + f"unauthenticated call has userIdentity {ident}"
        assert ident.get("arn") in (None, ""), label + f"unauthenticated call names a principal: {ident}"
        assert row["principal_arn"] is None, label + f"principal_arn column {row['principal_arn']!r} for an unauthenticated call"

    ua = rec.get("userAgent") or ""
    if "user_agent" in e:
        assert ua == e["user_agent"], label + f"userAgent {ua!r}, expected {e['user_agent']!r}"
    else:
        assert "botocore" in ua.lower(), label + f"userAgent {ua!r} is not boto3's User-Agent header"

    # On what.
    arns = resource_arns(rec)
    for res in rec.get("resources") or []:
        assert res.get("type") == "AWS::KMS::Key", label + f"resource {res}"
        assert res.get("accountId") == account, label + f"resource {res}"
    if "resources" in e:
        assert arns == e["resources"], label + f"resources {rec.get('resources')}, expected ARNs {e['resources']}"
    for arn in e.get("resources_include", []):
        assert arn in arns, label + f"resources {rec.get('resources')} do not name {arn}"
    assert row["key_arn"] == (arns[0] if arns else None), label + f"key_arn column {row['key_arn']!r}, resources {arns}"

    params = rec.get("requestParameters")
    if e.get("null_params"):
        assert params is None, label + f"unparseable request has requestParameters {params!r}"
    for name, value in e.get("params", {}).items():
        assert isinstance(params, dict), label + f"requestParameters {params!r}"
        assert params.get(name) == value, label + f"requestParameters.{name} = {params.get(name)!r}, expected {value!r}"
    if e.get("null_response"):
        assert rec.get("responseElements") is None, label + f"responseElements {rec.get('responseElements')!r}"
    if e.get("key_material"):
        extra = rec.get("additionalEventData") or {}
        assert extra.get("keyMaterialId"), label + f"additionalEventData {extra!r} lacks keyMaterialId"
    if rec.get("eventName") == "CreateKey" and "error" not in e:
        response = rec.get("responseElements") or {}
        assert isinstance(response.get("keyMetadata"), dict), label + f"responseElements {response!r}"
        key_id = e["resources"][0].rsplit("/", 1)[-1]
        assert key_id in json.dumps(response["keyMetadata"]), (
            label + f"responseElements.keyMetadata does not name the new key: {response}")


# --------------------------------------------------------------------------------------
# 2. No secrets in the trail
# --------------------------------------------------------------------------------------


def test_no_secrets_in_the_trail(server_factory):
    srv = server_factory("audit-secrets")
    srv.start()
    creds = srv.wait_for_credentials()
    kms = client(srv, creds)

    secrets_by_label = {"admin secret access key": creds.secret_key.encode()}
    keys = [kms.create_key(Description=f"audit secrets {i}")["KeyMetadata"] for i in range(2)]
    for i in range(4):
        plaintext = f"audit-secret-plaintext-{i}-".encode() + secrets.token_hex(12).encode()
        ctx = {"i": str(i)} if i % 2 else {}
        enc = kms.encrypt(KeyId=keys[i % 2]["KeyId"], Plaintext=plaintext,
                          **({"EncryptionContext": ctx} if ctx else {}))
        secrets_by_label[f"plaintext {i}"] = plaintext
        secrets_by_label[f"ciphertext {i}"] = enc["CiphertextBlob"]
        dec = kms.decrypt(CiphertextBlob=enc["CiphertextBlob"],
                          **({"EncryptionContext": ctx} if ctx else {}))
        assert dec["Plaintext"] == plaintext
    for i in range(4):
        if i % 2:
            dk = kms.generate_data_key(KeyId=keys[i % 2]["Arn"], KeySpec="AES_256")
        else:
            dk = kms.generate_data_key(KeyId=keys[i % 2]["KeyId"], NumberOfBytes=48,
                                       EncryptionContext={"dk": str(i)})
        secrets_by_label[f"data key {i}"] = dk["Plaintext"]
        secrets_by_label[f"data key blob {i}"] = dk["CiphertextBlob"]
    blind = kms.generate_data_key_without_plaintext(KeyId=keys[0]["KeyId"], KeySpec="AES_128")
    secrets_by_label["data key blob (without plaintext)"] = blind["CiphertextBlob"]
    secrets_by_label["random bytes"] = kms.generate_random(NumberOfBytes=32)["Plaintext"]

    # Failed calls carry plaintext too: a missing key, a wrong secret, a wrong context.
    doomed = b"audit-secret-failed-encrypt-" + secrets.token_hex(12).encode()
    secrets_by_label["plaintext of a failed Encrypt"] = doomed
    with raises_aws("NotFoundException"):
        kms.encrypt(KeyId=str(uuid.uuid4()), Plaintext=doomed)
    unsigned = b"audit-secret-bad-signature-" + secrets.token_hex(12).encode()
    secrets_by_label["plaintext sent with a wrong secret"] = unsigned
    bad = h.make_kms(srv.endpoint, creds.access_key, "y" * 40, creds.region)
    with raises_aws("InvalidSignatureException"):
        bad.encrypt(KeyId=keys[0]["KeyId"], Plaintext=unsigned)
    with raises_aws("InvalidCiphertextException"):
        kms.decrypt(CiphertextBlob=secrets_by_label["ciphertext 1"], EncryptionContext={"i": "x"})

    def scan_records(where: str):
        leaks = []
        for row in db_rows(srv.data_dir):
            texts = [as_bytes(row["record"]),
                     json.dumps(row["json"], sort_keys=True, ensure_ascii=False).encode()]
            for label, secret in secrets_by_label.items():
                for form in secret_forms(secret):
                    if any(form in t for t in texts):
                        leaks.append((row["seq"], row["event_name"], label, form[:16]))
        assert not leaks, f"secrets in audit records ({where}): {leaks}"

    def scan_files(where: str):
        leaks = []
        for path in sorted(srv.data_dir.rglob("*")):
            if not path.is_file() or path.name == "root.key":
                continue
            content = path.read_bytes()
            for label, secret in secrets_by_label.items():
                for form in secret_forms(secret):
                    if form in content:
                        leaks.append((path.name, label, form[:16]))
        assert not leaks, f"secrets in the data folder's files ({where}): {leaks}"

    # The trail as the CLI shows it, while running.
    shown = "\n".join(query_lines(srv.data_dir)).encode()
    found = [(label, form[:16]) for label, secret in secrets_by_label.items()
             for form in secret_forms(secret) if form in shown]
    assert not found, f"secrets in `trent audit query` output: {found}"

    # After SIGKILL (the WAL is not checkpointed) the raw files first, then the records.
    srv.kill()
    scan_files("after SIGKILL")
    scan_records("after SIGKILL")
    # 2 CreateKey, 4 Encrypt + 4 Decrypt, 4 GenerateDataKey, 1 …WithoutPlaintext, 1 GenerateRandom,
    # 3 failures.
    assert len(db_rows(srv.data_dir)) == 19, "the trail does not hold one record per request"


# --------------------------------------------------------------------------------------
# 3. Tamper evidence (server stopped; sqlite3 from Python)
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pristine_trail(tmp_path_factory):
    """A cleanly stopped private data folder with a short, known trail. Tests copy it."""
    base = tmp_path_factory.mktemp("audit-pristine")
    srv, creds = start_private("audit-pristine", base, scope="module")
    try:
        kms = client(srv, creds)
        meta = kms.create_key(Description="tamper")["KeyMetadata"]
        for i in range(4):
            blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=f"m{i}".encode(),
                               EncryptionContext={"i": str(i)})["CiphertextBlob"]
            kms.decrypt(CiphertextBlob=blob, EncryptionContext={"i": str(i)})
        kms.generate_data_key(KeyId=meta["KeyId"], KeySpec="AES_256")
        with raises_aws("NotFoundException"):
            kms.describe_key(KeyId=str(uuid.uuid4()))
        kms.create_alias(AliasName=h.unique_alias("tamper"), TargetKeyId=meta["KeyId"])
        kms.list_keys()
        assert srv.stop() == 0
    finally:
        srv.kill()
    rows = db_rows(srv.data_dir)
    assert len(rows) == 13, f"expected 13 records in the pristine trail, found {len(rows)}"
    return srv.data_dir


@pytest.fixture
def trail_copy(pristine_trail, tmp_path):
    dest = tmp_path / "tampered-data"
    shutil.copytree(pristine_trail, dest)
    return dest


def rewrite_record(conn: sqlite3.Connection, seq: int, new: bytes) -> None:
    """Replaces a record's bytes, keeping the column's storage class (BLOB or TEXT)."""
    kind = conn.execute("SELECT typeof(record) FROM audit_records WHERE seq = ?", (seq,)).fetchone()[0]
    value = new.decode("utf-8") if kind == "text" else sqlite3.Binary(new)
    conn.execute("UPDATE audit_records SET record = ? WHERE seq = ?", (value, seq))


def test_pristine_trail_verifies_and_follows_the_hash_formula(trail_copy):
    # The clean stop that made this trail signed one digest over all of it.
    assert_verifies(trail_copy, records=13, digests=1)
    rows = db_rows(trail_copy)
    previous = None
    for row in rows:
        prev_hash, stored = as_bytes(row["previous_hash"]), as_bytes(row["hash"])
        assert len(prev_hash) == 32 and len(stored) == 32, f"seq {row['seq']}: hashes are not 32 bytes"
        if previous is not None:
            assert prev_hash == previous, f"seq {row['seq']}: previous_hash is not the hash of seq {row['seq'] - 1}"
        assert stored == chain_hash(prev_hash, row["seq"], as_bytes(row["record"])), (
            f"seq {row['seq']}: hash != SHA-256(previous_hash || seq (8 bytes BE) || record)")
        previous = stored


def test_tamper_one_byte_of_a_record(trail_copy):
    seq = 5
    conn = db(trail_copy)
    with conn:
        record = as_bytes(conn.execute("SELECT record FROM audit_records WHERE seq = ?",
                                       (seq,)).fetchone()[0])
        needle = b'"127.0.0.1"'
        assert needle in record, f"record {seq} has no sourceIPAddress 127.0.0.1: {record[:300]!r}"
        rewrite_record(conn, seq, record.replace(needle, b'"127.0.0.2"', 1))  # one byte
    conn.close()
    assert_tamper_detected(trail_copy, rf"\brecord {seq}\b", r"changed",
                           what=f"changing one byte of record {seq}")


def test_tamper_delete_a_record(trail_copy):
    seq = 7
    conn = db(trail_copy)
    with conn:
        assert conn.execute("DELETE FROM audit_records WHERE seq = ?", (seq,)).rowcount == 1
    conn.close()
    assert_tamper_detected(trail_copy, rf"\brecord {seq}\b", r"removed",
                           what=f"deleting record {seq}")


def test_tamper_swap_two_records(trail_copy):
    a, b = 3, 9
    conn = db(trail_copy)
    with conn:
        rec_a = as_bytes(conn.execute("SELECT record FROM audit_records WHERE seq = ?", (a,)).fetchone()[0])
        rec_b = as_bytes(conn.execute("SELECT record FROM audit_records WHERE seq = ?", (b,)).fetchone()[0])
        assert rec_a != rec_b
        rewrite_record(conn, a, rec_b)
        rewrite_record(conn, b, rec_a)
    conn.close()
    text = assert_tamper_detected(trail_copy, rf"\brecord {a}\b", what=f"swapping records {a} and {b}")
    assert re.search(r"changed|out of order", text), text


def test_rewritten_and_rehashed_chain_is_caught_by_the_digest(trail_copy):
    digest_id, first, last = make_digest(trail_copy)
    assert (first, last) == (1, 13), f"the first digest should cover records 1-13, got {first}-{last}"
    assert_verifies(trail_copy, records=13, digests=1)

    seq = 6
    conn = db(trail_copy)
    with conn:
        rows = [dict(r) for r in conn.execute(
            "SELECT seq, record, previous_hash, hash FROM audit_records ORDER BY seq")]
        target = next(r for r in rows if r["seq"] == seq)
        record = as_bytes(target["record"])
        assert b'"127.0.0.1"' in record
        rewrite_record(conn, seq, record.replace(b'"127.0.0.1"', b'"10.66.6.6"', 1))
        # Recompute the whole chain from the rewritten record on, as an attacker would.
        previous = as_bytes(target["previous_hash"])
        for row in rows:
            if row["seq"] < seq:
                continue
            body = as_bytes(conn.execute("SELECT record FROM audit_records WHERE seq = ?",
                                         (row["seq"],)).fetchone()[0])
            new_hash = chain_hash(previous, row["seq"], body)
            kind = conn.execute("SELECT typeof(hash) FROM audit_records WHERE seq = ?",
                                (row["seq"],)).fetchone()[0]
            wrap = (lambda b: b) if kind == "text" else sqlite3.Binary
            conn.execute("UPDATE audit_records SET previous_hash = ?, hash = ? WHERE seq = ?",
                         (wrap(previous), wrap(new_hash), row["seq"]))
            previous = new_hash
    conn.close()
    # The chain itself is consistent again...
    for row in db_rows(trail_copy):
        assert as_bytes(row["hash"]) == chain_hash(as_bytes(row["previous_hash"]), row["seq"],
                                                   as_bytes(row["record"]))
    # ...but the signed digest is not.
    assert_tamper_detected(trail_copy, rf"\bdigest {digest_id}\b",
                           what="rewriting record 6 and recomputing the hash chain")


def test_truncating_records_a_digest_covers_is_detected(trail_copy):
    digest_id, _, last = make_digest(trail_copy)
    conn = db(trail_copy)
    with conn:
        conn.execute("DELETE FROM audit_records WHERE seq >= ?", (last - 1,))
    conn.close()
    assert_tamper_detected(trail_copy, rf"\bdigest {digest_id}\b",
                           what=f"deleting the last two records digest {digest_id} covers")


def test_forged_digest_signature_is_detected(trail_copy):
    digest_id, _, _ = make_digest(trail_copy)
    conn = db(trail_copy)
    with conn:
        sig = as_bytes(conn.execute("SELECT signature FROM audit_digests WHERE id = ?",
                                    (digest_id,)).fetchone()[0])
        assert len(sig) == 64, f"an Ed25519 signature is 64 bytes, got {len(sig)}"
        forged = bytes([sig[0] ^ 0x01]) + sig[1:]
        conn.execute("UPDATE audit_digests SET signature = ? WHERE id = ?",
                     (sqlite3.Binary(forged), digest_id))
    conn.close()
    assert_tamper_detected(trail_copy, rf"\bdigest {digest_id}\b",
                           what=f"flipping a bit of digest {digest_id}'s signature")


def test_digests_and_public_key(trail_copy):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    first_id, first, last = make_digest(trail_copy)
    assert (first, last) == (1, 13)
    pem = audit_ok("public-key", data=trail_copy)
    assert "-----BEGIN PUBLIC KEY-----" in pem, pem
    key = load_pem_public_key(pem.strip().encode())
    assert isinstance(key, Ed25519PublicKey), f"the digest key is {type(key).__name__}, not Ed25519"
    assert audit_ok("public-key", data=trail_copy) == pem, "the public key changed between calls"
    conn = db(trail_copy)
    try:
        row = dict(conn.execute("SELECT * FROM audit_digests WHERE id = ?", (first_id,)).fetchone())
        head = as_bytes(conn.execute("SELECT hash FROM audit_records WHERE seq = ?", (last,)).fetchone()[0])
    finally:
        conn.close()
    assert (row["first_seq"], row["last_seq"]) == (1, 13), row
    assert as_bytes(row["head_hash"]) == head, "the digest's head_hash is not the hash of its last record"
    assert_verifies(trail_copy, records=13, digests=1)


# --------------------------------------------------------------------------------------
# 4. kill -9 under load: every acknowledged request is in the trail
# --------------------------------------------------------------------------------------


def test_sigkill_under_load_keeps_every_acknowledged_record(server_factory):
    srv = server_factory("audit-kill")
    srv.start()
    creds = srv.wait_for_credentials()
    setup = client(srv, creds)
    resp = setup.create_key(Description="load")
    key_id = resp["KeyMetadata"]["KeyId"]
    acked = {rid_of(resp)}
    lock = threading.Lock()
    stop = threading.Event()
    threads, per_thread_cap, kill_after = 6, 100, 150

    def worker(n: int) -> int:
        kms = client(srv, creds, connect_timeout=2, read_timeout=10)
        done = 0
        for i in range(per_thread_cap):
            if stop.is_set():
                break
            try:
                op = (n + i) % 3
                if op == 0:
                    r = kms.encrypt(KeyId=key_id, Plaintext=os.urandom(32),
                                    EncryptionContext={"t": str(n), "i": str(i)})
                elif op == 1:
                    r = kms.generate_data_key(KeyId=key_id, KeySpec="AES_256")
                else:
                    r = kms.create_key(Description=f"load {n}/{i}")
            except Exception:
                if stop.is_set() or not srv.running():
                    break
                continue
            if r["ResponseMetadata"]["HTTPStatusCode"] == 200:
                with lock:
                    acked.add(rid_of(r))
                done += 1
        return done

    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(worker, n) for n in range(threads)]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with lock:
                if len(acked) >= kill_after:
                    break
            if all(f.done() for f in futures):
                break
            time.sleep(0.005)
        still_running = not all(f.done() for f in futures)
        srv.kill()  # SIGKILL, mid-stream
        stop.set()
        for f in futures:
            f.result(timeout=60)

    with lock:
        acknowledged = set(acked)
    assert len(acknowledged) >= kill_after, f"only {len(acknowledged)} requests were acknowledged"
    if not still_running:
        pytest.fail("the load finished before the kill; raise per_thread_cap")

    trail = query(srv.data_dir)
    recorded = by_request_id(trail)
    missing = sorted(acknowledged - set(recorded))
    assert not missing, (f"{len(missing)} of {len(acknowledged)} acknowledged requests have no "
                         f"audit record after SIGKILL, e.g. {missing[:5]}")
    dupes = [rid for rid in acknowledged if len(recorded[rid]) != 1]
    assert not dupes, f"acknowledged requests with more than one record: {dupes[:5]}"
    total, _ = assert_verifies(srv.data_dir)
    assert total == len(trail), f"verify counted {total} records, query shows {len(trail)}"

    # The chain continues after the crash.
    srv.start()
    after = client(srv, creds).generate_random(NumberOfBytes=8)
    assert srv.stop() == 0
    assert len(by_request_id(query(srv.data_dir)).get(rid_of(after), [])) == 1
    assert_verifies(srv.data_dir, records=total + 1)


# --------------------------------------------------------------------------------------
# 5 + 6. Export and query filters, on one shared (stopped) trail
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_trail(tmp_path_factory):
    """A private server runs a known workload in two phases at least a second apart, then stops."""
    base = tmp_path_factory.mktemp("audit-shared")
    srv, creds = start_private("audit-shared", base, scope="module")
    info = {"data": srv.data_dir, "creds": creds, "phase_a": set(), "phase_b": set()}
    ctx_key = "auditctx" + secrets.token_hex(4)
    try:
        kms = client(srv, creds)
        bad = h.make_kms(srv.endpoint, creds.access_key, "z" * 40, creds.region)

        def phase(ids: set, n: int):
            r = kms.create_key(Description=f"shared {n}")
            meta = r["KeyMetadata"]
            ids.add(rid_of(r))
            r = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x",
                            EncryptionContext={ctx_key: str(n), "other": "v"})
            ids.add(rid_of(r))
            info.setdefault("ctx_ids", set()).add(rid_of(r))
            info.setdefault("encrypt_by_key", {})[meta["Arn"]] = rid_of(r)
            r = kms.generate_data_key(KeyId=meta["Arn"], KeySpec="AES_256",
                                      EncryptionContext={"plain": "ctx"})
            ids.add(rid_of(r))
            with raises_aws("NotFoundException") as err:
                kms.describe_key(KeyId=str(uuid.uuid4()))
            ids.add(rid_of_error(err))
            with raises_aws("InvalidSignatureException") as err:
                bad.list_keys()
            ids.add(rid_of_error(err))
            r = kms.list_keys()
            ids.add(rid_of(r))
            return meta

        info["key_a"] = phase(info["phase_a"], 0)
        end_a = time.time()
        info["mid"] = float(int(end_a) + 2)  # a whole second, more than 1 s after phase A
        while time.time() < info["mid"] + 1.05:
            time.sleep(0.05)
        info["key_b"] = phase(info["phase_b"], 1)
        info["ctx_key"] = ctx_key
        info["account"] = info["key_a"]["AWSAccountId"]
        assert srv.stop() == 0
    finally:
        srv.kill()
    info["records"] = [r["json"] for r in db_rows(srv.data_dir)]
    assert len(info["records"]) == len(info["phase_a"]) + len(info["phase_b"]), (
        "the shared trail does not hold one record per request")
    return info


def event_ids(records) -> set:
    return {r["eventID"] for r in records}


def test_export_writes_cloudtrail_files(shared_trail, tmp_path):
    data, out_dir = shared_trail["data"], tmp_path / "export"
    out_dir.mkdir()
    rc, out, err = run_audit("export", "--out", str(out_dir), data=data)
    assert rc == 0, show("export", rc, out, err)
    total = len(shared_trail["records"])
    assert re.search(rf"\b{total}\b", out + err), (
        f"export should print how many records it wrote ({total}):\n{out}\n{err}")

    files = sorted(out_dir.rglob("*.json.gz"))
    assert files, f"export wrote no .json.gz files: {sorted(p.name for p in out_dir.rglob('*'))}"
    exported = []
    for path in files:
        m = EXPORT_NAME_RE.match(path.name)
        assert m, f"{path.name} is not named <account>_CloudTrail_<region>_<yyyyMMdd>T<HHmm>Z_<random>.json.gz"
        try:
            doc = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
        except (OSError, ValueError) as e:
            pytest.fail(f"{path.name} is not gzipped JSON: {e}")
        assert isinstance(doc, dict) and isinstance(doc.get("Records"), list), (
            f"{path.name} is not {{\"Records\": [...]}}: {str(doc)[:300]}")
        assert doc["Records"], f"{path.name} holds no records"
        accounts = {r.get("recipientAccountId") for r in doc["Records"]}
        regions = {r.get("awsRegion") for r in doc["Records"]}
        hours = {r.get("eventTime", "")[:13] for r in doc["Records"]}
        assert len(accounts) == 1 and len(regions) == 1 and len(hours) == 1, (
            f"{path.name} mixes accounts {accounts}, Regions {regions} or hours {hours}")
        assert m.group("region") == regions.pop(), f"{path.name}: Region in the name differs from its records"
        account = accounts.pop()
        if account and h.ACCOUNT_RE.match(account):
            assert m.group("account") == account, f"{path.name}: account in the name differs from its records"
        for rec in doc["Records"]:
            where = f"{path.name}: {json.dumps(rec)[:500]}"
            assert rec.get("eventVersion"), where
            assert rec.get("eventSource") == "kms.amazonaws.com", where
            assert rec.get("eventName"), where
            parse_event_time(rec.get("eventTime"))
            assert rec.get("requestID"), where
            assert UUID_RE.match(rec.get("eventID") or ""), where
            assert "recipientAccountId" in rec, where
        exported.extend(doc["Records"])

    assert len(exported) == total, f"export holds {len(exported)} records, the trail {total}"
    assert event_ids(exported) == event_ids(shared_trail["records"]), "export and trail differ"
    stored = {r["eventID"]: r for r in shared_trail["records"]}
    for rec in exported:
        assert rec == stored[rec["eventID"]], f"exported record differs from the stored one: {rec}"


def test_export_since_until(shared_trail, tmp_path):
    mid = iso(shared_trail["mid"])
    for flag, phase in (("--since", "phase_b"), ("--until", "phase_a")):
        out_dir = tmp_path / flag.strip("-")
        out_dir.mkdir()
        audit_ok("export", "--out", str(out_dir), flag, mid, data=shared_trail["data"])
        got = {r["requestID"] for p in out_dir.rglob("*.json.gz")
               for r in json.loads(gzip.decompress(p.read_bytes()))["Records"]}
        assert got == shared_trail[phase], f"export {flag} {mid}: got {len(got)} records, expected {phase}"


def test_query_event_name_and_error_code(shared_trail):
    data, everything = shared_trail["data"], shared_trail["records"]
    got = query(data, "--event-name", "Encrypt")
    assert got and all(r["eventName"] == "Encrypt" for r in got), [r["eventName"] for r in got]
    assert event_ids(got) == event_ids(r for r in everything if r["eventName"] == "Encrypt")

    got = query(data, "--error-code", "NotFoundException")
    assert len(got) == 2, f"expected the two failed DescribeKey calls, got {len(got)}"
    assert all(r.get("errorCode") == "NotFoundException" and r["eventName"] == "DescribeKey"
               for r in got), got

    got = query(data, "--error-code", "InvalidSignatureException")
    assert len(got) == 2 and all(r["eventName"] == "ListKeys" for r in got), got

    assert query(data, "--event-name", "ScheduleKeyDeletion") == []
    out = audit_ok("query", "--limit", "3", data=data)
    assert len([line for line in out.splitlines() if line.strip()]) == 3, out


def test_query_by_key_id_and_arn(shared_trail):
    data, everything = shared_trail["data"], shared_trail["records"]
    for meta in (shared_trail["key_a"], shared_trail["key_b"]):
        arn = meta["Arn"]
        expected = event_ids(r for r in everything if arn in resource_arns(r)[:2])
        by_arn = query(data, "--key", arn)
        by_id = query(data, "--key", meta["KeyId"])
        assert event_ids(by_arn) == expected, f"--key {arn}: {[r['eventName'] for r in by_arn]}"
        assert event_ids(by_id) == expected, f"--key {meta['KeyId']}: {[r['eventName'] for r in by_id]}"
        names = {r["eventName"] for r in by_arn}
        assert {"Encrypt", "GenerateDataKey"} <= names, names
        assert shared_trail["encrypt_by_key"][arn] in {r["requestID"] for r in by_arn}
        both = query(data, "--key", arn, "--event-name", "Encrypt")
        assert [r["requestID"] for r in both] == [shared_trail["encrypt_by_key"][arn]], both


def test_query_context_key_and_principal(shared_trail):
    data, everything = shared_trail["data"], shared_trail["records"]
    got = query(data, "--context-key", shared_trail["ctx_key"])
    assert {r["requestID"] for r in got} == shared_trail["ctx_ids"], (
        f"--context-key {shared_trail['ctx_key']}: {[r['eventName'] for r in got]}")
    assert query(data, "--context-key", "no-such-context-key-" + uuid.uuid4().hex) == []
    plain = query(data, "--context-key", "plain")
    assert len(plain) == 2 and all(r["eventName"] == "GenerateDataKey" for r in plain), plain

    admin_arn = root_arn(shared_trail["account"])
    got = query(data, "--principal", admin_arn)
    expected = event_ids(r for r in everything if (r.get("userIdentity") or {}).get("arn") == admin_arn)
    assert event_ids(got) == expected and len(got) == len(everything) - 2, (
        f"--principal {admin_arn} returned {len(got)} records")


def test_query_since_until(shared_trail):
    data = shared_trail["data"]
    mid = iso(shared_trail["mid"])
    since = {r["requestID"] for r in query(data, "--since", mid)}
    until = {r["requestID"] for r in query(data, "--until", mid)}
    assert since == shared_trail["phase_b"], f"--since {mid}: {len(since)} records, expected phase B"
    assert until == shared_trail["phase_a"], f"--until {mid}: {len(until)} records, expected phase A"
    assert query(data, "--since", iso(time.time() + 3600)) == []
    assert query(data, "--until", "2000-01-01T00:00:00Z") == []
    window = query(data, "--since", iso(shared_trail["mid"] - 3600), "--until", mid)
    assert {r["requestID"] for r in window} == shared_trail["phase_a"]


def test_query_table_format(shared_trail):
    out = audit_ok("query", "--format", "table", "--event-name", "Encrypt", data=shared_trail["data"])
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) >= 3, f"table with 2 Encrypt records should have a header and 2 rows:\n{out}"
    header = lines[0]
    assert not UUID_RE.search(header) and re.search(r"(?i)event|time|operation|name", header), (
        f"first line is not a header:\n{out}")
    assert sum("Encrypt" in line for line in lines[1:]) >= 2, out
    with pytest.raises(ValueError):
        json.loads(lines[0])  # not the json format


# --------------------------------------------------------------------------------------
# 7. GetKeyLastUsage
# --------------------------------------------------------------------------------------


def test_get_key_last_usage(server_factory):
    srv = server_factory("audit-lastusage")
    srv.start()
    creds = srv.wait_for_credentials()
    kms = client(srv, creds)
    assert hasattr(kms, "get_key_last_usage"), "this botocore has no GetKeyLastUsage; upgrade it"

    meta = kms.create_key(Description="last usage")["KeyMetadata"]
    key_id, arn = meta["KeyId"], meta["Arn"]
    other = kms.create_key(Description="other")["KeyMetadata"]

    fresh = kms.get_key_last_usage(KeyId=key_id)
    assert fresh["KeyId"] == arn, fresh
    assert "KeyLastUsage" not in fresh or not fresh["KeyLastUsage"], f"unused key reports usage: {fresh}"
    assert abs(fresh["KeyCreationDate"].timestamp() - meta["CreationDate"].timestamp()) < 1, fresh
    assert abs(fresh["TrackingStartDate"].timestamp() - fresh["KeyCreationDate"].timestamp()) <= 1, (
        f"TrackingStartDate should be the key's creation on a fresh trail: {fresh}")
    assert kms.get_key_last_usage(KeyId=arn)["KeyId"] == arn

    before = time.time()
    ctx = {"k": "v"}
    enc = kms.encrypt(KeyId=key_id, Plaintext=b"used", EncryptionContext=ctx)
    enc_rid = rid_of(enc)
    after = time.time()
    usage = kms.get_key_last_usage(KeyId=key_id).get("KeyLastUsage")
    assert usage, "no KeyLastUsage after Encrypt"
    assert usage.get("Operation") == "Encrypt", usage
    assert usage.get("KmsRequestId") == enc_rid, f"KmsRequestId {usage.get('KmsRequestId')} != Encrypt's {enc_rid}"
    assert before - 2 <= usage["Timestamp"].timestamp() <= after + 2, usage
    records = [r for r in query(srv.data_dir, "--key", arn) if r["requestID"] == enc_rid]
    assert len(records) == 1, f"no single trail record for the Encrypt {enc_rid}"
    assert usage.get("CloudTrailEventId") == records[0]["eventID"], (
        f"CloudTrailEventId {usage.get('CloudTrailEventId')} != the trail's eventID {records[0]['eventID']}")

    # Failed calls, Describe/List/GetKeyLastUsage and other keys' use do not count.
    with raises_aws("InvalidCiphertextException"):
        kms.decrypt(CiphertextBlob=enc["CiphertextBlob"], EncryptionContext={"k": "wrong"})
    kms.describe_key(KeyId=key_id)
    kms.list_keys()
    kms.encrypt(KeyId=other["KeyId"], Plaintext=b"other")
    still = kms.get_key_last_usage(KeyId=key_id).get("KeyLastUsage")
    assert still == usage, f"usage changed without a successful cryptographic call: {usage} -> {still}"

    dk = kms.generate_data_key(KeyId=arn, KeySpec="AES_256")
    usage = kms.get_key_last_usage(KeyId=arn)["KeyLastUsage"]
    assert usage["Operation"] == "GenerateDataKey" and usage["KmsRequestId"] == rid_of(dk), usage
    dec = kms.decrypt(CiphertextBlob=enc["CiphertextBlob"], EncryptionContext=ctx)
    usage = kms.get_key_last_usage(KeyId=key_id)["KeyLastUsage"]
    assert usage["Operation"] == "Decrypt" and usage["KmsRequestId"] == rid_of(dec), usage

    other_usage = kms.get_key_last_usage(KeyId=other["KeyId"])["KeyLastUsage"]
    assert other_usage["Operation"] == "Encrypt", other_usage

    alias = h.unique_alias("lastusage")
    kms.create_alias(AliasName=alias, TargetKeyId=key_id)
    with raises_aws(("NotFoundException", "ValidationException")):
        kms.get_key_last_usage(KeyId=alias)
    with raises_aws(("NotFoundException", "ValidationException", "InvalidArnException")):
        kms.get_key_last_usage(KeyId=h.alias_arn(creds.region, meta["AWSAccountId"], alias))
    with raises_aws("NotFoundException"):
        kms.get_key_last_usage(KeyId=str(uuid.uuid4()))

    assert srv.stop() == 0
    assert_verifies(srv.data_dir)


def test_get_key_last_usage_survives_restart(server_factory):
    srv = server_factory("audit-lastusage-restart")
    srv.start()
    creds = srv.wait_for_credentials()
    kms = client(srv, creds)
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    rid = rid_of(kms.generate_data_key_without_plaintext(KeyId=key_id, KeySpec="AES_256"))
    srv.kill()
    srv.start()
    usage = client(srv, creds).get_key_last_usage(KeyId=key_id)["KeyLastUsage"]
    assert usage["Operation"] == "GenerateDataKeyWithoutPlaintext", usage
    assert usage["KmsRequestId"] == rid, usage


# --------------------------------------------------------------------------------------
# 8. Dev mode records too
# --------------------------------------------------------------------------------------


def test_dev_mode_records_every_request(dev_server, fresh_account):
    kms = fresh_account.client()
    rids = {}
    resp = kms.create_key(Description="dev audit")
    meta = resp["KeyMetadata"]
    rids["CreateKey"] = rid_of(resp)
    rids["Encrypt"] = rid_of(kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"dev"))
    with raises_aws("NotFoundException") as err:
        kms.describe_key(KeyId=str(uuid.uuid4()))
    rids["DescribeKey"] = rid_of_error(err)
    rids["GenerateRandom"] = rid_of(kms.generate_random(NumberOfBytes=8))
    raw = h.signed_post(h.AdminCredentials(fresh_account.id, "dev-secret", "us-east-1",
                                           dev_server.endpoint),
                        T + "NoSuchOperation", {})
    h.assert_aws_error(raw, "UnknownOperationException")
    rids["unknown"] = rid_of_raw(raw)

    recorded = by_request_id(query(dev_server.data_dir))
    for label, rid in rids.items():
        got = recorded.get(rid, [])
        assert len(got) == 1, f"dev mode {label} (request {rid}): {len(got)} records, expected 1"
    for label in ("CreateKey", "Encrypt", "DescribeKey", "GenerateRandom"):
        rec = recorded[rids[label]][0]
        assert rec["eventName"] == label, rec
        assert rec.get("recipientAccountId") == fresh_account.id, rec
        assert (rec.get("userIdentity") or {}).get("accountId") == fresh_account.id, rec
    assert recorded[rids["Encrypt"]][0]["resources"][0]["ARN"] == meta["Arn"]
    assert recorded[rids["DescribeKey"]][0]["errorCode"] == "NotFoundException"
    assert recorded[rids["unknown"]][0]["errorCode"] == "UnknownOperationException"
    assert_verifies(dev_server.data_dir)
