"""Process limits: children that do not outlive their starter (on Linux the kernel signals them when it dies),
and a memory ceiling for one piece of work."""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

PR_SET_PDEATHSIG = 1
"""``prctl`` option (linux/prctl.h): the signal the calling process gets when its parent dies."""


def _load_prctl() -> Callable | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl  # libc's symbols, loaded before any fork
    except (OSError, AttributeError):
        return None


_prctl = _load_prctl()


def die_with_parent(signum: int = signal.SIGTERM, parent: int | None = None) -> None:
    """Ask the kernel to send ``signum`` to this process when its parent dies (nothing where it cannot).

    ``parent`` is the pid of the process that started this one: if it died before the request took effect
    (this process was adopted meanwhile), this process ends at once instead of running on unwatched.
    """
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(signum))
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def die_with_parent_hook() -> Callable[[], None] | None:
    """A ``preexec_fn`` for ``subprocess.Popen``: the child gets SIGTERM when this process dies, even by SIGKILL.

    ``None`` where the kernel cannot do that, and off the main thread: the kernel ties the signal to the
    thread that started the child, and a pool thread may end long before its process does.
    """
    if _prctl is None or threading.current_thread() is not threading.main_thread():
        return None
    return partial(die_with_parent, signal.SIGTERM, os.getpid())


def limit_memory(megabytes: int) -> None:
    """Cap this process's data memory (heap and private mappings): past it, allocations fail with MemoryError."""
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def memory_in_use_mb(field: str = "VmData") -> float:
    """This process's data memory (``VmData``) or resident memory (``VmRSS``) now, in MiB (0 where /proc is not
    there to tell)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    line = next((line for line in status.splitlines() if line.startswith(f"{field}:")), None)
    return int(line.split()[1]) / 1024 if line else 0.0
