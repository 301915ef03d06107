"""How fast and how lean a build is, against plain WeasyPrint on the same HTML, in one run on the default book:

- the baseline: the `weasyprint` command on the print edition as one HTML file (`build.py html`), same fonts,
  CSS and break marks, laid out without the toolkit's Thai hooks (book/publish/htmlexport.py) and without prepress;
- the toolkit's cold builds (its cache deleted first): everything (print, screen and cover PDFs and the EPUB),
  the print PDF alone, the print PDF on one core (as on a machine whose other cores are busy: one process, and
  on Linux only), the EPUB alone;
  what a machine keeps once per PyThaiNLP version in ~/.cache/thaibook (the Wikipedia titles' index and
  the word list, see docs/producer.md) is not deleted, as Python's own bytecode cache is not (each command
  runs with bytecode written and read, as on a reader's machine, even where PYTHONDONTWRITEBYTECODE is set:
  without it, the toolkit's own modules are compiled again at every start, about 0.14 s);
- warm rebuilds of everything: after one Thai word of a middle city chapter is changed (the page count stays),
  and after a paragraph is added to (or taken from) that chapter so that it takes one page more (or less);
  each by a fresh `build.py all`, and by `build.py watch` (one process that stays running and builds again
  on each save: timed from the save to the line that says it watches again, its memory sampled meanwhile);
- a book four times as long (every city chapter repeated under new slugs), built cold, against the default book;
- a short book (benchmarks/shortbook: 40 pages of the Thai Criminal Code, public domain), its print PDF built
  cold against plain WeasyPrint on its own HTML, with its fixed costs apart: the time to the progress line that
  says the layout starts (imports, reading and checking, dictionaries).

Each command runs as its own process on a temporary copy of the project (the real chapters are never edited);
its time is the median of --runs runs, its CPU (user + system) the kernel's count for it and every process it
started (worker pools included), and its memory the peak, summed over the command and every process it
starts, sampled every 50 ms (PSS every 200 ms). Ratios are to the baseline measured in the same run: on a
machine shared with other work, the ratios of one run say more than its seconds. The machine's cores, the
load as each command starts and the baseline's spread are printed with the figures, each figure beside the
issue's target (issue 23); nothing is asserted.

With `--against REV` the toolkit at git revision REV (a copy made with `git archive`, run with this virtual
environment) is measured too, in the same run: each round measures this toolkit, then REV's, on fresh copies
of the project; then both tables are printed, and each figure of this toolkit as a ratio to REV's.

Run: .venv/bin/python benchmarks/build.py [--runs N] [--skip-4x] [--keep] [--only NAME] [--against REV]
     (--only all --only print --only word --only short: the issue's targets, in about a quarter of the time)
"""

from __future__ import annotations

import argparse
import ctypes
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import psutil
import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build.py"
# What every measured command runs with: this environment, but Python's bytecode written (see above).
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
WEASYPRINT = Path(sys.executable).parent / "weasyprint"
PROJECT_PARTS = ("book.yaml", "chapters", "styles", "fonts", "assets", "templates", "words")
SAMPLE_EVERY = 0.05  # seconds between memory samples of the process tree
PSS_EVERY = 4  # samples between two readings of PSS
MB = 1024 * 1024
# A word of the chapter, and another of the same length put in its place, so that no line (and no page) moves.
WORD_PAIRS = (("ร่วมกัน", "ด้วยกัน"), ("ความรู้", "ความคิด"), ("ผู้คน", "ชุมชน"))
# The targets: a ratio to the baseline (time, or peak memory for "memory"), or to the default book (4x).
# The targets (issue 23): a ratio to the baseline of wall time, of CPU time (user + system over the process tree)
# or of peak memory ("memory"); "4x" is a ratio to the default book's cold everything.
TARGETS = {"all": 1.1, "print-cpu": 1.5, "word": 0.25, "pages": 0.6, "memory": 1.5, "4x": 4.4, "short": 1.5}
NAMES = ("baseline", "all", "print", "print-1", "epub", "word", "pages", "watch", "4x", "short")
SHORT_BOOK = ROOT / "benchmarks" / "shortbook"  # a 40-page public-domain Thai book (see its README)
# The progress line that says the layout starts: everything before it is the build's fixed cost.
LAYOUT_STARTS = r"จัดหน้า \d+ จาก \d+ ส่วน|laying out \d+ of \d+ parts"


@dataclass
class Run:
    """One command's wall time, the CPU time of its whole process tree (user + system), and the peak of its
    process tree's summed memory (bytes; pss 0 if unknown)."""

    seconds: float
    rss: int
    pss: int
    sampling: float  # CPU seconds the sampling itself took
    output: str = ""
    cpu: float = 0.0
    load: float = 0.0  # the machine's 1-minute load average as the command started
    said: list[tuple[float, str]] = field(default_factory=list)  # each line of output, seconds after the start

    def first(self, pattern: str) -> float | None:
        """Seconds from the start to the first line of output that matches `pattern`, None if none does."""
        return next((at for at, line in self.said if re.search(pattern, line)), None)


