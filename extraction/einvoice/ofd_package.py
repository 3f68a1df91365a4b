"""The ZIP container of an OFD file, opened so that a hostile package can do no harm.

Nothing is extracted to disk. Sizes are checked twice: the sizes the ZIP declares, before anything is read, and
the bytes actually inflated, because a crafted ZIP may declare small sizes and inflate without end. Paths are
names in the archive only: an entry named with ``..`` or an absolute path refuses the package, and references
between parts (``BaseLoc``, ``FileLoc``) are resolved inside the archive's own namespace, case-insensitively."""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field

from extraction.einvoice.xmltree import InvalidEInvoice

CHUNK = 64 * 1024
SMALL_ENTRY = 64 * 1024
"""Entries this small are never zip bombs, however well they compress (an XML of spaces)."""


@dataclass(frozen=True)
class OfdLimits:
    """How much of an OFD package is read at most; beyond it the package is refused as a possible zip bomb."""

    max_entries: int = 2000
    max_entry_bytes: int = 20 * 1024 * 1024
    max_total_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 200


@dataclass
class OfdPackage:
    """The entries of an OFD package by normalised lower-case name; reads are bounded and counted."""

    archive: zipfile.ZipFile
    entries: dict[str, zipfile.ZipInfo]
    limits: OfdLimits
    inflated: int = field(default=0)

    def has(self, name: str) -> bool:
        return name.lower() in self.entries

    def names(self) -> list[str]:
        """The normalised names of all entries (original case)."""
        return [entry_name(info.filename) for info in self.entries.values()]

    def read(self, name: str, what: str | None = None) -> bytes:
        """The entry's bytes; ``InvalidEInvoice`` naming ``what`` when it is missing, too big or damaged."""
        info = self.entries.get(name.lower())
        if info is None:
            raise InvalidEInvoice(f"The OFD package refers to {what or name} at {name}, which it does not contain; "
                                  "the file is incomplete. Ask the sender for the original file.")
        data = bounded_read(self.archive, info, self.limits, self.limits.max_total_bytes - self.inflated)
        self.inflated += len(data)
        return data


def open_package(data: bytes, limits: OfdLimits = OfdLimits()) -> OfdPackage:
    """The package, refused with a readable reason when it is no ZIP, encrypted, hostile or too big."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise InvalidEInvoice("The OFD file is damaged: it is not a readable ZIP package "
                              f"({exc}). Ask the sender for the original file.") from exc
    check_declared(infos, limits)
    return OfdPackage(archive, {entry_name(info.filename).lower(): info for info in reversed(infos)}, limits)


def check_declared(infos: list[zipfile.ZipInfo], limits: OfdLimits) -> None:
    """Refuses, before reading anything, what the ZIP's directory already shows to be hostile."""
    if len(infos) > limits.max_entries:
        raise InvalidEInvoice(f"The OFD package has {len(infos):,} entries; at most {limits.max_entries:,} are "
                              "read, so it was not opened.")
    for info in infos:
        check_entry(info, limits)
    if sum(info.file_size for info in infos) > limits.max_total_bytes:
        raise InvalidEInvoice(_too_big("its entries together", limits.max_total_bytes))


def check_entry(info: zipfile.ZipInfo, limits: OfdLimits) -> None:
    entry_name(info.filename)
    if info.flag_bits & 0x1:
        raise InvalidEInvoice(f"The OFD package is encrypted ({info.filename} needs a password), so it cannot be "
                              "read. Ask the sender for an unprotected file.")
    if info.file_size > limits.max_entry_bytes:
        raise InvalidEInvoice(_too_big(info.filename, limits.max_entry_bytes))
    if info.file_size > SMALL_ENTRY and info.file_size > max(info.compress_size, 1) * limits.max_ratio:
        raise InvalidEInvoice(_bomb(info.filename, limits))


def entry_name(name: str) -> str:
    """The entry's name with ``/`` separators; ``InvalidEInvoice`` for absolute names or names with ``..``."""
    name = name.replace("\\", "/")
    parts = name.split("/")
    if name.startswith("/") or (parts[0].endswith(":") and len(parts[0]) == 2) or ".." in parts:
        raise InvalidEInvoice(f"The OFD package holds an entry named {name!r}, a path that points outside the "
                              "package. Such files are crafted to attack, so it was not read.")
    return "/".join(part for part in parts if part not in ("", "."))


def bounded_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: OfdLimits, budget: int) -> bytes:
    """The entry's bytes, inflating no more than the limits allow whatever size the ZIP declares."""
    allowed = min(limits.max_entry_bytes, budget, max(SMALL_ENTRY, info.compress_size * limits.max_ratio))
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as entry:
            while chunk := entry.read(min(CHUNK, allowed + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > allowed:
                    raise InvalidEInvoice(_bomb(info.filename, limits))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise InvalidEInvoice(f"The OFD package is damaged: {info.filename} cannot be unpacked ({exc}). "
                              "Ask the sender for the original file.") from exc
    return b"".join(chunks)


def resolve(referrer: str, location: str) -> str:
    """The archive name of ``location`` as the part ``referrer`` names it: relative to the referrer's folder, or
    to the package root when it starts with ``/``; ``InvalidEInvoice`` when it climbs out of the package."""
    location = location.strip().replace("\\", "/")
    folder = [] if location.startswith("/") else posixpath.dirname(referrer).split("/")
    parts: list[str] = [part for part in folder if part]
    for part in location.split("/"):
        if part == "..":
            if not parts:
                raise InvalidEInvoice(f"{referrer} in the OFD package refers to {location!r}, a path outside the "
                                      "package. Such files are crafted to attack, so it was not read.")
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _too_big(what: str, limit: int) -> str:
    return (f"The OFD package is too big to read: {what} would unpack to more than {limit // (1024 * 1024)} MB. "
            "It may be a zip bomb, so it was not read.")


def _bomb(name: str, limits: OfdLimits) -> str:
    return (f"The OFD package's entry {name} unpacks to far more than it occupies or than the package may hold "
            f"(over {limits.max_ratio} times its size, or beyond {limits.max_total_bytes // (1024 * 1024)} MB in all), "
            "as zip bombs do, so it was not read.")
