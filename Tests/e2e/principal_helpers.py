"""Helpers for the principals and STS tests: the `trent iam` CLI on a server's data folder, and
boto3 clients that may carry a session token."""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import boto3

import e2e_helpers as h

EXPORT_RE = re.compile(r"^export (AWS_[A-Z_]+)=(\S+)\s*$", re.M)
STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
# AWS's texts (verified against reports of real STS/KMS answers; see test_sts.py).
INVALID_TOKEN = "The security token included in the request is invalid."
EXPIRED_TOKEN = "The security token included in the request is expired"
ROOT_CANNOT_ASSUME = "Roles may not be assumed by root accounts."


def run_iam(data: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`trent iam <args> --data DATA`."""
    cmd = [str(h.trent_binary()), "iam", *args, "--data", str(data)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def iam_ok(data: Path, *args: str) -> str:
    proc = run_iam(data, *args)
    assert proc.returncode == 0, (f"`trent iam {' '.join(args)}` exited {proc.returncode}\n"
                                  f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}")
    return proc.stdout


def iam_fails(data: Path, *args: str) -> str:
    """Runs a command that must be refused; returns its one-line message (stderr)."""
    proc = run_iam(data, *args)
    assert proc.returncode != 0, f"`trent iam {' '.join(args)}` should have failed:\n{proc.stdout}"
    assert "Traceback" not in proc.stderr and "Fatal error" not in proc.stderr, proc.stderr
    return proc.stderr.strip()


def exports(text: str) -> dict[str, str]:
    return dict(EXPORT_RE.findall(text))


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@dataclass
class Key:
    access_key: str
    secret_key: str
    token: Optional[str] = None


def new_key(data: Path, account: str, *args: str) -> Key:
    """`trent iam create-access-key` (for `--user NAME` or `--root`), parsed from its export lines."""
    out = iam_ok(data, "create-access-key", "--account", account, *args)
    found = exports(out)
    assert set(found) == {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}, out
    return Key(found["AWS_ACCESS_KEY_ID"], found["AWS_SECRET_ACCESS_KEY"])


ALLOW_KMS = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]})


def new_user(data: Path, account: str, *extra: str, kms: bool = True) -> tuple[str, Key]:
    """A user with an access key; with `kms`, an inline policy allowing every KMS action (the
    default key policy delegates to identity policies, which the server enforces)."""
    name = unique("user")
    iam_ok(data, "create-user", "--account", account, "--name", name, *extra)
    if kms:
        iam_ok(data, "put-user-policy", "--account", account, "--name", name, "--policy-name", "kms-all",
               "--document", ALLOW_KMS)
    return name, new_key(data, account, "--user", name)


def trust_for(*principals: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": list(principals)}, "Action": "sts:AssumeRole"}]})


def new_role(data: Path, account: str, *trusted: str, max_session: int = 3600, kms: bool = True) -> str:
    """A role whose trust policy names `trusted` (with `kms`, allowed every KMS action); returns its ARN."""
    name = unique("role")
    iam_ok(data, "create-role", "--account", account, "--name", name, "--trust-policy", trust_for(*trusted),
           "--max-session-duration", str(max_session))
    if kms:
        iam_ok(data, "put-role-policy", "--account", account, "--name", name, "--policy-name", "kms-all",
               "--document", ALLOW_KMS)
    return f"arn:aws:iam::{account}:role/{name}"


def session(endpoint: str, key: Key, region: str = "us-east-1"):
    return boto3.session.Session(aws_access_key_id=key.access_key, aws_secret_access_key=key.secret_key,
                                 aws_session_token=key.token, region_name=region)


def sts(endpoint: str, key: Key, region: str = "us-east-1"):
    return session(endpoint, key, region).client("sts", endpoint_url=endpoint, config=h.client_config())


def kms(endpoint: str, key: Key, region: str = "us-east-1"):
    return session(endpoint, key, region).client("kms", endpoint_url=endpoint, config=h.client_config())


def assume(endpoint: str, key: Key, role_arn: str, name: str = "e2e", **kwargs) -> tuple[Key, dict]:
    answer = sts(endpoint, key).assume_role(RoleArn=role_arn, RoleSessionName=name, **kwargs)
    c = answer["Credentials"]
    return Key(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]), answer


def audit_records(data: Path, *filters: str) -> list[dict]:
    """`trent audit query` as parsed CloudTrail records."""
    cmd = [str(h.trent_binary()), "audit", "query", "--limit", "1000000", *filters, "--data", str(data)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
