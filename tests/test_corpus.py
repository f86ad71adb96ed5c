"""Whole packages (tests/corpora.py: openai 4.104.0 and 7.59.0, groq-sdk 1.6.0 — each one's
resources/, the package's other files read for names — and the pinned LSP packages), each
generated unmodified into one Python package whose modules import one by one in fresh
interpreters and that type-checks clean under mypy --strict and pyright strict."""

from __future__ import annotations

import collections
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from corpora import CORPORA, Trees

ALL = sorted(CORPORA)


def warning_kinds(stderr: str) -> collections.Counter[str]:
    """Warnings by kind: the message with its quoted parts (names, types) blanked."""
    return collections.Counter(re.sub(r"`[^`]*`", "X", line.split(": warning: ", 1)[1]) for line in stderr.splitlines() if ": warning: " in line)


@pytest.mark.parametrize("name", ALL)
def test_every_file_becomes_a_module(name: str, trees: Trees, figures: list[str]) -> None:
    tree = trees.get(name)  # exit 0 on the unmodified package, no traceback
    manifest = tree.manifest
    kinds = collections.Counter(s["kind"] for s in manifest["symbols"])  # type: ignore[attr-defined]
    warnings = warning_kinds(tree.stderr)
    figures.append(f"{name}: generate exit {tree.returncode} in {tree.seconds:.0f}s; {len(manifest['inputs'])} files read;"  # type: ignore[arg-type]
                   f" symbols {dict(sorted(kinds.items()))}; {sum(warnings.values())} warnings")
    for message, count in warnings.most_common():
        figures.append(f"  {count:4} {message}")
    converted = {i["path"] for i in manifest["inputs"]}  # type: ignore[attr-defined]
    target = tree.corpus.target
    expected = {p.relative_to(tree.corpus.root).as_posix() for p in target.rglob("*.d.ts") if "node_modules" not in p.relative_to(target).parts}
    assert expected <= converted, sorted(expected - converted)[:10]
    if name == "openai-4.104.0":
        assert len([p for p in converted if p.startswith("resources/")]) == 78
        assert {"resources/beta/realtime/sessions.d.ts", "pagination.d.ts"} <= converted
        assert kinds["interface"] >= 865 and kinds["type_alias"] >= 94
    else:
        assert kinds["interface"] >= 50


@pytest.mark.parametrize("name", ALL)
def test_each_module_imports_on_its_own(name: str, trees: Trees, figures: list[str]) -> None:
    tree = trees.get(name)
    out = tree.out
    modules = sorted(".".join(p.relative_to(out).with_suffix("").parts).removesuffix(".__init__") for p in (out / tree.corpus.package).rglob("*.py"))
    start = time.monotonic()
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "import_alone.py"), str(out), *modules], capture_output=True, text=True, cwd=out, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    failures = {m: err for m, err in json.loads(proc.stdout).items() if err}
    figures.append(f"{name}: {len(modules) - len(failures)}/{len(modules)} modules import alone in a fresh interpreter ({time.monotonic() - start:.0f}s)")
    figures.extend(f"  IMPORT {m}: {err}" for m, err in sorted(failures.items())[:20])
    assert modules
    assert not failures, sorted(failures.items())[:5]


def type_errors(out: Path, package: str) -> tuple[int, str, int, str]:
    """mypy --strict and pyright strict (the project's [tool.pyright]) over a generated package:
    their error counts and outputs."""
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", "-p", package], cwd=out, capture_output=True, text=True)
    mypy_errors = len(re.findall(r": error: ", mypy.stdout)) or (0 if mypy.returncode == 0 else 1)
    shutil.copy(ROOT / "pyproject.toml", out / "pyproject.toml")  # [tool.pyright] strict, Python 3.10
    pyright = subprocess.run([sys.executable, "-m", "pyright", "--pythonpath", sys.executable, package], cwd=out, capture_output=True, text=True)
    found = re.search(r"(\d+) errors?", pyright.stdout)
    pyright_errors = int(found.group(1)) if found else (0 if pyright.returncode == 0 else 1)
    return mypy_errors, mypy.stdout, pyright_errors, pyright.stdout


@pytest.mark.parametrize("name", ALL)
def test_mypy_strict_and_pyright_strict(name: str, trees: Trees, figures: list[str]) -> None:
    tree = trees.get(name)
    start = time.monotonic()
    mypy_errors, mypy_out, pyright_errors, pyright_out = type_errors(tree.out, tree.corpus.package)
    figures.append(f"{name}: mypy --strict {mypy_errors} errors, pyright strict {pyright_errors} errors ({time.monotonic() - start:.0f}s)")
    assert mypy_errors == 0, mypy_out[-3000:]
    assert pyright_errors == 0, pyright_out[-3000:]
