"""Processes seen through Linux's /proc: who is whose child, what a process runs, how much memory it holds, and
a sampler that records the peak resident memory of a changing set of processes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

SAMPLE_EVERY = 0.05
"""Seconds between two memory samples."""


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (none when it has ended)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def descendants(pid: int) -> list[int]:
    """Children, their children and so on."""
    found, waiting = [], children(pid)
    while waiting:
        child = waiting.pop()
        found.append(child)
        waiting += children(child)
    return found


def arguments(pid: int) -> list[str]:
    """The command line of ``pid`` as a list (empty when it has ended)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []


def leads_its_group(pid: int) -> bool:
    """Whether ``pid`` is the leader of its process group (as an rq work horse is)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return int(fields[2]) == pid


def is_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def rss_mb(pid: int) -> float:
    """The resident memory of ``pid`` now, in MB (0 when it has ended)."""
    return _status_kb(pid, "VmRSS") / 1024


def peak_rss_mb(pid: int) -> float:
    """The highest resident memory ``pid`` has had (the kernel's high-water mark), in MB."""
    return _status_kb(pid, "VmHWM") / 1024


def reset_peak_rss(pid: int) -> bool:
    """Start ``pid``'s high-water mark again from its current resident memory (``clear_refs``, Linux 4.0+);
    False where the kernel does not let us."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakMemory:
    """Samples, every ``every`` seconds in a thread, the resident memory of each process ``watched()`` names, and
    keeps the largest seen in one process. ``with PeakMemory(watched) as peak: ...; peak.mb``."""

    def __init__(self, watched: Callable[[], Iterable[int]], every: float = SAMPLE_EVERY):
        self._watched, self._every = watched, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="peak-memory", daemon=True)
        self.mb = 0.0
        self.samples = 0

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.mb = max([self.mb, *(rss_mb(pid) for pid in self._watched())])
            self.samples += 1
            self._stop.wait(self._every)


def wait_for(condition: Callable[[], object], timeout: float, what: str, every: float = 0.05):
    """Poll ``condition`` until it returns something true, and return that; ``TimeoutError`` naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        if result := condition():
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:g} s for {what}")
        time.sleep(every)
