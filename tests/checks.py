"""The corpus-wide checks, shared by the tests (tests/test_corpus.py) and tests/family.py:
warnings by kind, every module imported alone, mypy --strict and pyright strict."""

from __future__ import annotations

import collections
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def warning_kinds(stderr: str) -> collections.Counter[str]:
    """Warnings by kind: the message with its quoted parts (names, types) blanked."""
    return collections.Counter(re.sub(r"`[^`]*`", "X", line.split(": warning: ", 1)[1]) for line in stderr.splitlines() if ": warning: " in line)


def modules(out: Path, package: str) -> list[str]:
    """Every module of a generated package, packages (`__init__.py`) included."""
    return sorted(".".join(p.relative_to(out).with_suffix("").parts).removesuffix(".__init__") for p in (out / package).rglob("*.py"))


def import_failures(out: Path, names: list[str], timeout: float = 3600) -> dict[str, str]:
    """{module: its import error} for the modules that do not import alone in a fresh interpreter."""
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "import_alone.py"), str(out), *names], capture_output=True, text=True, cwd=out, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {m: err for m, err in json.loads(proc.stdout).items() if err}


def type_errors(out: Path, package: str) -> tuple[int, str, int, str]:
    """mypy --strict and pyright strict (the project's [tool.pyright]) over a generated package,
    run side by side: their error counts and outputs."""
    shutil.copy(ROOT / "pyproject.toml", out / "pyproject.toml")  # [tool.pyright] strict, Python 3.10
    mypy = subprocess.Popen([sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", "-p", package], cwd=out, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    pyright = subprocess.Popen([sys.executable, "-m", "pyright", "--pythonpath", sys.executable, package], cwd=out, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    mypy_out, _ = mypy.communicate()
    pyright_out, _ = pyright.communicate()
    mypy_errors = len(re.findall(r": error: ", mypy_out)) or (0 if mypy.returncode == 0 else 1)
    found = re.search(r"(\d+) errors?\b", pyright_out)
    pyright_errors = int(found.group(1)) if found else (0 if pyright.returncode == 0 else 1)
    return mypy_errors, mypy_out, pyright_errors, pyright_out
