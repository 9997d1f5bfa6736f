"""Benchmark tools: `trent bench seed-keys` adds real, usable keys straight through the
repository; `Benchmarks/ab` compares two builds under wrk."""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import e2e_helpers as h


def test_seeded_keys_are_listed_and_usable(server_factory):
    srv = server_factory("seed").start()
    creds = srv.wait_for_credentials()
    kms = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key)
    account = kms.create_key()["KeyMetadata"]["AWSAccountId"]
    srv.stop()

    out = subprocess.run(
        [str(h.trent_binary()), "bench", "seed-keys", "--data", str(srv.data_dir), "--count", "250"],
        capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert f"seeded 250 keys in account {account}" in out.stdout

    srv.start()
    kms = h.make_kms(srv.endpoint, creds.access_key, creds.secret_key)
    keys = [k for page in h.walk_pages(kms.list_keys, "Keys", limit=100) for k in page["Keys"]]
    assert len(keys) == 251
    seeded = keys[-1]["KeyId"]
    blob = kms.encrypt(KeyId=seeded, Plaintext=b"seeded")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"seeded"


BENCHMARKS = Path(__file__).resolve().parents[2] / "Benchmarks"


@pytest.mark.parametrize("mode", ["paired", "solo"])
def test_ab_compares_two_builds_round_by_round(mode):
    """`Benchmarks/ab` runs both binaries under wrk, prints a line per round and the medians of
    B/A, and leaves no data folder behind. A build against itself is the smallest real case."""
    leftovers = set(Path(tempfile.gettempdir()).glob("trent-bench-ab-*"))
    binary = str(h.trent_binary())
    out = subprocess.run(
        [sys.executable, str(BENCHMARKS / "ab"), binary, binary, "--mode", mode, "--rounds", "1",
         "--duration", "1", "--warmup", "0", "--connections", "4"],
        capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert re.search(r"^round 1  A +[\d,]+ req/s  p99 +[\d.]+ ms  cpu +[\d.]+ µs \(loops +[\d.]+\)  \|  B ", out.stdout, re.M), out.stdout
    ratios = re.search(r"^median B/A over 1 valid rounds: cpu ([\d.]+)  req/s ([\d.]+)  p99 ([\d.]+)$", out.stdout, re.M)
    assert ratios, out.stdout
    assert all(float(value) > 0 for value in ratios.groups())
    assert ("median A " in out.stdout) == (mode == "solo")
    assert set(Path(tempfile.gettempdir()).glob("trent-bench-ab-*")) == leftovers


def test_ab_refuses_a_missing_binary():
    out = subprocess.run(
        [sys.executable, str(BENCHMARKS / "ab"), "/nonexistent/trent", str(h.trent_binary())],
        capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "no such binary: /nonexistent/trent" in out.stderr
