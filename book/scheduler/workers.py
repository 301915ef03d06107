"""Worker processes: forked from the build (so they inherit the book read, the dictionary warmed and the
fonts loaded, instead of receiving them), one per core, and tied to the build's life.

A worker must not outlive its build, nor keep the build's hold on the output folder (`outputs.output_lock`):
it lets go of that hold as it starts, and the kernel kills it when the build dies, even by SIGKILL.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context

PR_SET_PDEATHSIG = 1  # linux/prctl.h
HELD: set[int] = set()  # file descriptors of output folders this process holds (see outputs.output_lock)


def cores() -> int:
    """How many processes can work at once: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def pool(count: int) -> ProcessPoolExecutor:
    """`count` worker processes forked from this one."""
    return ProcessPoolExecutor(count, mp_context=get_context("fork"), initializer=_started)


def share(function: Callable, jobs: list, helpers: ProcessPoolExecutor | None, count: int) -> list:
    """`function` of each job, in order: `count` worker processes of `helpers` take jobs from the front one at a
    time, this process takes them from the back, until they meet (so no core waits while another has a queue).
    `function` must be a module-level function: it is named, not sent."""
    if helpers is None or count < 1:
        return [function(job) for job in jobs]
    lock = threading.Lock()
    ends = [0, len(jobs)]  # the next job from the front, and one past the next from the back
    futures: dict[int, Future] = {}

    def feed(_: Future | None = None) -> None:
        with lock:
            if ends[0] >= ends[1]:
                return
            index = ends[0]
            ends[0] += 1
            futures[index] = helpers.submit(function, jobs[index])
        futures[index].add_done_callback(feed)

    for _ in range(count):
        feed()
    results: dict[int, object] = {}
    while True:
        with lock:
            if ends[1] <= ends[0]:
                break
            ends[1] -= 1
            index = ends[1]
        results[index] = function(jobs[index])
    while len(futures) + len(results) < len(jobs):  # a worker's last job may still be handing out the next
        time.sleep(0.005)
    return [results[i] if i in results else futures[i].result() for i in range(len(jobs))]


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


class Done:
    """A result already there, asked for as a future's."""

    def __init__(self, value: object) -> None:
        self.value = value

    def result(self) -> object:
        return self.value


def background(function: Callable[[], object]) -> Future | Done:
    """Run `function` in a process of its own forked from this one when there is a core to spare for it
    (it then overlaps this process's work), else here and now."""
    if cores() < 2:
        return Done(function())
    _background[:] = [function]  # inherited by the forked process, not sent to it (a closure does not pickle)
    executor = pool(1)
    future = executor.submit(_run_background)
    executor.shutdown(wait=False)
    return future


_background: list = []


def _run_background() -> object:
    return _background[0]()


def give_back_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's `malloc_trim`). Pango, HarfBuzz and qpdf free
    what a part's layout or a join used, but glibc keeps it mapped, and the next job of the process (or of the
    process beside it) then stacks on it: about 15 MB after each join. Elsewhere than glibc, nothing."""
    global _trim
    if _trim is None:
        try:
            _trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):
            _trim = False
    if _trim:
        _trim(0)


_trim = None