@dataclass
class Row:
    what: str
    runs: list[Run] = field(default_factory=list)
    reference: str = "baseline"  # the row its ratios are to
    target: float | None = None  # the time ratio aimed at
    cpu_target: float | None = None
    memory_target: float | None = None
    notes: list[str] = field(default_factory=list)

    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    def memory(self, kind: str) -> float:
        return statistics.median(getattr(r, kind) for r in self.runs)

    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)


class TreeMemory(threading.Thread):
    """Samples a process and all its descendants; keeps the peak of their summed RSS and PSS. PSS shares each
    page among the processes that map it, so forked workers are not counted twice as they are by RSS.

    RSS is read at every sample, PSS (a walk of the page tables, some ms a process) at every PSS_EVERY-th, and
    not while the RSS is below the PSS peak: PSS <= RSS could not pass it then.

    On Linux the tree and the figures are read from /proc directly (each thread's `children`, `statm`,
    `smaps_rollup`): 0.04 ms a sample where psutil, which reads every process of the machine to find the
    children, takes 0.9. The sampler shares the machine with what it measures, and a build on two cores
    would pay for it where the one-core baseline does not."""

    def __init__(self, process: psutil.Process, pss: bool) -> None:
        super().__init__(daemon=True)
        self.process, self.with_pss = process, pss
        self.rss = self.pss = 0
        self.cpu = 0.0
        self.samples = 0
        self.done = threading.Event()

    def run(self) -> None:
        self.sample()
        while not self.done.wait(SAMPLE_EVERY):
            self.sample()

    def sample(self) -> None:
        started = time.thread_time()
        self._sample()
        self.cpu += time.thread_time() - started  # the CPU the sampling took so far

    def _sample(self) -> None:
        if PROC_CHILDREN:
            tree, rss_of, pss_of = _proc_tree(self.process.pid), _proc_rss, _proc_pss
        else:
            try:
                tree = [self.process, *self.process.children(recursive=True)]
            except psutil.Error:
                return
            rss_of = lambda p: _read(p, lambda q: q.memory_info().rss)  # noqa: E731
            pss_of = lambda p: _read(p, lambda q: q.memory_full_info().pss)  # noqa: E731
        if not tree:
            return
        self.samples += 1
        rss = sum(rss_of(process) for process in tree)
        if self.with_pss and self.samples % PSS_EVERY == 1 and rss > self.pss:
            self.pss = max(self.pss, sum(pss_of(process) for process in tree))
        self.rss = max(self.rss, rss)


def _read(process: psutil.Process, figure: Callable[[psutil.Process], int]) -> int:
    try:
        return figure(process)
    except psutil.Error:  # it ended between the listing and the reading
        return 0


PROC_CHILDREN = all(
    Path(f"/proc/self/{name}").exists() for name in (f"task/{threading.get_native_id()}/children", "smaps_rollup")
)
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _proc_tree(pid: int) -> list[int]:
    """`pid` and its descendants (none if it has ended), from the `children` file of each of their threads."""
    found, todo = [], [pid]
    while todo:
        process = todo.pop()
        try:
            for task in os.listdir(f"/proc/{process}/task"):
                with open(f"/proc/{process}/task/{task}/children") as children:
                    todo += [int(child) for child in children.read().split()]
        except OSError:  # it ended meanwhile
            continue
        found.append(process)
    return found


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) spent so far by `pid` and its descendants, the ones that ended and were
    waited for included (each process's `cutime` and `cstime`): for a process that keeps running, such as
    `build.py watch`, where the CPU of its work since some moment is the difference of two readings."""
    total = 0
    for process in _proc_tree(pid) if PROC_CHILDREN else [pid]:
        try:
            with open(f"/proc/{process}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / CLOCK_TICKS


def _proc_rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _proc_pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def pss_readable() -> bool:
    try:
        return psutil.Process().memory_full_info().pss > 0
    except (psutil.Error, AttributeError):
        return False


WITH_PSS = pss_readable()


def measure(command: list[str], cwd: Path = ROOT, cores: int | None = None) -> Run:
    """Run `command` to its end; its time, CPU and peak memory, and when each line of its output came. A
    failing command stops the benchmark.

    The CPU is what the kernel counts for the children this process has waited for (`RUSAGE_CHILDREN`),
    before and after: the command's own, and that of every descendant it waited for in turn (a worker pool
    shut down, a tool it ran). A descendant left running when the command ends is this process's to wait
    for (see `adopt_orphans`), so its CPU is counted too. Commands run one at a time, so nothing else ends
    in between. With `cores`, the command may use only that many of this machine's cores (Linux), as on a
    machine whose other cores are busy: the toolkit then starts that many processes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    started = time.perf_counter()
    allowed = sorted(os.sched_getaffinity(0))[:cores] if cores else None
    child = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=ENVIRONMENT,
        preexec_fn=(lambda: os.sched_setaffinity(0, allowed)) if allowed else None,  # noqa: PLW1509 - no threads here
    )
    sampler = TreeMemory(psutil.Process(child.pid), WITH_PSS)
    sampler.start()
    said = [(time.perf_counter() - started, line) for line in child.stdout]
    child.wait()
    seconds = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    left = wait_for_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = "".join(line for _, line in said)
    if child.returncode:
        tail = "\n".join(output.splitlines()[-25:])
        raise SystemExit(f"failed (exit {child.returncode}): {' '.join(map(str, command))}\n{tail}")
    if left:
        name = Path(command[min(1, len(command) - 1)]).name
        print(f"  note: {left} process(es) of {name} still ran 10 s after it; their CPU is not counted")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(seconds, sampler.rss, sampler.pss, sampler.cpu, output, cpu, load, said)


PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


def adopt_orphans() -> bool:
    """Make this process the one that a measured command's orphans are handed to (Linux's child subreaper),
    so that their CPU can be counted when they end. False where that cannot be asked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def wait_for_orphans(patience: float = 10.0) -> int:
    """Wait for the children this process was handed when a command ended (workers, helpers it left
    running), up to `patience` seconds; how many still run after that."""
    deadline = time.monotonic() + patience
    while True:
        left = _proc_tree(os.getpid())[1:] if PROC_CHILDREN else []
        for pid in left:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:  # not ours (a grandchild of one still running): its parent waits for it
                pass
        left = _proc_tree(os.getpid())[1:] if PROC_CHILDREN else []
        if not left or time.monotonic() > deadline:
            return len(left)
        time.sleep(0.05)


def thaibook(project: Path, out: Path, *command: str, cores: int | None = None) -> Run:
    return measure([sys.executable, str(BUILD), *command, "--project", str(project), "--out", str(out)], cores=cores)


def cold(project: Path, out: Path, target: str, cores: int | None = None) -> Run:
    """A build with nothing to start from: the project's cache and the output folder deleted first."""
    shutil.rmtree(project / ".cache", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    return thaibook(project, out, target, cores=cores)


def commands() -> set[str]:
    """The commands this version of build.py has (from its English --help: a `{all,pdf,...}` choice in older
    versions, a `commands:` list, one per line, in newer ones)."""
    command = [sys.executable, str(BUILD), "--help", "--lang", "en"]
    shown = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    choices = [set(found.split(",")) for found in re.findall(r"\{([a-z,]+)\}", shown)]
    listed = shown.partition("\ncommands:\n")[2].partition("\n\n")[0]
    choices.append(set(re.findall(r"^  ([a-z]+)  ", listed, re.MULTILINE)))
    return next((names for names in choices if {"all", "epub"} <= names), set())


# The project's copies -----------------------------------------------------------------------------------------


def copy_book(target: Path, source: Path = ROOT) -> None:
    target.mkdir(parents=True)
    for name in PROJECT_PARTS:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
        elif (source / name).is_file():
            shutil.copy2(source / name, target / name)


def front_matter(path: Path) -> tuple[dict, str]:
    """A chapter's front matter and the text after it."""
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), body


def chapter_files(project: Path) -> list[Path]:
    order = (yaml.safe_load((project / "book.yaml").read_text(encoding="utf-8")) or {}).get("order")
    return [project / "chapters" / n for n in order] if order else sorted((project / "chapters").glob("*.md"))


def cities(project: Path) -> list[Path]:
    return [path for path in chapter_files(project) if "city" in front_matter(path)[0]]


def repeat_cities(project: Path, times: int = 4) -> None:
    """Make the project `times` as long: each city chapter followed by `times - 1` copies under new slugs,
    titles and infographic ids (with the infographic's artwork copied too), in the chapter order."""
    config_path = project / "book.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    slugs = {front_matter(path)[0]["slug"] for path in chapter_files(project)}
    artwork = project / "assets" / "infographics"
    order: list[str] = []
    for path in chapter_files(project):
        order.append(path.name)
        meta, body = front_matter(path)
        if "city" not in meta:
            continue
        for copy in range(2, times + 1):
            new = dict(meta, slug=f"{meta['slug']}-{copy}", title=f"{meta['title']} ({copy})")
            if new["slug"] in slugs:
                raise SystemExit(f"{path.name}: the copy's slug {new['slug']} is taken")
            slugs.add(new["slug"])
            for figure in re.findall(r"^:::\s*infographic\s+(\S+)", body, re.M):
                for drawn in artwork.glob(f"{figure}.*"):
                    shutil.copy2(drawn, artwork / f"{figure}-{copy}{drawn.suffix}")
            text = re.sub(r"^(:::\s*infographic\s+)(\S+)", rf"\g<1>\g<2>-{copy}", body, flags=re.M)
            head = yaml.safe_dump(new, allow_unicode=True, sort_keys=False, width=10_000)
            name = f"{path.stem}.r{copy}.md"  # sorts right after the chapter it copies
            (path.parent / name).write_text(f"---\n{head}---\n{text}", encoding="utf-8")
            order.append(name)
    if config.get("order"):
        config["order"] = order
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


# Reading the screen PDF ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pages:
    book: int  # pages of the screen PDF
    chapter: int  # the chapter's pages that hold something (a blank verso before the next chapter not counted)
    blank_after: bool  # the chapter ends with a blank page: one page more fills it and moves nothing after


