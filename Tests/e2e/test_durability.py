"""Crash safety (SIGKILL + restart on the same data folder) and secrets at rest.

Each test starts its own authenticated server on a private data folder. Server logs live in a
separate folder, so scanning the data folder never sees the (legitimately) printed secret.
"""

import base64
import os
import stat
from pathlib import Path

import e2e_helpers as h
from e2e_helpers import raises_aws


def client(srv, creds):
    return h.make_kms(srv.endpoint, creds.access_key, creds.secret_key, creds.region)


def listed_aliases(kms):
    return {a["AliasName"]: a.get("TargetKeyId")
            for p in kms.get_paginator("list_aliases").paginate() for a in p["Aliases"]}


def tags_of(kms, key_id):
    return {t["TagKey"]: t["TagValue"]
            for p in kms.get_paginator("list_resource_tags").paginate(KeyId=key_id)
            for t in p["Tags"]}


def test_sigkill_and_restart_keeps_everything(server_factory):
    srv = server_factory("durable")
    srv.start()
    creds = srv.wait_for_credentials()
    kms = client(srv, creds)

    keys = [kms.create_key(Description=f"durable {i}")["KeyMetadata"] for i in range(3)]
    aliases, tags = {}, {}
    for i, meta in enumerate(keys):
        name = h.unique_alias(f"durable{i}")
        kms.create_alias(AliasName=name, TargetKeyId=meta["KeyId"])
        aliases[name] = meta["KeyId"]
        tags[meta["KeyId"]] = {"index": str(i), "owner": "durability"}
        kms.tag_resource(KeyId=meta["KeyId"], Tags=[
            {"TagKey": k, "TagValue": v} for k, v in tags[meta["KeyId"]].items()])

    messages = []
    for i in range(6):
        meta = keys[i % 3]
        plaintext = os.urandom(17 + i * 100)
        ctx = {"message": str(i), "purpose": "durability"} if i % 2 else None
        kwargs = {"EncryptionContext": ctx} if ctx else {}
        blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=plaintext, **kwargs)["CiphertextBlob"]
        messages.append((blob, plaintext, ctx, meta["Arn"]))

    data_keys = []
    for i in range(3):
        dk = kms.generate_data_key(KeyId=keys[i]["KeyId"], KeySpec="AES_256",
                                   EncryptionContext={"dk": str(i)})
        data_keys.append((dk["CiphertextBlob"], dk["Plaintext"], {"dk": str(i)}))
    blind = kms.generate_data_key_without_plaintext(KeyId=keys[0]["KeyId"],
                                                    NumberOfBytes=24)["CiphertextBlob"]

    # State changes that must survive too.
    state_key = kms.create_key(Description="will be disabled")["KeyMetadata"]
    kms.disable_key(KeyId=state_key["KeyId"])
    doomed = kms.create_key(Description="pending deletion")["KeyMetadata"]
    deletion = kms.schedule_key_deletion(KeyId=doomed["KeyId"], PendingWindowInDays=9)
    kms.update_key_description(KeyId=keys[0]["KeyId"], Description="renamed before crash")
    # The very last write before the crash: acknowledged means durable.
    last = kms.encrypt(KeyId=keys[1]["KeyId"], Plaintext=b"last words")["CiphertextBlob"]

    srv.kill()
    srv.start()

    restart_output = srv.stdout() + srv.stderr()
    assert creds.secret_key not in restart_output, "restart printed the admin secret again"
    assert "AWS_SECRET_ACCESS_KEY" not in restart_output

    kms = client(srv, creds)
    for i, meta in enumerate(keys):
        got = kms.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]
        assert got["Arn"] == meta["Arn"]
        assert got["KeyState"] == "Enabled"
        assert got["AWSAccountId"] == meta["AWSAccountId"]
        assert abs(got["CreationDate"].timestamp() - meta["CreationDate"].timestamp()) < 1
        expected_description = "renamed before crash" if i == 0 else f"durable {i}"
        assert got["Description"] == expected_description
        assert tags_of(kms, meta["KeyId"]) == tags[meta["KeyId"]]

    for blob, plaintext, ctx, arn in messages:
        kwargs = {"EncryptionContext": ctx} if ctx else {}
        out = kms.decrypt(CiphertextBlob=blob, **kwargs)
        assert out["Plaintext"] == plaintext
        assert out["KeyId"] == arn
    for blob, plaintext, ctx in data_keys:
        assert kms.decrypt(CiphertextBlob=blob, EncryptionContext=ctx)["Plaintext"] == plaintext
    assert len(kms.decrypt(CiphertextBlob=blind)["Plaintext"]) == 24
    assert kms.decrypt(CiphertextBlob=last)["Plaintext"] == b"last words"

    now_aliases = listed_aliases(kms)
    for name, key_id in aliases.items():
        assert now_aliases.get(name) == key_id
        assert kms.describe_key(KeyId=name)["KeyMetadata"]["KeyId"] == key_id

    assert kms.describe_key(KeyId=state_key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    with raises_aws("DisabledException"):
        kms.encrypt(KeyId=state_key["KeyId"], Plaintext=b"x")
    doomed_now = kms.describe_key(KeyId=doomed["KeyId"])["KeyMetadata"]
    assert doomed_now["KeyState"] == "PendingDeletion"
    assert abs(doomed_now["DeletionDate"].timestamp()
               - deletion["DeletionDate"].timestamp()) < 1

    listed = {k["KeyId"] for p in kms.get_paginator("list_keys").paginate() for k in p["Keys"]}
    assert {m["KeyId"] for m in keys} | {state_key["KeyId"], doomed["KeyId"]} <= listed

    # Still fully working after the crash: new key, new ciphertext.
    fresh = kms.create_key()["KeyMetadata"]
    blob = kms.encrypt(KeyId=fresh["KeyId"], Plaintext=b"after")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"after"

    # And a clean stop (SIGTERM) exits 0, after which a third start still has everything.
    assert srv.stop() == 0
    srv.start()
    kms = client(srv, creds)
    blob, plaintext, ctx, _ = messages[1]
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext=ctx)["Plaintext"] == plaintext
    assert kms.decrypt(CiphertextBlob=last)["Plaintext"] == b"last words"


