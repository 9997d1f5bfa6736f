"""Shared helpers for the Trent end-to-end suite (imported by conftest.py and the tests).

Nothing in here talks to AWS: every client is pointed at a locally started `trent serve`.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional
from unittest import mock

import boto3
import botocore.auth
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

E2E_DIR = Path(__file__).resolve().parent
REPO = E2E_DIR.parents[1]

JSON_CT = "application/x-amz-json-1.1"
TARGET_PREFIX = "TrentService."

KEY_ID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ACCOUNT_RE = re.compile(r"^\d{12}$")
READY_RE = re.compile(r"^trent: listening on (http://127\.0\.0\.1:(\d+))\s*$", re.M)
EXPORT_RE = re.compile(r"^export (AWS_[A-Z_]+)=(\S+)\s*$", re.M)

START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


# --------------------------------------------------------------------------------------
# Locating and running the server
# --------------------------------------------------------------------------------------


def trent_binary() -> Path:
    path = Path(os.environ.get("TRENT_BIN") or REPO / ".build" / "debug" / "trent")
    if not path.is_file() or not os.access(path, os.X_OK):
        raise RuntimeError(
            f"trent binary not found or not executable at {path}. "
            "Build it with `swift build` in the repo root, or set TRENT_BIN."
        )
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


# Every server this process started, so failing tests can show their output and nothing outlives
# the test run.
ALL_SERVERS: list["TrentServer"] = []
CURRENT_TEST: Optional[str] = None


@dataclass
class AdminCredentials:
    access_key: str
    secret_key: str
    region: str
    endpoint: str


class TrentServer:
    """One `trent serve` process on a data folder. Can be stopped, killed and restarted."""

    def __init__(self, name: str, data_dir: Path, log_dir: Path, *, dev: bool = False,
                 scope: str = "test"):
        self.name = name
        self.data_dir = Path(data_dir)
        self.log_dir = Path(log_dir)
        self.dev = dev
        self.scope = scope
        self.started_in = CURRENT_TEST
        self.proc: Optional[subprocess.Popen] = None
        self.port: Optional[int] = None
        self.starts = 0
        self.log_path: Optional[Path] = None
        self.err_path: Optional[Path] = None
        self.logs: list[tuple[Path, Path]] = []
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        ALL_SERVERS.append(self)

    # -- lifecycle -------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        assert self.port is not None, "server was never started"
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = START_TIMEOUT) -> "TrentServer":
        assert self.proc is None or self.proc.poll() is not None, "server already running"
        binary = trent_binary()
        self.starts += 1
        self.port = free_port()
        self.log_path = self.log_dir / f"{self.name}-start{self.starts}.stdout.log"
        self.err_path = self.log_dir / f"{self.name}-start{self.starts}.stderr.log"
        self.logs.append((self.log_path, self.err_path))
        cmd = [str(binary), "serve", "--host", "127.0.0.1", "--port", str(self.port),
               "--data", str(self.data_dir)]
        if self.dev:
            cmd.append("--dev")
        with open(self.log_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                         cwd=str(self.log_dir), start_new_session=True)
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        expected = f"trent: listening on {self.endpoint}"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"trent server '{self.name}' exited with code {self.proc.returncode} "
                    f"before it was ready.\n{self.describe_output()}")
            printed = any(line.strip() == expected for line in self.stdout().splitlines())
            if printed and port_open(self.port):
                return
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(
            f"trent server '{self.name}' was not ready within {timeout:.0f}s "
            f"(waited for the line {expected!r} and for TCP port {self.port}).\n"
            f"{self.describe_output()}")

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = STOP_TIMEOUT) -> Optional[int]:
        """SIGTERM, wait; SIGKILL if it does not go. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=timeout)
                raise RuntimeError(
                    f"trent server '{self.name}' did not exit within {timeout:.0f}s of SIGTERM "
                    f"(killed).\n{self.describe_output()}")
        return self.proc.returncode

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=STOP_TIMEOUT)

    def restart(self) -> "TrentServer":
        self.stop()
        return self.start()

    # -- output ----------------------------------------------------------------------

    def stdout(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_bytes().decode("utf-8", "replace")

    def stderr(self) -> str:
        if self.err_path is None or not self.err_path.exists():
            return ""
        return self.err_path.read_bytes().decode("utf-8", "replace")

    def exports(self) -> dict[str, str]:
        return dict(EXPORT_RE.findall(self.stdout()))

    def wait_for_credentials(self, timeout: float = 5.0) -> AdminCredentials:
        """Parses the four `export AWS_…=…` lines the first authenticated start prints."""
        wanted = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_ENDPOINT_URL")
        deadline = time.monotonic() + timeout
        while True:
            found = self.exports()
            if all(k in found for k in wanted):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"trent server '{self.name}' did not print all of {wanted} on first start; "
                    f"found {sorted(found)}.\n{self.describe_output()}")
            time.sleep(0.05)
        return AdminCredentials(found["AWS_ACCESS_KEY_ID"], found["AWS_SECRET_ACCESS_KEY"],
                                found["AWS_REGION"], found["AWS_ENDPOINT_URL"])

    def tail(self, lines: int = 200) -> str:
        parts = []
        for out, err in self.logs:
            for label, path in (("stdout", out), ("stderr", err)):
                text = path.read_bytes().decode("utf-8", "replace") if path.exists() else ""
                body = "\n".join(text.splitlines()[-lines:])
                parts.append(f"--- {path.name} ({label}) ---\n{body}")
        return "\n".join(parts)

    def describe_output(self) -> str:
        return self.tail()


