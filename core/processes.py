"""Process limits: a child that dies with its parent, and a memory ceiling for one piece of work."""

from __future__ import annotations

import ctypes
import ctypes.util
import resource
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(signum: int = signal.SIGTERM) -> None:
    """Ask the kernel to send ``signum`` to this process when its parent dies (Linux; nothing elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)


def limit_memory(megabytes: int) -> None:
    """Cap this process's data memory (heap and private mappings): past it, allocations fail with MemoryError."""
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