def test_repeated_crashes(server_factory):
    srv = server_factory("crashy")
    srv.start()
    creds = srv.wait_for_credentials()
    blobs = []
    for round_ in range(3):
        kms = client(srv, creds)
        meta = kms.create_key(Description=f"round {round_}")["KeyMetadata"]
        plaintext = f"round {round_}".encode()
        blobs.append((kms.encrypt(KeyId=meta["KeyId"], Plaintext=plaintext)["CiphertextBlob"],
                      plaintext))
        srv.kill()
        srv.start()
    kms = client(srv, creds)
    for blob, plaintext in blobs:
        assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == plaintext


def database_pages(path: Path) -> tuple:
    """(page size, page count) from the database file's header, as SQLite reads them."""
    header = path.read_bytes()[:32]
    page_size = int.from_bytes(header[16:18], "big")
    return (65536 if page_size == 1 else page_size), int.from_bytes(header[28:32], "big")


def test_space_written_ahead_survives_crashes(server_factory):
    """The server keeps zeros written ahead at the end of its database file (see
    DatabaseFileReserve): after a SIGKILL and a clean stop the file still holds them, every
    ciphertext still decrypts, and SQLite finds the database intact."""
    import sqlite3

    srv = server_factory("reserve")
    srv.start()
    creds = srv.wait_for_credentials()
    kms = client(srv, creds)
    key_id = kms.create_key(Description="space ahead")["KeyMetadata"]["KeyId"]
    blobs = []
    for i in range(200):
        plaintext = f"message {i}".encode() * 20
        blobs.append((kms.encrypt(KeyId=key_id, Plaintext=plaintext,
                                  EncryptionContext={"i": str(i)})["CiphertextBlob"], plaintext, i))
    srv.kill()
    srv.start()
    kms = client(srv, creds)
    for i in range(200, 260):
        plaintext = f"after {i}".encode()
        blobs.append((kms.encrypt(KeyId=key_id, Plaintext=plaintext,
                                  EncryptionContext={"i": str(i)})["CiphertextBlob"], plaintext, i))
    assert srv.stop() == 0

    database = srv.data_dir / "trent.sqlite"
    page_size, pages = database_pages(database)
    assert database.stat().st_size > page_size * pages, "no space was kept ahead of the database"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    srv.start()
    kms = client(srv, creds)
    for blob, plaintext, i in blobs:
        assert kms.decrypt(CiphertextBlob=blob, EncryptionContext={"i": str(i)})["Plaintext"] == plaintext


def secret_forms(secret: bytes):
    """The raw bytes plus the encodings a careless implementation might store."""
    forms = {secret, base64.b64encode(secret), secret.hex().encode(), secret.hex().upper().encode()}
    if len(secret) >= 8:
        forms.add(base64.urlsafe_b64encode(secret).rstrip(b"="))
    return forms


