"""The AWS CLI (v1, from PyPI) against the authenticated server, using the printed credentials."""

import base64
import json
import os
import subprocess

import pytest

import e2e_helpers as h


def test_cli_create_key_encrypt_decrypt(aws, tmp_path, account_id, region):
    meta = aws("kms", "create-key", "--description", "made by the aws cli")["KeyMetadata"]
    assert meta["Description"] == "made by the aws cli"
    assert meta["KeyState"] == "Enabled"
    assert meta["AWSAccountId"] == account_id
    assert meta["Arn"] == h.key_arn(region, account_id, meta["KeyId"])

    plaintext = os.urandom(100) + b"\x00\n\r binary-safe"
    (tmp_path / "plain.bin").write_bytes(plaintext)
    enc = aws("kms", "encrypt", "--key-id", meta["KeyId"],
              "--plaintext", "fileb://plain.bin",
              "--encryption-context", "purpose=cli,team=e2e")
    assert enc["KeyId"] == meta["Arn"]
    assert enc["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    (tmp_path / "cipher.bin").write_bytes(base64.b64decode(enc["CiphertextBlob"]))

    dec = aws("kms", "decrypt", "--ciphertext-blob", "fileb://cipher.bin",
              "--encryption-context", "team=e2e,purpose=cli")
    assert base64.b64decode(dec["Plaintext"]) == plaintext
    assert dec["KeyId"] == meta["Arn"]
    assert dec["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"

    bad = aws("kms", "decrypt", "--ciphertext-blob", "fileb://cipher.bin", raw=True)
    assert bad.returncode in (254, 255)
    assert "InvalidCiphertextException" in bad.stderr


def test_cli_generate_data_key(aws, kms, key, tmp_path):
    out = aws("kms", "generate-data-key", "--key-id", key["Arn"], "--key-spec", "AES_256")
    assert out["KeyId"] == key["Arn"]
    plaintext = base64.b64decode(out["Plaintext"])
    assert len(plaintext) == 32
    blob = base64.b64decode(out["CiphertextBlob"])
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == plaintext

    out = aws("kms", "generate-data-key", "--key-id", key["KeyId"], "--number-of-bytes", "64")
    assert len(base64.b64decode(out["Plaintext"])) == 64


def test_cli_aliases(aws, key, account_id, region, tmp_path):
    name = h.unique_alias("cli")
    assert aws("kms", "create-alias", "--alias-name", name, "--target-key-id", key["KeyId"]) is None
    listed = aws("kms", "list-aliases")["Aliases"]
    entry = next(a for a in listed if a["AliasName"] == name)
    assert entry["TargetKeyId"] == key["KeyId"]
    assert entry["AliasArn"] == h.alias_arn(region, account_id, name)

    by_key = aws("kms", "list-aliases", "--key-id", key["KeyId"])["Aliases"]
    assert [a["AliasName"] for a in by_key] == [name]

    described = aws("kms", "describe-key", "--key-id", name)["KeyMetadata"]
    assert described["KeyId"] == key["KeyId"]

    (tmp_path / "p.txt").write_bytes(b"via alias")
    enc = aws("kms", "encrypt", "--key-id", name, "--plaintext", "fileb://p.txt")
    assert enc["KeyId"] == key["Arn"]


def test_cli_list_keys_auto_paginates(aws, dev_server, tmp_path):
    account = h.random_account()
    made = set()
    for _ in range(5):
        out = aws("kms", "create-key", endpoint=dev_server.endpoint, access_key=account,
                  secret_key="dev")
        made.add(out["KeyMetadata"]["KeyId"])
    listed = aws("kms", "list-keys", "--page-size", "2", endpoint=dev_server.endpoint,
                 access_key=account, secret_key="dev")["Keys"]
    assert {k["KeyId"] for k in listed} == made
    assert len(listed) == 5


def test_cli_wrong_secret(aws):
    proc = aws("kms", "list-keys", raw=True, secret_key="W" * 40)
    assert proc.returncode in (254, 255), proc
    assert "InvalidSignatureException" in proc.stderr, proc.stderr


def test_cli_unknown_access_key(aws):
    proc = aws("kms", "list-keys", raw=True, access_key="AKIAIOSFODNN7EXAMPLE")
    assert proc.returncode in (254, 255), proc
    assert "UnrecognizedClientException" in proc.stderr, proc.stderr


def test_printed_export_lines_work_in_a_shell(auth_server, tmp_path):
    """Paste the server's own `export …` lines into bash and use the CLI with them."""
    exports = [line for line in auth_server.logs[0][0].read_text().splitlines()
               if line.startswith("export AWS_")]
    assert len(exports) == 4, exports
    script = tmp_path / "env.sh"
    script.write_text("\n".join(exports) + "\n")
    env = h.cli_env("unused", "unused", "unused", tmp_path)
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION"):
        env.pop(var)
    aws_cmd = " ".join(f"'{part}'" for part in h.aws_cli_command())
    # CLI v1 reads the Region only from AWS_DEFAULT_REGION and may ignore AWS_ENDPOINT_URL,
    # so both are passed explicitly from the exported variables.
    command = (f'set -e; . "{script}"; '
               f'{aws_cmd} --endpoint-url "$AWS_ENDPOINT_URL" --region "$AWS_REGION" '
               f'--output json kms list-keys --max-items 1')
    proc = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True,
                          timeout=90, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "Keys" in json.loads(proc.stdout)


def test_cli_sign_verify_and_public_key(aws, tmp_path):
    """The release-signing flow: sign with the CLI, verify offline with the public key."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    meta = aws("kms", "create-key", "--key-spec", "ECC_NIST_P384", "--key-usage", "SIGN_VERIFY")["KeyMetadata"]
    assert meta["SigningAlgorithms"] == ["ECDSA_SHA_384"]
    (tmp_path / "release.tar").write_bytes(b"release bytes " * 100)
    signed = aws("kms", "sign", "--key-id", meta["KeyId"], "--message", "fileb://release.tar",
                 "--message-type", "RAW", "--signing-algorithm", "ECDSA_SHA_384")
    signature = base64.b64decode(signed["Signature"])
    (tmp_path / "sig.bin").write_bytes(signature)
    verified = aws("kms", "verify", "--key-id", meta["KeyId"], "--message", "fileb://release.tar",
                   "--signature", "fileb://sig.bin", "--signing-algorithm", "ECDSA_SHA_384")
    assert verified["SignatureValid"] is True
    public_der = base64.b64decode(aws("kms", "get-public-key", "--key-id", meta["KeyId"])["PublicKey"])
    public = serialization.load_der_public_key(public_der)
    public.verify(signature, b"release bytes " * 100, ec.ECDSA(hashes.SHA384()))
