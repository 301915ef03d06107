"""requirements.lock: the exact versions `python3 build.py setup` installs. Every dependency pyproject.toml
names is in it at one version inside its declared range (WeasyPrint's above all: the toolkit patches its
internals), it holds exactly what those dependencies pull in, it is in the form `python3 build.py lock`
writes, and the environment the tests run in is the one it describes, so a drift is caught here."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from book import bootstrap

ROOT = Path(bootstrap.__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!_-]+)$")


def locked() -> dict[str, tuple[str, str]]:
    """The lock's pins: canonical name -> (the name as written, the version)."""
    pins: dict[str, tuple[str, str]] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"not an exact pin: {line!r}"
        name = canonicalize_name(match[1])
        assert name not in pins, f"{match[1]} is pinned twice"
        pins[name] = (match[1], match[2])
    return pins


def declared() -> list[Requirement]:
    """What pyproject.toml asks for: the runtime dependencies and the `test` extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(text) for text in [*project["dependencies"], *project["optional-dependencies"]["test"]]]


def test_the_lock_is_what_the_lock_command_writes() -> None:
    text = LOCK.read_text(encoding="utf-8")
    assert text.startswith(bootstrap.LOCK_HEADER) and bootstrap.LOCK_COMMAND in text
    assert bootstrap.lock_text(text) == text  # its header, then sorted `name==version` lines only
    assert len(locked()) > len(declared())
    assert canonicalize_name(bootstrap.PROJECT) not in locked()


def test_every_declared_dependency_is_locked_inside_its_range() -> None:
    pins = locked()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} (pyproject.toml) is not in {LOCK.name}; run: python3 build.py lock"
        version = pins[name][1]
        assert requirement.specifier.contains(version, prereleases=True), f"{requirement.name}=={version}"


def test_weasyprint_is_pinned_inside_the_supported_range() -> None:
    (weasyprint,) = [r for r in declared() if canonicalize_name(r.name) == "weasyprint"]
    assert any(spec.operator == "<" for spec in weasyprint.specifier), "the patched engine needs an upper bound"
    version = locked()["weasyprint"][1]
    assert weasyprint.specifier.contains(version) and Version(version).major == 70


def test_the_lock_holds_exactly_what_the_dependencies_pull_in() -> None:
    """Walked from pyproject.toml's requirements through the installed packages' own: nothing pulled in is
    missing from the lock, and nothing in it is left over from a dependency since dropped."""
    pulled: set[str] = set()
    walked: set[tuple[str, str]] = set()  # (package, extra), "" for the package alone
    waiting = [(requirement, "") for requirement in declared()]
    while waiting:
        requirement, extra = waiting.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        pulled.add(name)
        for wanted in ["", *sorted(requirement.extras)]:
            if (name, wanted) in walked:
                continue
            walked.add((name, wanted))
            try:
                texts = importlib.metadata.requires(name) or []
            except importlib.metadata.PackageNotFoundError:
                texts = []  # not installed: test_the_environment_matches_the_lock says so
            waiting += [(Requirement(text), wanted) for text in texts]
    assert pulled == set(locked()), "run: python3 build.py lock"


def test_the_environment_matches_the_lock() -> None:
    drift = []
    for name, (written, version) in locked().items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = "missing"
        if installed == "missing" or Version(installed) != Version(version):  # 1.000 is 1.0
            drift.append(f"{written}: locked {version}, installed {installed}")
    assert not drift, "the environment is not the lock's; run: python3 build.py setup\n" + "\n".join(drift)


def test_setup_installs_from_the_lock() -> None:
    command = bootstrap.install_command(bootstrap.VENV_PYTHON)
    assert command[command.index("--constraint") + 1] == str(LOCK)
    assert command[-2:] == ["--editable", ".[test]"]
    assert "--constraint" not in bootstrap.install_command(bootstrap.VENV_PYTHON, lock=None)  # the refresh


@pytest.mark.parametrize(
    "freeze, problem",
    [("thaibook @ file:///src\n", "not an exact pin"), ("six>=1.16\n", "not an exact pin")],
)
def test_the_lock_command_refuses_what_is_not_an_exact_pin(freeze: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        bootstrap.lock_text(freeze)


def test_the_lock_command_leaves_the_project_out_and_sorts() -> None:
    freeze = "# Editable install\n-e /src\nsix==1.17.0\nthaibook==0.1.0\nJinja2==3.1.6\n"
    with pytest.raises(ValueError):  # an editable line means the project was not excluded from the freeze
        bootstrap.lock_text(freeze)
    assert bootstrap.lock_text("six==1.17.0\nthaibook==0.1.0\nJinja2==3.1.6\nfontpkg-kanit==2.0\nfontpkg==0.2.2\n") == (
        bootstrap.LOCK_HEADER + "fontpkg==0.2.2\nfontpkg-kanit==2.0\nJinja2==3.1.6\nsix==1.17.0\n"
    )