def pages_of(screen_pdf: Path, title: str) -> Pages:
    """The book's and one chapter's page counts, the chapter found by its title in the PDF's bookmarks."""
    with pikepdf.open(screen_pdf) as pdf, pdf.open_outline() as outline:
        total = len(pdf.pages)
        starts = [(item.title, _page_index(pdf, item)) for item in outline.root]
    names = [name for name, _ in starts]
    if title not in names:
        raise SystemExit(f"no bookmark {title!r} in {screen_pdf}")
    at = names.index(title)
    first, end = starts[at][1], starts[at + 1][1] if at + 1 < len(starts) else total
    text = subprocess.run(
        ["pdftotext", "-f", str(first + 1), "-l", str(end), str(screen_pdf), "-"], capture_output=True, text=True
    ).stdout
    filled = [bool(page.strip()) for page in text.split("\f")[: end - first]]
    return Pages(total, sum(filled), not filled[-1])


def _page_index(pdf: pikepdf.Pdf, item: pikepdf.OutlineItem) -> int:
    """The 0-based page a bookmark goes to: an explicit destination, a named one, or a GoTo action's."""
    target = item.destination if item.destination is not None else item.action.get("/D")
    if isinstance(target, (pikepdf.String, pikepdf.Name, str, bytes)):
        named = pikepdf.NameTree(pdf.Root.Names.Dests)[str(target)]
        target = named.get("/D") if isinstance(named, pikepdf.Dictionary) else named
    return pikepdf.Page(target[0]).index


def page_count(pdf: Path) -> int:
    with pikepdf.open(pdf) as opened:
        return len(opened.pages)


def screen_pdf(out: Path, project: Path) -> Path:
    book_id = yaml.safe_load((project / "book.yaml").read_text(encoding="utf-8"))["id"]
    return out / f"{book_id}-screen.pdf"


# The chapter that is edited ------------------------------------------------------------------------------------


def prose_lines(text: str) -> list[int]:
    """Indexes of the lines of a chapter's text, after its front matter, that are plain paragraphs (not
    headings, lists or blocks)."""
    lines, inside, found = text.split("\n"), False, []
    body = lines.index("---", 1) + 1 if lines[0] == "---" else 0  # after the front matter
    for number, line in enumerate(lines[body:], start=body):
        if line.startswith(":::"):  # `::: kind` opens a block, `:::` closes it
            inside = line.strip() != ":::"
            continue
        if not inside and line.strip() and not re.match(r"\s*([#>|*-]|\d+\.|\[\^)", line):
            found.append(number)
    return found


