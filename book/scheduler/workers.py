"""Worker processes that take jobs: this process and, on a machine with more than one core, one worker per other
core share the jobs of a map and give back the results in order. A step hands its jobs here and reads the same
whether they ran here or in a worker; nothing here knows what a job is.

A worker starts by calling the step's `setup` with the step's `context` (what every job needs: for a layout,
the book and its stylesheet). Under the `fork` start method (Linux's default) the worker inherits both from
this process, which called `setup` before forking, so what it loaded (dictionaries, fonts) is shared, not made
again; under `spawn` (macOS's default, or `THAIBOOK_START_METHOD=spawn`) they are sent to it and it calls
`setup` itself. Either way the results are the same.

A worker must not outlive its build, nor keep the build's hold on the output folder (`files.output_lock`): it
lets go of that hold as it starts, and it ends when the build dies, even by SIGKILL (on Linux the kernel ends
it; elsewhere it notices its parent is gone within a second).
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, MutableSequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

PR_SET_PDEATHSIG = 1  # linux/prctl.h
START_METHOD = "THAIBOOK_START_METHOD"  # fork or spawn; the platform's default when unset
HELD: set[int] = set()  # file descriptors of output folders this process holds (see files.output_lock)


def cores() -> int:
    """How many processes can work at once: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def start_method() -> str:
    """How worker processes start: `THAIBOOK_START_METHOD`, else `fork` on Linux and `spawn` elsewhere (macOS
    forks badly once system frameworks are loaded; Windows cannot fork)."""
    chosen = os.environ.get(START_METHOD) or ("fork" if sys.platform.startswith("linux") else "spawn")
    if chosen not in multiprocessing.get_all_start_methods():
        methods = ", ".join(multiprocessing.get_all_start_methods())
        raise ValueError(f"{START_METHOD}={chosen}: processes here start by one of {methods}")
    return chosen


def shared_numbers(numbers: list[int]) -> MutableSequence[int]:
    """`numbers` in memory shared with worker processes: what any process writes in it, every other reads at
    once. It reaches the workers of a `Workers` made after it in that `Workers`' context (not in a job)."""
    return multiprocessing.get_context(start_method()).Array(ctypes.c_int, numbers, lock=False)


class Workers:
    """This process and up to `cores() - 1` worker processes, started when a map first has more than one job:
    a step with one job to do never starts a worker.

    `setup(*context)` is called in this process before its first job, and in each worker as it starts (a forked
    worker inherits what it made: its call finds everything ready). Jobs are run by `function(job)` in
    whichever process takes them. `function` and `setup` must be module-level functions (they are named, not
    sent); under `spawn`, `context`, the jobs and the results must pickle."""

    def __init__(self, setup: Callable[..., None], *context: object) -> None:
        self.setup, self.context = setup, context
        self.ready = False
        self.helpers = cores() - 1
        self.workers = 0  # started so far
        self.executor: ProcessPoolExecutor | None = None

    def map(self, function: Callable, jobs: list, in_order: bool = False) -> list:
        """`function` of each job, in order. The workers take jobs from the front one at a time and this process
        takes them from the back (or, `in_order`, from the front too: for jobs that depend on the ones before
        them), until they meet: no core waits while another has a queue. A job may be a `Later`, made as it is
        taken from the results of the jobs finished by then."""
        if not jobs:
            return []
        if not self.ready:
            self.setup(*self.context)
            self.ready = True
        if self.executor is None and self.helpers > 0 and len(jobs) > 1:
            self._start(min(self.helpers, len(jobs) - 1))
        if self.executor is None:
            finished: dict[int, object] = {}
            for index, job in enumerate(jobs):
                finished[index] = function(_made(job, finished))
            return [finished[index] for index in range(len(jobs))]
        return _share(function, jobs, self.executor, self.workers, in_order)

    def _start(self, count: int) -> None:
        method = start_method()
        if method == "fork":
            gc.freeze()  # what the workers inherit stays shared: the collector does not touch (and copy) it
        context = multiprocessing.get_context(method)
        self.executor = ProcessPoolExecutor(count, context, initializer=_started, initargs=(self.setup, self.context))
        self.workers = count

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown()
            self.executor = None
            gc.unfreeze()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Ahead:
    """`function(*arguments)` worked out ahead, in a worker process of its own, while this process goes on with
    other work; `result()` waits for it. The worker is readied by `setup(*context)` as a `Workers`' is, and ends
    as soon as its one job is done. On a machine without a core to spare, `result()` works it out here."""

    def __init__(self, setup: Callable[..., None], context: tuple, function: Callable, *arguments: object) -> None:
        self.function, self.arguments = function, arguments
        self.future: Future | None = None
        if cores() > 1:
            workers = Workers(setup, *context)
            workers._start(1)
            self.future = workers.executor.submit(function, *arguments)
            workers.executor.shutdown(wait=False)  # the worker goes once its job is done
            if start_method() == "fork":
                gc.unfreeze()  # forked: nothing more is shared with it

    def result(self) -> object:
        return self.future.result() if self.future is not None else self.function(*self.arguments)


@dataclass(frozen=True)
class Later:
    """A job made only when a process takes it: `make(finished)` is given the results of the jobs of the same
    map finished by then (index -> result; one process takes the jobs in order, so it has them all), and may
    only look them up, as workers' results arrive meanwhile. Each job is made once."""

    make: Callable[[dict[int, object]], object]


def _made(job: object, finished: dict[int, object]) -> object:
    return job.make(finished) if isinstance(job, Later) else job


def _share(function: Callable, jobs: list, workers: ProcessPoolExecutor, count: int, in_order: bool) -> list:
    lock = threading.Lock()
    ends = [0, len(jobs)]  # the next job from the front, and one past the next from the back
    futures: dict[int, Future] = {}
    finished: dict[int, object] = {}  # this process's results, and the workers' as each arrives

    def feed(ended: int | None = None, future: Future | None = None) -> None:
        if future is not None and future.exception() is None:
            finished[ended] = future.result()
        with lock:
            if ends[0] >= ends[1]:
                return
            index = ends[0]
            ends[0] += 1
            futures[index] = workers.submit(function, _made(jobs[index], finished))
        futures[index].add_done_callback(lambda future: feed(index, future))

    for _ in range(count):
        feed()
    mine: set[int] = set()
    while True:
        with lock:
            if ends[1] <= ends[0]:
                break
            if in_order:
                index = ends[0]
                ends[0] += 1
            else:
                ends[1] -= 1
                index = ends[1]
        finished[index] = function(_made(jobs[index], finished))
        mine.add(index)
    while len(futures) + len(mine) < len(jobs):  # a worker's last job may still be handing out the next
        time.sleep(0.005)
    return [finished[i] if i in mine else futures[i].result() for i in range(len(jobs))]


def _started(setup: Callable[..., None], context: tuple) -> None:
    for descriptor in list(HELD):  # the build holds the folder; the lock goes when the build's copy closes
        os.close(descriptor)
        HELD.discard(descriptor)
    _end_with_parent()
    setup(*context)


def _end_with_parent() -> None:
    """End this worker when the process that started it dies."""
    parent = os.getppid()
    if parent == 1:  # the build died before this worker started
        os._exit(1)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: watch the parent instead
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the build died before the line above: go too
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


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
