"""The house in rooms: one folder per stage, each exporting its public names from its `__init__.py`, imports
running one way down the stages, and no folder grown past about fifteen modules."""

from __future__ import annotations

import ast
import importlib
import types
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
# The stages from the top down: a module may import from its own stage and the ones below it, never above.
STAGES = (
    "cli",
    "building",
    "preview",
    "publish",
    "epub",
    "pdf",
    "render",
    "project",
    "thai",
    "engine",
    "scheduler",
    "diagnostics",
    "bootstrap",
)
PACKAGES = sorted(p.name for p in BOOK.iterdir() if (p / "__init__.py").is_file())


def imports_of(path: Path) -> set[str]:
    """The stages a module of `book` imports from, relative imports resolved (function-level ones too)."""
    module = path.relative_to(BOOK.parent).with_suffix("").parts
    package = module[:-1] if path.name != "__init__.py" else module
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = [*base, *(node.module.split(".") if node.module else [])]
            names = [target] if node.module else [[*target, alias.name] for alias in node.names]
            found |= {name[1] for name in names if len(name) > 1}
        elif isinstance(node, ast.ImportFrom | ast.Import):
            for name in [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]:
                if name and name.split(".")[0] == "book" and "." in name:
                    found.add(name.split(".")[1])
    return found & set(STAGES)


def stage_of(path: Path) -> str:
    parts = path.relative_to(BOOK).with_suffix("").parts
    return parts[0]


def test_every_stage_is_named_in_the_order():
    modules = {p.stem for p in BOOK.glob("*.py") if not p.name.startswith("__")}
    assert set(PACKAGES) | modules == set(STAGES)


@pytest.mark.parametrize("path", sorted(BOOK.rglob("*.py")), ids=lambda p: str(p.relative_to(BOOK)))
def test_imports_run_down_the_stages(path):
    if path.parent == BOOK and path.name.startswith("__"):
        return  # book/__init__.py and __main__.py stand above every stage
    own = STAGES.index(stage_of(path))
    above = sorted(name for name in imports_of(path) if STAGES.index(name) < own)
    assert not above, f"{path.relative_to(BOOK)} imports from {above}, a stage above its own"


@pytest.mark.parametrize("package", PACKAGES)
def test_a_folder_says_what_it_owns_and_exports_what_the_rest_uses(package):
    module = importlib.import_module(f"book.{package}")
    assert module.__doc__ and len(module.__doc__.split()) >= 10
    submodules = {p.stem for p in (BOOK / package).glob("*.py")}
    for name in module.__all__:
        # a name that is also a submodule's would turn into the module once that is imported
        assert name not in submodules, f"book.{package}.{name} is both an export and a module"
        assert not isinstance(getattr(module, name), types.ModuleType), name
    assert len(submodules - {"__init__"}) <= 15


def test_other_stages_import_a_package_s_exports_not_its_modules():
    """`from ..project import Book`, not `from ..project.model import Book`: what a stage offers is what its
    `__init__.py` exports. The engine's patch modules are imported whole (`from ..engine import pango`)."""
    reached = []
    for path in BOOK.rglob("*.py"):
        own = path.relative_to(BOOK).parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level and node.module and "." in node.module:
                stage = node.module.split(".")[0]
                if stage != own and stage in PACKAGES:
                    reached.append(f"{path.relative_to(BOOK)}: from {'.' * node.level}{node.module}")
    assert reached == []