def one_word_edit(path: Path) -> tuple[str, str]:
    """The chapter's text, and the same text with one word near its middle paragraph changed for another
    of the same length."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    prose = prose_lines(text)
    middle = prose[len(prose) // 2]
    for word, other in WORD_PAIRS:
        holding = [n for n in prose if word in lines[n]]
        if holding:
            at = min(holding, key=lambda n: abs(n - middle))
            edited = lines[:at] + [lines[at].replace(word, other, 1)] + lines[at + 1 :]
            return text, "\n".join(edited)
    raise SystemExit(f"{path.name}: none of the words {[w for w, _ in WORD_PAIRS]} is in its paragraphs")


def with_paragraph(text: str, characters: int) -> str:
    """The chapter with a paragraph of about `characters` of its own prose put before its middle paragraph."""
    lines = text.split("\n")
    prose = prose_lines(text)
    source = " ".join(re.sub(r"\[\^[^\]]*\]", "", lines[n]).strip() for n in prose)
    while len(source) < characters:
        source = f"{source} {source}"
    cut = source.rfind(" ", 0, characters)
    paragraph = source[: cut if cut > characters // 2 else characters].strip()
    at = prose[len(prose) // 2]
    return "\n".join(lines[:at] + [paragraph, ""] + lines[at:])


# The benchmark -------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each command; the median is shown (default 3)")
    parser.add_argument("--skip-4x", action="store_true", help="do not build the book four times as long")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects and outputs")
    parser.add_argument(
        "--only",
        action="append",
        choices=NAMES,
        help="measure only this (repeatable); the baseline is always measured, and 4x measures the default book's "
        "cold `all` too",
    )
    parser.add_argument("--against", metavar="REV", help="measure the toolkit at git revision REV too, round by round")
    args = parser.parse_args()
    chosen = set(args.only or NAMES) | {"baseline"}
    if args.skip_4x:
        chosen.discard("4x")
    if "4x" in chosen:
        chosen.add("all")

    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    memory = psutil.virtual_memory().total / 1024**3
    print(
        f"machine: {cores} cores (os.cpu_count(); {usable} usable), {memory:.0f} GB, Python {platform.python_version()}"
    )
    every = f"RSS every {SAMPLE_EVERY * 1000:.0f} ms" + (
        f", PSS every {SAMPLE_EVERY * PSS_EVERY * 1000:.0f} ms" if WITH_PSS else ""
    )
    print(f"memory: peak of the process tree's summed {'PSS (RSS beside it)' if WITH_PSS else 'RSS'}; {every}")
    adopted = adopt_orphans()
    print(
        "CPU: user + system of each command and every descendant it waited for"
        + (", and of any it left running (adopted as their subreaper)" if adopted else "")
    )
    if hasattr(os, "getloadavg"):
        print("load at the start: " + " ".join(f"{load:.2f}" for load in os.getloadavg()) + " (1, 5, 15 minutes)")
    folder = Path(tempfile.mkdtemp(prefix="build-bench-"))
    toolkits = {"this toolkit": ROOT / "build.py"}
    if args.against:
        toolkits[args.against] = toolkit_at(args.against, folder / "against")
    tables: dict[str, dict[str, Row]] = {label: {} for label in toolkits}
    try:
        for round_ in range(1, args.runs + 1):
            for label, build in toolkits.items():
                if len(toolkits) > 1:
                    print(f"round {round_} of {args.runs}: {label}")
                use_toolkit(build)
                rows: dict[str, Row] = {}
                benchmark(folder / f"round-{round_}-{len(tables[label])}-{build.parent.name}", set(chosen), 1, rows)
                merge(tables[label], rows)
    except SystemExit as failure:  # a command failed: what was measured before it is still worth showing
        print(failure, file=sys.stderr)
        for label, rows in tables.items():
            report({name: row for name, row in rows.items() if row.runs}, args.runs, label)
        raise SystemExit(1) from None
    finally:
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    for label, rows in tables.items():
        report({name: row for name, row in rows.items() if row.runs}, args.runs, label if len(tables) > 1 else "")
    if args.against:
        compare(tables["this toolkit"], tables[args.against], args.against)


def toolkit_at(revision: str, folder: Path) -> Path:
    """The build.py of a copy of the toolkit at `revision`, run with this virtual environment."""
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    (folder / ".venv").symlink_to(ROOT / ".venv")
    return folder / "build.py"


def use_toolkit(build: Path) -> None:
    global BUILD
    BUILD = build


def merge(rows: dict[str, Row], more: dict[str, Row]) -> None:
    """The runs of `more` added to `rows`, row by row."""
    for name, row in more.items():
        if name in rows:
            rows[name].runs += row.runs
            rows[name].notes += row.notes
        else:
            rows[name] = row


def compare(this: dict[str, Row], other: dict[str, Row], label: str) -> None:
    kind = "pss" if WITH_PSS else "rss"
    short = label[:9]
    print()
    print(f"this toolkit against {label}: medians, and this / {label}")
    header = f"{'what':44} {'s':>6} {short:>9} {'x':>5} {'CPU s':>6} {short:>9} {'x cpu':>5}"
    header += f" {'MB':>6} {short:>9} {'x mem':>5}"
    print(header)
    print("-" * len(header))
    for name, row in this.items():
        if name not in other or not row.runs or not other[name].runs:
            continue
        theirs = other[name]
        line = f"{row.what:44} {row.seconds():6.2f} {theirs.seconds():9.2f} {row.seconds() / theirs.seconds():5.2f}"
        line += f" {row.cpu():6.2f} {theirs.cpu():9.2f} {row.cpu() / theirs.cpu():5.2f}"
        memory, their_memory = row.memory(kind) / MB, theirs.memory(kind) / MB
        print(line + f" {memory:6.0f} {their_memory:9.0f} {memory / their_memory:5.2f}")


def benchmark(folder: Path, chosen: set[str], runs: int, rows: dict[str, Row]) -> None:
    """Measure what is `chosen` into `rows`, each row's runs added as they end."""
    project, out = folder / "book", folder / "out"
    copy_book(project)
    available = commands()
    print_target = "print" if "print" in available else "pdf"
    rows |= {
        "html": Row("html: the print edition as HTML"),
        "baseline": Row("baseline: weasyprint on that HTML"),
        "all": Row("cold: everything (3 PDFs + EPUB)", target=TARGETS["all"], memory_target=TARGETS["memory"]),
        "print": Row(
            "cold: print PDF alone" if print_target == "print" else "cold: `pdf` (3 PDFs; no print target yet)",
            cpu_target=TARGETS["print-cpu"],
            memory_target=TARGETS["memory"],
        ),
        "print-1": Row(
            f"cold: {'print PDF' if print_target == 'print' else '`pdf`'} on one core",
            cpu_target=TARGETS["print-cpu"],
        ),
        "epub": Row("cold: EPUB alone"),
        "word": Row("warm: one word changed", target=TARGETS["word"], cpu_target=TARGETS["word"]),
        "pages": Row("warm: a chapter one page longer/shorter", target=TARGETS["pages"]),
        "watch-word": Row("watch: one word changed", target=TARGETS["word"]),
        "watch-pages": Row("watch: a chapter one page longer/shorter", target=TARGETS["pages"]),
        "4x": Row("4x book: cold everything", target=TARGETS["4x"], memory_target=TARGETS["4x"]),
        "short-baseline": Row("short book: weasyprint on its HTML"),
        "short": Row(
            f"short book: cold {'print PDF' if print_target == 'print' else '`pdf`'}",
            target=TARGETS["short"],
            reference="short-baseline",
        ),
    }
    html = None
    if "html" in available:
        rows["html"].runs.append(thaibook(project, out / "html-command", "html"))
        book_id = yaml.safe_load((project / "book.yaml").read_text(encoding="utf-8"))["id"]
        html = out / "html-command" / "html" / f"{book_id}-print.html"
        if not html.is_file():
            raise SystemExit(f"build.py html did not write {html}")
        print(f"html: {html.name} in {rows['html'].runs[0].seconds:.1f}s")
    else:
        print("html command missing: no baseline, so no ratios to it")
        chosen.discard("baseline")

    cold_targets = [("all", "all", None), ("print", print_target, None), ("print-1", print_target, 1)]
    cold_targets.append(("epub", "epub", None))
    for run in range(1, runs + 1):
        if "baseline" in chosen:
            measured = measure([str(WEASYPRINT), html.name, str(out / "baseline.pdf")], cwd=html.parent)
            rows["baseline"].runs.append(measured)
            _progress(run, runs, "baseline", measured)
        for name, target, cores in cold_targets:
            if name in chosen and (cores is None or hasattr(os, "sched_setaffinity")):
                measured = cold(project, out / f"cold-{name}", target, cores)
                rows[name].runs.append(measured)
                _progress(run, runs, name, measured)

    if "watch" in chosen and "watch" not in available:
        print("watch command missing: no rebuilds in a running process")
        chosen.discard("watch")
    if {"word", "pages", "watch"} & chosen:
        edits(project, out / "warm", chosen, runs, rows)
    if "4x" in chosen:
        longer = folder / "book-4x"
        copy_book(longer)
        repeat_cities(longer)
        checked = measure([sys.executable, str(BUILD), "check", "--project", str(longer)])
        print(f"4x book: check: {checked.output.strip().splitlines()[-1]}")
        for run in range(1, runs + 1):
            measured = cold(longer, out / "cold-4x", "all")
            rows["4x"].runs.append(measured)
            _progress(run, runs, "4x", measured)
        default, longer_pages = (
            page_count(screen_pdf(out / f"cold-{n}", p)) for n, p in (("all", project), ("4x", longer))
        )
        rows["4x"].notes.append(f"{len(cities(longer))} city chapters; screen PDF {default} -> {longer_pages} pages")
    if "short" in chosen and html is not None:
        short_book(folder / "short", out / "short", print_target, runs, rows)


