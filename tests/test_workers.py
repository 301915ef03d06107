"""The scheduler's worker processes: jobs shared in order under both start methods, a build laid out by spawned
workers the same as by forked ones, and a worker that ends when its build dies where Linux's prctl is not used."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest
from conftest import ROOT
from test_incremental import outputs

from book.building import build
from book.scheduler import workers
from book.scheduler.workers import START_METHOD, Ahead, Later, Workers, shared_numbers, start_method

_offset: list[int] = []  # what setup gave this process


def _setup(offset: int) -> None:
    _offset[:] = [offset]


def _job(number: int) -> tuple[int, int]:
    return number + _offset[0], os.getpid()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_map_shares_its_jobs_and_keeps_their_order(method, monkeypatch):
    monkeypatch.setenv(START_METHOD, method)
    monkeypatch.setattr(workers, "cores", lambda: 2)  # a worker even on a machine of one core
    with Workers(_setup, 100) as pool:
        assert pool.map(_job, []) == [] and pool.executor is None  # nothing to do starts nothing
        assert [n for n, _ in pool.map(_job, [1])] == [101] and pool.executor is None  # one job: done here
        done = pool.map(_job, list(range(40)))
    assert [n for n, _ in done] == [n + 100 for n in range(40)]  # each worker ran setup before its jobs
    assert len({pid for _, pid in done}) == 2  # this process and the worker both took jobs


def _after(index: int, finished: dict) -> tuple[int, bool]:
    """A job that may follow from the one before it: its number, and whether that job's result was known as
    this one was taken."""
    return index, index - 1 in finished


HOME = os.getpid()  # the test's process; a forked worker inherits the number but has its own pid


def _slow(job: tuple[int, bool]) -> tuple[int, bool, int]:
    time.sleep(0.1 if os.getpid() == HOME else 0.01)  # the worker takes many jobs, however late it starts
    return *job, os.getpid()


@pytest.mark.parametrize("helpers", [0, 1])
def test_a_later_job_is_made_as_it_is_taken_from_the_results_before_it(helpers, monkeypatch):
    monkeypatch.setattr(workers, "cores", lambda: helpers + 1)
    jobs = [(0, False)] + [Later(partial(_after, i)) for i in range(1, 30)]
    with Workers(_setup, 100) as pool:
        done = pool.map(_slow, jobs)
    assert [number for number, _, _ in done] == list(range(30))  # each made once, in its place
    if helpers == 0:  # one process takes them in order, so each knows the result before it
        assert all(known for _, known, _ in done[1:])
        return
    # the worker takes them from the front, one after another: it knows the result of its job before
    following = [known for (_, _, pid), (_, known, by) in zip(done, done[1:], strict=False) if pid == by != os.getpid()]
    assert len(following) > 3 and all(following), done
    assert not done[-1][1]  # this process took the last first, before any job had ended


def test_a_map_in_order_has_this_process_take_the_next_job_too(monkeypatch):
    """For jobs that follow from the ones before them (the parts of the print edition, whose sides do): this
    process takes its jobs from the front as the worker does, not from the back."""
    monkeypatch.setattr(workers, "cores", lambda: 2)
    jobs = [(0, False)] + [Later(partial(_after, i)) for i in range(1, 30)]
    with Workers(_setup, 100) as pool:
        done = pool.map(_slow, jobs, in_order=True)
    assert [number for number, _, _ in done] == list(range(30))
    mine = [number for number, _, pid in done if pid == os.getpid()]
    assert mine[0] == 1  # the job after the worker's first, not the last


_numbers: list = []  # the numbers shared with this process


def _share_numbers(numbers: object) -> None:
    _numbers[:] = [numbers]


def _post(index: int) -> int:
    time.sleep(0.2 if os.getpid() == HOME else 0.01)
    _numbers[0][index] = index * 10
    return os.getpid()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_numbers_shared_with_the_workers_are_read_as_they_are_written(method, monkeypatch):
    monkeypatch.setenv(START_METHOD, method)
    monkeypatch.setattr(workers, "cores", lambda: 2)
    numbers = shared_numbers([-1] * 30)
    with Workers(_share_numbers, numbers) as pool:
        pids = pool.map(_post, list(range(30)))
    assert len(set(pids)) == 2  # written by both processes
    assert list(numbers) == [index * 10 for index in range(30)]  # each read here


def _where(number: int) -> tuple[int, int]:
    return number * 2, os.getpid()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_job_worked_out_ahead_runs_beside_this_process_and_its_worker_ends(method, monkeypatch):
    monkeypatch.setenv(START_METHOD, method)
    monkeypatch.setattr(workers, "cores", lambda: 2)
    assert not multiprocessing.active_children()
    ahead = Ahead(_setup, (100,), _where, 21)
    assert multiprocessing.active_children()  # started at once, before its result is asked for
    value, pid = ahead.result()
    assert value == 42 and pid != os.getpid()
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)  # its one job done, the worker goes without being asked
    assert not multiprocessing.active_children()


def test_a_job_worked_out_ahead_without_a_core_to_spare_is_worked_out_when_asked(monkeypatch):
    monkeypatch.setattr(workers, "cores", lambda: 1)
    ahead = Ahead(_setup, (100,), _where, 21)
    assert ahead.future is None  # nothing started
    assert ahead.result() == (42, os.getpid())


def test_the_start_method_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(START_METHOD, "spawn")
    assert start_method() == "spawn"
    monkeypatch.delenv(START_METHOD)
    assert start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")
    monkeypatch.setenv(START_METHOD, "teleport")
    with pytest.raises(ValueError, match="teleport"):
        start_method()


def test_spawned_workers_lay_out_the_book_as_forked_ones_do(project, tmp_path, monkeypatch):
    monkeypatch.setattr(workers, "cores", lambda: 2)
    made = {}
    for method in ("fork", "spawn"):
        monkeypatch.setenv(START_METHOD, method)
        result = build(project, tmp_path / method, cache=False)
        assert result.laid_out[0] == result.laid_out[1] > 1  # every part laid out, on both processes
        made[method] = outputs(tmp_path / method)
    for name, expected in made["fork"].items():
        assert made["spawn"][name] == expected, name


def test_the_epub_is_written_beside_the_pdfs_and_reported_as_if_here(project, tmp_path, monkeypatch):
    """With a core to spare, a worker writes the EPUB while the build writes the PDFs: the build reports every
    file in the usual order, and keeps the cache entries the worker used (its reading marks, its fonts)."""
    import book.building as building

    monkeypatch.setattr(workers, "cores", lambda: 2)
    monkeypatch.setenv(START_METHOD, "fork")  # a spawned worker would not have the recording below
    writer = tmp_path / "epub-writer"
    build_epub = building.build_epub

    def recorded(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        writer.write_text(str(os.getpid()))  # a file: the worker's memory is its own
        return build_epub(*args, **kwargs)

    monkeypatch.setattr(building, "build_epub", recorded)
    result = build(project, tmp_path / "out")
    assert int(writer.read_text()) != os.getpid()
    names = [output.path.name for output in result.outputs]
    suffixes = ["-print.pdf", "-screen.pdf", "-cover.pdf", "-cover.jpg", ".epub"]
    assert names[:5] == [f"mini-test-book{suffix}" for suffix in suffixes]
    assert (tmp_path / "out" / "mini-test-book.epub").is_file()  # put in place by the build
    assert not (tmp_path / "out" / ".partial").exists()  # nothing left where it was made
    assert all(any((project / ".cache" / kind).glob("*.entry")) for kind in ("reading", "fonts"))
    assert len(result.reports) == 3  # print, screen, cover: preflight's reports came back too


@pytest.mark.parametrize("command", [["build.py"], ["-m", "book"]])
def test_the_command_line_builds_with_spawned_workers(command, project, tmp_path):
    """A spawned worker imports the command's main module again: it must lay out, not start a build of its
    own (which would wait for the output folder its build holds, for ever)."""
    env = dict(os.environ, **{START_METHOD: "spawn"})
    args = [sys.executable, *command, "pdf", "--project", str(project), "--out", str(tmp_path / "out")]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "mini-test-book-print.pdf").is_file()


def test_a_worker_that_cannot_be_tied_to_its_build_ends_with_it(tmp_path):
    """Where prctl is not there (macOS), a worker watches its parent: killed with SIGKILL, the build leaves no
    worker behind."""
    script = (
        "import os, sys, time\n"
        "from book.scheduler.workers import _watch_parent\n"
        "parent = os.getpid()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    _watch_parent(parent)\n"
        "print(child, flush=True)\n"
        "time.sleep(120)\n"
    )
    with subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True) as build_process:
        worker = int(build_process.stdout.readline())
        assert _alive(worker)
        build_process.send_signal(signal.SIGKILL)
        build_process.wait(timeout=30)
    deadline = time.monotonic() + 30
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting to be reaped has ended)."""
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False
