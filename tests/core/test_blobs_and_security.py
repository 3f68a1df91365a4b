"""The blob store keeps bytes durably under their hash; passwords and tokens are stored only as hashes."""

from __future__ import annotations

import pytest

from core.blobs import BlobStore, sha256_hex
from core.errors import NotFound
from core.security import hash_password, hash_token, new_api_token, verify_password


def test_blobs_are_content_addressed_and_written_once(tmp_path):
    store = BlobStore(tmp_path)
    key = store.put(b"invoice bytes")
    assert key == sha256_hex(b"invoice bytes") and store.get(key) == b"invoice bytes"
    path = store.path_for(key)
    assert path.relative_to(tmp_path).parts == (key[:2], key[2:4], key)
    assert store.put(b"invoice bytes") == key
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".incoming-")]


def test_unknown_or_malformed_keys_are_not_found(tmp_path):
    store = BlobStore(tmp_path)
    with pytest.raises(NotFound):
        store.get("0" * 64)
    with pytest.raises(NotFound):
        store.get("../../etc/passwd")


def test_passwords_are_salted_and_verified():
    first, second = hash_password("s3cret"), hash_password("s3cret")
    assert first != second and "s3cret" not in first
    assert verify_password("s3cret", first) and not verify_password("S3cret", first)
    assert not verify_password("s3cret", "not-a-hash")


def test_tokens_are_random_and_stored_as_sha256():
    token = new_api_token()
    assert token.startswith("ldk_") and token != new_api_token()
    assert hash_token(token) == sha256_hex(token.encode()) and token not in hash_token(token)