def short_book(project: Path, out: Path, print_target: str, runs: int, rows: dict[str, Row]) -> None:
    """The short book, cold, against plain WeasyPrint on its own HTML: where the fixed costs weigh most."""
    copy_book(project, SHORT_BOOK)
    thaibook(project, out / "html-command", "html")
    book_id = yaml.safe_load((project / "book.yaml").read_text(encoding="utf-8"))["id"]
    html = out / "html-command" / "html" / f"{book_id}-print.html"
    for run in range(1, runs + 1):
        measured = measure([str(WEASYPRINT), html.name, str(out / "baseline.pdf")], cwd=html.parent)
        rows["short-baseline"].runs.append(measured)
        _progress(run, runs, "s-base", measured)
        measured = cold(project, out / "cold", print_target)
        rows["short"].runs.append(measured)
        _progress(run, runs, "short", measured)
    pdf = out / "cold" / f"{book_id}-print.pdf"
    if pdf.is_file():
        rows["short"].notes.append(f"{page_count(pdf)} pages")


def edits(project: Path, out: Path, chosen: set[str], runs: int, rows: dict[str, Row]) -> None:
    """Warm rebuilds of everything after a one-word edit, then after a page-count change, of a middle city."""
    thaibook(project, out, "all")
    towns = cities(project)
    # The city nearest the middle (the 9th, 10th, 8th, 11th... of 18) whose growth moves every later chapter:
    # one with no blank page at its end, which one more page would fill; else the middle one.
    nearest = sorted(towns, key=lambda path: abs(towns.index(path) - (len(towns) - 1) / 2))
    found = {path: pages_of(screen_pdf(out, project), front_matter(path)[0]["title"]) for path in nearest}
    chapter = next((path for path in nearest if not found[path].blank_after), nearest[0])
    title = front_matter(chapter)[0]["title"]
    before = found[chapter]
    print(
        f"edited: {chapter.name} (city {towns.index(chapter) + 1} of {len(towns)}): {before.chapter} pages, "
        f"{'a blank page after it' if before.blank_after else 'no blank page after it: more pages move the rest'}"
    )

    words = one_word_edit(chapter)
    if "word" in chosen:
        for run in range(1, runs + 1):
            chapter.write_text(words[run % 2], encoding="utf-8")
            measured = thaibook(project, out, "all")
            _word_checked(rows["word"], run, runs, "word", measured, pages_of(screen_pdf(out, project), title), before)
        if runs % 2:  # back to the chapter as it was, built, for the next edit
            chapter.write_text(words[0], encoding="utf-8")
            thaibook(project, out, "all")

    if {"pages", "watch"} & chosen:
        original = chapter.read_text(encoding="utf-8")
        characters, longer = 300, None
        for _ in range(10):  # grow the paragraph by half until the chapter takes one page more (untimed)
            chapter.write_text(with_paragraph(original, characters), encoding="utf-8")
            thaibook(project, out, "all")
            longer = pages_of(screen_pdf(out, project), title)
            if longer.chapter > before.chapter:
                break
            characters = int(characters * 1.5)
        else:
            raise SystemExit(f"{chapter.name}: no paragraph up to {characters} characters added a page")
        print(f"paragraph of {characters} characters: chapter {before.chapter} -> {longer.chapter} pages")
        versions = (with_paragraph(original, characters), original)
        expected = (longer, before)
        for run in range(1, runs + 1) if "pages" in chosen else ():  # first remove it (it is there now), then ...
            chapter.write_text(versions[run % 2], encoding="utf-8")
            measured = thaibook(project, out, "all")
            now = pages_of(screen_pdf(out, project), title)
            _pages_checked(rows["pages"], run, runs, "pages", measured, now, expected)
        chapter.write_text(original, encoding="utf-8")
        if before.book != longer.book:
            for name in ("pages", "watch-pages"):
                rows[name].notes.append(f"every later chapter moves ({before.book} <-> {longer.book} pages)")

    if "watch" in chosen:
        with Watching(project, out) as watching:  # it builds first the chapter as it is: as it was at first
            for run in range(1, runs + 1):
                measured = watching.rebuilt(chapter, words[run % 2])
                after = pages_of(screen_pdf(out, project), title)
                _word_checked(rows["watch-word"], run, runs, "w-word", measured, after, before)
            watching.rebuilt(chapter, versions[0])  # untimed: the paragraph there first, as for "pages"
            for run in range(1, runs + 1):
                measured = watching.rebuilt(chapter, versions[run % 2])
                now = pages_of(screen_pdf(out, project), title)
                _pages_checked(rows["watch-pages"], run, runs, "w-pages", measured, now, expected)
        chapter.write_text(original, encoding="utf-8")


