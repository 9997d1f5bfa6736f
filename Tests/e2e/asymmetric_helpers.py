"""Independent checks for the asymmetric e2e tests: Python's `cryptography`, the system's
OpenSSL 3 command line for SM2 (which `cryptography` does not implement), and the RFC 8032
reference algorithm for Ed25519ph (ed25519ph_reference.py)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, mldsa, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

import ed25519ph_reference

HASHES = {"SHA_256": hashes.SHA256, "SHA_384": hashes.SHA384, "SHA_512": hashes.SHA512}

# The default SM2 distinguishing ID (GB/T 32918), which AWS KMS uses for SM2DSA.
SM2_ID = "1234567812345678"


def hash_of(algorithm: str):
    return HASHES[algorithm[-7:]]()


def digest(algorithm: str, message: bytes) -> bytes:
    h = hashes.Hash(hash_of(algorithm))
    h.update(message)
    return h.finalize()


def verify_independently(public_der: bytes, algorithm: str, message: bytes, message_type: str, signature: bytes) -> None:
    """Raises unless `signature` verifies outside Trent."""
    if algorithm == "SM2DSA":
        assert message_type == "RAW", "the OpenSSL CLI checks SM2DSA over whole messages"
        openssl_sm2_verify(public_der, message, signature)
        return
    public = serialization.load_der_public_key(public_der)
    if algorithm == "ED25519_PH_SHA_512":
        # AWS prehashes the submitted SHA-512 digest again: the digest is Ed25519ph's message.
        assert isinstance(public, ed25519.Ed25519PublicKey) and message_type == "DIGEST"
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        if not ed25519ph_reference.verify(raw, message, signature):
            raise InvalidSignature("Ed25519ph signature does not verify")
    elif algorithm == "ED25519_SHA_512":
        assert isinstance(public, ed25519.Ed25519PublicKey)
        public.verify(signature, message)
    elif algorithm == "ML_DSA_SHAKE_256":
        assert isinstance(public, (mldsa.MLDSA44PublicKey, mldsa.MLDSA65PublicKey, mldsa.MLDSA87PublicKey))
        public.verify(signature, message)
    else:
        chosen = hash_of(algorithm)
        data, hash_arg = (message, chosen) if message_type == "RAW" else (message, Prehashed(chosen))
        if algorithm.startswith("ECDSA"):
            assert isinstance(public, ec.EllipticCurvePublicKey)
            public.verify(signature, data, ec.ECDSA(hash_arg))
        elif algorithm.startswith("RSASSA_PSS"):
            assert isinstance(public, rsa.RSAPublicKey)
            public.verify(signature, data, padding.PSS(mgf=padding.MGF1(chosen), salt_length=chosen.digest_size), hash_arg)
        elif algorithm.startswith("RSASSA_PKCS1"):
            assert isinstance(public, rsa.RSAPublicKey)
            public.verify(signature, data, padding.PKCS1v15(), hash_arg)
        else:
            raise AssertionError(f"no independent check for {algorithm}")


def openssl(*args: str, input: bytes | None = None) -> bytes:
    done = subprocess.run(["openssl", *args], input=input, capture_output=True)
    if done.returncode != 0:
        raise InvalidSignature(done.stderr.decode(errors="replace") + done.stdout.decode(errors="replace"))
    return done.stdout


def openssl_sm2_verify(public_der: bytes, message: bytes, signature: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "pub.der").write_bytes(public_der)
        (d / "msg").write_bytes(message)
        (d / "sig").write_bytes(signature)
        out = openssl(
            "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", str(d / "pub.der"), "-rawin",
            "-digest", "sm3", "-pkeyopt", f"distid:{SM2_ID}", "-in", str(d / "msg"), "-sigfile", str(d / "sig"))
        if b"Signature Verified Successfully" not in out:
            raise InvalidSignature(out.decode(errors="replace"))


def openssl_public_from_private(private_der: bytes) -> bytes:
    """The DER SubjectPublicKeyInfo OpenSSL derives from a DER PKCS#8 private key."""
    return openssl("pkey", "-inform", "DER", "-outform", "DER", "-pubout", input=private_der)
