"""`trent bench seed-keys`: keys added straight through the repository are real, usable keys."""

import subprocess

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