def _word_checked(row: Row, run: int, runs: int, name: str, measured: Run, after: Pages, before: Pages) -> None:
    row.runs.append(measured)
    same = "same pages" if after == before else f"PAGES CHANGED: {before} -> {after}"
    _progress(run, runs, name, measured, f"book {before.book} -> {after.book} pages, {same}")
    if after != before:
        row.notes.append("the page count changed: not a one-word edit without reflow")


def _pages_checked(
    row: Row, run: int, runs: int, name: str, measured: Run, now: Pages, expected: tuple[Pages, Pages]
) -> None:
    """A run of a page-count edit: the paragraph taken out on odd runs, put back on even ones."""
    was = expected[(run + 1) % 2]
    row.runs.append(measured)
    said = f"chapter {was.chapter} -> {now.chapter} pages, book {was.book} -> {now.book}"
    if now.chapter == was.chapter:
        said += " (PAGE COUNT DID NOT CHANGE)"
        row.notes.append("a run whose page count did not change")
    _progress(run, runs, name, measured, said)


class Watching:
    """`build.py watch` on the project, running until the block ends: each `rebuilt` saves a chapter and times
    the rebuild, from the save to the line that says the watch is watching again, with the memory of the
    watch's process tree sampled meanwhile (its peak taken again from each save)."""

    READY = "watching the sources"

    def __init__(self, project: Path, out: Path) -> None:
        command = [sys.executable, str(BUILD), "watch", "--project", str(project), "--out", str(out), "--lang", "en"]
        environment = dict(ENVIRONMENT, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment
        )
        self.sampler = TreeMemory(psutil.Process(self.process.pid), WITH_PSS)

    def __enter__(self) -> Watching:
        self.sampler.start()
        self._until_ready()
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
        self.sampler.done.set()
        self.sampler.join()

    def rebuilt(self, chapter: Path, text: str) -> Run:
        self.sampler.rss = self.sampler.pss = 0
        cpu, tree_cpu = self.sampler.cpu, _tree_cpu(self.process.pid)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        started = time.perf_counter()
        chapter.write_text(text, encoding="utf-8")
        said = self._until_ready()
        seconds = time.perf_counter() - started
        if "summary:" not in said or "nothing was written" in said:
            raise SystemExit(f"build.py watch did not rebuild after {chapter.name} was saved:\n{said}")
        spent = _tree_cpu(self.process.pid) - tree_cpu
        return Run(seconds, self.sampler.rss, self.sampler.pss, self.sampler.cpu - cpu, said, spent, load)

    def _until_ready(self) -> str:
        said = []
        for line in self.process.stdout:
            said.append(line)
            if line.startswith(self.READY):
                return "".join(said)
        tail = "".join(said[-25:])
        raise SystemExit(f"build.py watch ended (exit {self.process.wait()}):\n{tail}")


