"""The blob store keeps bytes durably under their hash; passwords and tokens are stored only as hashes."""

from __future__ import annotations

import pytest

from core.blobs import BlobStore, sha256_hex
from core.errors import FileTooLarge, NotFound
from core.security import hash_password, hash_token, new_api_token, verify_password


def test_blobs_are_content_addressed_and_written_once(tmp_path):
    store = BlobStore(tmp_path)
    key = store.put(b"invoice bytes")
    assert key == sha256_hex(b"invoice bytes") and store.get(key) == b"invoice bytes"
    path = store.path_for(key)
    assert path.relative_to(tmp_path).parts == (key[:2], key[2:4], key)
    assert store.put(b"invoice bytes") == key
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".incoming-")]


def test_a_staged_file_is_hashed_as_it_arrives_and_refused_past_its_limit(tmp_path):
    store = BlobStore(tmp_path)
    with store.stage(max_bytes=10) as staged:
        staged.write(b"12345")
        staged.write(b"67890")
        assert staged.size == 10 and staged.sha256 == sha256_hex(b"1234567890") and staged.head == b"1234567890"
        with pytest.raises(FileTooLarge) as raised:
            staged.write(b"x")
    assert "10 bytes" in raised.value.detail and raised.value.status_code == 413
    assert list(tmp_path.iterdir()) == []  # nothing of it is kept


def test_a_committed_file_is_stored_under_its_hash_and_survives_the_block(tmp_path):
    store = BlobStore(tmp_path)
    with store.stage_bytes(b"scanned receipt") as staged:
        key = staged.commit()
    assert store.get(key) == b"scanned receipt" and not list(tmp_path.glob(".incoming-*"))


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
