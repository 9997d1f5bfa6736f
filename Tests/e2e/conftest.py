"""End-to-end tests for Trent: a real `trent serve` driven by boto3, raw SigV4 HTTP and the AWS CLI.

HOW TO RUN
----------
    swift build                                   # builds .build/debug/trent
    python3 -m pytest Tests/e2e -q                # from the repo root
    TRENT_BIN=/path/to/trent python3 -m pytest Tests/e2e -q     # test another binary

Needs Python 3.9+ with pytest, boto3, botocore, awscli (v1), requests and cryptography.
No AWS account is used; every request goes to 127.0.0.1.

What the fixtures do
--------------------
* `auth_server` (session): one authenticated server on a fresh tmp data folder. The admin
  credentials are parsed from the `export AWS_…=…` lines it prints on first start.
* `dev_server` (session): one `--dev` server (SigV4 not verified; a 12-digit access key id is the
  account id, anything else is account 000000000000).
* Durability and secrets-at-rest tests start their own servers (SIGKILL / restart on one folder).
* Each server's stdout/stderr goes to a file in the tmp folder (never the data folder); when a
  test fails, the tail of the relevant server output is attached to the report. Servers are
  always stopped at the end (SIGTERM, then SIGKILL), and an atexit hook kills any leftovers.

Conventions
-----------
* boto3 clients are built with parameter_validation=False and a single attempt, so the server
  (not botocore) must reject bad input, and errors are not hidden by retries.
* Errors are asserted on `e.response['Error']['Code']` (the wire `__type`), and on the message
  only where the real AWS text is known (see comments next to each such assertion).
"""

from __future__ import annotations

import json
import os

import pytest

import e2e_helpers as h


def pytest_configure(config):
    # Keep the developer's own AWS configuration out of the boto3 clients made in-process.
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_KMS",
                "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CA_BUNDLE"):
        os.environ.pop(var, None)
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


def pytest_runtest_setup(item):
    h.CURRENT_TEST = item.nodeid


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if not rep.failed:
        return
    for srv in h.ALL_SERVERS:
        if srv.scope == "session" or srv.started_in == item.nodeid:
            rep.sections.append((f"trent server '{srv.name}' output", srv.tail()))


# --------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def auth_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("auth-server")
    srv = h.TrentServer("auth", base / "data", base / "logs", scope="session")
    try:
        srv.start()
        srv.admin = srv.wait_for_credentials()
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="session")
def admin(auth_server) -> h.AdminCredentials:
    """The credentials printed by the authenticated server's first start."""
    return auth_server.admin


@pytest.fixture(scope="session")
def dev_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("dev-server")
    srv = h.TrentServer("dev", base / "data", base / "logs", dev=True, scope="session")
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def server_factory(tmp_path):
    """Starts private servers (durability tests); all are stopped when the test ends."""
    made = []

    def make(name="private", dev=False, data_dir=None):
        srv = h.TrentServer(name, data_dir or tmp_path / f"{name}-data", tmp_path / "logs",
                            dev=dev)
        made.append(srv)
        return srv

    yield make
    for srv in made:
        try:
            srv.stop()
        except Exception:
            srv.kill()


# --------------------------------------------------------------------------------------
# Clients
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def kms(admin):
    """boto3 KMS client for the authenticated server, admin credentials, us-east-1."""
    return h.make_kms(admin.endpoint, admin.access_key, admin.secret_key, admin.region)


@pytest.fixture(scope="session")
def account_id(kms) -> str:
    """The admin's account id, learnt from CreateKey (it is not fixed by the contract)."""
    meta = kms.create_key(Description="e2e: learn account id")["KeyMetadata"]
    assert h.ACCOUNT_RE.match(meta["AWSAccountId"]), meta
    return meta["AWSAccountId"]


@pytest.fixture
def data(auth_server):
    """The authenticated server's data folder, for `trent iam`, `trent audit` and the like."""
    return auth_server.data_dir


@pytest.fixture
def endpoint(auth_server):
    return auth_server.endpoint


@pytest.fixture(scope="session")
def region(admin) -> str:
    return admin.region


@pytest.fixture
def new_key(kms, request):
    """Factory: creates a key on the authenticated server and returns its KeyMetadata."""

    def make(**kwargs):
        kwargs.setdefault("Description", f"e2e {request.node.name}")
        return kms.create_key(**kwargs)["KeyMetadata"]

    return make


@pytest.fixture
def key(new_key):
    return new_key()


@pytest.fixture
def other_key(new_key):
    return new_key()


@pytest.fixture
def aws(admin, tmp_path):
    """The AWS CLI with the admin credentials: aws("kms", "create-key", ...) -> parsed JSON (or raw CompletedProcess with raw=True)."""

    def run(*args, raw=False, secret_key=None, access_key=None, endpoint=None, region=None):
        proc = h.run_aws(args, endpoint=endpoint or admin.endpoint,
                         access_key=access_key or admin.access_key,
                         secret_key=secret_key or admin.secret_key,
                         region=region or admin.region, scratch=tmp_path)
        if raw:
            return proc
        assert proc.returncode == 0, f"aws {' '.join(args)} failed:\n{proc.stderr}"
        return json.loads(proc.stdout) if proc.stdout.strip() else None

    return run


@pytest.fixture
def alias_for(kms):
    """Factory: gives a key a fresh alias and returns the alias name."""

    def make(key_id: str, prefix: str = "e2e") -> str:
        name = h.unique_alias(prefix)
        kms.create_alias(AliasName=name, TargetKeyId=key_id)
        return name

    return make


@pytest.fixture(scope="session")
def dev_kms(dev_server):
    """Factory for dev-mode clients: dev_kms(access_key, region=…, secret_key=…)."""

    def make(access_key: str, region: str = "us-east-1", secret_key: str = "dev-secret-anything"):
        return h.make_kms(dev_server.endpoint, access_key, secret_key, region)

    return make


@pytest.fixture
def fresh_account(dev_kms):
    """A dev-mode namespace nobody else touches: (account id, client factory by Region)."""
    account = h.random_account()

    class Namespace:
        id = account

        @staticmethod
        def client(region: str = "us-east-1"):
            return dev_kms(account, region=region)

    return Namespace