def _progress(run: int, runs: int, name: str, measured: Run, extra: str = "") -> None:
    memory = f"{measured.pss / MB:.0f} MB PSS, {measured.rss / MB:.0f} MB RSS" if WITH_PSS else ""
    memory = memory or f"{measured.rss / MB:.0f} MB RSS"
    line = f"  run {run}/{runs} {name:8} {measured.seconds:6.1f}s  CPU {measured.cpu:6.1f}s  {memory}"
    print(line + f"  load {measured.load:.1f}" + (f"  {extra}" if extra else ""), flush=True)


def report(rows: dict[str, Row], runs: int, label: str = "") -> None:
    kind = "pss" if WITH_PSS else "rss"
    print()
    if label:
        print(f"== {label}")
    print(f"median of {runs} run(s); x = ratio to the baseline (the short book's: to weasyprint on its own HTML);")
    print(f"CPU = user + system over the whole process tree; memory ratio of {kind.upper()}")
    header = f"{'what':44} {'s':>6} {'min-max':>11} {'x':>5} {'target':>7} {'met?':>4}"
    header += f" {'CPU s':>6} {'x cpu':>5} {'target':>7} {'met?':>4}"
    header += f" {'PSS MB':>6} {'RSS MB':>6} {'x mem':>5} {'target':>7} {'met?':>4}"
    print(header)
    print("-" * len(header))
    for name, row in rows.items():
        if name == "4x":
            continue
        print(_line(row, kind, rows.get(row.reference)))
    if "4x" in rows and "all" in rows:
        print()
        print("the 4x book, x = ratio to the default book's cold everything above")
        print(_line(rows["4x"], kind, rows["all"]))
    print()
    for name in ("baseline", "short-baseline"):
        if rows.get(name) and rows[name].runs:
            print(_spread(rows[name]))
    for name in ("print", "short"):
        if rows.get(name) and rows[name].runs:
            fixed = _fixed_costs(rows[name], rows.get(rows[name].reference))
            if fixed:
                print(fixed)
    loads = [r.load for row in rows.values() for r in row.runs]
    if loads:
        print(
            f"load (1-minute average as each command started): {min(loads):.1f}-{max(loads):.1f}, median "
            f"{statistics.median(loads):.1f}, on {os.cpu_count()} cores"
        )
    for row in rows.values():
        for note in dict.fromkeys(row.notes):
            print(f"note: {row.what}: {note}")
    sampling = sum(r.sampling for row in rows.values() for r in row.runs)
    measured = sum(r.seconds for row in rows.values() for r in row.runs)
    if measured:
        print(
            f"the memory sampling took {sampling:.1f} CPU s over {measured:.0f} s measured ({sampling / measured:.1%})"
        )


def _spread(row: Row) -> str:
    """How much a baseline's runs differ: wall and CPU, min-max and standard deviation."""
    seconds, cpu = [r.seconds for r in row.runs], [r.cpu for r in row.runs]
    deviation = (lambda values: f", stdev {statistics.stdev(values):.2f}") if len(row.runs) > 1 else (lambda v: "")
    return (
        f"spread of {row.what} over {len(row.runs)} run(s): wall {min(seconds):.2f}-{max(seconds):.2f} s"
        f"{deviation(seconds)}; CPU {min(cpu):.2f}-{max(cpu):.2f} s{deviation(cpu)}"
    )


def _fixed_costs(row: Row, reference: Row | None) -> str | None:
    """The time before the layout starts (imports, reading and checking, dictionaries): the fixed cost that
    a short book cannot spread, taken from the progress line that says the layout starts."""
    starts = [r.first(LAYOUT_STARTS) for r in row.runs]
    if None in starts:
        return None
    fixed = statistics.median(starts)
    rest = row.seconds() - fixed
    said = f"{row.what}: {fixed:.2f} s to the layout's start (fixed costs; {min(starts):.2f}-{max(starts):.2f})"
    if reference is not None and reference.runs:
        said += f", {rest:.2f} s after it = {rest / reference.seconds():.2f}x the baseline's whole run"
    return said


def _line(row: Row, kind: str, reference: Row | None) -> str:
    seconds = [r.seconds for r in row.runs]
    usable = reference is not None and bool(reference.runs)
    line = f"{row.what:44} {row.seconds():6.1f} {min(seconds):5.1f}-{max(seconds):<5.1f}"
    line += _ratio(row.seconds(), reference.seconds() if usable else None, row.target)
    line += f" {row.cpu():6.1f}" + _ratio(row.cpu(), reference.cpu() if usable else None, row.cpu_target)
    line += f" {row.memory('pss') / MB:6.0f}" if WITH_PSS else f" {'-':>6}"
    line += f" {row.memory('rss') / MB:6.0f}"
    line += _ratio(row.memory(kind), reference.memory(kind) if usable else None, row.memory_target)
    return line


def _ratio(value: float, reference: float | None, target: float | None) -> str:
    ratio = f"{value / reference:5.2f}" if reference else f"{'-':>5}"
    if target is None:
        return f" {ratio} {'':7} {'':4}"
    met = ("yes" if value / reference <= target else "NO") if reference else "?"
    return f" {ratio} {'<= ' + str(target):>7} {met:>4}"


if __name__ == "__main__":
    main()