def _kill_leftovers() -> None:
    for srv in ALL_SERVERS:
        with contextlib.suppress(Exception):
            srv.kill()


atexit.register(_kill_leftovers)


# --------------------------------------------------------------------------------------
# Clients
# --------------------------------------------------------------------------------------


def client_config(**overrides) -> Config:
    # parameter_validation=False: the server, not botocore, must reject bad input.
    # One attempt only: retries would hide errors and slow the suite down.
    base = dict(retries={"total_max_attempts": 1, "mode": "standard"},
                parameter_validation=False, connect_timeout=5, read_timeout=30)
    base.update(overrides)
    return Config(**base)


def make_kms(endpoint: str, access_key: str, secret_key: str, region: str = "us-east-1",
             **config):
    session = boto3.session.Session(aws_access_key_id=access_key,
                                    aws_secret_access_key=secret_key, region_name=region)
    return session.client("kms", endpoint_url=endpoint, config=client_config(**config))


def random_account() -> str:
    """A 12-digit account id nobody else in this run uses (dev mode namespaces)."""
    return str(secrets.randbelow(9 * 10**11) + 10**11)


def unique_alias(prefix: str = "e2e") -> str:
    return f"alias/{prefix}-{uuid.uuid4().hex[:16]}"


def key_arn(region: str, account: str, key_id: str) -> str:
    return f"arn:aws:kms:{region}:{account}:key/{key_id}"


def alias_arn(region: str, account: str, alias_name: str) -> str:
    return f"arn:aws:kms:{region}:{account}:{alias_name}"


def request_id(response: dict) -> Optional[str]:
    return response["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-requestid")


# --------------------------------------------------------------------------------------
# Asserting AWS errors
# --------------------------------------------------------------------------------------


class AwsError:
    code: str = ""
    message: str = ""
    status: int = 0
    headers: dict = {}
    response: dict = {}

    def __repr__(self) -> str:
        return f"AwsError({self.status} {self.code}: {self.message!r})"


@contextlib.contextmanager
def raises_aws(code, status: Optional[int] = 400):
    """`with raises_aws("NotFoundException") as err: kms.describe_key(...)`.

    `code` may be a string or a tuple of acceptable codes. After the block `err` carries the
    code, message, HTTP status and headers of the ClientError.
    """
    info = AwsError()
    with pytest.raises(ClientError) as excinfo:
        yield info
    resp = excinfo.value.response
    info.response = resp
    info.code = resp.get("Error", {}).get("Code", "")
    info.message = resp.get("Error", {}).get("Message", "") or ""
    info.status = resp.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    info.headers = resp.get("ResponseMetadata", {}).get("HTTPHeaders", {})
    codes = (code,) if isinstance(code, str) else tuple(code)
    assert info.code in codes, f"expected error code {codes}, got {info!r}"
    if status is not None:
        assert info.status == status, f"expected HTTP {status}, got {info!r}"
    assert info.headers.get("x-amzn-requestid"), f"error response without x-amzn-RequestId: {info!r}"


# --------------------------------------------------------------------------------------
# Raw HTTP
# --------------------------------------------------------------------------------------


def sign_request(endpoint: str, access_key: str, secret_key: str, region: str,
                 target: Optional[str], body: bytes, *, content_type: Optional[str] = JSON_CT,
                 extra_headers: Optional[dict] = None, when=None, service: str = "kms"):
    """Builds a SigV4-signed POST; `when` (naive UTC datetime) fakes the signing clock."""
    headers = {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if target is not None:
        headers["X-Amz-Target"] = target
    headers.update(extra_headers or {})
    req = AWSRequest(method="POST", url=endpoint + "/", data=body, headers=headers)
    signer = SigV4Auth(Credentials(access_key, secret_key), service, region)
    if when is None:
        signer.add_auth(req)
    else:
        with mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: when):
            signer.add_auth(req)
    return req.prepare()


