"""Content-addressed blob store: a file is written once, under the hex sha256 of its bytes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from core.errors import NotFound
from core.settings import get_settings


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BlobStore:
    """Stores bytes under ``<root>/<aa>/<bb>/<sha256>``; writes are atomic and fsynced."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, key: str) -> Path:
        if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise NotFound(f"No stored file has the key {key!r}.")
        return self.root / key[:2] / key[2:4] / key

    def put(self, data: bytes) -> str:
        """Store ``data`` durably and return its key (the sha256). Storing twice is harmless."""
        key = sha256_hex(data)
        target = self.path_for(key)
        if target.exists():
            return key
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        _fsync_directory(target.parent)
        return key

    def get(self, key: str) -> bytes:
        path = self.path_for(key)
        if not path.exists():
            raise NotFound(f"The stored file {key} is missing from {self.root}.")
        return path.read_bytes()

    def exists(self, key: str) -> bool:
        return self.path_for(key).exists()


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@lru_cache
def get_blob_store() -> BlobStore:
    return BlobStore(get_settings().blob_dir)