def scan(data_dir: Path, secrets_by_label: dict) -> list:
    found = []
    for path in sorted(data_dir.rglob("*")):
        if not path.is_file() or path.name == "root.key":
            continue
        content = path.read_bytes()
        for label, secret in secrets_by_label.items():
            for form in secret_forms(secret):
                if form in content:
                    found.append((path.name, label, form[:12]))
    return found


def test_no_secrets_at_rest(server_factory):
    srv = server_factory("atrest")
    srv.start()
    creds = srv.wait_for_credentials()
    kms = client(srv, creds)

    secrets_by_label = {"admin secret access key": creds.secret_key.encode()}
    keys = [kms.create_key(Description=f"at rest {i}")["KeyMetadata"] for i in range(2)]
    for i in range(8):
        key_id = keys[i % 2]["KeyId"]
        if i % 2:
            dk = kms.generate_data_key(KeyId=key_id, KeySpec="AES_256")
        else:
            dk = kms.generate_data_key(KeyId=key_id, NumberOfBytes=48,
                                       EncryptionContext={"i": str(i)})
        secrets_by_label[f"data key {i}"] = dk["Plaintext"]
    for i in range(4):
        plaintext = os.urandom(64)
        kms.encrypt(KeyId=keys[i % 2]["KeyId"], Plaintext=plaintext)
        secrets_by_label[f"encrypted plaintext {i}"] = plaintext
    kms.create_alias(AliasName=h.unique_alias(), TargetKeyId=keys[0]["KeyId"])

    root_key = srv.data_dir / "root.key"
    assert root_key.is_file(), sorted(p.name for p in srv.data_dir.iterdir())
    root_bytes = root_key.read_bytes()
    assert len(root_bytes) == 32
    assert stat.S_IMODE(root_key.stat().st_mode) == 0o600, oct(root_key.stat().st_mode)
    secrets_by_label["root key"] = root_bytes
    assert (srv.data_dir / "trent.sqlite").is_file()

    # After a crash the WAL is not checkpointed: scan that state first...
    srv.kill()
    leaks = scan(srv.data_dir, secrets_by_label)
    assert not leaks, f"plaintext secrets found in the data folder after SIGKILL: {leaks}"

    # ...then after a clean shutdown.
    srv.start()
    assert client(srv, creds).describe_key(KeyId=keys[0]["KeyId"])
    assert srv.stop() == 0
    leaks = scan(srv.data_dir, secrets_by_label)
    assert not leaks, f"plaintext secrets found in the data folder after SIGTERM: {leaks}"
    assert stat.S_IMODE(root_key.stat().st_mode) == 0o600
    assert root_key.read_bytes() == root_bytes, "root key changed across restarts"


def test_restart_does_not_print_secret_and_keeps_credentials(server_factory):
    srv = server_factory("creds")
    srv.start()
    creds = srv.wait_for_credentials()
    first_output = srv.stdout()
    assert first_output.count(creds.secret_key) == 1, "secret should be printed exactly once"
    srv.stop()
    srv.start()
    assert creds.secret_key not in srv.stdout() + srv.stderr()
    assert "export AWS_SECRET_ACCESS_KEY" not in srv.stdout()
    kms = client(srv, creds)
    assert kms.list_keys()["Keys"] == []
    kms.create_key()


def test_database_file_alone_catches_up_while_the_server_runs(server_factory, tmp_path):
    """The server copies its write-ahead log into trent.sqlite in the background: a copy of the
    file alone, without its -wal, soon holds every request's audit record, though far fewer were
    written than the 1,000 log pages at which SQLite checkpoints inside a commit."""
    import shutil
    import sqlite3
    import time

    srv = server_factory("checkpoints")
    srv.start()
    creds = srv.wait_for_credentials()
    kms = client(srv, creds)
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    for i in range(20):
        kms.encrypt(KeyId=key_id, Plaintext=b"checkpoint %d" % i)

    def encrypts_in_file_alone():
        copy = tmp_path / f"copy-{time.monotonic_ns()}.sqlite"
        shutil.copyfile(srv.data_dir / "trent.sqlite", copy)
        try:
            with sqlite3.connect(copy) as db:
                tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if "audit_records" not in tables:
                    return 0
                return db.execute("SELECT COUNT(*) FROM audit_records WHERE event_name = 'Encrypt'").fetchone()[0]
        except sqlite3.DatabaseError:
            # The copy caught a checkpoint halfway through writing pages ("malformed"); the next is whole.
            return 0

    deadline = time.monotonic() + 10
    while encrypts_in_file_alone() < 20 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert encrypts_in_file_alone() == 20