def send(prepared, body: Optional[bytes] = None, timeout: float = 30) -> requests.Response:
    data = prepared.body if body is None else body
    return requests.post(prepared.url, data=data, headers=dict(prepared.headers.items()),
                         timeout=timeout)


def signed_post(creds: AdminCredentials, target: Optional[str], body, *, endpoint=None,
                region=None, timeout: float = 30, **kw) -> requests.Response:
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
    elif isinstance(body, str):
        body = body.encode()
    prepared = sign_request(endpoint or creds.endpoint, creds.access_key, creds.secret_key,
                            region or creds.region, target, body, **kw)
    return send(prepared, body, timeout=timeout)


def aws_error_of(resp: requests.Response) -> tuple[str, str]:
    """(code, message) of a raw AWS JSON error response; fails the test if it is not one."""
    try:
        body = resp.json()
    except ValueError:
        pytest.fail(f"error body is not JSON (HTTP {resp.status_code}): {resp.content[:500]!r}")
    assert isinstance(body, dict), f"error body is not a JSON object: {body!r}"
    raw = body.get("__type") or resp.headers.get("x-amzn-ErrorType", "")
    assert raw, f"error body has no __type: {body!r}"
    # Coral may send "com.amazon.coral.service#UnknownOperationException"; the header form is
    # "Code:http://…". botocore keeps only the bare name, and so do we.
    code = raw.split("#")[-1].split(":")[0]
    message = body.get("message", body.get("Message", "")) or ""
    return code, message


def assert_aws_error(resp: requests.Response, code, status=400) -> str:
    codes = (code,) if isinstance(code, str) else tuple(code)
    statuses = (status,) if isinstance(status, int) else tuple(status)
    got_code, message = aws_error_of(resp)
    assert resp.status_code in statuses, (
        f"expected HTTP {statuses}, got {resp.status_code}: {resp.content[:500]!r}")
    assert got_code in codes, f"expected {codes}, got {got_code}: {message!r}"
    assert resp.headers.get("x-amzn-RequestId"), "error response lacks x-amzn-RequestId"
    return message


# --------------------------------------------------------------------------------------
# AWS CLI
# --------------------------------------------------------------------------------------


def aws_cli_command() -> list[str]:
    exe = shutil.which("aws")
    return [exe] if exe else [sys.executable, "-m", "awscli"]


def cli_env(access_key: str, secret_key: str, region: str, scratch: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=access_key,
        AWS_SECRET_ACCESS_KEY=secret_key,
        AWS_REGION=region,
        AWS_DEFAULT_REGION=region,
        AWS_CONFIG_FILE=str(scratch / "no-such-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(scratch / "no-such-aws-credentials"),
        AWS_PAGER="",
        AWS_MAX_ATTEMPTS="1",
        AWS_RETRY_MODE="standard",
    )
    return env


def run_aws(args: Iterable[str], *, endpoint: str, access_key: str, secret_key: str,
            region: str, scratch: Path, timeout: float = 90) -> subprocess.CompletedProcess:
    cmd = aws_cli_command() + ["--endpoint-url", endpoint, "--output", "json", *args]
    return subprocess.run(cmd, env=cli_env(access_key, secret_key, region, scratch),
                          capture_output=True, text=True, timeout=timeout, cwd=str(scratch))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# --------------------------------------------------------------------------------------
# Paging
# --------------------------------------------------------------------------------------


def walk_pages(call, result_key: str, limit: int, max_pages: int = 200, **kwargs) -> list[dict]:
    """Follows Marker/NextMarker by hand, checking the paging contract on every page.

    AWS: "KMS does not return more than the specified number of items, but it might return
    fewer", so a page may be short; Truncated/NextMarker must still be consistent.
    """
    pages, marker = [], None
    while True:
        args = dict(kwargs, Limit=limit)
        if marker is not None:
            args["Marker"] = marker
        page = call(**args)
        pages.append(page)
        assert len(page[result_key]) <= limit, f"page larger than Limit={limit}: {page}"
        assert isinstance(page["Truncated"], bool)
        if not page["Truncated"]:
            assert "NextMarker" not in page, f"NextMarker on the last page: {page}"
            return pages
        assert page.get("NextMarker"), f"Truncated without NextMarker: {page}"
        assert page["NextMarker"] != marker, "NextMarker did not advance"
        marker = page["NextMarker"]
        assert len(pages) < max_pages, "paging never ends"
