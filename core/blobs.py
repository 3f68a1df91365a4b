"""Content-addressed blob store: a file is written once, under the hex sha256 of its bytes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from core.errors import FileTooLarge, NotFound
from core.settings import get_settings

HEAD_BYTES = 64 * 1024
"""How much of a file's beginning is kept in memory for sniffing its type."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class StagedBlob:
    """A file arriving in pieces: written to a temporary file inside the store, hashed and counted as it comes.

    ``commit()`` makes it durable under its sha256; ``discard()`` (or leaving the ``with`` block without a
    commit) removes it. Writing past ``max_bytes`` raises ``FileTooLarge`` at once, before the rest arrives.
    """

    def __init__(self, store: BlobStore, max_bytes: int):
        store.root.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=store.root, prefix=".incoming-")
        self._store, self._file, self.path = store, os.fdopen(fd, "w+b"), Path(name)
        self._hash, self.size, self.head, self.max_bytes = hashlib.sha256(), 0, b"", max_bytes
        self.key: str | None = None

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise FileTooLarge(f"The file has more than {self.max_bytes:,} bytes, the largest accepted; "
                               "split or compress it.")
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[:HEAD_BYTES - len(self.head)]
        self._hash.update(chunk)
        self._file.write(chunk)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def reader(self) -> BinaryIO:
        """The bytes received so far, from the start (for sniffing what the file is)."""
        self._file.flush()
        return open(self.path, "rb")

    def commit(self) -> str:
        """Store the file durably (fsync, rename, fsync of the folder) and return its key."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        target = self._store.path_for(self.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path, target)
        _fsync_directory(target.parent)
        self.key = self.sha256
        return self.key

    def discard(self) -> None:
        if self.key is None:
            self._file.close()
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> StagedBlob:
        return self

    def __exit__(self, *_exc) -> None:
        self.discard()


class BlobStore:
    """Stores bytes under ``<root>/<aa>/<bb>/<sha256>``; writes are atomic and fsynced."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, key: str) -> Path:
        if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise NotFound(f"No stored file has the key {key!r}.")
        return self.root / key[:2] / key[2:4] / key

    def stage(self, max_bytes: int) -> StagedBlob:
        """A new file to write in pieces; see ``StagedBlob``."""
        return StagedBlob(self, max_bytes)

    def stage_bytes(self, data: bytes) -> StagedBlob:
        """``data`` as a staged file, for channels that hold the whole file already."""
        staged = self.stage(max_bytes=len(data))
        staged.write(data)
        return staged

    def put(self, data: bytes) -> str:
        """Store ``data`` durably and return its key (the sha256). Storing twice is harmless."""
        key = sha256_hex(data)
        if self.exists(key):
            return key
        with self.stage_bytes(data) as staged:
            return staged.commit()

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
