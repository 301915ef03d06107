"""Worker processes: forked from the build (so they inherit the book read, the dictionary warmed and the
fonts loaded, instead of receiving them), one per core, and tied to the build's life.

A worker must not outlive its build, nor keep the build's hold on the output folder (`outputs.output_lock`):
it lets go of that hold as it starts, and the kernel kills it when the build dies, even by SIGKILL.
"""

from __future__ import annotations

import ctypes
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

PR_SET_PDEATHSIG = 1  # linux/prctl.h
HELD: set[int] = set()  # file descriptors of output folders this process holds (see outputs.output_lock)


def cores() -> int:
    """How many processes can work at once: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def pool(count: int) -> ProcessPoolExecutor:
    """`count` worker processes forked from this one."""
    return ProcessPoolExecutor(count, mp_context=get_context("fork"), initializer=_started)


def _started() -> None:
    for descriptor in list(HELD):  # the build holds the folder; the lock goes when the build's copy closes
        os.close(descriptor)
        HELD.discard(descriptor)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the executor's own shutdown still ends the workers
        pass
    if os.getppid() == 1:  # the build died before the line above: go too
        os._exit(1)
